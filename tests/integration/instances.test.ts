/**
 * Two real server processes on one database and one Redis, as behind a load balancer: tokens,
 * refresh rotation with reuse detection, session revocation and the login throttle all hold
 * across instances.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { uniqueEmail } from '../helpers/factories.js';
import { startServerProcess, stopLeftoverServers, type ServerProcess } from '../helpers/server-process.js';
import { redisAvailable, TEST_REDIS_URL } from '../helpers/redis.js';

const PASSWORD = 'correct horse battery';
/** The contract says 2 s; the poll interval and request latency get 500 ms on top. */
const LOGOUT_PROPAGATION_BOUND_MS = 2_500;
const POLL_INTERVAL_MS = 100;

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

async function signUpOn(baseUrl: string, email = uniqueEmail('instances')): Promise<Tokens & { email: string }> {
  const reply = await call(baseUrl, 'POST', '/auth/signup', { body: { email, password: PASSWORD } });
  expect(reply.status).toBe(201);
  return { email, ...(reply.body as Tokens) };
}

describe.runIf(redisAvailable)('two server instances sharing PostgreSQL and Redis', () => {
  let database: TestDatabase | undefined;
  const servers: ServerProcess[] = [];
  let instance1: string;
  let instance2: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REFRESH_REUSE_GRACE_SECONDS: '0',
      LOGIN_THROTTLE_FREE_ATTEMPTS: '2',
      RATE_LIMIT_MAX: '100000',
      LOGIN_RATE_LIMIT_PER_IP: '100000',
      SIGNUP_RATE_LIMIT_PER_IP: '100000',
      REFRESH_RATE_LIMIT_PER_IP: '100000',
    };
    servers.push(startServerProcess(env), startServerProcess(env));
    const [url1, url2] = await Promise.all(servers.map((server) => server.waitForListening()));
    instance1 = url1!;
    instance2 = url2!;
    for (const baseUrl of [instance1, instance2]) {
      expect((await call(baseUrl, 'GET', '/health')).status).toBe(200);
    }
    expect(instance1).not.toBe(instance2);
  });

  afterAll(async () => {
    try {
      for (const server of servers) server.child.kill('SIGTERM');
      const exits = await Promise.all(servers.map((server) => server.exited));
      for (const [index, exit] of exits.entries()) {
        expect(exit, `instance ${index + 1} output:\n${servers[index]!.output()}`).toEqual({ code: 0, signal: null });
      }
    } finally {
      await stopLeftoverServers();
      await database?.drop();
    }
  });

  it('accepts on instance 2 an access token issued by instance 1', async () => {
    const { email, accessToken } = await signUpOn(instance1);

    const me = await call(instance2, 'GET', '/auth/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email });
  });

  it('refuses on instance 2 a refresh token already rotated on instance 1, and revokes the session everywhere', async () => {
    const { refreshToken } = await signUpOn(instance1);

    const rotated = await call(instance1, 'POST', '/auth/refresh', { body: { refreshToken } });
    expect(rotated.status).toBe(200);
    const newRefreshToken = (rotated.body as Tokens).refreshToken;
    expect(newRefreshToken).not.toBe(refreshToken);

    const reused = await call(instance2, 'POST', '/auth/refresh', { body: { refreshToken } });
    expect(reused.status).toBe(401);

    // Reuse revoked the whole session: the newest refresh token stops on both instances.
    expect((await call(instance1, 'POST', '/auth/refresh', { body: { refreshToken: newRefreshToken } })).status).toBe(401);
    expect((await call(instance2, 'POST', '/auth/refresh', { body: { refreshToken: newRefreshToken } })).status).toBe(401);
  });

  it('stops on instance 2, within 2 s, an access token whose session was logged out on instance 1', async () => {
    const { accessToken } = await signUpOn(instance1);
    // Instance 2 now holds "this session is active" in its cache.
    expect((await call(instance2, 'GET', '/auth/me', { token: accessToken })).status).toBe(200);

    const logoutStartedAt = performance.now();
    expect((await call(instance1, 'POST', '/auth/logout', { token: accessToken })).status).toBe(204);
    // At once on the instance that handled the logout.
    expect((await call(instance1, 'GET', '/auth/me', { token: accessToken })).status).toBe(401);

    const deadline = logoutStartedAt + 2 * LOGOUT_PROPAGATION_BOUND_MS;
    let status = 0;
    let polls = 0;
    while (performance.now() < deadline) {
      status = (await call(instance2, 'GET', '/auth/me', { token: accessToken })).status;
      polls += 1;
      if (status !== 200) break;
      await sleep(POLL_INTERVAL_MS);
    }
    const elapsedMs = performance.now() - logoutStartedAt;
    console.log(`logout on instance 1 reached instance 2 after ${Math.round(elapsedMs)} ms (${polls} polls)`);

    expect(status).toBe(401);
    expect(elapsedMs).toBeLessThanOrEqual(LOGOUT_PROPAGATION_BOUND_MS);
  });

  it('shares the login throttle between instances (the counts live in PostgreSQL)', async () => {
    const { email } = await signUpOn(instance1);
    const wrongLogin = (baseUrl: string) => call(baseUrl, 'POST', '/auth/login', { body: { email, password: 'wrong password!' } });

    // LOGIN_THROTTLE_FREE_ATTEMPTS=2: each instance alone has seen one failure.
    expect((await wrongLogin(instance1)).status).toBe(401);
    expect((await wrongLogin(instance2)).status).toBe(401);

    const throttled = await wrongLogin(instance1);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect((await wrongLogin(instance2)).status).toBe(429);
    // A throttled attempt checks no password: the right one waits too.
    expect((await call(instance2, 'POST', '/auth/login', { body: { email, password: PASSWORD } })).status).toBe(429);
  });
});
