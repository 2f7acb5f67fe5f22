/**
 * GET /metrics: Prometheus's text format, parsed, for its bearer token only; for anyone else the 404
 * of an unknown URL. Requests by route pattern and status, the database pool, the bcrypt threads, the
 * email queue and rate-limit rejections; no token, id or address in it or in the logs.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loggerOptions } from '../../src/http/logger.js';
import { buildTestApp, testConfig, useTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, signUp } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';
import { parsePrometheusText, sampleValue, type MetricFamily } from '../helpers/prometheus.js';

const TOKEN = `metrics-${randomBytes(24).toString('base64url')}`;

/** An address of its own for each client, so that no test runs into another's rate limit. */
const freshIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function scrape(app: FastifyInstance): Promise<Map<string, MetricFamily>> {
  const response = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN), remoteAddress: freshIp() });
  expect(response.statusCode).toBe(200);
  return parsePrometheusText(response.body);
}

/** Requests counted for this method, route pattern and status (the histogram's `_count`), 0 when none yet. */
const requestCount = (families: Map<string, MetricFamily>, method: string, route: string, status: number) =>
  sampleValue(families, 'http_request_duration_seconds_count', { method, route, status_code: String(status) }) ?? 0;

describe('GET /metrics', () => {
  const { stream, lines } = logCapture();
  // The production logger configuration, at the most verbose level, into memory.
  const logger = { ...(loggerOptions({ env: 'production', logLevel: 'trace' }) as object), stream };
  const ctx = useTestApp({ metricsToken: TOKEN }, { logger });

  it('serves the text format to its bearer token: every family with HELP and TYPE, the expected ones present', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const families = parsePrometheusText(response.body);
    for (const family of families.values()) {
      expect(family.help, family.name).not.toBe('');
      expect(family.type, family.name).not.toBe('untyped');
    }
    const types = Object.fromEntries([...families.values()].map(({ name, type }) => [name, type]));
    expect(types).toMatchObject({
      http_request_duration_seconds: 'histogram',
      db_pool_connections: 'gauge',
      db_pool_connections_idle: 'gauge',
      db_pool_connections_max: 'gauge',
      db_pool_waiting_queries: 'gauge',
      bcrypt_threads: 'gauge',
      bcrypt_threads_busy: 'gauge',
      bcrypt_queue_size: 'gauge',
      email_queue_waiting: 'gauge',
      email_queue_failed: 'gauge',
      rate_limit_rejections_total: 'counter',
      overloaded: 'gauge',
      overload_rejections_total: 'counter',
      // Node's default metrics.
      process_cpu_user_seconds_total: 'counter',
      nodejs_eventloop_lag_seconds: 'gauge',
    });
    expect(sampleValue(families, 'overloaded')).toBe(0);
  });

  it('accepts the scheme in any case, and refuses the token with a character added', async () => {
    const lower = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.statusCode).toBe(200);
    const longer = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${TOKEN}x`) });
    expect(longer.statusCode).toBe(404);
  });

  it('counts requests and their duration by route pattern, method and status', async () => {
    const user = await signUp(ctx.app);
    const headers = bearer(user.accessToken);
    const habit = (await ctx.app.inject({ method: 'POST', url: '/habits', headers, payload: { name: 'Read' } })).json<{ id: string }>();
    const missing = randomUUID();
    const before = await scrape(ctx.app);

    for (let i = 0; i < 3; i++) expect((await ctx.app.inject({ method: 'GET', url: `/habits/${habit.id}`, headers })).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await ctx.app.inject({ method: 'GET', url: `/habits/${missing}`, headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/habits/${habit.id}` })).statusCode).toBe(401);
    const after = await scrape(ctx.app);

    expect(requestCount(after, 'GET', '/habits/:id', 200) - requestCount(before, 'GET', '/habits/:id', 200)).toBe(3);
    expect(requestCount(after, 'GET', '/habits/:id', 404) - requestCount(before, 'GET', '/habits/:id', 404)).toBe(2);
    expect(requestCount(after, 'GET', '/habits/:id', 401) - requestCount(before, 'GET', '/habits/:id', 401)).toBe(1);
    const labels = { method: 'GET', route: '/habits/:id', status_code: '200' };
    const sum = (families: Map<string, MetricFamily>) => sampleValue(families, 'http_request_duration_seconds_sum', labels) ?? 0;
    expect(sum(after)).toBeGreaterThan(sum(before));
    // Cumulative buckets, the last (+Inf) being the count.
    const buckets = after
      .get('http_request_duration_seconds')!
      .samples.filter((sample) => sample.name === 'http_request_duration_seconds_bucket')
      .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
    expect(buckets.map((bucket) => bucket.value)).toEqual([...buckets.map((bucket) => bucket.value)].sort((a, b) => a - b));
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: requestCount(after, 'GET', '/habits/:id', 200) });
    // Patterns, never the URLs: no id appears.
    const routes = new Set(after.get('http_request_duration_seconds')!.samples.map((sample) => sample.labels.route ?? ''));
    expect([...routes].filter((route) => route.includes(habit.id) || route.includes(missing))).toEqual([]);
  });

  it('labels a request that matches no route `unmatched`, never with its URL', async () => {
    const path = `/no-such-route-${randomBytes(6).toString('hex')}`;
    const before = await scrape(ctx.app);

    expect((await ctx.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    const response = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });

    expect(requestCount(parsePrometheusText(response.body), 'GET', 'unmatched', 404) - requestCount(before, 'GET', 'unmatched', 404)).toBe(
      1,
    );
    expect(response.body).not.toContain(path);
  });

  it('shows the database pool', async () => {
    await ctx.app.inject({ method: 'GET', url: '/health' });
    const families = await scrape(ctx.app);

    expect(sampleValue(families, 'db_pool_connections_max')).toBe(10);
    expect(sampleValue(families, 'db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'db_pool_connections_idle')).toBeLessThanOrEqual(sampleValue(families, 'db_pool_connections')!);
    // The scrape's own count of the email queue may be waiting for a connection.
    expect(sampleValue(families, 'db_pool_waiting_queries')).toBeGreaterThanOrEqual(0);
  });

  it('shows the bcrypt threads and their queue', async () => {
    // The threads start with a hash (and stop after 10 s without one): a sign-up makes one.
    await signUp(ctx.app);
    const families = await scrape(ctx.app);

    expect(sampleValue(families, 'bcrypt_threads')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'bcrypt_threads')).toBeLessThanOrEqual(availableParallelism());
    expect(sampleValue(families, 'bcrypt_threads_busy')).toBe(0);
    expect(sampleValue(families, 'bcrypt_queue_size')).toBe(0);
  });

  it('shows the email queues once they run, and counts an email kept in email-failed', async () => {
    // The queue starts in the background once the app is ready (and a scrape leaves out counts that
    // take over a second, as they may on a loaded machine).
    const failed = async () => {
      for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
        const families = await scrape(ctx.app);
        const count = sampleValue(families, 'email_queue_failed');
        if (count !== undefined) {
          expect(sampleValue(families, 'email_queue_waiting', { queue: 'email' })).toBeGreaterThanOrEqual(0);
          expect(sampleValue(families, 'email_queue_waiting', { queue: 'email-request' })).toBeGreaterThanOrEqual(0);
          return count;
        }
        if (Date.now() > deadline) throw new Error('the email queue never showed in the metrics');
      }
    };
    const before = await failed();

    // A dead letter, as the last retry of an email leaves one: no worker takes it.
    await ctx.app.jobQueue.send('email-failed', { message: { kind: 'test' } });

    expect(await failed()).toBe(before + 1);
  });

  it('carries no token, email address or id', async () => {
    const user = await signUp(ctx.app);
    await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(user.accessToken) });
    const response = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });

    for (const secret of [TOKEN, user.accessToken, user.refreshToken, user.email, user.user.id])
      expect(response.body).not.toContain(secret);
  });

  it('never writes the token to the logs', async () => {
    lines.length = 0;
    await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
    await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${TOKEN.slice(0, -1)}!`) });
    await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: TOKEN } });

    expect(lines.length).toBeGreaterThanOrEqual(3);
    const output = lines.join('');
    expect(output).toContain('"route":"/metrics"');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(TOKEN.slice(8, 24));
  });
});

describe('GET /metrics without its token', () => {
  let withToken: TestApp;
  /** An app without METRICS_TOKEN, on the same database: there, /metrics is an unknown URL. */
  let without: TestApp;
  beforeAll(async () => {
    withToken = await buildTestApp({ metricsToken: TOKEN });
    without = await buildTestApp();
  });
  afterAll(async () => {
    await withToken.close();
    await without.close();
  });

  /** What a client can see of a reply: everything but the date. */
  const visible = ({ statusCode, headers, body }: LightMyRequestResponse) => ({
    statusCode,
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date')),
    body,
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', bearer(`${TOKEN.slice(0, -4)}abcd`)],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['the token without the Bearer scheme', { authorization: TOKEN }],
    ['the token as Basic credentials', { authorization: `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}` }],
    ['an access token', bearer('eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo')],
  ])('answers %s with the 404 of an unknown URL', async (_case, headers) => {
    for (const method of ['GET', 'HEAD'] as const) {
      // A new address each time: both apps then send the same rate-limit headers.
      const request = { method, url: '/metrics', headers, remoteAddress: freshIp() };
      const response = await withToken.app.inject(request);
      const unknown = await without.app.inject(request);

      expect(response.statusCode).toBe(404);
      expect(visible(response)).toEqual(visible(unknown));
    }
    expect((await withToken.app.inject({ method: 'GET', url: '/metrics', headers })).json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Route GET /metrics not found',
    });
  });

  it('is not registered when METRICS_TOKEN is unset, and is not in the OpenAPI document either way', async () => {
    expect(without.routes.filter((route) => route.path === '/metrics')).toEqual([]);
    expect((await without.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) })).statusCode).toBe(404);
    const document = (await withToken.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});

describe('rate-limit rejections in the metrics', () => {
  let app: FastifyInstance;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const base = testConfig(database.url);
    app = await buildApp({
      ...base,
      metricsToken: TOKEN,
      rateLimit: { ...base.rateLimit, global: { max: 3, windowSeconds: 60 }, loginPerIp: 1 },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const rejections = (families: Map<string, MetricFamily>, limit: string) =>
    sampleValue(families, 'rate_limit_rejections_total', { limit }) ?? 0;

  it('counts the rejections of each limit by its name', async () => {
    const before = await scrape(app);
    const ip = freshIp();
    const login = () =>
      app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: ip,
        payload: { email: 'nobody@example.com', password: 'wrong password' },
      });

    // The route's own limit (1 login per IP), then the global one (3 requests per IP).
    expect([(await login()).statusCode, (await login()).statusCode]).toEqual([401, 429]);
    const unknown = () => app.inject({ method: 'GET', url: '/no-such-route', remoteAddress: ip });
    expect([(await unknown()).statusCode, (await unknown()).statusCode]).toEqual([404, 429]);
    const after = await scrape(app);

    expect(rejections(after, '/auth/login') - rejections(before, '/auth/login')).toBe(1);
    expect(rejections(after, 'global') - rejections(before, 'global')).toBe(1);
    expect(requestCount(after, 'POST', '/auth/login', 429) - requestCount(before, 'POST', '/auth/login', 429)).toBe(1);
  });
});
