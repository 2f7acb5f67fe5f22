import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { deleteDeadSessions } from '../../src/services/session-cleanup.service.js';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

const DAY = 86_400_000;

describe('dead-session cleanup', () => {
  const ctx = useTestApp();

  /** A session with one refresh token, in the given state. */
  async function createSession(userId: string, state: { expiresAt: Date; revokedAt?: Date; tokenExpiresAt?: Date }) {
    const id = randomUUID();
    await ctx.app.prisma.session.create({
      data: {
        id,
        userId,
        expiresAt: state.expiresAt,
        revokedAt: state.revokedAt ?? null,
        refreshTokens: {
          create: { id: randomUUID(), userId, tokenHash: randomUUID(), expiresAt: state.tokenExpiresAt ?? state.expiresAt },
        },
      },
    });
    return id;
  }

  it('deletes expired and long-revoked sessions and expired tokens, in batches, and keeps the rest', async () => {
    const { user } = await signUp(ctx.app);
    const now = new Date();
    const expired = await Promise.all([1, 2, 3].map(() => createSession(user.id, { expiresAt: new Date(now.getTime() - DAY) })));
    const longRevoked = await createSession(user.id, {
      expiresAt: new Date(now.getTime() + DAY),
      revokedAt: new Date(now.getTime() - 8 * DAY),
    });
    const recentlyRevoked = await createSession(user.id, {
      expiresAt: new Date(now.getTime() + DAY),
      revokedAt: new Date(now.getTime() - DAY),
    });
    const liveWithExpiredToken = await createSession(user.id, {
      expiresAt: new Date(now.getTime() + DAY),
      tokenExpiresAt: new Date(now.getTime() - 1000),
    });

    const deleted = await deleteDeadSessions(ctx.app, { now, batchSize: 2 });

    expect(deleted).toEqual({
      sessions: 4,
      refreshTokens: 1,
      loginThrottles: 0,
      emailTokens: 0,
      emailCodeFailures: 0,
      securityEvents: 0,
      mfaChallenges: 0,
      syncDeletions: 0,
    });
    const remaining = await ctx.app.prisma.session.findMany({ where: { userId: user.id }, select: { id: true } });
    const remainingIds = remaining.map((session) => session.id);
    for (const id of [...expired, longRevoked]) expect(remainingIds).not.toContain(id);
    for (const id of [recentlyRevoked, liveWithExpiredToken]) expect(remainingIds).toContain(id);
    expect(await ctx.app.prisma.refreshToken.count({ where: { sessionId: liveWithExpiredToken } })).toBe(0);
    // The signup session and its token are untouched.
    expect(await ctx.app.prisma.refreshToken.count({ where: { userId: user.id } })).toBe(2);
  });

  it('deletes login-throttle counts a day after their last failure, and keeps the recent ones', async () => {
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
    const email = `throttled-${randomUUID()}@example.com`;
    await ctx.app.pg.query(
      `INSERT INTO "LoginThrottle" (email, ip, failures, "blockedUntil", "updatedAt")
       VALUES ($1, '', 7, NULL, $2::timestamp), ($1, '10.0.0.1', 7, NULL, $2::timestamp), ($1, '10.0.0.2', 2, NULL, $3::timestamp)`,
      [email, at(25), at(23)],
    );

    const deleted = await deleteDeadSessions(ctx.app, { now, batchSize: 1 });

    expect(deleted.loginThrottles).toBe(2);
    const { rows } = await ctx.app.pg.query<{ ip: string }>('SELECT ip FROM "LoginThrottle" WHERE email = $1', [email]);
    expect(rows.map((row) => row.ip)).toEqual(['10.0.0.2']);
  });

  it('deletes expired email tokens and wrong-code records older than 24 hours, and keeps the rest', async () => {
    const { user } = await signUp(ctx.app);
    const now = new Date();
    const at = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * 3_600_000).toISOString();
    const token = (expiresAt: string) => [randomUUID(), user.id, user.email, randomUUID(), expiresAt];
    for (const values of [token(at(-1)), token(at(-30)), token(at(1))]) {
      await ctx.app.pg.query(
        `INSERT INTO "EmailToken" (id, "userId", purpose, email, "tokenHash", "codeHash", "expiresAt", "createdAt")
         VALUES ($1, $2, 'reset_password', $3, $4, 'x', $5::timestamp, now())`,
        values,
      );
    }
    await ctx.app.pg.query(
      `INSERT INTO "EmailCodeFailure" (id, email, purpose, "createdAt")
       VALUES (gen_random_uuid(), $1, 'reset_password', $2::timestamp), (gen_random_uuid(), $1, 'reset_password', $3::timestamp)`,
      [user.email, at(-25), at(-23)],
    );

    const deleted = await deleteDeadSessions(ctx.app, { now, batchSize: 1 });

    expect(deleted).toMatchObject({ emailTokens: 2, emailCodeFailures: 1 });
    // The live reset token, and the signup's verification token.
    expect(await ctx.app.prisma.emailToken.count({ where: { userId: user.id } })).toBe(2);
    expect(await ctx.app.prisma.emailCodeFailure.count({ where: { email: user.email } })).toBe(1);
  });

  it('deletes security events older than 90 days, and keeps the rest', async () => {
    const { user, accessToken } = await signUp(ctx.app);
    const now = new Date();
    const event = (daysAgo: number) => [randomUUID(), user.id, new Date(now.getTime() - daysAgo * DAY).toISOString()];
    for (const values of [event(91), event(90.01), event(89)]) {
      await ctx.app.pg.query(
        `INSERT INTO "SecurityEvent" (id, "userId", type, "createdAt") VALUES ($1, $2, 'login', $3::timestamp)`,
        values,
      );
    }

    const deleted = await deleteDeadSessions(ctx.app, { now, batchSize: 1 });

    expect(deleted.securityEvents).toBe(2);
    // The one of 89 days ago, and the signup's.
    const events = await ctx.app.inject({ method: 'GET', url: '/auth/events', headers: bearer(accessToken) });
    expect(events.json<{ type: string }[]>().map((listed) => listed.type)).toEqual(['signup', 'login']);
  });

  it('runs in the server every SESSION_CLEANUP_INTERVAL_MINUTES', async () => {
    const { user } = await signUp(ctx.app);
    const expired = await createSession(user.id, { expiresAt: new Date(Date.now() - DAY) });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const app = await buildApp(testConfig(ctx.database.url, { sessionCleanupIntervalMinutes: 1 }));
    try {
      await app.ready();
      expect(await app.prisma.session.count({ where: { id: expired } })).toBe(1);
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(async () => {
        expect(await app.prisma.session.count({ where: { id: expired } })).toBe(0);
      });
    } finally {
      vi.useRealTimers();
      await app.close();
    }
  });

  it('runs once from the command line: npm run db:cleanup', async () => {
    const { user } = await signUp(ctx.app);
    await createSession(user.id, { expiresAt: new Date(Date.now() - DAY) });
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'db:cleanup'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: ctx.database.url },
    });
    expect(stdout).toMatch(
      /^Deleted [1-9]\d* session\(s\), \d+ refresh token\(s\), \d+ stale login-throttle count\(s\), \d+ expired email token\(s\), \d+ old wrong-code record\(s\), \d+ security event\(s\) older than 90 days, \d+ expired sign-in challenge\(s\) and \d+ sync deletion record\(s\) older than 30 days$/m,
    );
  });
});
