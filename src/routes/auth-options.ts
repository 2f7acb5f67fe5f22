/**
 * What the /auth route files (auth.ts, me.ts, sessions.ts) share; not a route plugin itself. Every
 * /auth route accepts 16 KiB bodies at most (the app's limit is 1 MiB), and declares its rate limit
 * in `config.rateLimit` (see src/plugins/rate-limit.ts).
 */
import { isIP } from 'node:net';
import { normalizeIP } from '@fastify/rate-limit';
import type { onRouteHookHandler, FastifyRequest } from 'fastify';
import type { RateLimits } from '../config/env.js';
import type { ClientContext } from '../services/session-tokens.js';

/** Auth bodies are a few short strings. */
const AUTH_BODY_LIMIT_BYTES = 16 * 1024;

/** An `onRoute` hook: each route of the plugin that adds it gets the auth body limit (unless it sets one). */
export const authBodyLimit: onRouteHookHandler = (route) => {
  route.bodyLimit ??= AUTH_BODY_LIMIT_BYTES;
};

/** Route configs limiting requests per client IP, or per signed-in user, per auth window. */
export function authRateLimits(limits: RateLimits) {
  const timeWindow = limits.authWindowSeconds * 1000;
  return {
    perIp: (max: number) => ({ rateLimit: { max, timeWindow } }),
    perUser: (max: number) => ({
      rateLimit: { max, timeWindow, keyGenerator: (request: FastifyRequest) => `user:${request.user.userId}` },
    }),
  };
}

/** A preValidation hook: emails are compared trimmed and lower-cased, so the body's are normalised before validation. */
export async function normaliseEmail(request: FastifyRequest): Promise<void> {
  const body = request.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return;
  for (const field of ['email', 'newEmail']) {
    const value = body[field];
    if (typeof value === 'string') body[field] = value.trim().toLowerCase();
  }
}

/** A preValidation hook for routes whose body is optional: a bare POST validates as `{}`. */
export async function optionalBody(request: FastifyRequest): Promise<void> {
  (request as { body: unknown }).body ??= {};
}

/** The client IP as TRUST_PROXY resolves it; an IPv6 address as its /64, as the rate limits key it. */
export const clientAddress = (request: FastifyRequest): string => (request.ip ? normalizeIP(request.ip) : 'unknown');

/**
 * Where the request came from, stored with sessions and security events: the user agent and the
 * client address as TRUST_PROXY resolves it (with a trusted proxy, from X-Forwarded-For, which is then
 * kept only if it is an IP address).
 */
export const clientContext = (request: FastifyRequest): ClientContext => ({
  userAgent: request.headers['user-agent'],
  ip: isIP(request.ip) ? request.ip : undefined,
  throttleKey: clientAddress(request),
});
