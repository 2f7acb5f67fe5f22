/** The test tiers of vitest.config.ts: the fast ones start no process, and every test file runs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { SLOW_TESTS } from '../../vitest.config.js';

/** What starts a process, in a test or in the helpers it calls. */
const STARTS_A_PROCESS = /\b(startServerProcess|startLiveServer|runProcess|spawn|execFile|fork|chromium)\b/;

const testFiles = readdirSync(join(PROJECT_ROOT, 'tests'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `tests/${file.replaceAll('\\', '/')}`)
  .sort();

/** `tests/browser/**\/*.test.ts` → a RegExp for the paths it matches (`**` spans folders, `*` does not). */
function globPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*\/|\*/g, (wildcard) => (wildcard === '*' ? '[^/]*' : '(?:.*/)?'))}$`);
}

const inSlowTier = (file: string) => SLOW_TESTS.some((glob) => globPattern(glob).test(file));

describe('test tiers (vitest.config.ts)', () => {
  it('puts every file that starts a process in the slow tier', () => {
    const starting = testFiles
      .filter((file) => file !== 'tests/unit/test-tiers.test.ts') // names them, starts none
      .filter((file) => STARTS_A_PROCESS.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
    expect(starting).toContain('tests/integration/server.test.ts');
    expect(
      starting.filter((file) => !inSlowTier(file)),
      'add them to SLOW_TESTS',
    ).toEqual([]);
  });

  it('runs every test file in exactly one tier', () => {
    const tierless = testFiles.filter(
      (file) => !file.startsWith('tests/unit/') && !file.startsWith('tests/integration/') && !inSlowTier(file),
    );
    expect(tierless).toEqual([]);
    expect(testFiles.filter((file) => file.startsWith('tests/unit/') && inSlowTier(file))).toEqual([]);
  });
});
