/**
 * Sessions and their tokens. A session starts at signup or login; each refresh exchanges the
 * presented refresh token for a new pair in the same session (rotation). A rotated token presented
 * again within the grace window gets the same successor again, so a session never has more than one
 * live refresh token; after the window, or once that successor was itself rotated, it is treated as
 * stolen: the whole session is revoked (reuse detection). A session ends SESSION_MAX_DAYS after it
 * started, however often it is refreshed.
 *
 * The active-session check of every authenticated request (`state`) is a primary-key lookup, cached
 * (session-state-cache.ts).
 *
 * A login, a reuse and each sign-out write their security event in the statement of the change
 * (security-event.service.ts); a session keeps the client address it was last used from.
 */
import fp from 'fastify-plugin';
import { SessionStateCache, type SessionState } from './session-state-cache.js';
import { asAal, hashRefreshToken, type Aal, type RefreshTokenClaims, type TokenPair } from '../auth/tokens.js';
import type { SessionEvent, SessionFilter, SessionsRepository } from '../repositories/sessions.repository.js';
import { deviceName } from '../utils/device.js';
import type { PublicUser } from '../repositories/users.repository.js';
import { NotFoundError, UnauthorizedError } from '../utils/errors.js';
import type { SecurityEventService } from './security-event.service.js';
import { jwtTokenSigner, SessionTokens, type ClientContext, type NewSessionWithTokens, type TokenSigner } from './session-tokens.js';

export type { ClientContext } from './session-tokens.js';

export type { SessionState } from './session-state-cache.js';

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  /** A short name parsed from the user agent (utils/device.ts), or null. */
  device: string | null;
  /** The client address the session was last used from (its login or latest refresh). */
  ip: string | null;
  aal: Aal;
  current: boolean;
}

/** One refresh: the presented token and its verified claims, when, and from where. */
interface RefreshAttempt {
  token: string;
  claims: RefreshTokenClaims;
  now: Date;
  context: ClientContext;
}

export interface SessionServiceOptions {
  refreshReuseGraceSeconds: number;
  /** A session ends this many days after it started, however often it is refreshed. */
  sessionMaxDays: number;
}

export const INVALID_CREDENTIALS = 'Invalid credentials';
export const INVALID_REFRESH_TOKEN = 'Invalid refresh token';

