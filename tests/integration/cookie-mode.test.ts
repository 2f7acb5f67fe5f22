/**
 * Cookie mode for browser apps (API.md, "Browser apps: the refresh token in a cookie"), through HTTP:
 * `useCookie` on signup, login and POST /auth/mfa/verify puts the refresh token into the HttpOnly
 * `refresh_token` cookie (exact attributes, Max-Age = seconds until the token's exp) and out of the
 * JSON; POST /auth/refresh and /auth/logout fall back to the cookie, only with an allowed Origin and
 * `X-Requested-With: fetch` (else 403, which changes nothing); a refresh by cookie answers
 * `{ accessToken }` only and rotates the cookie; logout, logout-all, DELETE /auth/me, reuse
 * detection and a refused refresh clear it; and CORS gives credentials to listed origins only.
 *
 * Which sessions ended is read from the database (`Session.revokedAt`), and shown by what still
 * refreshes: an app with REFRESH_REUSE_GRACE_SECONDS=0 makes "the cookie still refreshes afterwards"
 * prove that the refused request did not rotate it either (a rotated token presented again would be
 * reuse).
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/app.js';
import { buildTestApp, testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp, uniqueEmail } from '../helpers/factories.js';
import { totpCode } from '../helpers/totp.js';

const ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://evil.example.net';
/** The headers a cookie-mode request of the app at ORIGIN carries. */
const FROM_APP = { origin: ORIGIN, 'x-requested-with': 'fetch' } as const;
const PASSWORD = 'correct horse battery';
const SEVEN_DAYS = 7 * 24 * 60 * 60;
const ONE_DAY = 24 * 60 * 60;
const INVALID_REFRESH = { statusCode: 401, error: 'Unauthorized', message: 'Invalid refresh token' };

const { refreshKeys } = testConfig('postgresql://unused').jwt;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
const sidOf = (token: string) => String(claimsOf(token).sid);

