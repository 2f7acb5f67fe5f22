/**
 * Sessions and their tokens. A session starts at signup or login; each refresh exchanges the
 * presented refresh token for a new pair in the same session (rotation). A rotated token presented
 * again within the grace window gets the same successor again, so a session never has more than one
 * live refresh token; after the window, or once that successor was itself rotated, it is treated as
 * stolen: the whole session is revoked (reuse detection). A session ends SESSION_MAX_DAYS after it
 * started, however often it is refreshed.
 *
 * The active-session check of every authenticated request (`state`) is a primary-key lookup, cached
 * here: positive answers for at most 2 s, so a revoked session's access tokens stop within 2 s
 * everywhere (at once on the instance that revoked it: revocation evicts them); negative answers for
 * longer, as an ended session never comes back, so a client retrying with a revoked token costs no
 * lookup per request.
 */
import fp from 'fastify-plugin';
import { LruMap } from 'toad-cache';
import { ACCESS_TOKEN_TTL_SECONDS, hashRefreshToken, type RefreshTokenClaims, type TokenPair } from '../auth/tokens.js';
import type { SessionFilter, SessionsRepository } from '../repositories/sessions.repository.js';
import type { PublicUser } from '../repositories/users.repository.js';
import { NotFoundError, UnauthorizedError } from '../utils/errors.js';
import { jwtTokenSigner, SessionTokens, type ClientContext, type NewSessionWithTokens, type TokenSigner } from './session-tokens.js';

export type { ClientContext } from './session-tokens.js';

/** An access token's session: usable; ended (revoked or expired, for good); or none of its user's. */
export type SessionState = 'active' | 'ended' | 'unknown';

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  current: boolean;
}

export interface SessionServiceOptions {
  refreshReuseGraceSeconds: number;
  /** A session ends this many days after it started, however often it is refreshed. */
  sessionMaxDays: number;
}

export const INVALID_CREDENTIALS = 'Invalid credentials';
const INVALID_REFRESH_TOKEN = 'Invalid refresh token';
export const SESSION_CACHE_TTL_MS = 2_000;
/** No access token lives longer, so no token outlives its session's cached negative answer. */
const ENDED_SESSION_CACHE_TTL_MS = ACCESS_TOKEN_TTL_SECONDS * 1000;
const SESSION_CACHE_MAX_ENTRIES = 50_000;

export class SessionService {
  private readonly tokens: SessionTokens;
  // Session id → the user it belongs to (a cached session must not vouch for a token naming another user).
  private readonly activeSessions = new LruMap<string>(SESSION_CACHE_MAX_ENTRIES, SESSION_CACHE_TTL_MS);
  private readonly inactiveSessions = new LruMap<{ userId: string; state: Exclude<SessionState, 'active'> }>(
    SESSION_CACHE_MAX_ENTRIES,
    ENDED_SESSION_CACHE_TTL_MS,
  );

  constructor(
    private readonly sessions: SessionsRepository,
    signer: TokenSigner,
    private readonly options: SessionServiceOptions,
  ) {
    this.tokens = new SessionTokens(signer, options.sessionMaxDays);
  }

  /** A new session of `user` with its first token pair, to be stored by the caller (signup stores it with the account). */
  open(user: { id: string; email: string }, context: ClientContext): NewSessionWithTokens {
    return this.tokens.newSession(user.id, user.email, context);
  }

  /** Starts a session for `user`, whose password was checked (AccountService.authenticate). */
  async login(user: PublicUser, context: ClientContext): Promise<{ user: PublicUser } & TokenPair> {
    const { session, tokens } = this.open(user, context);
    try {
      await this.sessions.create(session);
    } catch (error) {
      // The account was deleted between the password check and now.
      if (error instanceof NotFoundError) throw new UnauthorizedError(INVALID_CREDENTIALS);
      throw error;
    }
    return { user, ...tokens };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    if (!claims) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
    const now = new Date();
    return (await this.rotate(refreshToken, claims, now)) ?? this.refreshUnrotated(refreshToken, claims, now);
  }

  /**
   * The common case, in one statement (SessionsRepository.rotate); null when it does not apply.
   * Without `sessionEnd` the next token lives 7 days, and the statement refuses (null) when that
   * would pass the session's end: `refreshUnrotated` then rotates again with the end, which it has read.
   */
  private async rotate(refreshToken: string, claims: RefreshTokenClaims, now: Date, sessionEnd?: Date): Promise<TokenPair | null> {
    // The access token carries the email, which only the statement reads: it is signed after.
    const next = this.tokens.newRefreshToken(claims.userId, claims.sid, now, sessionEnd);
    const email = await this.sessions.rotate({
      tokenHash: hashRefreshToken(refreshToken),
      tokenId: claims.jti,
      sessionId: claims.sid,
      userId: claims.userId,
      now,
      expiresAt: next.expiresAt,
      startedAfter: this.tokens.earliestStartFor(next.expiresAt),
      next: { id: next.id, tokenHash: next.tokenHash },
    });
    if (email === null) return null;
    return { accessToken: this.tokens.signAccess({ userId: claims.userId, email, sid: claims.sid }), refreshToken: next.refreshToken };
  }

