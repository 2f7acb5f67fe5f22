/**
 * The scripts in examples/ run unchanged against the real server process (one for the file), and
 * the curl walk-through fails loudly.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { startLiveServer, type LiveServer } from '../helpers/server-process.js';

const CURL_SCRIPT = 'examples/curl-walkthrough.sh';

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

let live: LiveServer | undefined;
let baseUrl: string;

beforeAll(async () => {
  live = await startLiveServer();
  baseUrl = live.baseUrl;
});

afterAll(async () => {
  await live?.stop();
});

describe('examples/auth-walkthrough.mjs', () => {
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

describe('examples/curl-walkthrough.sh', () => {
  it('passes every step against a running server, exits 0, and prints no token', async () => {
    const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], { BASE_URL: baseUrl });

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const steps = stdout.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(steps.map((line) => line.replace(/[0-9a-f-]{36}/g, ':id').replace(/\d{4}-\d{2}-\d{2}/g, ':date'))).toEqual([
      '1. Sign up: POST /auth/signup → 201',
      '2. Log in: POST /auth/login → 200',
      '3. Create a habit: POST /habits → 201',
      '4. Set a goal: PUT /habits/:id/goal → 201',
      '5. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '6. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '7. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '8. Statistics: GET /habits/:id/stats → 200',
      '9. Home screen: GET /today → 200',
      '10. Refresh: POST /auth/refresh → 200',
      '11. Log out: POST /auth/logout → 204',
      '12. Refresh after logout: POST /auth/refresh → 401',
    ]);
    // Today and the two days before, in the UTC user's calendar.
    const days = [2, 1, 0].map((daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10));
    expect(steps.slice(4, 7).map((line) => line.split(':')[0])).toEqual(days.map((day, i) => `${5 + i}. Check in ${day}`));
    expect(stdout).toContain('   currentStreak 3 (days), bestStreak 3, totalDone 3, completionRate 1\n');
    expect(stdout).toContain('   Invalid refresh token\n');
    expect(stdout).toContain('All 12 steps passed\n');
    expect(stdout).not.toContain('eyJ');
  });

  it('stops with exit code 1 and the reply at the first unexpected status', async () => {
    const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], { BASE_URL: `${baseUrl}/no-such-prefix` });

    expect(code).toBe(1);
    expect(stdout).toContain('1. Sign up: POST /auth/signup → 404\n');
    expect(stdout).not.toContain('2. ');
    expect(stderr).toContain('Step 1 (Sign up): expected HTTP 201, got 404. Body:\n{"');
  });

  it('exits 1 with a clear message when nothing listens at BASE_URL', async () => {
    const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], { BASE_URL: `http://127.0.0.1:${await closedPort()}` });

    expect(code).toBe(1);
    expect(stdout).not.toContain('1. Sign up');
    expect(stderr).toMatch(/Step 1 \(Sign up\): could not reach http:\/\/127\.0\.0\.1:\d+\. Is the server running\?/);
  });
});