function signHs256(payload: object, secret: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

// ---------------------------------------------------------------------------------------------------
// Set-Cookie, read as a browser would.

interface SetCookie {
  value: string;
  /** Attribute names lower-cased, each with its value ('' for a flag). */
  attributes: Map<string, string>;
  raw: string;
}

const setCookieHeaders = (response: LightMyRequestResponse): string[] => {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
};

/** The reply's Set-Cookie headers for `refresh_token`. */
function refreshCookies(response: LightMyRequestResponse): SetCookie[] {
  return setCookieHeaders(response)
    .filter((raw) => raw.startsWith('refresh_token='))
    .map((raw) => {
      const [pair, ...parts] = raw.split(';').map((part) => part.trim());
      const attributes = new Map<string, string>();
      for (const part of parts) {
        const at = part.indexOf('=');
        attributes.set((at < 0 ? part : part.slice(0, at)).toLowerCase(), at < 0 ? '' : part.slice(at + 1));
      }
      return { value: decodeURIComponent(pair!.slice('refresh_token='.length)), attributes, raw };
    });
}

function expectAttributes(cookie: SetCookie, maxAge: (value: number) => void): void {
  // Exactly these: no Domain (host-only), no Expires, nothing else.
  expect([...cookie.attributes.keys()].sort(), cookie.raw).toEqual(['httponly', 'max-age', 'path', 'samesite', 'secure']);
  expect(cookie.attributes.get('httponly'), cookie.raw).toBe('');
  expect(cookie.attributes.get('secure'), cookie.raw).toBe('');
  expect(cookie.attributes.get('samesite'), cookie.raw).toBe('Strict');
  expect(cookie.attributes.get('path'), cookie.raw).toBe('/auth');
  expect(cookie.attributes.get('max-age'), cookie.raw).toMatch(/^\d+$/);
  maxAge(Number(cookie.attributes.get('max-age')));
}

/**
 * The refresh token the reply set as the cookie, after checking the cookie's attributes, and that
 * its Max-Age is the seconds until the token's exp (`lifetime`: about what that should be).
 */
function expectCookieSet(response: LightMyRequestResponse, lifetime = SEVEN_DAYS): string {
  const cookies = refreshCookies(response);
  expect(cookies, JSON.stringify(setCookieHeaders(response))).toHaveLength(1);
  const [cookie] = cookies as [SetCookie];
  expect(cookie.value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const exp = Number(claimsOf(cookie.value).exp);
  expectAttributes(cookie, (maxAge) => {
    expect(Math.abs(maxAge - (exp - nowSeconds())), cookie.raw).toBeLessThanOrEqual(2);
    expect(maxAge, cookie.raw).toBeLessThanOrEqual(lifetime);
    expect(maxAge, cookie.raw).toBeGreaterThanOrEqual(lifetime - 10);
  });
  // The token is in the cookie only.
  expect(response.body).not.toContain(cookie.value);
  return cookie.value;
}

function expectCookieCleared(response: LightMyRequestResponse): void {
  const cookies = refreshCookies(response);
  expect(cookies, JSON.stringify(setCookieHeaders(response))).toHaveLength(1);
  const [cookie] = cookies as [SetCookie];
  expect(cookie.value, cookie.raw).toBe('');
  expectAttributes(cookie, (maxAge) => expect(maxAge, cookie.raw).toBe(0));
}

function expectNoCookie(response: LightMyRequestResponse): void {
  expect(setCookieHeaders(response), 'no Set-Cookie expected').toEqual([]);
}

function expectStatus(response: LightMyRequestResponse, statusCode: number): void {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(statusCode);
}

function expectForbidden(response: LightMyRequestResponse): void {
  expectStatus(response, 403);
  expect(response.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
  // A refused request changes nothing, the cookie included.
  expectNoCookie(response);
}

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [key, ...keysIn(item)]);
  return [];
}

// ---------------------------------------------------------------------------------------------------
// The requests of a browser app.

function browser(app: () => FastifyInstance) {
  const cookieHeader = (token: string) => ({ cookie: `refresh_token=${token}` });
  const api = {
    signup: (payload: Record<string, unknown>) => app().inject({ method: 'POST', url: '/auth/signup', headers: FROM_APP, payload }),
    login: (email: string, useCookie: unknown = true) =>
      app().inject({ method: 'POST', url: '/auth/login', headers: FROM_APP, payload: { email, password: PASSWORD, useCookie } }),
    /** POST /auth/refresh with the cookie `token`, no body, and `headers` (the app's by default). */
    refreshByCookie: (token: string, headers: Record<string, string> = FROM_APP) =>
      app().inject({ method: 'POST', url: '/auth/refresh', headers: { ...headers, ...cookieHeader(token) } }),
    logout: (accessToken: string, options: { cookie?: string; headers?: Record<string, string>; payload?: object } = {}) =>
      app().inject({
        method: 'POST',
        url: '/auth/logout',
        headers: {
          ...(options.headers ?? FROM_APP),
          ...bearer(accessToken),
          ...(options.cookie !== undefined && cookieHeader(options.cookie)),
        },
        ...(options.payload && { payload: options.payload }),
      }),
    /** A user signed up in cookie mode: the access token, the cookie's refresh token, and the password. */
    async cookieUser(): Promise<{ email: string; userId: string; accessToken: string; cookie: string }> {
      const email = uniqueEmail('cookie');
      const response = await api.signup({ email, password: PASSWORD, useCookie: true });
      expectStatus(response, 201);
      const { accessToken, user } = response.json<{ accessToken: string; user: { id: string } }>();
      return { email, userId: user.id, accessToken, cookie: expectCookieSet(response) };
    },
    /** A new cookie-mode session of `email`: its access token and cookie. */
    async cookieLogin(email: string): Promise<{ accessToken: string; cookie: string }> {
      const response = await api.login(email);
      expectStatus(response, 200);
      return { accessToken: response.json<{ accessToken: string }>().accessToken, cookie: expectCookieSet(response) };
    },
    /** A refresh by cookie that must succeed: the new access token and the rotated cookie. */
    async rotate(token: string): Promise<{ accessToken: string; cookie: string }> {
      const response = await api.refreshByCookie(token);
      expectStatus(response, 200);
      return { accessToken: response.json<{ accessToken: string }>().accessToken, cookie: expectCookieSet(response) };
    },
    async revokedAt(sessionId: string): Promise<Date | null> {
      const session = await app().prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { revokedAt: true } });
      return session.revokedAt;
    },
    async expectSessionActive(sessionId: string): Promise<void> {
      expect(await api.revokedAt(sessionId), `session ${sessionId} revoked`).toBeNull();
    },
    async expectSessionRevoked(sessionId: string): Promise<void> {
      expect(await api.revokedAt(sessionId), `session ${sessionId} still active`).toBeInstanceOf(Date);
    },
  };
  return api;
}

