/**
 * Accounts, sessions and tokens. A session starts at signup or login; each refresh exchanges the
 * presented refresh token for a new pair in the same session (rotation). A rotated token presented
 * again within the grace window gets the same successor again, so a session never has more than one
 * live refresh token; after the window, or once that successor was itself rotated, it is treated as
 * stolen: the whole session is revoked (reuse detection). A session ends SESSION_MAX_DAYS after it
 * started, however often it is refreshed. Only SHA-256 hashes of refresh tokens are stored.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isUniqueViolation } from '../db/errors.js';
import type { Prisma, PrismaClient } from '../db/client.js';
import { ConflictError, NotFoundError, UnauthorizedError } from '../utils/errors.js';
import { bcryptCost, exceedsBcryptLimit, type PasswordHasher } from '../auth/passwords.js';
import {
  REFRESH_TOKEN_TTL_SECONDS,
  hashRefreshToken,
  type AccessTokenClaims,
  type RefreshTokenClaims,
  type RefreshTokenPayload,
  type TokenPair,
} from '../auth/tokens.js';

export interface TokenSigner {
  signAccess(claims: AccessTokenClaims): string;
  /** Deterministic: the same payload always gives the same token. */
  signRefresh(payload: RefreshTokenPayload): string;
  /** The verified claims, or null for anything that is not a valid refresh token. */
  verifyRefresh(token: string): RefreshTokenClaims | null;
}

export interface AuthServiceOptions {
  passwords: PasswordHasher;
  tokens: TokenSigner;
  refreshReuseGraceSeconds: number;
  /** A session ends this many days after it started, however often it is refreshed. */
  sessionMaxDays: number;
  /** A bcrypt hash made at start at BCRYPT_ROUNDS, compared against when the email is unknown. */
  dummyHash: string;
  /** Told of every session that ends (revoked, or deleted with its account), e.g. to drop caches. */
  onSessionsEnded?: (sessionIds: readonly string[]) => void;
}

export interface ClientContext {
  userAgent?: string | undefined;
}

export const publicUserFields = { id: true, email: true, name: true, timezone: true, createdAt: true } as const;
export type PublicUser = Prisma.UserGetPayload<{ select: typeof publicUserFields }>;

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

const MAX_USER_AGENT_LENGTH = 512;
const INVALID_CREDENTIALS = 'Invalid credentials';
const INVALID_REFRESH_TOKEN = 'Invalid refresh token';
const FOREIGN_KEY_VIOLATION = '23503';
const DAY_MS = 24 * 60 * 60 * 1000;

export class AuthService {
  /** Compared against when the email is unknown, so both failures take about as long. */
  readonly dummyHash: string;

  constructor(
    private readonly prisma: PrismaClient,
    /** For the busiest writes, login and refresh, sent as plain SQL (see `login` and `rotate`). */
    private readonly pool: pg.Pool,
    private readonly options: AuthServiceOptions,
  ) {
    this.dummyHash = options.dummyHash;
  }

  async signup(
    input: { email: string; password: string; name?: string | undefined; timezone?: string | undefined },
    context: ClientContext,
  ): Promise<{ user: PublicUser } & TokenPair> {
    const passwordHash = await this.options.passwords.hash(input.password);
    const userId = randomUUID();
    const { session, tokens } = this.newSession(userId, input.email, context);
    try {
      const user = await this.prisma.user.create({
        data: {
          id: userId,
          email: input.email,
          password: passwordHash,
          name: input.name ?? null,
          timezone: input.timezone ?? 'UTC',
          sessions: { create: session },
        },
        select: publicUserFields,
      });
      return { user, ...tokens };
    } catch (error) {
      // Also the race of two signups with one email: the unique index decides, never a 500.
      if (isUniqueViolation(error)) {
        throw new ConflictError('User already exists');
      }
      throw error;
    }
  }

