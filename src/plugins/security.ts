/**
 * Security headers (helmet, tuned for a JSON API) and CORS. CORS allows the configured origins; in
 * development, with none configured, any origin. Preflights name `authorization` and `content-type`
 * explicitly, since a `*` would not cover Authorization.
 */
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { Config } from '../config/env.js';

export default fp<Pick<Config, 'env' | 'corsOrigins'>>(
  async (fastify, { env, corsOrigins }) => {
    await fastify.register(fastifyHelmet, {
      // JSON responses load nothing; /docs sets its own policy for Swagger UI.
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      // Browsers on other origins (the allowed CORS origins) must be able to read responses.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });

    const anyOrigin = corsOrigins.includes('*') || (env === 'development' && corsOrigins.length === 0);
    await fastify.register(fastifyCors, {
      origin: anyOrigin ? true : corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-disposition'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