// ---------------------------------------------------------------------------------------------------

describe('cookie mode: signup, login and mfa/verify with useCookie', () => {
  const ctx = useTestApp({ corsOrigins: [ORIGIN] });
  const api = browser(() => ctx.app);

  it('signup sets refresh_token (HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=604800) and leaves refreshToken out', async () => {
    const email = uniqueEmail('signup');
    const response = await api.signup({ email, password: PASSWORD, useCookie: true });
    expectStatus(response, 201);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'user']);
    const cookie = expectCookieSet(response);
    // The cookie holds the session's refresh token: it refreshes the session of the access token.
    expect(claimsOf(cookie)).toMatchObject({ sid: sidOf(body.accessToken as string) });
    const refreshed = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: cookie } });
    expectStatus(refreshed, 200);
  });

  it('login sets the cookie and leaves refreshToken out; useCookie false or absent changes nothing', async () => {
    const { email } = await api.cookieUser();
    const withCookie = await api.login(email, true);
    expectStatus(withCookie, 200);
    expect(Object.keys(withCookie.json<object>()).sort()).toEqual(['accessToken', 'user']);
    expectCookieSet(withCookie);

    for (const useCookie of [false, undefined]) {
      const plain = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD, useCookie } });
      expectStatus(plain, 200);
      expect(Object.keys(plain.json<object>()).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
      expectNoCookie(plain);
    }
  });

  it('signup and login need no Origin: only the requests that use the cookie do', async () => {
    const email = uniqueEmail('no-origin');
    const signup = await ctx.app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD, useCookie: true } });
    expectStatus(signup, 201);
    expectCookieSet(signup);
  });

  it('a non-boolean useCookie is a 400 on signup, login and mfa/verify', async () => {
    const { email } = await api.cookieUser();
    const routes = [
      { url: '/auth/signup', payload: () => ({ email: uniqueEmail('bad'), password: PASSWORD }) },
      { url: '/auth/login', payload: () => ({ email, password: PASSWORD }) },
      { url: '/auth/mfa/verify', payload: () => ({ mfaToken: 'A'.repeat(43), code: '123456' }) },
    ];
    for (const { url, payload } of routes) {
      for (const useCookie of ['true', 1, 0, null, 'yes', {}, [true]]) {
        const response = await ctx.app.inject({ method: 'POST', url, headers: FROM_APP, payload: { ...payload(), useCookie } });
        expect(response.statusCode, `${url} useCookie ${JSON.stringify(useCookie)}: ${response.body}`).toBe(400);
        expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expectNoCookie(response);
      }
    }
  });

  it('useCookie is stored and echoed nowhere (replies, profile, sessions, security events, export)', async () => {
    const user = await api.cookieUser();
    const login = await api.login(user.email);
    expectStatus(login, 200);
    expect(keysIn(login.json())).not.toContain('useCookie');
    const replies = await Promise.all(
      ['/auth/me', '/auth/sessions', '/auth/events?limit=100', '/export'].map((url) =>
        ctx.app.inject({ method: 'GET', url, headers: bearer(user.accessToken) }),
      ),
    );
    for (const reply of replies) {
      expectStatus(reply, 200);
      expect(reply.body).not.toMatch(/useCookie/i);
    }
    // No column of the user's or the session's rows holds it.
    const stored = await ctx.app.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    const session = await ctx.app.prisma.session.findUniqueOrThrow({ where: { id: sidOf(user.accessToken) } });
    expect([...Object.keys(stored), ...Object.keys(session)].filter((key) => /cookie/i.test(key))).toEqual([]);
  });

  it('mfa/verify with useCookie sets the cookie of the aal-2 session; the mfaRequired answer sets none', async () => {
    const user = await api.cookieUser();
    // Two-factor sign-in needs a verified address.
    await ctx.app.prisma.user.update({ where: { id: user.userId }, data: { emailVerifiedAt: new Date() } });
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/auth/mfa/totp',
      headers: bearer(user.accessToken),
      payload: { password: PASSWORD },
    });
    expectStatus(enrolled, 201);
    const { secret } = enrolled.json<{ secret: string }>();
    const activated = await ctx.app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/activate',
      headers: bearer(user.accessToken),
      payload: { code: totpCode(secret) },
    });
    expectStatus(activated, 200);

    const challenge = await api.login(user.email);
    expectStatus(challenge, 200);
    const { mfaRequired, mfaToken } = challenge.json<{ mfaRequired: boolean; mfaToken: string }>();
    expect(mfaRequired).toBe(true);
    expectNoCookie(challenge);

    // The next step's code (one step of clock skew is accepted): never the step activation used.
    const verified = await ctx.app.inject({
      method: 'POST',
      url: '/auth/mfa/verify',
      headers: FROM_APP,
      payload: { mfaToken, code: totpCode(secret, new Date(), 1), useCookie: true },
    });
    expectStatus(verified, 200);
    const body = verified.json<{ accessToken: string }>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'user']);
    expect(claimsOf(body.accessToken)).toMatchObject({ aal: 2 });
    const cookie = expectCookieSet(verified);
    expect(sidOf(cookie)).toBe(sidOf(body.accessToken));

    // And the cookie refreshes that aal-2 session.
    const refreshed = await api.rotate(cookie);
    expect(claimsOf(refreshed.accessToken)).toMatchObject({ aal: 2, sid: sidOf(body.accessToken) });
  });
});