  /** Like the refresh, sent as plain SQL on the pool: a login storm must leave the CPUs to bcrypt. */
  async login(email: string, password: string, context: ClientContext): Promise<{ user: PublicUser } & TokenPair> {
    const user = await this.validateCredentials(email, password);
    if (!user) throw new UnauthorizedError(INVALID_CREDENTIALS);
    const sessionId = randomUUID();
    const now = new Date();
    const { tokens, refreshTokenRow, expiresAt } = this.issueTokens(user.id, user.email, sessionId, now, this.sessionEnd(now));
    try {
      await this.pool.query({
        name: 'create-session',
        text: `WITH session AS (
           INSERT INTO "Session" (id, "userId", "createdAt", "lastUsedAt", "expiresAt", "userAgent")
           VALUES ($1, $2, $3::timestamp, $3::timestamp, $4::timestamp, $5) RETURNING id
         )
         INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt", "createdAt")
         SELECT $6, $7, id, $2, $4::timestamp, $3::timestamp FROM session`,
        values: [
          sessionId,
          user.id,
          now.toISOString(),
          expiresAt.toISOString(),
          context.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
          refreshTokenRow.id,
          refreshTokenRow.tokenHash,
        ],
      });
    } catch (error) {
      // The account was deleted between the password check and now (foreign key violation).
      if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) throw new UnauthorizedError(INVALID_CREDENTIALS);
      throw error;
    }
    return { user, ...tokens };
  }

  /** The user when the password is theirs, else null, in about the same time either way. */
  async validateCredentials(email: string, password: string): Promise<PublicUser | null> {
    const { rows } = await this.pool.query<PublicUser & { password: string }>({
      name: 'user-by-email',
      text: `SELECT id, email, name, timezone, "createdAt" AT TIME ZONE 'UTC' AS "createdAt", password FROM "User" WHERE email = $1`,
      values: [email],
    });
    const [user] = rows;
    const matches = await this.options.passwords.verify(password, user?.password ?? this.dummyHash);
    if (!user || !matches || exceedsBcryptLimit(password)) return null;
    await this.upgradePasswordHash(user.id, user.password, password);
    return { id: user.id, email: user.email, name: user.name, timezone: user.timezone, createdAt: user.createdAt };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = this.options.tokens.verifyRefresh(refreshToken);
    if (!claims) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
    const now = new Date();
    return (await this.rotate(refreshToken, claims, now)) ?? this.refreshUnrotated(refreshToken, claims, now);
  }

  /**
   * The common case in one statement: the presented token is live, unrotated and its session live;
   * it is marked rotated (naming its successor), the session extended and the next token stored.
   * Null when any of that does not hold. Row locks make it atomic: of concurrent refreshes with one
   * token, one rotates and the others get null (their UPDATE re-checks `rotatedAt` once the first
   * commits), as does a refresh racing a revocation of its session. Without `sessionEnd` the next
   * token lives 7 days, and the statement refuses (null) when that would pass the session's end:
   * `refreshUnrotated` then rotates again with the end, which it has read.
   */
  private async rotate(refreshToken: string, claims: RefreshTokenClaims, now: Date, sessionEnd?: Date): Promise<TokenPair | null> {
    // The access token carries the email, which only the statement below reads: it is signed after.
    const { refreshToken: next, refreshTokenRow, expiresAt } = this.newRefreshToken(claims.userId, claims.sid, now, sessionEnd);
    // Timestamps are stored as UTC wall time (Prisma's convention for `timestamp(3)`): an ISO string
    // cast to `timestamp` keeps its digits and drops the `Z`, whatever the session's TimeZone.
    const at = now.toISOString();
    const until = expiresAt.toISOString();
    // A session that started before this cannot last until `until`.
    const earliestStart = new Date(expiresAt.getTime() - this.options.sessionMaxDays * DAY_MS).toISOString();
    const { rows } = await this.pool.query<{ email: string }>({
      // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
      name: 'rotate-refresh-token',
      text: `WITH rotated AS (
         UPDATE "RefreshToken" SET "rotatedAt" = $1::timestamp, "successorId" = $7
          WHERE "tokenHash" = $3 AND id = $4 AND "sessionId" = $5 AND "userId" = $6
            AND "rotatedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > $1::timestamp
            AND EXISTS (SELECT 1 FROM "Session" WHERE id = $5 AND "createdAt" >= $9::timestamp)
         RETURNING "sessionId"
       ), extended AS (
         UPDATE "Session" SET "lastUsedAt" = $1::timestamp, "expiresAt" = $2::timestamp
          WHERE id = (SELECT "sessionId" FROM rotated) AND "revokedAt" IS NULL AND "expiresAt" > $1::timestamp
         RETURNING id, "userId"
       ), stored AS (
         INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt", "createdAt")
         SELECT $7, $8, id, "userId", $2::timestamp, $1::timestamp FROM extended
       )
       SELECT u.email FROM extended JOIN "User" u ON u.id = extended."userId"`,
      values: [
        at,
        until,
        hashRefreshToken(refreshToken),
        claims.jti,
        claims.sid,
        claims.userId,
        refreshTokenRow.id,
        refreshTokenRow.tokenHash,
        earliestStart,
      ],
    });
    const [row] = rows;
    if (!row) return null;
    return { accessToken: this.options.tokens.signAccess({ userId: claims.userId, email: row.email, sid: claims.sid }), refreshToken: next };
  }

  /**
   * A token `rotate` refused: invalid (401); live but its successor must end with its session (rotated
   * here); rotated within the grace window (a new access token and the same successor); or reused
   * (the session is revoked, 401).
   */
  private async refreshUnrotated(refreshToken: string, claims: RefreshTokenClaims, now: Date, retry = true): Promise<TokenPair> {
    const stored = await this.prisma.refreshToken.findUnique({
      where: { tokenHash: hashRefreshToken(refreshToken) },
      select: {
        id: true,
        sessionId: true,
        userId: true,
        expiresAt: true,
        rotatedAt: true,
        successorId: true,
        revokedAt: true,
        session: { select: { revokedAt: true, expiresAt: true, createdAt: true } },
        user: { select: { email: true } },
      },
    });
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
      const sessionEnd = this.sessionEnd(stored.session.createdAt);
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
          accessToken: this.options.tokens.signAccess({ userId: stored.userId, email: stored.user.email, sid: stored.sessionId }),
          refreshToken: successor,
        };
      }
    }
    await this.revokeSessions({ id: stored.sessionId });
    throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
  }

  /**
   * The refresh token with id `successorId`, re-signed from its row (the same claims give the same
   * token), while it is live and unrotated; else null: whoever presents its predecessor is reusing it.
   */
  private async liveSuccessor(successorId: string | null, sessionId: string, now: Date): Promise<string | null> {
    if (!successorId) return null;
    const successor = await this.prisma.refreshToken.findUnique({
      where: { id: successorId },
      select: { id: true, sessionId: true, userId: true, tokenHash: true, createdAt: true, expiresAt: true, rotatedAt: true, revokedAt: true },
    });
    if (successor?.sessionId !== sessionId || successor.rotatedAt || successor.revokedAt || successor.expiresAt <= now) {
      return null;
    }
    const token = this.signRefreshToken(successor);
    // Always equal while the refresh secret is unchanged; if it is not, this is not the token that was issued.
    return hashRefreshToken(token) === successor.tokenHash ? token : null;
  }

  /**
   * Revokes the session of `refreshToken` when it is the caller's, else the caller's current session.
   */
  async logout(userId: string, currentSessionId: string, refreshToken?: string): Promise<void> {
    // Accepted with a token of an ended session (a retried logout), but then it changes nothing.
    if ((await this.sessionState(currentSessionId, userId)) !== 'active') return;
    let sessionId = currentSessionId;
    if (refreshToken) {
      const stored = await this.prisma.refreshToken.findUnique({
        where: { tokenHash: hashRefreshToken(refreshToken) },
        select: { sessionId: true, userId: true },
      });
      if (stored?.userId === userId) sessionId = stored.sessionId;
    }
    await this.revokeSessions({ id: sessionId, userId });
  }

  /** Revokes every session of the user. */
  async revokeAllUserTokens(userId: string): Promise<void> {
    await this.revokeSessions({ userId });
  }

  getUser(userId: string): Promise<PublicUser> {
    return this.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: publicUserFields });
  }

  updateUser(userId: string, changes: { name?: string | null | undefined; timezone?: string | undefined }): Promise<PublicUser> {
    return this.prisma.user.update({
      where: { id: userId },
      data: { name: changes.name, timezone: changes.timezone },
      select: publicUserFields,
    });
  }

  /** Deletes the account and, by cascade, everything it owns. */
  async deleteAccount(userId: string, password: string): Promise<void> {
    await this.requirePassword(userId, password);
    const sessions = await this.prisma.session.findMany({ where: { userId }, select: { id: true } });
    await this.prisma.user.delete({ where: { id: userId } });
    this.options.onSessionsEnded?.(sessions.map((session) => session.id));
  }

  /** Changes the password and revokes every other session. */
  async changePassword(userId: string, currentSessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.requirePassword(userId, currentPassword);
    const passwordHash = await this.options.passwords.hash(newPassword);
    await this.prisma.user.update({ where: { id: userId }, data: { password: passwordHash } });
    await this.revokeSessions({ userId, id: { not: currentSessionId } });
  }

  async listSessions(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = await this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
      orderBy: { lastUsedAt: 'desc' },
    });
    return sessions.map((session) => ({ ...session, current: session.id === currentSessionId }));
  }

  /** Revokes one active session of the user; NotFoundError when there is none by that id. */
  async revokeSession(userId: string, sessionId: string): Promise<void> {
    const revoked = await this.revokeSessions({ id: sessionId, userId, expiresAt: { gt: new Date() } });
    if (revoked.length === 0) throw new NotFoundError('Session not found');
  }

  /** Whether an access token's session may be used: it exists, is the user's, and is live. */
  async sessionState(sessionId: string, userId: string): Promise<SessionState> {
    const session = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { userId: true, revokedAt: true, expiresAt: true },
    });
    if (session?.userId !== userId) return 'unknown';
    return session.revokedAt === null && session.expiresAt > new Date() ? 'active' : 'ended';
  }

  private async requirePassword(userId: string, password: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { password: true } });
    const matches = user ? await this.options.passwords.verify(password, user.password) : false;
    if (!user || !matches || exceedsBcryptLimit(password)) throw new UnauthorizedError(INVALID_CREDENTIALS);
  }

  private async revokeSessions(where: Prisma.SessionWhereInput): Promise<string[]> {
    const now = new Date();
    const revoked = await this.prisma.session.updateManyAndReturn({
      where: { ...where, revokedAt: null },
      data: { revokedAt: now },
      select: { id: true },
    });
    const sessionIds = revoked.map((session) => session.id);
    if (sessionIds.length > 0) {
      await this.prisma.refreshToken.updateMany({
        where: { sessionId: { in: sessionIds }, revokedAt: null },
        data: { revokedAt: now },
      });
      this.options.onSessionsEnded?.(sessionIds);
    }
    return sessionIds;
  }

  /** A new session (to be created by the caller) with its first token pair. */
  private newSession(userId: string, email: string, context: ClientContext) {
    const sessionId = randomUUID();
    const now = new Date();
    const { tokens, refreshTokenRow, expiresAt } = this.issueTokens(userId, email, sessionId, now, this.sessionEnd(now));
    const session = {
      id: sessionId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      userAgent: context.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      refreshTokens: { create: { ...refreshTokenRow, userId } },
    };
    return { session, tokens };
  }

  private issueTokens(userId: string, email: string, sessionId: string, now: Date, sessionEnd: Date) {
    const { refreshToken, refreshTokenRow, expiresAt } = this.newRefreshToken(userId, sessionId, now, sessionEnd);
    const accessToken = this.options.tokens.signAccess({ userId, email, sid: sessionId });
    return { tokens: { accessToken, refreshToken }, refreshTokenRow, expiresAt };
  }

  /** When a session started at `startedAt` ends, however often it is refreshed. */
  private sessionEnd(startedAt: Date): Date {
    return new Date(startedAt.getTime() + this.options.sessionMaxDays * DAY_MS);
  }

  /**
   * A refresh token of session `sessionId` issued `now`, living 7 days but never past `sessionEnd`,
   * and the row that stores its hash (and everything `signRefreshToken` needs to sign it again).
   */
  private newRefreshToken(userId: string, sessionId: string, now: Date, sessionEnd?: Date) {
    const lifetimeEnd = now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000;
    const expiresAt = new Date(sessionEnd ? Math.min(lifetimeEnd, sessionEnd.getTime()) : lifetimeEnd);
    const row = { id: randomUUID(), userId, sessionId, createdAt: now, expiresAt };
    const refreshToken = this.signRefreshToken(row);
    return { refreshToken, refreshTokenRow: { id: row.id, tokenHash: hashRefreshToken(refreshToken), createdAt: now, expiresAt }, expiresAt };
  }

  /** The refresh token a row stands for: `iat` and `exp` are its times in whole seconds, so it can be signed again. */
  private signRefreshToken(row: { id: string; userId: string; sessionId: string; createdAt: Date; expiresAt: Date }): string {
    return this.options.tokens.signRefresh({
      userId: row.userId,
      sid: row.sessionId,
      jti: row.id,
      iat: Math.floor(row.createdAt.getTime() / 1000),
      exp: Math.floor(row.expiresAt.getTime() / 1000),
    });
  }

  /** A hash made at a lower cost than BCRYPT_ROUNDS is replaced, now that the password is at hand. */
  private async upgradePasswordHash(userId: string, storedHash: string, password: string): Promise<void> {
    const cost = bcryptCost(storedHash);
    if (cost === null || cost >= this.options.passwords.rounds) return;
    const passwordHash = await this.options.passwords.hash(password);
    // Only over the hash just checked: a password changed meanwhile wins.
    await this.prisma.user.updateMany({ where: { id: userId, password: storedHash }, data: { password: passwordHash } });
  }
}
