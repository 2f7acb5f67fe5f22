import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppConfig } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, signUp, uniqueEmail } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';
import { redisAvailable, TEST_REDIS_URL as REDIS_URL } from '../helpers/redis.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';


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
        expect(limited.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^Too many requests: retry in \d+ s$/) });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(limited.headers['x-ratelimit-limit']).toBe('3');
        expect(limited.headers['x-ratelimit-remaining']).toBe('0');
        expect((await login(app, uniqueEmail(), '10.1.1.2')).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it('limit logins per email, whatever the number of IPs they come from', async () => {
      const app = await appWith({}, { loginPerEmail: 2 });
      try {
        const victim = uniqueEmail('victim');
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await login(app, victim, `10.2.0.${i + 1}`)).statusCode);
        expect(statuses).toEqual([401, 401, 429]);
        // Case and spaces do not make it another email.
        expect((await login(app, ` ${victim.toUpperCase()}`, '10.2.0.9')).statusCode).toBe(429);
        expect((await login(app, uniqueEmail(), '10.2.0.9')).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it.each([
      ['signup', { signupPerIp: 2 }, (i: number) => ({ method: 'POST' as const, url: '/auth/signup', payload: { email: uniqueEmail(`s${i}`), password: 'correct horse battery' } })],
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
        expect((await attempt('/auth/change-password', { currentPassword: 'wrong password', newPassword: 'new password 1' })).statusCode).toBe(401);
        expect((await attempt('/auth/change-password', { currentPassword: 'wrong password', newPassword: 'new password 1' })).statusCode).toBe(401);
        expect((await attempt('/auth/change-password', { currentPassword: user.password, newPassword: 'new password 1' })).statusCode).toBe(429);
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
        for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/docs/json', remoteAddress: '10.4.0.1' })).statusCode);
        expect(statuses).toEqual([200, 200, 200, 429]);
        for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.4.0.1' })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    });

    it('key limits on X-Forwarded-For when TRUST_PROXY is set, and ignore it otherwise', async () => {
      const trusting = await appWith({ trustProxy: true }, { loginPerIp: 1 });
      const untrusting = await appWith({ trustProxy: false }, { loginPerIp: 1 });
      try {
        const viaProxy = (app: typeof trusting, client: string) =>
          app.inject({ method: 'POST', url: '/auth/login', headers: { 'x-forwarded-for': client }, payload: { email: uniqueEmail(), password: 'x' } });
        expect((await viaProxy(trusting, '203.0.113.1')).statusCode).toBe(401);
        expect((await viaProxy(trusting, '203.0.113.2')).statusCode).toBe(401);
        expect((await viaProxy(untrusting, '203.0.113.1')).statusCode).toBe(401);
        expect((await viaProxy(untrusting, '203.0.113.2')).statusCode).toBe(429);
      } finally {
        await trusting.close();
        await untrusting.close();
      }
    });

    it.runIf(redisAvailable)('share the counters between instances through Redis', async () => {
      const prefix = { loginPerEmail: 2 };
      const first = await appWith({ redisUrl: REDIS_URL }, prefix);
      const second = await appWith({ redisUrl: REDIS_URL }, prefix);
      try {
        const email = `shared-${randomBytes(8).toString('hex')}@example.com`;
        expect((await login(first, email)).statusCode).toBe(401);
        expect((await login(second, email)).statusCode).toBe(401);
        expect((await login(first, email)).statusCode).toBe(429);
        expect((await login(second, email)).statusCode).toBe(429);
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('fail open when Redis is unreachable, and say so in the log', async () => {
      const { stream, lines } = logCapture();
      const app = await buildApp(
        { ...testConfig(database.url), redisUrl: 'redis://127.0.0.1:1', rateLimit: { ...testConfig('x').rateLimit, loginPerIp: 1 } },
        { logger: { level: 'warn', stream } },
      );
      await app.ready();
      try {
        for (let i = 0; i < 3; i++) expect((await login(app, uniqueEmail())).statusCode).toBe(401);
        expect(lines.join('')).toContain('Redis unavailable: rate limits are not enforced until it is back');
      } finally {
        await app.close();
      }
    });
  });

  describe('bodies', () => {
    it('answer 413 for an auth body over 16 KiB and for any body over 1 MiB', async () => {
      const app = await appWith();
      try {
        const user = await signUp(app);
        const bigAuth = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@example.com', password: 'x'.repeat(17 * 1024) } });
        expect(bigAuth.statusCode).toBe(413);
        expect(bigAuth.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
        const okHabit = await app.inject({ method: 'POST', url: '/habits', headers: bearer(user.accessToken), payload: { name: 'Big', note: 'n'.repeat(100 * 1024) } });
        expect(okHabit.statusCode).toBe(201);
        const bigHabit = await app.inject({ method: 'POST', url: '/habits', headers: bearer(user.accessToken), payload: { name: 'x', description: 'd'.repeat(1024 * 1024) } });
        expect(bigHabit.statusCode).toBe(413);
      } finally {
        await app.close();
      }
    });

    it('answer 415 for a body that is not JSON', async () => {
      const app = await appWith();
      try {
        const response = await app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a&password=b' });
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

    it('answer CORS preflights for allowed origins, naming authorization and content-type', async () => {
      const app = await appWith({ env: 'production', corsOrigins: ['https://app.example.com'] });
      try {
        const preflight = (origin: string) =>
          app.inject({
            method: 'OPTIONS',
            url: '/habits',
            headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
          });
        const allowed = await preflight('https://app.example.com');
        expect(allowed.statusCode).toBe(204);
        expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
        expect(String(allowed.headers['access-control-allow-headers']).split(',').map((h) => h.trim())).toEqual(
          expect.arrayContaining(['authorization', 'content-type']),
        );
        const denied = await preflight('https://evil.example.com');
        expect(denied.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await app.close();
      }
    });

    it('allow any origin in development when none is configured', async () => {
      const app = await appWith({ env: 'development', corsOrigins: [] });
      try {
        const response = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
        expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
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
        const hung = await app.inject({ method: 'POST', url: '/habits', headers: bearer(user.accessToken), payload: { name: 'During outage' } });
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
