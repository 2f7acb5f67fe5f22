/**
 * Cookie mode for browser apps (docs/api.md, "Web apps: the refresh token in a cookie"): the refresh
 * token lives in an HttpOnly cookie that no script can read, sent by the browser to /auth only.
 *
 * Why the two checks on a request that relies on the cookie stop cross-site request forgery: the
 * cookie is SameSite=Strict, so a browser attaches it only to requests from the API's own site; and
 * `X-Requested-With` is a header no form, link or image can send — only script can, and script on
 * another origin must first pass a CORS preflight, which only the origins in CORS_ORIGINS pass. The
 * `Origin` check then names who is asking: a listed app, nothing else (a missing Origin too).
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError } from '../utils/errors.js';

export const REFRESH_COOKIE = 'refresh_token';
/** The browser sends the cookie to /auth/refresh and /auth/logout, never to the data routes. */
const COOKIE_PATH = '/auth';

declare module 'fastify' {
  interface FastifyInstance {
    refreshCookie: {
      /** The cookie's refresh token, or undefined without one; throws 403 when the request may not use it. */
      read(request: FastifyRequest): string | undefined;
      clear(reply: FastifyReply): void;
      /** With `useCookie`, moves the result's refresh token (if any) into the cookie, out of the JSON. */
      handOut<T extends object>(reply: FastifyReply, result: T, useCookie: boolean | undefined): T;
    };
  }
}

export interface RefreshCookieOptions {
  /** CORS_ORIGINS: the only origins whose requests may use the cookie. */
  allowedOrigins: string[];
}

export default fp<RefreshCookieOptions>(
  async (fastify, { allowedOrigins }) => {
    await fastify.register(fastifyCookie);
    // As in security.ts: `*` names no origin (credentials never go to any origin).
    const origins = new Set(allowedOrigins.filter((origin) => origin !== '*'));
    const attributes = { httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH } as const;

    /** Sets the cookie to `refreshToken`, living until the token's `exp`. */
    const set = (reply: FastifyReply, refreshToken: string) => {
      const { exp } = fastify.jwt.refresh.decode<{ exp: number }>(refreshToken) ?? { exp: 0 };
      reply.setCookie(REFRESH_COOKIE, refreshToken, { ...attributes, maxAge: Math.max(0, exp - Math.floor(Date.now() / 1000)) });
    };

    fastify.decorate('refreshCookie', {
      read(request: FastifyRequest) {
        const token = request.cookies[REFRESH_COOKIE];
        if (!token) return undefined;
        if (!origins.has(request.headers.origin ?? '') || request.headers['x-requested-with'] !== 'fetch') {
          throw new ForbiddenError('A request that uses the refresh_token cookie needs an allowed Origin and X-Requested-With: fetch');
        }
        return token;
      },
      clear(reply: FastifyReply) {
        reply.setCookie(REFRESH_COOKIE, '', { ...attributes, maxAge: 0 });
      },
      handOut(reply, result, useCookie) {
        const { refreshToken, ...rest } = result as typeof result & { refreshToken?: string };
        if (!useCookie || refreshToken === undefined) return result;
        set(reply, refreshToken);
        return rest as typeof result;
      },
    });
  },
  { name: 'refresh-cookie', dependencies: ['jwt'] },
);
