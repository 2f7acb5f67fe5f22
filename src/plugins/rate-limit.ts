/**
 * Rate limits (@fastify/rate-limit): a generous global limit per client IP on every route but
 * /health, and strict per-route limits that the auth routes declare in `config.rateLimit`
 * (see src/routes/auth.ts). Counters live in memory, or in Redis when REDIS_URL is set, so that
 * every instance behind a load balancer shares them. If Redis fails, requests are let through
 * (fail open) and the log says so: an outage of the limiter must not become an outage of the API.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { RateLimits } from '../config/env.js';
import { AppError } from '../utils/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A preHandler allowing `max` requests per auth window for each value of `keyOf(request)`: for
     * limits keyed by a body field, which the onRequest-time route limits cannot see.
     */
    rateLimitBy: (name: string, max: number, keyOf: (request: FastifyRequest) => string) => preHandlerAsyncHookHandler;
  }
}

export interface RateLimitPluginOptions {
  limits: RateLimits;
  redisUrl: string | undefined;
}

class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, `Too many requests: retry in ${retryAfterSeconds} s`);
  }
}

export default fp<RateLimitPluginOptions>(
  async (fastify, { limits, redisUrl }) => {
    const redis = redisUrl ? await connectRedis(fastify, redisUrl) : undefined;

    // The limiter keys on request.ip, which Node reads from the socket. Once a socket closes, it
    // no longer knows its peer unless it was asked before: a client that hung up while its request
    // was being authenticated (the session check awaits the database) made the key generator throw.
    fastify.server.on('connection', (socket: Socket) => socket.remoteAddress);

    await fastify.register(fastifyRateLimit, {
      global: true,
      max: limits.global.max,
      timeWindow: limits.global.windowSeconds * 1000,
      ...(redis && { redis, nameSpace: 'habit-tracker:rate-limit:' }),
      skipOnError: true,
      // Load balancers poll it; it must never be limited.
      allowList: (request) => request.url === '/health',
      errorResponseBuilder: (_request, context) => new TooManyRequestsError(Math.ceil(context.ttl / 1000)),
    });

    fastify.decorate('rateLimitBy', (name: string, max: number, keyOf: (request: FastifyRequest) => string) => {
      const limiter = fastify.createRateLimit({
        max,
        timeWindow: limits.authWindowSeconds * 1000,
        keyGenerator: (request) => `${name}:${keyOf(request)}`,
      });
      return async (request: FastifyRequest, reply: FastifyReply) => {
        const result = await limiter(request);
        if (result.isAllowed || !result.isExceeded) return;
        reply.header('retry-after', result.ttlInSeconds);
        throw new TooManyRequestsError(result.ttlInSeconds);
      };
    });

    fastify.addHook('onClose', async () => {
      await redis?.quit().catch(() => undefined);
    });
  },
  { name: 'rate-limit' },
);

const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/**
 * A Redis client that fails fast while Redis is down (no queueing), and logs each change of state.
 * Start-up waits for it briefly, so limits hold from the first request when Redis is up.
 */
async function connectRedis(
  fastify: { log: { warn: (obj: object, msg: string) => void; info: (msg: string) => void } },
  url: string,
): Promise<Redis> {
  // Loaded only when configured: a process without Redis does not carry the client (~6 MB RSS).
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: REDIS_CONNECT_TIMEOUT_MS });
  let healthy = true;
  redis.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    fastify.log.warn({ err: error }, 'Redis unavailable: rate limits are not enforced until it is back');
  });
  redis.on('ready', () => {
    if (healthy) return;
    healthy = true;
    fastify.log.info('Redis is back: rate limits enforced again');
  });
  // An 'error' ends the wait too (once() rejects on it): then the limits fail open.
  const waiting = new AbortController();
  await Promise.race([
    once(redis, 'ready', { signal: waiting.signal }).catch(() => undefined),
    sleep(REDIS_CONNECT_TIMEOUT_MS, undefined, { signal: waiting.signal }).catch(() => undefined),
  ]);
  waiting.abort();
  return redis;
}
