/**
 * `fastify.authenticate`, used as an `onRequest` hook by the protected scopes. It accepts only
 * `Authorization: Bearer <access token>` (scheme case-insensitive) with a valid HS256 access token
 * whose session is still active, and turns every failure into a 401: @fastify/jwt lets some verify
 * errors (wrong algorithm, future `nbf`, bad claim types) escape without a status, which would be 500s.
 *
 * The session check is a primary-key lookup. Positive answers are cached for at most 2 s, so a
 * revoked session's access tokens stop within 2 s everywhere (at once on the instance that revoked
 * it). Negative answers are cached longer: an ended session never comes back, so a client retrying
 * with a revoked token costs no lookup per request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LruMap } from 'toad-cache';
import type { SessionState } from '../services/auth.service.js';
import { UnauthorizedError } from '../utils/errors.js';
import { ACCESS_TOKEN_TTL_SECONDS, isAccessTokenClaims, type AccessTokenClaims } from '../auth/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * Like `authenticate`, but also accepts a token whose session has ended (still not one whose
     * session is not its user's): for POST /auth/logout only, so that a retried logout is a 204.
     */
    authenticateEndedSession: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Forget cached "session is active" answers, after revoking those sessions. */
    forgetSessions: (sessionIds: readonly string[]) => void;
  }
}

export const SESSION_CACHE_TTL_MS = 2_000;
/** No access token lives longer, so no token outlives its session's cached negative answer. */
const ENDED_SESSION_CACHE_TTL_MS = ACCESS_TOKEN_TTL_SECONDS * 1000;
const SESSION_CACHE_MAX_ENTRIES = 50_000;
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
const INVALID_TOKEN = 'Invalid or expired access token';

export default fp(
  async (fastify) => {
    // Session id → the user it belongs to (a cached session must not vouch for a token naming another user).
    const activeSessions = new LruMap<string>(SESSION_CACHE_MAX_ENTRIES, SESSION_CACHE_TTL_MS);
    const inactiveSessions = new LruMap<{ userId: string; state: Exclude<SessionState, 'active'> }>(
      SESSION_CACHE_MAX_ENTRIES,
      ENDED_SESSION_CACHE_TTL_MS,
    );

    const sessionState = async ({ sid, userId }: AccessTokenClaims): Promise<SessionState> => {
      if (activeSessions.get(sid) === userId) return 'active';
      const inactive = inactiveSessions.get(sid);
      if (inactive?.userId === userId) return inactive.state;
      const state = await fastify.authService.sessionState(sid, userId);
      if (state === 'active') activeSessions.set(sid, userId);
      else inactiveSessions.set(sid, { userId, state });
      return state;
    };

    const verifiedClaims = (request: FastifyRequest): AccessTokenClaims => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!token) throw new UnauthorizedError('Missing or malformed bearer token');
      let claims: unknown;
      try {
        claims = fastify.jwt.verify(token);
      } catch {
        throw new UnauthorizedError(INVALID_TOKEN);
      }
      if (!isAccessTokenClaims(claims)) throw new UnauthorizedError(INVALID_TOKEN);
      return claims;
    };

    fastify.decorate('forgetSessions', (sessionIds: readonly string[]) => {
      activeSessions.deleteMany([...sessionIds]);
    });

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const claims = verifiedClaims(request);
      if ((await sessionState(claims)) !== 'active') throw new UnauthorizedError('Session is no longer active');
      request.user = { userId: claims.userId, email: claims.email, sid: claims.sid };
    });

    fastify.decorate('authenticateEndedSession', async (request: FastifyRequest) => {
      const claims = verifiedClaims(request);
      if ((await sessionState(claims)) === 'unknown') throw new UnauthorizedError('Session is no longer active');
      request.user = { userId: claims.userId, email: claims.email, sid: claims.sid };
    });
  },
  { name: 'authenticate', dependencies: ['jwt', 'auth-service'] },
);