export class SessionService {
  private readonly tokens: SessionTokens;
  private readonly cache = new SessionStateCache((sessionId, userId) => this.storedState(sessionId, userId));

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly events: SecurityEventService,
    signer: TokenSigner,
    private readonly options: SessionServiceOptions,
  ) {
    this.tokens = new SessionTokens(signer, options.sessionMaxDays);
  }

  /** A new session of `user` with its first token pair, to be stored by the caller (signup stores it with the account). */
  open(user: { id: string; email: string }, context: ClientContext, aal: Aal = 1): NewSessionWithTokens {
    return this.tokens.newSession(user.id, user.email, context, aal);
  }

  /**
   * Starts a session for `user`, whose password was checked (AccountService.authenticate), at `aal` 2
   * when a second factor was checked too (MfaService.verify).
   */
  async login(user: PublicUser, context: ClientContext, aal?: Aal): Promise<{ user: PublicUser } & TokenPair>;
  /**
   * With `stillAllowed`, asked once the session is stored: false revokes it at once and answers null
   * (two-factor sign-in was turned on while this password sign-in ran: see MfaService.activate).
   */
  async login(
    user: PublicUser,
    context: ClientContext,
    aal: Aal,
    stillAllowed: () => Promise<boolean>,
  ): Promise<({ user: PublicUser } & TokenPair) | null>;
  async login(
    user: PublicUser,
    context: ClientContext,
    aal: Aal = 1,
    stillAllowed?: () => Promise<boolean>,
  ): Promise<({ user: PublicUser } & TokenPair) | null> {
    const { session, tokens } = this.open(user, context, aal);
    try {
      await this.sessions.create(session, this.events.draft('login', context));
    } catch (error) {
      // The account was deleted between the password check and now.
      if (error instanceof NotFoundError) throw new UnauthorizedError(INVALID_CREDENTIALS);
      throw error;
    }
    this.events.logged('login', user.id, session.id);
    if (stillAllowed && !(await stillAllowed())) {
      await this.revoke({ id: session.id });
      return null;
    }
    return { user, ...tokens };
  }

  /** A new pair for the session of `refreshToken`; the session's "last seen" address becomes the caller's. */
  async refresh(refreshToken: string, context: ClientContext): Promise<TokenPair> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    if (!claims) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
    const attempt = { token: refreshToken, claims, now: new Date(), context };
    return (await this.rotate(attempt)) ?? this.refreshUnrotated(attempt);
  }

  /**
   * The common case, in one statement (SessionsRepository.rotate); null when it does not apply.
   * Without `sessionEnd` the next token lives 7 days, and the statement refuses (null) when that
   * would pass the session's end: `refreshUnrotated` then rotates again with the end, which it has read.
   */
  private async rotate({ token: refreshToken, claims, now, context }: RefreshAttempt, sessionEnd?: Date): Promise<TokenPair | null> {
    // The access token carries the email and the session's level, which only the statement reads: it is signed after.
    const next = this.tokens.newRefreshToken(claims.userId, claims.sid, now, sessionEnd);
    const rotated = await this.sessions.rotate({
      tokenHash: hashRefreshToken(refreshToken),
      tokenId: claims.jti,
      sessionId: claims.sid,
      userId: claims.userId,
      now,
      expiresAt: next.expiresAt,
      startedAfter: this.tokens.earliestStartFor(next.expiresAt),
      next: { id: next.id, tokenHash: next.tokenHash },
      ip: context.ip ?? null,
    });
    if (rotated === null) return null;
    const accessClaims = { userId: claims.userId, email: rotated.email, sid: claims.sid, aal: asAal(rotated.aal) };
    return { accessToken: this.tokens.signAccess(accessClaims), refreshToken: next.refreshToken };
  }

  /**
   * A token `rotate` refused: invalid (401); live but its successor must end with its session (rotated
   * here); rotated within the grace window (a new access token and the same successor); or reused
   * (the session is revoked, 401).
   */
  private async refreshUnrotated(attempt: RefreshAttempt, retry = true): Promise<TokenPair> {
    const { token: refreshToken, claims, now, context } = attempt;
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
      const pair = await this.rotate(attempt, sessionEnd);
      if (pair) return pair;
      if (!retry) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
      return this.refreshUnrotated(attempt, false);
    }

    const graceMs = this.options.refreshReuseGraceSeconds * 1000;
    if (graceMs > 0 && now.getTime() - rotatedAt.getTime() < graceMs) {
      const successor = await this.liveSuccessor(stored.successorId, stored.sessionId, now);
      if (successor) {
        const accessClaims = { userId: stored.userId, email: stored.user.email, sid: stored.sessionId, aal: asAal(stored.session.aal) };
        return { accessToken: this.tokens.signAccess(accessClaims), refreshToken: successor };
      }
    }
    await this.revoke({ id: stored.sessionId }, stored.userId, this.events.draft('refresh_reuse_detected', context));
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
    // Signed again by the key that issued it: the current one, or a previous one across a rotation.
    return this.tokens.refreshTokenCandidates(successor).find((token) => hashRefreshToken(token) === successor.tokenHash) ?? null;
  }

  /** Revokes the session of `refreshToken` when it is the caller's, else the caller's current session. */
  async logout(userId: string, currentSessionId: string, refreshToken: string | undefined, context: ClientContext): Promise<void> {
    // Accepted with a token of an ended session (a retried logout), but then it changes nothing.
    if ((await this.storedState(currentSessionId, userId)) !== 'active') return;
    let sessionId = currentSessionId;
    if (refreshToken) {
      const stored = await this.sessions.findToken(hashRefreshToken(refreshToken));
      if (stored?.userId === userId) sessionId = stored.sessionId;
    }
    await this.revoke({ id: sessionId, userId }, userId, this.events.draft('logout', context));
  }

  /** Revokes every session of the user (the caller's is `currentSessionId`). */
  async revokeAllSessions(userId: string, currentSessionId: string, context: ClientContext): Promise<void> {
    await this.revoke({ userId }, userId, this.events.draft('logout_all', context, currentSessionId));
  }

  /** Revokes every session of the user but the current one (after a password change). */
  async revokeOtherSessions(userId: string, currentSessionId: string): Promise<void> {
    await this.revoke({ userId, exceptId: currentSessionId });
  }

  /** Revokes one active session of the user; NotFoundError when there is none by that id. */
  async revokeSession(userId: string, sessionId: string, context: ClientContext): Promise<void> {
    const revoked = await this.revoke(
      { id: sessionId, userId, unexpiredAt: new Date() },
      userId,
      this.events.draft('session_revoked', context),
    );
    if (revoked.length === 0) throw new NotFoundError('Session not found');
  }

  async listSessions(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = await this.sessions.listActive(userId, new Date());
    return sessions.map((session) => ({
      ...session,
      device: deviceName(session.userAgent),
      aal: asAal(session.aal),
      current: session.id === currentSessionId,
    }));
  }

  /** Whether an access token's session may be used (it exists, is the user's, and is live), cached. */
  state(sessionId: string, userId: string): Promise<SessionState> {
    return this.cache.state(sessionId, userId);
  }

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.state(sessionId, userId)) === 'active';
  }

  /** Sessions that ended without a revocation (deleted with their account): forget they were active. */
  forget(sessionIds: readonly string[]): void {
    this.cache.forget(sessionIds);
  }

  private async storedState(sessionId: string, userId: string): Promise<SessionState> {
    const session = await this.sessions.findState(sessionId);
    if (session?.userId !== userId) return 'unknown';
    return session.revokedAt === null && session.expiresAt > new Date() ? 'active' : 'ended';
  }

  /**
   * Revoked sessions stop at once on this instance: they leave the cache of active ones. With `event`,
   * the revocation of `userId`'s sessions writes it (when anything was revoked) in the same statement.
   */
  private async revoke(filter: SessionFilter, userId?: string, event?: SessionEvent): Promise<string[]> {
    const sessionIds = await this.sessions.revoke(filter, new Date(), event);
    this.forget(sessionIds);
    const [first] = sessionIds;
    if (event && userId && first) this.events.logged(event.type, userId, event.sessionId ?? first);
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
    fastify.decorate(
      'sessionService',
      new SessionService(fastify.sessionsRepository, fastify.securityEventService, jwtTokenSigner(fastify), options),
    );
  },
  { name: 'session-service', dependencies: ['sessions-repository', 'security-event-service', 'jwt'] },
);
