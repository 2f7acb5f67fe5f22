/**
 * The scripts in examples/ run unchanged against the real server process (one for the file), and
 * the curl walk-through fails loudly. The server has no SMTP_URL: its emails go to an outbox folder
 * of this test, where the curl walk-through reads the reset code (and, with WITH_TOTP, the
 * verification code).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
let outboxDir: string;

beforeAll(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), 'examples-outbox-'));
  live = await startLiveServer({ MAIL_OUTBOX_DIR: outboxDir, MFA_ENCRYPTION_KEY: 'examples-test-mfa-encryption-key-0123456789' });
  baseUrl = live.baseUrl;
});

afterAll(async () => {
  await live?.stop();
  await rm(outboxDir, { recursive: true, force: true });
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
    const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], { BASE_URL: baseUrl, MAIL_OUTBOX_DIR: outboxDir });

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
      '13. Forgot password: POST /auth/password/forgot → 202',
      '14. Reset the password: POST /auth/password/reset → 204',
      '15. Log in with the old password: POST /auth/login → 401',
      '16. Log in with the new password: POST /auth/login → 200',
    ]);
    // Today and the two days before, in the UTC user's calendar.
    const days = [2, 1, 0].map((daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10));
    expect(steps.slice(4, 7).map((line) => line.split(':')[0])).toEqual(days.map((day, i) => `${5 + i}. Check in ${day}`));
    expect(stdout).toContain('   currentStreak 3 (days), bestStreak 3, totalDone 3, completionRate 1\n');
    expect(stdout).toContain('   Invalid refresh token\n');
    expect(stdout).toMatch(/^ {3}the code is in \S+\.eml \(in .+\)$/m);
    expect(stdout).toContain('   Invalid credentials\n');
    expect(stdout).toContain('   emailVerified true: the reset proved the address\n');
    expect(stdout).toContain('All 16 steps passed\n');
    expect(stdout).not.toContain('eyJ');
  });

  it('with WITH_TOTP: verifies the address, turns two-factor sign-in on, and signs in with a code, then a recovery code', async () => {
    const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], {
      BASE_URL: baseUrl,
      MAIL_OUTBOX_DIR: outboxDir,
      WITH_TOTP: '1',
    });

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const steps = stdout.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(steps.map((line) => line.replace(/[0-9a-f-]{36}/g, ':id').replace(/\d{4}-\d{2}-\d{2}/g, ':date'))).toEqual([
      '1. Sign up: POST /auth/signup → 201',
      '2. Log in: POST /auth/login → 200',
      '3. Verify the address: POST /auth/email/verify → 200',
      '4. Enrol an authenticator app: POST /auth/mfa/totp → 201',
      '5. Turn two-factor sign-in on: POST /auth/mfa/totp/activate → 200',
      '6. Log in with two-factor sign-in on: POST /auth/login → 200',
      '7. Enter the code: POST /auth/mfa/verify → 200',
      '8. Create a habit: POST /habits → 201',
      '9. Set a goal: PUT /habits/:id/goal → 201',
      '10. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '11. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '12. Check in :date: PUT /habits/:id/tracking/:date → 201',
      '13. Statistics: GET /habits/:id/stats → 200',
      '14. Home screen: GET /today → 200',
      '15. Refresh: POST /auth/refresh → 200',
      '16. Log out: POST /auth/logout → 204',
      '17. Refresh after logout: POST /auth/refresh → 401',
      '18. Forgot password: POST /auth/password/forgot → 202',
      '19. Reset the password: POST /auth/password/reset → 204',
      '20. Log in with the old password: POST /auth/login → 401',
      '21. Log in with the new password: POST /auth/login → 200',
      '22. Use a recovery code: POST /auth/mfa/verify → 200',
    ]);
    expect(stdout).toContain('   emailVerified true\n');
    expect(stdout).toContain('   mfaRequired true: no tokens yet, an mfaToken for the code (5 minutes)\n');
    expect(stdout).toMatch(/^ {3}tokens of an aal-2 session for user [0-9a-f-]{36}, mfaEnabled true$/m);
    expect(stdout).toContain('   mfaRequired true: two-factor sign-in stays on through a reset\n');
    expect(stdout).toContain('   emailVerified true, mfaEnabled true\n');
    expect(stdout).toContain('All 22 steps passed\n');
    expect(stdout).not.toContain('eyJ');
    // A recovery code (XXXXX-XXXXX with a letter in it; the address's digits, e.g. 35876-28292, are not one).
    expect(stdout).not.toMatch(/otpauth:\/\/totp\/\S|secret=|\b(?=[A-Z2-9-]*[A-Z])[A-Z2-9]{5}-[A-Z2-9]{5}\b/);
  });

  it('stops with exit code 1 and says where it looked when no reset email arrives', async () => {
    const emptyOutbox = await mkdtemp(join(tmpdir(), 'examples-empty-outbox-'));
    try {
      const { code, stdout, stderr } = await runProcess('bash', [CURL_SCRIPT], {
        BASE_URL: baseUrl,
        MAIL_OUTBOX_DIR: emptyOutbox,
        MAIL_WAIT_SECONDS: '1',
      });

      expect(code).toBe(1);
      expect(stdout).toContain('13. Forgot password: POST /auth/password/forgot → 202\n');
      expect(stdout).not.toContain('14. ');
      expect(stderr).toContain('Step 13 (Forgot password): no reset email for curl-');
      expect(stderr).toContain(` in ${emptyOutbox} after 1 s.\n`);
    } finally {
      await rm(emptyOutbox, { recursive: true, force: true });
    }
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