describe('cookie mode: POST /auth/refresh by the cookie', () => {
  const ctx = useTestApp({ corsOrigins: [ORIGIN] });
  const api = browser(() => ctx.app);

  it('answers { accessToken } only, sets the rotated cookie, and the new access token works', async () => {
    const user = await api.cookieUser();
    const response = await api.refreshByCookie(user.cookie);
    expectStatus(response, 200);
    const body = response.json<{ accessToken: string }>();
    expect(Object.keys(body)).toEqual(['accessToken']);
    expect(response.body).not.toMatch(/refreshToken/);
    const rotated = expectCookieSet(response);
    expect(rotated).not.toBe(user.cookie);
    expect(sidOf(rotated)).toBe(sidOf(user.accessToken));
    expect(sidOf(body.accessToken)).toBe(sidOf(user.accessToken));
    expectStatus(await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(body.accessToken) }), 200);
    // The rotated cookie refreshes in turn.
    await api.rotate(rotated);
  });

  it('without a body, with an empty JSON body, or with refreshToken absent: all use the cookie', async () => {
    let { cookie } = await api.cookieUser();
    for (const extra of [{}, { payload: {} }, { payload: { other: 'ignored' } }]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        headers: { ...FROM_APP, cookie: `refresh_token=${cookie}` },
        ...extra,
      });
      expectStatus(response, 200);
      expect(Object.keys(response.json<object>())).toEqual(['accessToken']);
      cookie = expectCookieSet(response);
    }
  });

  it('no body token and no cookie → 401 (with or without the app headers)', async () => {
    for (const headers of [{}, FROM_APP, { ...FROM_APP, cookie: 'other=1' }, { ...FROM_APP, cookie: 'refresh_token=' }]) {
      const bare = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', headers });
      expectStatus(bare, 401);
      expect(bare.json()).toEqual(INVALID_REFRESH);
      const empty = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', headers, payload: {} });
      expectStatus(empty, 401);
    }
  });

  it('a garbage cookie → 401 and the cookie is cleared (Max-Age=0, Path=/auth)', async () => {
    const expired = signHs256(
      {
        userId: '00000000-0000-4000-8000-000000000000',
        sid: '00000000-0000-4000-8000-000000000001',
        jti: '00000000-0000-4000-8000-000000000002',
        iat: nowSeconds() - 100,
        exp: nowSeconds() - 10,
      },
      refreshKeys.signingKey,
    );
    const user = await api.cookieUser();
    for (const garbage of ['garbage', 'a.b.c', `${user.cookie}x`, user.accessToken, expired, '%E0%A4%A']) {
      const response = await api.refreshByCookie(garbage);
      expectStatus(response, 401);
      expect(response.json()).toEqual(INVALID_REFRESH);
      expectCookieCleared(response);
    }
    // None of it touched the user's session.
    await api.rotate(user.cookie);
  });

  it('a revoked session’s cookie → 401 and cleared', async () => {
    const user = await api.cookieUser();
    expectStatus(await ctx.app.inject({ method: 'POST', url: '/auth/logout-all', headers: bearer(user.accessToken) }), 204);
    const response = await api.refreshByCookie(user.cookie);
    expectStatus(response, 401);
    expectCookieCleared(response);
  });

  it('within the grace window the old cookie gets a new access token and the same successor cookie', async () => {
    const user = await api.cookieUser();
    const first = await api.rotate(user.cookie);
    const again = await api.refreshByCookie(user.cookie);
    expectStatus(again, 200);
    expect(Object.keys(again.json<object>())).toEqual(['accessToken']);
    expect(expectCookieSet(again)).toBe(first.cookie);
  });

  it('a body refreshToken takes precedence over the cookie: the JSON pair, no Set-Cookie, the cookie’s session untouched', async () => {
    const user = await api.cookieUser();
    const other = await api.cookieLogin(user.email);
    // With the app's headers, and without (the cookie is then not even read, so no 403).
    for (const headers of [FROM_APP, {}]) {
      const rotated = await ctx.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        headers: { ...headers, cookie: `refresh_token=${other.cookie}` },
        payload: { refreshToken: user.cookie },
      });
      expectStatus(rotated, 200);
      const pair = rotated.json<{ accessToken: string; refreshToken: string }>();
      expect(Object.keys(pair).sort()).toEqual(['accessToken', 'refreshToken']);
      expect(sidOf(pair.refreshToken)).toBe(sidOf(user.accessToken));
      expectNoCookie(rotated);
      user.cookie = pair.refreshToken;
    }
    // A refused body token does not clear the cookie either: it was never used.
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: { ...FROM_APP, cookie: `refresh_token=${other.cookie}` },
      payload: { refreshToken: 'a.b.c' },
    });
    expectStatus(refused, 401);
    expectNoCookie(refused);
    await api.rotate(other.cookie);
  });
});

