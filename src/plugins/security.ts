/**
 * Security headers (helmet's, tuned for a JSON API) and CORS. CORS allows the configured origins; in
 * development, with none configured, any origin. Preflights name `authorization`, `content-type` and
 * `x-requested-with` explicitly, since a `*` would not cover Authorization. Only the configured origins
 * get `Access-Control-Allow-Credentials: true` (cookie mode, plugins/refresh-cookie.ts), never the
 * any-origin of development.
 */
import fastifyCors from '@fastify/cors';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config/env.js';

/**
 * The headers helmet sets with `options`, worked out once by running its middleware against a
 * recording response. (@fastify/helmet rebuilds helmet's middleware, CSP parsing included, on
 * every request: a measurable share of a short request's CPU.)
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  // Helmet's middleware only sets and removes headers (none of our options depends on the request).
  const middleware = helmet(options) as unknown as (request: object, response: typeof recorder, next: () => void) => void;
  middleware({}, recorder, () => undefined);
  return Object.fromEntries(headers);
}

export default fp<Pick<Config, 'env' | 'corsOrigins'>>(
  async (fastify, { env, corsOrigins }) => {
    const securityHeaders = helmetHeaders({
      // JSON responses load nothing; /docs sets its own policy for Swagger UI.
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      // Browsers on other origins (the allowed CORS origins) must be able to read responses.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders);
      done();
    });

    const anyOrigin = corsOrigins.includes('*') || (env === 'development' && corsOrigins.length === 0);
    const listed = new Set(corsOrigins.filter((origin) => origin !== '*'));
    const options = {
      origin: anyOrigin ? true : corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-requested-with', 'if-none-match', 'if-match'],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-disposition', 'etag'],
      maxAge: 600,
    };
    const withCredentials = { ...options, credentials: true };
    await fastify.register(fastifyCors, {
      delegator: (request, callback) => callback(null, listed.has(request.headers.origin ?? '') ? withCredentials : options),
    });
  },
  { name: 'security' },
);
