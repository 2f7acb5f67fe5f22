/**
 * `fastify.authenticate`, used as an `onRequest` hook by the protected scopes. It accepts only
 * `Authorization: Bearer <access token>` (scheme case-insensitive) with a valid HS256 access token
 * whose session is still active, and turns every failure into a 401: @fastify/jwt lets some verify
 * errors (wrong algorithm, future `nbf`, bad claim types) escape without a status, which would be 500s.
 *
 * The session check is a primary-key lookup; positive answers are cached for at most 2 s, so a
 * revoked session's access tokens stop within 2 s everywhere (at once on the instance that revoked it).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../utils/errors.js';
import { isAccessTokenClaims } from '../utils/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Forget cached "session is active" answers, after revoking those sessions. */
    forgetSessions: (sessionIds: readonly string[]) => void;
  }
}

export const SESSION_CACHE_TTL_MS = 2_000;
const SESSION_CACHE_MAX_ENTRIES = 50_000;
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Sessions known to be active, each with its user (a cached session must not vouch for a token
 * naming another user) and a deadline. Insertion order = oldest first.
 */
class ActiveSessionCache {
  private readonly entries = new Map<string, { userId: string; deadline: number }>();

  has(sessionId: string, userId: string, now: number): boolean {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return false;
    if (entry.deadline > now) return entry.userId === userId;
    this.entries.delete(sessionId);
    return false;
  }

  remember(sessionId: string, userId: string, now: number): void {
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { userId, deadline: now + SESSION_CACHE_TTL_MS });
    if (this.entries.size > SESSION_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(sessionIds: readonly string[]): void {
    for (const sessionId of sessionIds) this.entries.delete(sessionId);
  }
}

export default fp(
  async (fastify) => {
    const activeSessions = new ActiveSessionCache();

    fastify.decorate('forgetSessions', (sessionIds: readonly string[]) => {
      activeSessions.forget(sessionIds);
    });

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!token) throw new UnauthorizedError('Missing or malformed bearer token');

      let claims: unknown;
      try {
        claims = fastify.jwt.verify(token);
      } catch {
        throw new UnauthorizedError('Invalid or expired access token');
      }
      if (!isAccessTokenClaims(claims)) throw new UnauthorizedError('Invalid or expired access token');

      const now = Date.now();
      if (!activeSessions.has(claims.sid, claims.userId, now)) {
        if (!(await fastify.authService.isSessionActive(claims.sid, claims.userId))) {
          throw new UnauthorizedError('Session is no longer active');
        }
        activeSessions.remember(claims.sid, claims.userId, now);
      }
      request.user = { userId: claims.userId, email: claims.email, sid: claims.sid };
    });
  },
  { name: 'authenticate', dependencies: ['jwt', 'auth-service'] },
);