describe('cookie mode: reuse detection and refused requests (REFRESH_REUSE_GRACE_SECONDS=0)', () => {
  const ctx = useTestApp({ corsOrigins: [ORIGIN], refreshReuseGraceSeconds: 0 });
  const api = browser(() => ctx.app);

  it('the old cookie after a rotation is reuse: 401, cleared, and the whole session revoked', async () => {
    const user = await api.cookieUser();
    const rotated = await api.rotate(user.cookie);
    const reuse = await api.refreshByCookie(user.cookie);
    expectStatus(reuse, 401);
    expect(reuse.json()).toEqual(INVALID_REFRESH);
    expectCookieCleared(reuse);
    await api.expectSessionRevoked(sidOf(user.accessToken));
    // The newest cookie of that session is dead too.
    const newest = await api.refreshByCookie(rotated.cookie);
    expectStatus(newest, 401);
    expectCookieCleared(newest);
  });

  const refusedHeaders: [string, Record<string, string>][] = [
    ['no Origin', { 'x-requested-with': 'fetch' }],
    ['an Origin not in CORS_ORIGINS', { origin: OTHER_ORIGIN, 'x-requested-with': 'fetch' }],
    ['Origin "null"', { origin: 'null', 'x-requested-with': 'fetch' }],
    ['the origin with a trailing slash', { origin: `${ORIGIN}/`, 'x-requested-with': 'fetch' }],
    ['the origin in upper case', { origin: ORIGIN.toUpperCase(), 'x-requested-with': 'fetch' }],
    ['the origin over http', { origin: ORIGIN.replace('https:', 'http:'), 'x-requested-with': 'fetch' }],
    ['a subdomain of the origin', { origin: 'https://evil.app.example.com', 'x-requested-with': 'fetch' }],
    ['no X-Requested-With', { origin: ORIGIN }],
    ['X-Requested-With: XMLHttpRequest', { origin: ORIGIN, 'x-requested-with': 'XMLHttpRequest' }],
    ['X-Requested-With: Fetch', { origin: ORIGIN, 'x-requested-with': 'Fetch' }],
    ['X-Requested-With empty', { origin: ORIGIN, 'x-requested-with': '' }],
    ['neither', {}],
  ];

  it.each(refusedHeaders)(
    'refresh by cookie with %s → 403, nothing changes (the cookie still refreshes afterwards)',
    async (_, headers) => {
      const user = await api.cookieUser();
      const refused = await api.refreshByCookie(user.cookie, headers);
      expectForbidden(refused);
      await api.expectSessionActive(sidOf(user.accessToken));
      // Not rotated (with no grace window, a rotated token presented again would be reuse), not revoked.
      await api.rotate(user.cookie);
    },
  );

  it.each(refusedHeaders)('logout by cookie with %s → 403, the session lives on', async (_, headers) => {
    const user = await api.cookieUser();
    const refused = await api.logout(user.accessToken, { cookie: user.cookie, headers });
    expectForbidden(refused);
    await api.expectSessionActive(sidOf(user.accessToken));
    await api.rotate(user.cookie);
  });

  it('a body refreshToken is used as before: the cookie is not rotated by it', async () => {
    const user = await api.cookieUser();
    const other = await api.cookieLogin(user.email);
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: { ...FROM_APP, cookie: `refresh_token=${other.cookie}` },
      payload: { refreshToken: user.cookie },
    });
    expectStatus(response, 200);
    expectNoCookie(response);
    await api.rotate(other.cookie);
  });
});

