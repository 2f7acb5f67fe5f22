/**
 * `fastify.authenticate`, used as an `onRequest` hook by the protected scope. It accepts only
 * `Authorization: Bearer <access token>` (scheme case-insensitive) with a valid access token
 * whose session is still active (SessionService.state, which caches the answer), and turns every
 * failure into a 401: @fastify/jwt lets some verify errors (wrong algorithm, future `nbf`, bad claim
 * types) escape without a status, which would be 500s.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../utils/errors.js';
import { isAccessTokenClaims, type VerifiedAccessClaims } from '../auth/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * Like `authenticate`, but also accepts a token whose session has ended (still not one whose
     * session is not its user's): for POST /auth/logout only, so that a retried logout is a 204.
     */
    authenticateEndedSession: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * For routes that work with or without an access token (the /auth/email routes): without an
     * Authorization header, nothing; with one, exactly `authenticate` (a bad token is a 401, never ignored).
     */
    authenticateIfPresent: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** A token without `aal` (issued before the claim existed) counts as level 1. */
const userOf = (claims: VerifiedAccessClaims) => ({ userId: claims.userId, email: claims.email, sid: claims.sid, aal: claims.aal ?? 1 });

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
const INVALID_TOKEN = 'Invalid or expired access token';

export default fp(
  async (fastify) => {
    const { sessionService } = fastify;

    const verifiedClaims = (request: FastifyRequest): VerifiedAccessClaims => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!token) throw new UnauthorizedError('Missing or malformed bearer token');
      let claims: unknown;
      try {
        claims = fastify.tokenKeys.verifyAccess(token);
      } catch {
        throw new UnauthorizedError(INVALID_TOKEN);
      }
      if (!isAccessTokenClaims(claims)) throw new UnauthorizedError(INVALID_TOKEN);
      return claims;
    };

    const authenticate = async (request: FastifyRequest) => {
      const claims = verifiedClaims(request);
      if (!(await sessionService.isActive(claims.sid, claims.userId))) throw new UnauthorizedError('Session is no longer active');
      request.user = userOf(claims);
    };
    fastify.decorate('authenticate', authenticate);

    fastify.decorate('authenticateIfPresent', async (request: FastifyRequest) => {
      if (request.headers.authorization !== undefined) await authenticate(request);
    });

    fastify.decorate('authenticateEndedSession', async (request: FastifyRequest) => {
      const claims = verifiedClaims(request);
      if ((await sessionService.state(claims.sid, claims.userId)) === 'unknown') throw new UnauthorizedError('Session is no longer active');
      request.user = userOf(claims);
    });
  },
  { name: 'authenticate', dependencies: ['jwt', 'session-service'] },
);
