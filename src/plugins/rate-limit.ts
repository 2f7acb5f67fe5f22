/**
 * Rate limits (@fastify/rate-limit): a generous global limit per client IP on every request but
 * /health, and strict per-route limits that the auth routes declare in `config.rateLimit`
 * (see src/routes/auth-options.ts). The global limit is a root `onRequest` hook, so it runs before the
 * protected scopes' `authenticate` hook: requests that fail authentication count too. Counters live
 * in memory, or in Redis when REDIS_URL is set, so that every instance behind a load balancer shares
 * them; while Redis is unreachable they fall back to this instance's memory (limits never switch
 * off), and the log says so once when that starts and once when Redis is back.
 * Failed logins are throttled separately, in PostgreSQL (src/services/login-throttle.service.ts).
 * Every rejection is counted in `rate_limit_rejections_total` by limit (src/plugins/metrics.ts): `global`,
 * a route's own limit by its URL, a `rateLimitBy` or `quietLimitBy` limit by its name.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { RateLimits } from '../config/env.js';
import { TooManyRequestsError } from '../utils/errors.js';
import { fallbackStore } from '../http/rate-limit-store.js';
import type { Metrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A preHandler allowing `max` requests per auth window for each value of `keyOf(request)`: for
     * limits keyed by a body field, which the onRequest-time route limits cannot see.
     */
    rateLimitBy: (name: string, max: number, keyOf: (request: FastifyRequest) => string) => preHandlerAsyncHookHandler;
    /**
     * A quiet limit: `max` requests per `windowSeconds` for each value of `keyOf(request)`. It counts
     * the request and answers whether it is within the limit, and never rejects it: for routes that
     * must answer the same either way (forgot-password), and simply do less beyond the limit.
     */
    quietLimitBy: (
      name: string,
      max: number,
      windowSeconds: number,
      keyOf: (request: FastifyRequest) => string,
    ) => (request: FastifyRequest) => Promise<boolean>;
  }
}

export interface RateLimitPluginOptions {
  limits: RateLimits;
  redisUrl: string | undefined;
}

/**
 * Counters kept in memory (every limit together; the least recently used go first), sized so that
 * an attacker needs that many client addresses to make one forgotten. About 22 MB when full
 * (~225 bytes a counter, measured), on top of the ~30 MB live heap that `npm start`'s 128 MB allows.
 */
const MEMORY_COUNTERS = 100_000;

type LimitResult = Awaited<ReturnType<ReturnType<FastifyInstance['createRateLimit']>>>;

/** Sets the rate-limit headers of `result`, and throws the 429 (counted as `limit`'s) when it is over its limit. */
function enforce(result: LimitResult, reply: FastifyReply, metrics: Metrics, limit: string): void {
  if (result.isAllowed) return;
  if (result.isExceeded) {
    metrics.rateLimited(limit);
    reply.header('x-ratelimit-limit', result.max).header('x-ratelimit-remaining', 0).header('x-ratelimit-reset', result.ttlInSeconds);
    throw new TooManyRequestsError(result.ttlInSeconds);
  }
  reply
    .header('x-ratelimit-limit', result.max)
    .header('x-ratelimit-remaining', result.remaining)
    .header('x-ratelimit-reset', result.ttlInSeconds);
}

