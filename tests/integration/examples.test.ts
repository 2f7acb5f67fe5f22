/** The scripts in examples/ run unchanged against the real server process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const execFileAsync = promisify(execFile);

/** Runs `node <script> ...args` from the project root; resolves with its exit code and output. */
async function runNode(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [script, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile rejects on a non-zero exit, with the output attached to the error.
    const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout, stderr: stderr || String(error) };
  }
}

describe('examples/auth-walkthrough.mjs', () => {
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = startServerProcess({ DATABASE_URL: database.url });
    baseUrl = await server.waitForListening();
  });

  afterAll(async () => {
    // Guarded: if beforeAll failed part-way, clean up whatever was started.
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database?.drop();
  });

  it('passes every step against a running server, exits 0, and prints no token', async () => {
    const { code, stdout, stderr } = await runNode('examples/auth-walkthrough.mjs', [baseUrl]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const line of [
      '1. POST /auth/signup → 201',
      '2. POST /auth/login → 200',
      '3. GET /auth/me with access token → 200',
      '4. GET /auth/me without token → 401',
      '5. POST /auth/refresh → 200',
      '6. POST /auth/logout → 204',
      '7. POST /auth/refresh with logged-out token → 401',
      'All 7 steps passed',
    ]) {
      expect(stdout).toContain(`${line}\n`);
    }
    expect(stdout).not.toContain('eyJ');
  });
});