  /**
   * A token `rotate` refused: invalid (401); live but its successor must end with its session (rotated
   * here); rotated within the grace window (a new access token and the same successor); or reused
   * (the session is revoked, 401).
   */
  private async refreshUnrotated(refreshToken: string, claims: RefreshTokenClaims, now: Date, retry = true): Promise<TokenPair> {
    const stored = await this.sessions.findToken(hashRefreshToken(refreshToken));
    if (
      stored?.id !== claims.jti ||
      stored.sessionId !== claims.sid ||
      stored.userId !== claims.userId ||
      stored.revokedAt ||
      stored.session.revokedAt ||
      stored.expiresAt <= now ||
      stored.session.expiresAt <= now
    ) {
      throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
    }
    const { rotatedAt } = stored;
    if (!rotatedAt) {
      // Not rotated, yet `rotate` refused it: the next token must end with the session, or the
      // session was revoked in between, or a concurrent refresh is rotating it (then look again, once).
      const sessionEnd = this.tokens.sessionEnd(stored.session.createdAt);
      if (sessionEnd <= now) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
      const pair = await this.rotate(refreshToken, claims, now, sessionEnd);
      if (pair) return pair;
      if (!retry) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
      return this.refreshUnrotated(refreshToken, claims, now, false);
    }

    const graceMs = this.options.refreshReuseGraceSeconds * 1000;
    if (graceMs > 0 && now.getTime() - rotatedAt.getTime() < graceMs) {
      const successor = await this.liveSuccessor(stored.successorId, stored.sessionId, now);
      if (successor) {
        return {
          accessToken: this.tokens.signAccess({ userId: stored.userId, email: stored.user.email, sid: stored.sessionId }),
          refreshToken: successor,
        };
      }
    }
    await this.revoke({ id: stored.sessionId });
    throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
  }

  /**
   * The refresh token with id `successorId`, re-signed from its row (the same claims give the same
   * token), while it is live and unrotated; else null: whoever presents its predecessor is reusing it.
   */
  private async liveSuccessor(successorId: string | null, sessionId: string, now: Date): Promise<string | null> {
    if (!successorId) return null;
    const successor = await this.sessions.findTokenById(successorId);
    if (successor?.sessionId !== sessionId || successor.rotatedAt || successor.revokedAt || successor.expiresAt <= now) {
      return null;
    }
    const token = this.tokens.signRefreshToken(successor);
    // Always equal while the refresh secret is unchanged; if it is not, this is not the token that was issued.
    return hashRefreshToken(token) === successor.tokenHash ? token : null;
  }

  /** Revokes the session of `refreshToken` when it is the caller's, else the caller's current session. */
  async logout(userId: string, currentSessionId: string, refreshToken?: string): Promise<void> {
    // Accepted with a token of an ended session (a retried logout), but then it changes nothing.
    if ((await this.storedState(currentSessionId, userId)) !== 'active') return;
    let sessionId = currentSessionId;
    if (refreshToken) {
      const stored = await this.sessions.findToken(hashRefreshToken(refreshToken));
      if (stored?.userId === userId) sessionId = stored.sessionId;
    }
    await this.revoke({ id: sessionId, userId });
  }

  /** Revokes every session of the user. */
  async revokeAllSessions(userId: string): Promise<void> {
    await this.revoke({ userId });
  }

  /** Revokes every session of the user but the current one (after a password change). */
  async revokeOtherSessions(userId: string, currentSessionId: string): Promise<void> {
    await this.revoke({ userId, exceptId: currentSessionId });
  }

  /** Revokes one active session of the user; NotFoundError when there is none by that id. */
  async revokeSession(userId: string, sessionId: string): Promise<void> {
    const revoked = await this.revoke({ id: sessionId, userId, unexpiredAt: new Date() });
    if (revoked.length === 0) throw new NotFoundError('Session not found');
  }

  async listSessions(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = await this.sessions.listActive(userId, new Date());
    return sessions.map((session) => ({ ...session, current: session.id === currentSessionId }));
  }

  /** Whether an access token's session may be used (it exists, is the user's, and is live), cached. */
  async state(sessionId: string, userId: string): Promise<SessionState> {
    if (this.activeSessions.get(sessionId) === userId) return 'active';
    const inactive = this.inactiveSessions.get(sessionId);
    if (inactive?.userId === userId) return inactive.state;
    const state = await this.storedState(sessionId, userId);
    if (state === 'active') this.activeSessions.set(sessionId, userId);
    else this.inactiveSessions.set(sessionId, { userId, state });
    return state;
  }

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.state(sessionId, userId)) === 'active';
  }

  /** Sessions that ended without a revocation (deleted with their account): forget they were active. */
  forget(sessionIds: readonly string[]): void {
    this.activeSessions.deleteMany([...sessionIds]);
  }

  private async storedState(sessionId: string, userId: string): Promise<SessionState> {
    const session = await this.sessions.findState(sessionId);
    if (session?.userId !== userId) return 'unknown';
    return session.revokedAt === null && session.expiresAt > new Date() ? 'active' : 'ended';
  }

  /** Revoked sessions stop at once on this instance: they leave the cache of active ones. */
  private async revoke(filter: SessionFilter): Promise<string[]> {
    const sessionIds = await this.sessions.revoke(filter, new Date());
    this.forget(sessionIds);
    return sessionIds;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionService: SessionService;
  }
}

export default fp<SessionServiceOptions>(
  async (fastify, options) => {
    fastify.decorate('sessionService', new SessionService(fastify.sessionsRepository, jwtTokenSigner(fastify), options));
  },
  { name: 'session-service', dependencies: ['sessions-repository', 'jwt'] },
);
