/**
 * GET /metrics, in Prometheus's text format (prom-client), served only when METRICS_TOKEN is set and
 * only to `Authorization: Bearer <METRICS_TOKEN>`: any other request for it gets the not-found
 * handler's 404, the reply of an unknown URL, so the route cannot be discovered. Without the token the
 * route does not exist and nothing is measured (no hook, no registry, and prom-client is not even loaded:
 * ~0.9 MB of heap).
 *
 * Each app has its own registry (tests build many apps in one process). It holds Node's default
 * process metrics, and:
 * - `http_request_duration_seconds` (histogram; its `_count` counts requests) by `method`, `route`
 *   (the route's pattern, `/habits/:id`, never the URL; `unmatched` for a 404 without a route) and
 *   `status_code`, observed in one callback-style `onResponse` hook;
 * - the database pool: `db_pool_connections`, `db_pool_connections_idle`, `db_pool_connections_max`,
 *   `db_pool_waiting_queries`;
 * - the bcrypt threads: `bcrypt_threads`, `bcrypt_threads_busy`, `bcrypt_queue_size`;
 * - the email queue, read at each scrape while it runs: `email_queue_waiting` by queue (`email`,
 *   `email-request`), `email_queue_failed` (the emails kept in `email-failed` after their last retry);
 * - `rate_limit_rejections_total` by `limit` (src/plugins/rate-limit.ts), `overloaded` and
 *   `overload_rejections_total` (src/plugins/overload.ts).
 * Labels hold patterns and names only: no URL, id, address or token.
 *
 * `fastify.metrics` is there either way: plugins report events to it, and it ignores them when off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Gauge } from 'prom-client';
import type { QueueName } from '../jobs/queue.js';

export interface Metrics {
  /** A request refused by the rate limit `limit` (a quiet limit: served without doing its work). */
  rateLimited(limit: string): void;
  /** A request answered 503 because the server was overloaded. */
  overloadRejected(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface MetricsOptions {
  /** METRICS_TOKEN; unset: no GET /metrics, nothing measured. */
  token: string | undefined;
}

/** The route label of a request no route matched: never its URL, which a client chooses. */
export const UNMATCHED_ROUTE = 'unmatched';

/** A scrape waits this long at most for the email queue's counts; then it reports none. */
const EMAIL_QUEUE_TIMEOUT_MS = 1_000;

const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const OFF: Metrics = {
  rateLimited: () => undefined,
  overloadRejected: () => undefined,
};

/** Whether an Authorization header is `Bearer <token>`, compared in constant time (as digests: lengths differ). */
function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const given = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
    return given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
  };
}

type EmailQueueCounts = Record<QueueName, number> | undefined;

/** Sets a gauge without labels, or leaves its sample out (reset() alone would report 0). */
function setOrOmit(gauge: Gauge, value: number | undefined): void {
  if (value !== undefined) gauge.set(value);
  else gauge.remove();
}

export default fp<MetricsOptions>(
  async (fastify, { token }) => {
    if (token === undefined) {
      fastify.decorate('metrics', OFF);
      return;
    }
    const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = await import('prom-client');
    const registry = new Registry();
    const registers = [registry];
    collectDefaultMetrics({ register: registry });

    const requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request to the end of its reply, by route pattern, method and status (_count: requests)',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      requests.observe(
        { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status_code: reply.statusCode },
        reply.elapsedTime / 1000,
      );
      done();
    });

    const rateLimitRejections = new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused by a rate limit (429; for the quiet forgot-password limits, 202 without an email), by limit',
      labelNames: ['limit'] as const,
      registers,
    });
    const overloadRejections = new Counter({
      name: 'overload_rejections_total',
      help: 'Requests answered 503 because the event loop lagged past MAX_EVENT_LOOP_DELAY_MS',
      registers,
    });
    fastify.decorate('metrics', {
      rateLimited: (limit: string) => rateLimitRejections.inc({ limit }),
      overloadRejected: () => overloadRejections.inc(),
    } satisfies Metrics);

    // The gauges below read the app's parts when scraped: those are registered after this plugin. A
    // value not known is left out (a 0 would read as a change).
    const gauge = (name: string, help: string, read: (app: FastifyInstance) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          setOrOmit(this, read(fastify));
        },
      });
    const pool = (app: FastifyInstance) => (app.hasDecorator('pg') ? app.pg : undefined);
    gauge('db_pool_connections', 'Open connections of the database pool', (app) => pool(app)?.totalCount);
    gauge('db_pool_connections_idle', 'Open connections of the database pool not in use', (app) => pool(app)?.idleCount);
    gauge('db_pool_connections_max', 'The most connections the database pool opens', (app) => pool(app)?.options.max);
    gauge('db_pool_waiting_queries', 'Queries waiting for a connection of the database pool', (app) => pool(app)?.waitingCount);
    const bcrypt = (app: FastifyInstance) => (app.hasDecorator('passwords') ? app.passwords.load() : undefined);
    gauge('bcrypt_threads', 'Threads hashing passwords', (app) => bcrypt(app)?.threads);
    gauge('bcrypt_threads_busy', 'Threads hashing or verifying a password now', (app) => bcrypt(app)?.running);
    gauge('bcrypt_queue_size', 'Password hashes and verifications waiting for a thread', (app) => bcrypt(app)?.queued);
    gauge('overloaded', '1 while new requests get 503 because the event loop lags, else 0', (app) =>
      app.hasDecorator('isUnderPressure') ? Number(app.isUnderPressure()) : undefined,
    );

    // The email queue's counts are read once per scrape, by the route below, for both gauges.
    let emailCounts: Promise<EmailQueueCounts> = Promise.resolve(undefined);
    const readEmailQueue = async (): Promise<EmailQueueCounts> => {
      if (!fastify.hasDecorator('jobQueue')) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, EMAIL_QUEUE_TIMEOUT_MS, undefined);
      });
      try {
        return await Promise.race([fastify.jobQueue.waitingJobs(), timeout]);
      } catch (error) {
        // The database is unavailable: the scrape still answers, without these.
        fastify.log.debug({ err: error }, 'metrics: email queue not counted');
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    };
    new Gauge({
      name: 'email_queue_waiting',
      help: 'Jobs of the email queues waiting to run (queued, or waiting for a retry), by queue',
      labelNames: ['queue'] as const,
      registers,
      async collect() {
        const counts = await emailCounts;
        this.reset();
        if (counts) for (const queue of ['email', 'email-request'] as const) this.set({ queue }, counts[queue]);
      },
    });
    new Gauge({
      name: 'email_queue_failed',
      help: 'Emails that failed every retry, kept in the email-failed queue (14 days)',
      registers,
      async collect() {
        setOrOmit(this, (await emailCounts)?.['email-failed']);
      },
    });

    const authorized = bearerCheck(token);
    fastify.get(
      '/metrics',
      {
        // Not in the OpenAPI document: it is for the operators' scraper, and must not be discoverable.
        schema: { hide: true },
        // Still served while the server is overloaded, to its scraper (src/plugins/overload.ts).
        config: { servedWhileOverloaded: (request: FastifyRequest) => authorized(request.headers.authorization) },
      },
      async (request, reply) => {
        if (!authorized(request.headers.authorization)) return reply.callNotFound();
        emailCounts = readEmailQueue();
        const body = await registry.metrics();
        return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
      },
    );
  },
  { name: 'metrics' },
);
