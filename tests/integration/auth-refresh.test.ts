import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

const INVALID_REFRESH = { statusCode: 401, error: 'Unauthorized', message: 'Invalid refresh token' };

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

function signHs256(payload: object, secret: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('POST /auth/refresh', () => {
  const ctx = useTestApp({ refreshReuseGraceSeconds: 10 });

  const refresh = (refreshToken: unknown) => ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  const rotate = async (refreshToken: string) => {
    const response = await refresh(refreshToken);
    expect(response.statusCode).toBe(200);
    return response.json<{ accessToken: string; refreshToken: string }>();
  };
  /** The hashes of the refresh tokens of `token`'s session that would still refresh. */
  const liveRefreshTokenHashes = async (token: string) => {
    const rows = await ctx.app.prisma.refreshToken.findMany({
      where: {
        sessionId: String(decode(token).sid),
        rotatedAt: null,
        revokedAt: null,
        expiresAt: { gt: new Date() },
        session: { revokedAt: null },
      },
      select: { tokenHash: true },
    });
    return rows.map((row) => row.tokenHash);
  };
  /** Moves a token's rotation into the past, as if `seconds` had gone by since. */
  const rotatedSecondsAgo = (token: string, seconds: number) =>
    ctx.app.prisma.refreshToken.update({
      where: { tokenHash: createHash('sha256').update(token).digest('hex') },
      data: { rotatedAt: new Date(Date.now() - seconds * 1000) },
    });

  it('answers a new working pair for the same session', async () => {
    const account = await signUp(ctx.app);
    const pair = await rotate(account.refreshToken);
    expect(Object.keys(pair).sort()).toEqual(['accessToken', 'refreshToken']);
    expect(decode(pair.refreshToken).sid).toBe(decode(account.refreshToken).sid);
    expect(decode(pair.accessToken).sid).toBe(decode(account.accessToken).sid);
    const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(pair.accessToken) });
    expect(me.statusCode).toBe(200);
  });

  it('stores only the SHA-256 hash of each refresh token', async () => {
    const account = await signUp(ctx.app);
    const rows = await ctx.app.prisma.refreshToken.findMany({ where: { userId: account.user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(account.refreshToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(account.refreshToken);
  });

  it('gives a rotated token presented again within the grace window a new access token and the same successor refresh token', async () => {
    const account = await signUp(ctx.app);
    const first = await rotate(account.refreshToken);
    const again = await rotate(account.refreshToken);
    expect(again.refreshToken).toBe(first.refreshToken);
    expect(decode(again.accessToken).sid).toBe(decode(account.refreshToken).sid);
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(again.accessToken) })).statusCode).toBe(200);
    expect((await refresh(first.refreshToken)).statusCode).toBe(200);
  });

  it('keeps one live refresh token per session however often a rotated token is replayed within the grace window', async () => {
    const account = await signUp(ctx.app);
    const first = await rotate(account.refreshToken);
    for (let replay = 0; replay < 5; replay++) {
      expect((await rotate(account.refreshToken)).refreshToken).toBe(first.refreshToken);
    }
    expect(await liveRefreshTokenHashes(account.refreshToken)).toEqual([sha256(first.refreshToken)]);
  });

  it('treats a replay within the grace window as reuse once its successor was rotated, and revokes the session', async () => {
    const account = await signUp(ctx.app);
    const first = await rotate(account.refreshToken);
    const second = await rotate(first.refreshToken);
    expect((await refresh(account.refreshToken)).json()).toEqual(INVALID_REFRESH);
    expect((await refresh(second.refreshToken)).json()).toEqual(INVALID_REFRESH);
    expect(await liveRefreshTokenHashes(account.refreshToken)).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(second.accessToken) })).statusCode).toBe(401);
  });

  it('treats a rotated token presented after the grace window as reuse and revokes the whole session', async () => {
    const account = await signUp(ctx.app);
    const newest = await rotate(account.refreshToken);
    // Warm the session cache: the revocation must still stop the access token at once.
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(newest.accessToken) })).statusCode).toBe(200);
    await rotatedSecondsAgo(account.refreshToken, 11);

    expect((await refresh(account.refreshToken)).json()).toEqual(INVALID_REFRESH);
    expect((await refresh(newest.refreshToken)).json()).toEqual(INVALID_REFRESH);
    const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(newest.accessToken) });
    expect(me.statusCode).toBe(401);
  });

  it('counts the grace window from the presented token’s own rotation, not the session’s latest', async () => {
    const account = await signUp(ctx.app);
    const second = await rotate(account.refreshToken);
    await rotate(second.refreshToken); // the session was refreshed just now…
    await rotatedSecondsAgo(account.refreshToken, 11); // …but the first token was rotated 11 s ago
    expect((await refresh(account.refreshToken)).statusCode).toBe(401);
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
  });

  it('never answers 500 to concurrent refreshes of one token: all succeed within the grace window, with one successor', async () => {
    const account = await signUp(ctx.app);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(account.refreshToken)));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(10).fill(200));
    const tokens = new Set(responses.map((response) => response.json<{ refreshToken: string }>().refreshToken));
    expect(tokens.size).toBe(1);
    expect(await liveRefreshTokenHashes(account.refreshToken)).toEqual([...tokens].map(sha256));
  });

  it('keeps other sessions of the user working when one session is revoked for reuse', async () => {
    const account = await signUp(ctx.app);
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: account.email, password: account.password },
    });
    await rotate(account.refreshToken);
    await rotatedSecondsAgo(account.refreshToken, 60);
    expect((await refresh(account.refreshToken)).statusCode).toBe(401);
    expect((await refresh(other.json<{ refreshToken: string }>().refreshToken)).statusCode).toBe(200);
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a token with a bad signature', 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'],
  ])('answers 401 for %s', async (_case, token) => {
    expect((await refresh(token)).json()).toEqual(INVALID_REFRESH);
  });

  it('answers 401 for an access token presented as a refresh token', async () => {
    const account = await signUp(ctx.app);
    expect((await refresh(account.accessToken)).json()).toEqual(INVALID_REFRESH);
  });

  it('answers 401 for an expired refresh token', async () => {
    const account = await signUp(ctx.app);
    const claims = decode(account.refreshToken);
    const now = Math.floor(Date.now() / 1000);
    const expired = signHs256({ ...claims, iat: now - 700_000, exp: now - 60 }, testConfig('x').jwt.refreshKeys.signingKey);
    expect((await refresh(expired)).json()).toEqual(INVALID_REFRESH);
  });

  it('answers 401 for a correctly signed token the server never issued', async () => {
    const account = await signUp(ctx.app);
    const claims = decode(account.refreshToken);
    const forged = signHs256({ ...claims, jti: '11111111-1111-4111-8111-111111111111' }, testConfig('x').jwt.refreshKeys.signingKey);
    expect((await refresh(forged)).json()).toEqual(INVALID_REFRESH);
  });

  /** Forges a token from a genuine one's claims, and stores its hash in the genuine one's place, as if the server had issued it. */
  const forgeIssued = async (genuine: string, change: (claims: Record<string, unknown>) => Record<string, unknown>) => {
    const forged = signHs256(change(decode(genuine)), testConfig('x').jwt.refreshKeys.signingKey);
    await ctx.app.prisma.refreshToken.update({ where: { tokenHash: sha256(genuine) }, data: { tokenHash: sha256(forged) } });
    return forged;
  };
  const withoutClaim = (name: string) => (claims: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));
  const WEEK = 7 * 24 * 3600;

  it.each([
    ['without exp', withoutClaim('exp')],
    ['without iat', withoutClaim('iat')],
    ['whose exp is 10 years ahead', (claims: Record<string, unknown>) => ({ ...claims, exp: Number(claims.iat) + 10 * 365 * 24 * 3600 })],
    ['living a second longer than 7 days', (claims: Record<string, unknown>) => ({ ...claims, exp: Number(claims.iat) + WEEK + 1 })],
    [
      'whose iat is in the future',
      (claims: Record<string, unknown>) => ({ ...claims, iat: Number(claims.iat) + 600, exp: Number(claims.iat) + 600 + WEEK }),
    ],
  ])('answers 401 for a correctly signed refresh token %s, even one stored as issued', async (_case, change) => {
    const account = await signUp(ctx.app);
    const forged = await forgeIssued(account.refreshToken, change);
    expect((await refresh(forged)).json()).toEqual(INVALID_REFRESH);
  });

  it('accepts a token forged and stored here with genuine claims (so the refusals above are not forging bugs)', async () => {
    const account = await signUp(ctx.app);
    const forged = await forgeIssued(account.refreshToken, (claims) => claims);
    expect((await refresh(forged)).statusCode).toBe(200);
  });

  it('answers 401 after logout-all', async () => {
    const account = await signUp(ctx.app);
    const logoutAll = await ctx.app.inject({ method: 'POST', url: '/auth/logout-all', headers: bearer(account.accessToken) });
    expect(logoutAll.statusCode).toBe(204);
    expect((await refresh(account.refreshToken)).statusCode).toBe(401);
  });

  it.each([
    ['no body', undefined],
    ['a body without a token (and no refresh_token cookie)', {}],
  ])('answers 401 Invalid refresh token for %s: there is no refresh token to use', async (_case, payload) => {
    const response = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', ...(payload && { payload }) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ message: 'Invalid refresh token' });
  });

  it.each([
    ['a token that is not a string', { refreshToken: 42 }],
    ['an empty token', { refreshToken: '' }],
  ])('answers 400 for %s', async (_case, payload) => {
    const response = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload });
    expect(response.statusCode).toBe(400);
  });
});

