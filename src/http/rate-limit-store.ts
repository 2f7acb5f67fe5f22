/**
 * The counter store of every rate limit (@fastify/rate-limit's `store` option): Redis while its
 * client is ready, so that instances share the counts, and this instance's memory otherwise, so
 * that limits never switch off while Redis is away. Back on Redis as soon as it is ready again.
 *
 * Both halves are @fastify/rate-limit's own stores (its fixed-window counting, its Lua script in
 * Redis). The package does not export them; they are required by path, and tests cover them
 * (tests/integration/hardening.test.ts). One memory store (one LRU) serves every limit, its keys
 * prefixed per route as in Redis, so the memory they take is bounded once, not once per limit.
 * None of our limits uses `continueExceeding` or `exponentialBackoff`, so the stores are built
 * without them.
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

interface Result {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Result) => void;
interface Counter {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
}

const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache: number,
) => Counter;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  nameSpace: string,
) => Counter;

export interface FallbackStoreOptions {
  /** Counters kept in memory, for all limits together; the least recently used go first. */
  cacheSize: number;
  redis?: Redis | undefined;
  /** Prefix of every Redis key. */
  nameSpace: string;
  /** Told when a count goes to memory (Redis not ready, or a command failed) and when one goes to Redis. */
  onRedisDown: (error?: Error) => void;
  onRedisUp: () => void;
}

/** A store class for @fastify/rate-limit's `store` option. */
export function fallbackStore(options: FallbackStoreOptions) {
  const memory = new LocalStore(false, false, options.cacheSize);
  const { redis } = options;
  const shared = redis && new RedisStore(false, false, redis, options.nameSpace);

  return class FallbackStore implements FastifyRateLimitStore {
    /** `_options`: the plugin passes its settings to the constructor; `prefix` is for child(). */
    constructor(
      _options?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      const prefixed = this.prefix + key;
      if (!redis || !shared) {
        memory.incr(prefixed, callback, timeWindow, max);
        return;
      }
      if (redis.status !== 'ready') {
        options.onRedisDown();
        memory.incr(prefixed, callback, timeWindow, max);
        return;
      }
      shared.incr(
        prefixed,
        (error, result) => {
          if (error) {
            options.onRedisDown(error);
            memory.incr(prefixed, callback, timeWindow, max);
            return;
          }
          options.onRedisUp();
          callback(null, result);
        },
        timeWindow,
        max,
      );
    }

    /**
     * A route's own limit: its own keys (the Redis ones as @fastify/rate-limit names them). The
     * plugin passes the route's merged settings with `routeInfo`, whatever its types say.
     */
    child(routeOptions: unknown): FastifyRateLimitStore {
      const { method = '', url = '' } = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo ?? {};
      return new FallbackStore(undefined, `${this.prefix}${method}${url}-`);
    }
  };
}