describe('cookie mode: logout, logout-all and DELETE /auth/me', () => {
  const ctx = useTestApp({ corsOrigins: [ORIGIN] });
  const api = browser(() => ctx.app);

  it('logout by cookie revokes the cookie’s session (not the access token’s) and clears the cookie', async () => {
    const user = await api.cookieUser();
    const second = await api.cookieLogin(user.email);
    const response = await api.logout(user.accessToken, { cookie: second.cookie });
    expectStatus(response, 204);
    expectCookieCleared(response);
    await api.expectSessionRevoked(sidOf(second.accessToken));
    await api.expectSessionActive(sidOf(user.accessToken));
    const dead = await api.refreshByCookie(second.cookie);
    expectStatus(dead, 401);
  });

  it('logout by its own session’s cookie ends that session', async () => {
    const user = await api.cookieUser();
    const response = await api.logout(user.accessToken, { cookie: user.cookie });
    expectStatus(response, 204);
    expectCookieCleared(response);
    await api.expectSessionRevoked(sidOf(user.accessToken));
    // Retried after a lost reply: still 204, and still clears.
    const retried = await api.logout(user.accessToken, { cookie: user.cookie });
    expectStatus(retried, 204);
    expectCookieCleared(retried);
  });

  it('another user’s cookie never touches that user’s session', async () => {
    const a = await api.cookieUser();
    const b = await api.cookieUser();
    const response = await api.logout(a.accessToken, { cookie: b.cookie });
    // The cookie is not A's: as with a body token that is not the caller's, A's current session ends.
    expectStatus(response, 204);
    await api.expectSessionActive(sidOf(b.accessToken));
    await api.expectSessionRevoked(sidOf(a.accessToken));
    await api.rotate(b.cookie);
    expectStatus(await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(b.accessToken) }), 200);
  });

  it('a body refreshToken takes precedence over the cookie', async () => {
    const user = await api.cookieUser();
    const second = await api.cookieLogin(user.email);
    const third = await api.cookieLogin(user.email);
    // Without the app's headers: the cookie is not read at all.
    const response = await api.logout(user.accessToken, { cookie: third.cookie, headers: {}, payload: { refreshToken: second.cookie } });
    expectStatus(response, 204);
    await api.expectSessionRevoked(sidOf(second.accessToken));
    await api.expectSessionActive(sidOf(third.accessToken));
    await api.expectSessionActive(sidOf(user.accessToken));
    await api.rotate(third.cookie);
  });

  it('without a body token or a cookie, logout ends the access token’s session and still clears the cookie', async () => {
    const user = await api.cookieUser();
    for (const headers of [{}, FROM_APP]) {
      const session = await api.cookieLogin(user.email);
      const response = await api.logout(session.accessToken, { headers });
      expectStatus(response, 204);
      expectCookieCleared(response);
      await api.expectSessionRevoked(sidOf(session.accessToken));
    }
    await api.expectSessionActive(sidOf(user.accessToken));
  });

  it('logout by cookie without an access token → 401, nothing changes', async () => {
    const user = await api.cookieUser();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...FROM_APP, cookie: `refresh_token=${user.cookie}` },
    });
    expectStatus(response, 401);
    await api.expectSessionActive(sidOf(user.accessToken));
  });

  it('logout-all clears the cookie, and the cookie no longer refreshes', async () => {
    const user = await api.cookieUser();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/auth/logout-all',
      headers: { ...FROM_APP, ...bearer(user.accessToken), cookie: `refresh_token=${user.cookie}` },
    });
    expectStatus(response, 204);
    expectCookieCleared(response);
    const dead = await api.refreshByCookie(user.cookie);
    expectStatus(dead, 401);
    expectCookieCleared(dead);
  });

  it('DELETE /auth/me clears the cookie', async () => {
    const user = await api.cookieUser();
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: '/auth/me',
      headers: { ...FROM_APP, ...bearer(user.accessToken), cookie: `refresh_token=${user.cookie}` },
      payload: { password: PASSWORD },
    });
    expectStatus(response, 204);
    expectCookieCleared(response);
    const dead = await api.refreshByCookie(user.cookie);
    expectStatus(dead, 401);
  });
});