describe('sessions end SESSION_MAX_DAYS after they started, however often they are refreshed', () => {
  const DAY_MS = 24 * 3600 * 1000;
  const ctx = useTestApp({ sessionMaxDays: 30 });

  const refresh = (refreshToken: string) => ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  /** Moves the start of `token`'s session `days` into the past. */
  const sessionStartedDaysAgo = async (token: string, days: number) => {
    const startedAt = new Date(Date.now() - days * DAY_MS);
    await ctx.app.prisma.session.update({ where: { id: String(decode(token).sid) }, data: { createdAt: startedAt } });
    return startedAt;
  };

  it('caps the new refresh token’s exp, its row and the session’s expiresAt at the session’s start + SESSION_MAX_DAYS', async () => {
    const account = await signUp(ctx.app);
    const startedAt = await sessionStartedDaysAgo(account.refreshToken, 28);
    const end = startedAt.getTime() + 30 * DAY_MS;
    const response = await refresh(account.refreshToken);
    expect(response.statusCode).toBe(200);
    const next = response.json<{ refreshToken: string }>().refreshToken;
    expect(decode(next).exp).toBe(Math.floor(end / 1000));

    const session = await ctx.app.prisma.session.findUniqueOrThrow({ where: { id: String(decode(next).sid) } });
    expect(session.expiresAt.getTime()).toBe(end);
    const row = await ctx.app.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256(next) } });
    expect(row.expiresAt.getTime()).toBe(end);
    // A replay within the grace window gets the same capped successor.
    expect((await refresh(account.refreshToken)).json<{ refreshToken: string }>().refreshToken).toBe(next);
  });

  it('refuses to refresh a session started more than SESSION_MAX_DAYS ago', async () => {
    const account = await signUp(ctx.app);
    await sessionStartedDaysAgo(account.refreshToken, 30.001);
    expect((await refresh(account.refreshToken)).json()).toEqual(INVALID_REFRESH);
  });

  it('keeps refreshing a session that is younger than SESSION_MAX_DAYS by more than 7 days with a 7-day token', async () => {
    const account = await signUp(ctx.app);
    await sessionStartedDaysAgo(account.refreshToken, 20);
    const response = await refresh(account.refreshToken);
    expect(response.statusCode).toBe(200);
    const claims = decode(response.json<{ refreshToken: string }>().refreshToken);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(7 * 24 * 3600);
  });
});

