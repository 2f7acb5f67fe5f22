import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/auth/passwords.js';

/** The nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync(`/proc/${process.pid}/task`).map((tid) => {
    const fields = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[16]);
  });
}

describe.runIf(process.platform === 'linux')('the password hasher on Linux', () => {
  it('hashes on threads of lower priority than the event loop', async () => {
    const before = threadNiceValues().filter((nice) => nice === 10).length;
    const hasher = createPasswordHasher({ rounds: 4, threads: 2 });
    try {
      const hash = await hasher.hash('correct horse battery');
      await Promise.all([hasher.verify('correct horse battery', hash), hasher.verify('wrong', hash)]);
      expect(threadNiceValues().filter((nice) => nice === 10).length - before).toBe(2);
      expect(Number(readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16])).toBe(0);
    } finally {
      await hasher.close();
    }
  });
});
