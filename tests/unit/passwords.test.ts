import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/auth/passwords.js';

/** The nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync(`/proc/${process.pid}/task`).map((tid) => {
    const fields = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[16]);
  });
}

describe('the password hasher', () => {
  it('starts its threads with the first hash and stops them once idle', async () => {
    const hasher = createPasswordHasher({ rounds: 4, threads: 2, idleThreadMs: 200 });
    try {
      expect(hasher.load().threads).toBe(0);
      const hash = await hasher.hash('correct horse battery');
      expect(hasher.load().threads).toBeGreaterThanOrEqual(1);

      for (const deadline = Date.now() + 10_000; hasher.load().threads > 0 && Date.now() < deadline;) await sleep(50);
      expect(hasher.load().threads).toBe(0);
      // And start again for the next.
      expect(await hasher.verify('correct horse battery', hash)).toBe(true);
      expect(await hasher.verify('wrong', hash)).toBe(false);
    } finally {
      await hasher.close();
    }
  });
});

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