describe('a new session with SESSION_MAX_DAYS=1', () => {
  const ctx = useTestApp({ sessionMaxDays: 1 });

  it('gets a refresh token and an expiresAt that end one day after it started', async () => {
    const account = await signUp(ctx.app);
    const claims = decode(account.refreshToken);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(24 * 3600);
    const session = await ctx.app.prisma.session.findUniqueOrThrow({ where: { id: String(claims.sid) } });
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(24 * 3600 * 1000);
  });
});

describe('POST /auth/refresh with REFRESH_REUSE_GRACE_SECONDS=0', () => {
  const ctx = useTestApp({ refreshReuseGraceSeconds: 0 });

  it('lets exactly one of several concurrent refreshes of one token succeed, and never answers 500', async () => {
    const account = await signUp(ctx.app);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: account.refreshToken } }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('treats any second use of a rotated token as reuse', async () => {
    const account = await signUp(ctx.app);
    const first = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: account.refreshToken } });
    expect(first.statusCode).toBe(200);
    const second = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: account.refreshToken } });
    expect(second.statusCode).toBe(401);
    const newest = first.json<{ refreshToken: string }>().refreshToken;
    const afterReuse = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: newest } });
    expect(afterReuse.statusCode).toBe(401);
  });
});

describe('login and refresh on a database connection whose TimeZone is not UTC', () => {
  // UTC+14: a timestamp written in the session's zone instead of UTC would be 14 hours off.
  const ctx = useTestApp({}, { sessionTimeZone: 'Pacific/Kiritimati' });

  it('records the session’s use and its new expiry in UTC, as every other write does', async () => {
    const account = await signUp(ctx.app);
    const refreshed = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: account.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const now = Date.now();
    const [session] = await ctx.app.prisma.session.findMany({ where: { userId: account.user.id } });
    expect(Math.abs(session!.lastUsedAt.getTime() - now)).toBeLessThan(10_000);
    expect(Math.abs(session!.expiresAt.getTime() - (now + 7 * 24 * 3600 * 1000))).toBeLessThan(10_000);
    const next = await ctx.app.prisma.refreshToken.findUnique({
      where: { tokenHash: createHash('sha256').update(refreshed.json<{ refreshToken: string }>().refreshToken).digest('hex') },
    });
    expect(Math.abs(next!.createdAt.getTime() - now)).toBeLessThan(10_000);
    expect(next!.expiresAt.getTime()).toBe(session!.expiresAt.getTime());
    // Re-signed from the row's times, a replay within the grace window gets the very same token.
    const replay = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: account.refreshToken } });
    expect(replay.json<{ refreshToken: string }>().refreshToken).toBe(refreshed.json<{ refreshToken: string }>().refreshToken);
  });

  it('records a login’s session in UTC, and answers the user’s creation time in UTC', async () => {
    const account = await signUp(ctx.app);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: account.email, password: account.password },
    });
    expect(login.statusCode).toBe(200);
    const now = Date.now();
    expect(login.json<{ user: { createdAt: string } }>().user.createdAt).toBe(account.user.createdAt);
    const sessions = await ctx.app.prisma.session.findMany({ where: { userId: account.user.id } });
    expect(sessions).toHaveLength(2);
    for (const session of sessions) {
      expect(Math.abs(session.createdAt.getTime() - now)).toBeLessThan(10_000);
      expect(Math.abs(session.expiresAt.getTime() - (now + 7 * 24 * 3600 * 1000))).toBeLessThan(10_000);
    }
  });
});
