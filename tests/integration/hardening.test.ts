import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppConfig } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, signUp, uniqueEmail } from '../helpers/factories.js';
import { redisAvailable, TEST_REDIS_URL as REDIS_URL } from '../helpers/redis.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

/** An address no other run has used: counters in the shared Redis outlive a test run. */
const freshIp = () => `10.${randomInt(100, 250)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Log lines an app writes, and a promise for the first line containing some text. */
function logWatch() {
  const lines: string[] = [];
  let waiters: { text: string; found: () => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString();
      lines.push(line);
      const found = waiters.filter((waiter) => line.includes(waiter.text));
      waiters = waiters.filter((waiter) => !found.includes(waiter));
      for (const waiter of found) waiter.found();
      done();
    },
  });
  /** Resolves once a line written from now on contains `text`. */
  const next = (text: string) => new Promise<void>((found) => waiters.push({ text, found }));
  return { stream, lines, next };
}

const REDIS_DOWN = 'Redis unavailable: rate limits count in this instance’s memory until it is back';
const REDIS_BACK = 'Redis is back: rate limits are shared again';

describe('production hardening', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  /** An app on the shared test database with some limits lowered. */
  async function appWith(overrides: Partial<AppConfig> = {}, limits: Partial<AppConfig['rateLimit']> = {}) {
    const base = testConfig(database.url);
    const app = await buildApp({ ...base, ...overrides, rateLimit: { ...base.rateLimit, ...limits } });
    await app.ready();
    return app;
  }
  const login = (app: Awaited<ReturnType<typeof appWith>>, email: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/auth/login', remoteAddress, payload: { email, password: 'wrong password' } });

  describe('rate limits', () => {
    it('limit logins per client IP with 429, Retry-After and the rate-limit headers', async () => {
      const app = await appWith({}, { loginPerIp: 3 });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await login(app, uniqueEmail(), '10.1.1.1')).statusCode);
        expect(statuses).toEqual([401, 401, 401, 429]);
        const limited = await login(app, uniqueEmail(), '10.1.1.1');
        expect(limited.statusCode).toBe(429);
        expect(limited.json()).toEqual({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringMatching(/^Too many requests: retry in \d+ s$/),
        });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(limited.headers['x-ratelimit-limit']).toBe('3');
        expect(limited.headers['x-ratelimit-remaining']).toBe('0');
        expect((await login(app, uniqueEmail(), '10.1.1.2')).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it.each([
      [
        'signup',
        { signupPerIp: 2 },
        (i: number) => ({
          method: 'POST' as const,
          url: '/auth/signup',
          payload: { email: uniqueEmail(`s${i}`), password: 'correct horse battery' },
        }),
      ],
      ['refresh', { refreshPerIp: 2 }, () => ({ method: 'POST' as const, url: '/auth/refresh', payload: { refreshToken: 'not.a.token' } })],
    ])('limit %s per client IP', async (_name, limits, makeRequest) => {
      const app = await appWith({}, limits);
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await app.inject({ ...makeRequest(i), remoteAddress: '10.3.0.1' })).statusCode);
        expect(statuses[2]).toBe(429);
        expect(statuses.slice(0, 2)).not.toContain(429);
      } finally {
        await app.close();
      }
    });

    it('limit change-password and account deletion per user', async () => {
      const app = await appWith({}, { accountPerUser: 2 });
      try {
        const user = await signUp(app);
        const attempt = (url: string, payload: object) =>
          app.inject({ method: url === '/auth/me' ? 'DELETE' : 'POST', url, headers: bearer(user.accessToken), payload });
        expect(
          (await attempt('/auth/change-password', { currentPassword: 'wrong password', newPassword: 'new password 1' })).statusCode,
        ).toBe(401);
        expect(
          (await attempt('/auth/change-password', { currentPassword: 'wrong password', newPassword: 'new password 1' })).statusCode,
        ).toBe(401);
        expect((await attempt('/auth/change-password', { currentPassword: user.password, newPassword: 'new password 1' })).statusCode).toBe(
          429,
        );
        expect((await attempt('/auth/me', { password: 'wrong' })).statusCode).toBe(401);
        const other = await signUp(app);
        const otherAttempt = await app.inject({
          method: 'POST',
          url: '/auth/change-password',
          headers: bearer(other.accessToken),
          payload: { currentPassword: 'wrong password', newPassword: 'new password 1' },
        });
        expect(otherAttempt.statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it('apply a global limit per IP to other routes, but never to /health', async () => {
      const app = await appWith({}, { global: { max: 3, windowSeconds: 60 } });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await app.inject({ method: 'GET', url: '/docs/json', remoteAddress: '10.4.0.1' })).statusCode);
        expect(statuses).toEqual([200, 200, 200, 429]);
        for (let i = 0; i < 5; i++)
          expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.4.0.1' })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    });

    it('key limits on X-Forwarded-For when TRUST_PROXY is set, and ignore it otherwise', async () => {
      const trusting = await appWith({ trustProxy: true }, { loginPerIp: 1 });
      const untrusting = await appWith({ trustProxy: false }, { loginPerIp: 1 });
      try {
        const viaProxy = (app: typeof trusting, client: string) =>
          app.inject({
            method: 'POST',
            url: '/auth/login',
            headers: { 'x-forwarded-for': client },
            payload: { email: uniqueEmail(), password: 'x' },
          });
        expect((await viaProxy(trusting, '203.0.113.1')).statusCode).toBe(401);
        expect((await viaProxy(trusting, '203.0.113.2')).statusCode).toBe(401);
        expect((await viaProxy(untrusting, '203.0.113.1')).statusCode).toBe(401);
        expect((await viaProxy(untrusting, '203.0.113.2')).statusCode).toBe(429);
      } finally {
        await trusting.close();
        await untrusting.close();
      }
    });

    it('count requests that fail authentication against the global limit, before authenticating them', async () => {
      const app = await appWith({}, { global: { max: 20, windowSeconds: 60 } });
      try {
        const statuses = [];
        for (let i = 0; i < 30; i++) {
          const url = i % 2 === 0 ? '/habits' : '/auth/me';
          statuses.push((await app.inject({ method: 'GET', url, remoteAddress: '10.5.0.1', headers: bearer('not.a.token') })).statusCode);
        }
        expect(statuses).toEqual([...Array<number>(20).fill(401), ...Array<number>(10).fill(429)]);
      } finally {
        await app.close();
      }
    });

    it('keep each route’s own stricter limit under the global one', async () => {
      const app = await appWith({}, { global: { max: 20, windowSeconds: 60 }, loginPerIp: 3, accountPerUser: 2 });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await login(app, uniqueEmail(), '10.5.0.2')).statusCode);
        expect(statuses).toEqual([401, 401, 401, 429]);
        expect((await login(app, uniqueEmail(), '10.5.0.2')).headers['x-ratelimit-limit']).toBe('3');

        const user = await signUp(app);
        const changePassword = () =>
          app.inject({
            method: 'POST',
            url: '/auth/change-password',
            headers: bearer(user.accessToken),
            payload: { currentPassword: 'wrong password', newPassword: 'new password 1' },
          });
        expect([(await changePassword()).statusCode, (await changePassword()).statusCode, (await changePassword()).statusCode]).toEqual([
          401, 401, 429,
        ]);
      } finally {
        await app.close();
      }
    });

    it('remember a client’s count however many other clients come meanwhile (10,000)', async () => {
      const app = await appWith({}, { refreshPerIp: 2 });
      try {
        const refresh = (remoteAddress: string) =>
          app.inject({ method: 'POST', url: '/auth/refresh', remoteAddress, payload: { refreshToken: 'not.a.token' } });
        expect((await refresh('10.6.0.1')).statusCode).toBe(401);
        expect((await refresh('10.6.0.1')).statusCode).toBe(401);
        for (let batch = 0; batch < 100; batch++) {
          const others = await Promise.all(Array.from({ length: 100 }, (_, i) => refresh(`10.7.${batch}.${i + 1}`)));
          for (const response of others) expect(response.statusCode).toBe(401);
        }
        expect((await refresh('10.6.0.1')).statusCode).toBe(429);
      } finally {
        await app.close();
      }
    });

    it.runIf(redisAvailable)('share the counters between instances through Redis', async () => {
      const limits = { loginPerIp: 2 };
      const first = await appWith({ redisUrl: REDIS_URL }, limits);
      const second = await appWith({ redisUrl: REDIS_URL }, limits);
      try {
        const client = freshIp();
        expect((await login(first, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(second, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(first, uniqueEmail(), client)).statusCode).toBe(429);
        expect((await login(second, uniqueEmail(), client)).statusCode).toBe(429);
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('keep enforcing the limits, in memory, when Redis is unreachable, and say so in the log', async () => {
      const log = logWatch();
      const app = await buildApp(
        { ...testConfig(database.url), redisUrl: 'redis://127.0.0.1:1', rateLimit: { ...testConfig('x').rateLimit, loginPerIp: 2 } },
        { logger: { level: 'warn', stream: log.stream } },
      );
      await app.ready();
      try {
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await login(app, uniqueEmail())).statusCode);
        expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
        expect(log.lines.filter((line) => line.includes(REDIS_DOWN))).toHaveLength(1);
      } finally {
        await app.close();
      }
    });

    it.runIf(redisAvailable)('count in memory while Redis is away, and in Redis again once it is back', async () => {
      const proxy = await startTcpProxy(REDIS_URL);
      const log = logWatch();
      const limits = { ...testConfig('x').rateLimit, loginPerIp: 2 };
      const viaProxy = await buildApp(
        { ...testConfig(database.url), redisUrl: proxy.url, rateLimit: limits },
        { logger: { level: 'info', stream: log.stream } },
      );
      const direct = await appWith({ redisUrl: REDIS_URL }, limits);
      await viaProxy.ready();
      try {
        // Redis up: one count for both instances.
        let client = freshIp();
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(direct, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(429);

        // Redis away: this instance counts alone, and still limits.
        const down = log.next(REDIS_DOWN);
        proxy.cut();
        await down;
        client = freshIp();
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(429);
        expect((await login(direct, uniqueEmail(), client)).statusCode).toBe(401);

        // Redis back: one count for both instances again.
        const back = log.next(REDIS_BACK);
        proxy.restore();
        await back;
        client = freshIp();
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(direct, uniqueEmail(), client)).statusCode).toBe(401);
        expect((await login(viaProxy, uniqueEmail(), client)).statusCode).toBe(429);
        expect(log.lines.filter((line) => line.includes(REDIS_DOWN))).toHaveLength(1);
        expect(log.lines.filter((line) => line.includes(REDIS_BACK))).toHaveLength(1);
      } finally {
        proxy.restore();
        await viaProxy.close();
        await direct.close();
        await proxy.close();
      }
    });
  });

  describe('bodies', () => {
    it('answer 413 for an auth body over 16 KiB and for any body over 1 MiB', async () => {
      const app = await appWith();
      try {
        const user = await signUp(app);
        const bigAuth = await app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: 'a@example.com', password: 'x'.repeat(17 * 1024) },
        });
        expect(bigAuth.statusCode).toBe(413);
        expect(bigAuth.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
        const okHabit = await app.inject({
          method: 'POST',
          url: '/habits',
          headers: bearer(user.accessToken),
          payload: { name: 'Big', note: 'n'.repeat(100 * 1024) },
        });
        expect(okHabit.statusCode).toBe(201);
        const bigHabit = await app.inject({
          method: 'POST',
          url: '/habits',
          headers: bearer(user.accessToken),
          payload: { name: 'x', description: 'd'.repeat(1024 * 1024) },
        });
        expect(bigHabit.statusCode).toBe(413);
      } finally {
        await app.close();
      }
    });

    it('answer 415 for a body that is not JSON', async () => {
      const app = await appWith();
      try {
        const response = await app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'email=a&password=b',
        });
        expect(response.statusCode).toBe(415);
        expect(response.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      } finally {
        await app.close();
      }
    });
  });

  describe('headers', () => {
    it('set security headers suited to a JSON API', async () => {
      const app = await appWith();
      try {
        const response = await app.inject({ method: 'GET', url: '/health' });
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['content-security-policy']).toContain("default-src 'none'");
        expect(response.headers['strict-transport-security']).toBeDefined();
        expect(response.headers['x-powered-by']).toBeUndefined();
      } finally {
        await app.close();
      }
    });

    it('answer CORS preflights for allowed origins (with credentials), naming authorization, content-type and x-requested-with', async () => {
      const app = await appWith({ env: 'production', corsOrigins: ['https://app.example.com'] });
      try {
        const preflight = (origin: string) =>
          app.inject({
            method: 'OPTIONS',
            url: '/habits',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'authorization,content-type,x-requested-with',
            },
          });
        const allowed = await preflight('https://app.example.com');
        expect(allowed.statusCode).toBe(204);
        expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
        expect(
          String(allowed.headers['access-control-allow-headers'])
            .split(',')
            .map((h) => h.trim()),
        ).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-requested-with']));
        // Cookie mode: the listed origins, and only they, may send credentials.
        expect(allowed.headers['access-control-allow-credentials']).toBe('true');
        const denied = await preflight('https://evil.example.com');
        expect(denied.headers['access-control-allow-origin']).toBeUndefined();
        expect(denied.headers['access-control-allow-credentials']).toBeUndefined();
      } finally {
        await app.close();
      }
    });

    it('allow any origin in development when none is configured, without credentials', async () => {
      const app = await appWith({ env: 'development', corsOrigins: [] });
      try {
        const response = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
        expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      } finally {
        await app.close();
      }
    });
  });

  describe('an unavailable database', () => {
    it('gives 503 JSON within DATABASE_TIMEOUT_MS when it stops answering, and recovers', async () => {
      const proxy = await startTcpProxy(database.url);
      const app = await appWith({ databaseUrl: proxy.url, databaseTimeoutMs: 500 });
      try {
        const user = await signUp(app);
        expect((await app.inject({ method: 'GET', url: '/habits', headers: bearer(user.accessToken) })).statusCode).toBe(200);

        proxy.setDelay(10_000);
        const startedAt = Date.now();
        const hung = await app.inject({
          method: 'POST',
          url: '/habits',
          headers: bearer(user.accessToken),
          payload: { name: 'During outage' },
        });
        expect(hung.statusCode).toBe(503);
        expect(hung.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Service temporarily unavailable' });
        expect(Date.now() - startedAt).toBeLessThan(5_000);

        proxy.setDelay(0);
        proxy.cut();
        const refused = await app.inject({ method: 'GET', url: '/habits', headers: bearer(user.accessToken) });
        expect(refused.statusCode).toBe(503);

        proxy.restore();
        expect((await app.inject({ method: 'GET', url: '/habits', headers: bearer(user.accessToken) })).statusCode).toBe(200);
      } finally {
        proxy.setDelay(0);
        proxy.restore();
        await app.close();
        await proxy.close();
      }
    });
  });
});
