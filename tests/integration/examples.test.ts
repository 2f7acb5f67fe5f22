/** The scripts in examples/ run unchanged against the real server process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { startLiveServer, type LiveServer } from '../helpers/server-process.js';

describe('examples/auth-walkthrough.mjs', () => {
  let live: LiveServer | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    live = await startLiveServer();
    baseUrl = live.baseUrl;
  });

  afterAll(async () => {
    await live?.stop();
  });

  it('passes every step against a running server, exits 0, and prints no token', async () => {
    const { code, stdout, stderr } = await runProcess(process.execPath, ['examples/auth-walkthrough.mjs', baseUrl]);

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