export default fp<RateLimitPluginOptions>(
  async (fastify, { limits, redisUrl }) => {
    let redisUp = true;
    let closing = false;
    const onRedisDown = (error?: Error) => {
      if (!redisUp || closing) return;
      redisUp = false;
      fastify.log.warn({ err: error }, 'Redis unavailable: rate limits count in this instance’s memory until it is back');
    };
    const onRedisUp = () => {
      if (redisUp) return;
      redisUp = true;
      fastify.log.info('Redis is back: rate limits are shared again');
    };
    const redis = redisUrl ? await connectRedis(redisUrl, onRedisDown, onRedisUp) : undefined;

    // The limiter keys on request.ip, which Node reads from the socket. Once a socket closes, it
    // no longer knows its peer unless it was asked before: a client that hung up while its request
    // was being authenticated (the session check awaits the database) made the key generator throw.
    fastify.server.on('connection', (socket: Socket) => socket.remoteAddress);

    await fastify.register(fastifyRateLimit, {
      // Not on each route (that runs after the scopes' hooks, authenticate included): see below.
      global: false,
      max: limits.global.max,
      timeWindow: limits.global.windowSeconds * 1000,
      store: fallbackStore({ cacheSize: MEMORY_COUNTERS, redis, nameSpace: 'habit-tracker:rate-limit:', onRedisDown, onRedisUp }),
      // The store never fails (memory takes over from Redis): an error here is a bug, not an outage.
      skipOnError: false,
      // Load balancers poll it; it must never be limited.
      allowList: (request) => request.url === '/health',
      // Only the routes' own limits (config.rateLimit) get here: the others go through enforce().
      errorResponseBuilder: (request, context) => {
        fastify.metrics.rateLimited(request.routeOptions.url ?? 'route');
        return new TooManyRequestsError(Math.ceil(context.ttl / 1000));
      },
    });

    // The global limit, before every other hook of every route (and of unknown URLs). Through
    // createRateLimit rather than fastify.rateLimit(): the latter marks the request as limited, and
    // the route's own limit (config.rateLimit) would then be skipped.
    const globalLimit = fastify.createRateLimit();
    fastify.addHook('onRequest', async (request, reply) => {
      enforce(await globalLimit(request), reply, fastify.metrics, 'global');
    });

    fastify.decorate('rateLimitBy', (name: string, max: number, keyOf: (request: FastifyRequest) => string) => {
      const limiter = fastify.createRateLimit({
        max,
        timeWindow: limits.authWindowSeconds * 1000,
        keyGenerator: (request) => `${name}:${keyOf(request)}`,
      });
      return async (request: FastifyRequest, reply: FastifyReply) => {
        enforce(await limiter(request), reply, fastify.metrics, name);
      };
    });

    fastify.decorate('quietLimitBy', (name: string, max: number, windowSeconds: number, keyOf: (request: FastifyRequest) => string) => {
      const limiter = fastify.createRateLimit({
        max,
        timeWindow: windowSeconds * 1000,
        keyGenerator: (request) => `${name}:${keyOf(request)}`,
      });
      return async (request: FastifyRequest) => {
        const result = await limiter(request);
        // isAllowed: on the allow list, so never limited.
        if (result.isAllowed || !result.isExceeded) return true;
        fastify.metrics.rateLimited(name);
        return false;
      };
    });

    fastify.addHook('onClose', async () => {
      closing = true;
      await redis?.quit().catch(() => undefined);
    });
  },
  { name: 'rate-limit', dependencies: ['metrics'] },
);

const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** A Redis that accepts connections but stops answering costs each request this much, then memory counts. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * A Redis client that fails fast while Redis is down (no queueing), and reports each change of state.
 * Start-up waits for it briefly, so counts are shared from the first request when Redis is up.
 */
async function connectRedis(url: string, onDown: (error?: Error) => void, onUp: () => void): Promise<Redis> {
  // Loaded only when configured: a process without Redis does not carry the client (~6 MB RSS).
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  redis.on('error', (error: Error) => onDown(error));
  redis.on('close', () => onDown());
  redis.on('ready', onUp);
  // An 'error' ends the wait too (once() rejects on it): then counts start in memory.
  const waiting = new AbortController();
  await Promise.race([
    once(redis, 'ready', { signal: waiting.signal }).catch(() => undefined),
    sleep(REDIS_CONNECT_TIMEOUT_MS, undefined, { signal: waiting.signal }).catch(() => undefined),
  ]);
  waiting.abort();
  return redis;
}