describe('cookie mode: SESSION_MAX_DAYS caps the cookie like the token', () => {
  const ctx = useTestApp({ corsOrigins: [ORIGIN], sessionMaxDays: 1 });
  const api = browser(() => ctx.app);

  it('Max-Age is the seconds until the token’s exp: about one day, also after a rotation', async () => {
    const email = uniqueEmail('capped');
    const signup = await api.signup({ email, password: PASSWORD, useCookie: true });
    expectStatus(signup, 201);
    const cookie = expectCookieSet(signup, ONE_DAY);
    const rotated = await api.refreshByCookie(cookie);
    expectStatus(rotated, 200);
    expectCookieSet(rotated, ONE_DAY);
  });
});

describe('cookie mode: CORS', () => {
  const preflight = (app: FastifyInstance, origin: string, url = '/auth/refresh') =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-requested-with' },
    });
  const allowedHeaders = (response: LightMyRequestResponse) =>
    (response.headers['access-control-allow-headers'] ?? '').split(',').map((header) => header.trim().toLowerCase());

  async function withApp(overrides: Partial<AppConfig>, test: (app: FastifyInstance) => Promise<void>): Promise<void> {
    const built = await buildTestApp(overrides);
    try {
      await test(built.app);
    } finally {
      await built.close();
    }
  }

  it('a listed origin gets Access-Control-Allow-Credentials: true, on preflights and requests; the preflight allows x-requested-with', async () => {
    await withApp({ env: 'production', corsOrigins: [ORIGIN, 'https://other-app.example.com'] }, async (app) => {
      const allowed = await preflight(app, ORIGIN);
      expectStatus(allowed, 204);
      expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(allowedHeaders(allowed)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-requested-with']));

      const request = await app.inject({ method: 'POST', url: '/auth/refresh', headers: FROM_APP });
      expect(request.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(request.headers['access-control-allow-credentials']).toBe('true');

      for (const origin of [OTHER_ORIGIN, `${ORIGIN}/`, ORIGIN.toUpperCase()]) {
        const denied = await preflight(app, origin);
        expect(denied.headers['access-control-allow-origin'], origin).toBeUndefined();
        expect(denied.headers['access-control-allow-credentials'], origin).toBeUndefined();
        const deniedRequest = await app.inject({ method: 'GET', url: '/health', headers: { origin } });
        expect(deniedRequest.headers['access-control-allow-credentials'], origin).toBeUndefined();
      }
    });
  });

  it('no credentials for the any-origin of development (no CORS_ORIGINS), nor for CORS_ORIGINS=*', async () => {
    for (const overrides of [
      { env: 'development', corsOrigins: [] },
      { env: 'production', corsOrigins: ['*'] },
    ] satisfies Partial<AppConfig>[]) {
      await withApp(overrides, async (app) => {
        const allowed = await preflight(app, 'http://localhost:5173');
        expect(allowed.headers['access-control-allow-origin'], JSON.stringify(overrides)).toBeDefined();
        expect(allowed.headers['access-control-allow-credentials'], JSON.stringify(overrides)).toBeUndefined();
        expect(allowedHeaders(allowed)).toContain('x-requested-with');
        const request = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
        expect(request.headers['access-control-allow-origin'], JSON.stringify(overrides)).toBeDefined();
        expect(request.headers['access-control-allow-credentials'], JSON.stringify(overrides)).toBeUndefined();
      });
    }
  });

  it('in development any-origin mode, no origin may use the cookie (403)', async () => {
    await withApp({ env: 'development', corsOrigins: [] }, async (app) => {
      const user = await signUp(app);
      const response = await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        headers: { origin: 'http://localhost:5173', 'x-requested-with': 'fetch', cookie: `refresh_token=${user.refreshToken}` },
      });
      expectForbidden(response);
    });
  });
});
