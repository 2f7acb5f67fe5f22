/**
 * Sessions and their refresh tokens (only SHA-256 hashes of tokens are stored). The two busiest
 * writes, a login's new session and a refresh's rotation, are prepared SQL on the pool; revocations
 * are SQL too, one statement each; the rest is Prisma. A login and a revocation write their security
 * event in the same statement (security-events.repository.ts). Also the cleanup of sessions and
 * tokens that can never be used again.
 */
import fp from 'fastify-plugin';
import { isSqlForeignKeyViolation } from '../db/errors.js';
import type { Database } from '../plugins/database.js';
import { NotFoundError } from '../utils/errors.js';
import { SECURITY_EVENT_COLUMNS, type SecurityEventType } from './security-events.repository.js';
import { changedRows, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';

/** A session to store with its first refresh token, which ends when it does (until refreshed). */
export interface NewSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  /** The client address, as TRUST_PROXY resolves it. */
  ip: string | null;
  /** Authenticator assurance level: 1 = password, 2 = password and a second factor. */
  aal: number;
  refreshToken: { id: string; tokenHash: string };
}

/** The security event a statement writes beside its change: its user, time and (unless given) session are the change's. */
export interface SessionEvent {
  id: string;
  type: SecurityEventType;
  ip: string | null;
  userAgent: string | null;
  /** Default: the session the statement started or revoked. */
  sessionId?: string | undefined;
}

/** A refresh: the presented token (by hash and claims), and the token that succeeds it. */
export interface Rotation {
  tokenHash: string;
  tokenId: string;
  sessionId: string;
  userId: string;
  now: Date;
  /** The successor's end, which becomes the session's. */
  expiresAt: Date;
  /** A session that started before this cannot last until `expiresAt`: then nothing is rotated. */
  startedAfter: Date;
  next: { id: string; tokenHash: string };
  /** The client address of the refresh, which becomes the session's "last seen" (null: keep it). */
  ip: string | null;
}

/** Which sessions to revoke: every condition given must hold. */
export interface SessionFilter {
  id?: string;
  userId?: string;
  /** Every session but this one. */
  exceptId?: string;
  /** Only sessions that have not expired at this time. */
  unexpiredAt?: Date;
}

const storedTokenFields = {
  id: true,
  sessionId: true,
  userId: true,
  tokenHash: true,
  createdAt: true,
  expiresAt: true,
  rotatedAt: true,
  successorId: true,
  revokedAt: true,
} as const;

export class SessionsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores a session and its first token, and with `event` the security event that started it (a
   * login; signup writes its own), in one statement; NotFoundError when the user is gone.
   */
  async create(session: NewSession, event: Pick<SessionEvent, 'id' | 'type'> | null, on: Queryable = this.db.pg): Promise<void> {
    try {
      await on.query({
        // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
        name: 'create-session',
        text: `WITH session AS (
           INSERT INTO "Session" (id, "userId", "createdAt", "lastUsedAt", "expiresAt", "userAgent", ip, aal)
           VALUES ($1, $2, $3::timestamp, $3::timestamp, $4::timestamp, $5, $8, $9) RETURNING id
         ), event AS (
           INSERT INTO "SecurityEvent" (${SECURITY_EVENT_COLUMNS})
           SELECT $10, $2, $11::"SecurityEventType", $3::timestamp, $8, $5, id FROM session WHERE $10::uuid IS NOT NULL
         )
         INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt", "createdAt")
         SELECT $6, $7, id, $2, $4::timestamp, $3::timestamp FROM session`,
        values: [
          session.id,
          session.userId,
          utcTimestamp(session.createdAt),
          utcTimestamp(session.expiresAt),
          session.userAgent,
          session.refreshToken.id,
          session.refreshToken.tokenHash,
          session.ip,
          session.aal,
          event?.id ?? null,
          event?.type ?? null,
        ],
      });
    } catch (error) {
      throw isSqlForeignKeyViolation(error) ? new NotFoundError('User not found') : error;
    }
  }

  /**
   * The common refresh in one statement: the presented token is live, unrotated and its session
   * live and started after `startedAfter`; it is marked rotated (naming its successor), the session
   * extended (its "last seen" address updated) and the successor stored. The user's email and the
   * session's level, or null when any of that does not hold.
   * Row locks make it atomic: of concurrent refreshes with one token, one rotates and the others get
   * null (their UPDATE re-checks `rotatedAt` once the first commits), as does a refresh racing a
   * revocation of its session.
   */
  async rotate(rotation: Rotation): Promise<{ email: string; aal: number } | null> {
    const { rows } = await this.db.pg.query<{ email: string; aal: number }>({
      name: 'rotate-refresh-token',
      text: `WITH rotated AS (
         UPDATE "RefreshToken" SET "rotatedAt" = $1::timestamp, "successorId" = $7
          WHERE "tokenHash" = $3 AND id = $4 AND "sessionId" = $5 AND "userId" = $6
            AND "rotatedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > $1::timestamp
            AND EXISTS (SELECT 1 FROM "Session" WHERE id = $5 AND "createdAt" >= $9::timestamp)
         RETURNING "sessionId"
       ), extended AS (
         UPDATE "Session" SET "lastUsedAt" = $1::timestamp, "expiresAt" = $2::timestamp, ip = COALESCE($10, ip)
          WHERE id = (SELECT "sessionId" FROM rotated) AND "revokedAt" IS NULL AND "expiresAt" > $1::timestamp
         RETURNING id, "userId", aal
       ), stored AS (
         INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt", "createdAt")
         SELECT $7, $8, id, "userId", $2::timestamp, $1::timestamp FROM extended
       )
       SELECT u.email, extended.aal FROM extended JOIN "User" u ON u.id = extended."userId"`,
      values: [
        utcTimestamp(rotation.now),
        utcTimestamp(rotation.expiresAt),
        rotation.tokenHash,
        rotation.tokenId,
        rotation.sessionId,
        rotation.userId,
        rotation.next.id,
        rotation.next.tokenHash,
        utcTimestamp(rotation.startedAfter),
        rotation.ip,
      ],
    });
    return rows[0] ?? null;
  }

  /** The token with this hash, with its session's state and its user's email. */
  findToken(tokenHash: string) {
    return this.db.prisma.refreshToken.findUnique({
      where: { tokenHash },
      select: {
        ...storedTokenFields,
        session: { select: { revokedAt: true, expiresAt: true, createdAt: true, aal: true } },
        user: { select: { email: true } },
      },
    });
  }

  /** The token with this id (a successor). */
  findTokenById(id: string) {
    return this.db.prisma.refreshToken.findUnique({ where: { id }, select: storedTokenFields });
  }

  /**
   * Revokes the unrevoked sessions `filter` names, and their tokens, and with `event` writes it (once,
   * when anything was revoked), in one statement; returns the sessions' ids.
   */
  async revoke(filter: SessionFilter, now: Date, event?: SessionEvent): Promise<string[]> {
    if (filter.id === undefined && filter.userId === undefined) throw new Error('revoke() needs a session id or a user id');
    const values: unknown[] = [utcTimestamp(now)];
    const param = (value: unknown): string => `$${values.push(value)}`;
    const conditions = ['"revokedAt" IS NULL'];
    if (filter.id !== undefined) conditions.push(`id = ${param(filter.id)}::uuid`);
    if (filter.userId !== undefined) conditions.push(`"userId" = ${param(filter.userId)}::uuid`);
    if (filter.exceptId !== undefined) conditions.push(`id <> ${param(filter.exceptId)}::uuid`);
    if (filter.unexpiredAt !== undefined) conditions.push(`"expiresAt" > ${param(utcTimestamp(filter.unexpiredAt))}::timestamp`);
    const recorded = event
      ? `, event AS (
           INSERT INTO "SecurityEvent" (${SECURITY_EVENT_COLUMNS})
           SELECT ${param(event.id)}::uuid, "userId", ${param(event.type)}::"SecurityEventType", $1::timestamp, ${param(event.ip)},
                  ${param(event.userAgent)}, COALESCE(${param(event.sessionId ?? null)}::uuid, id)
           FROM revoked LIMIT 1
         )`
      : '';
    const { rows } = await this.db.pg.query<{ id: string }>(
      `WITH revoked AS (
         UPDATE "Session" SET "revokedAt" = $1::timestamp WHERE ${conditions.join(' AND ')} RETURNING id, "userId"
       ), tokens AS (
         UPDATE "RefreshToken" SET "revokedAt" = $1::timestamp WHERE "sessionId" IN (SELECT id FROM revoked) AND "revokedAt" IS NULL
       )${recorded}
       SELECT id FROM revoked`,
      values,
    );
    return rows.map((row) => row.id);
  }

  /** In the caller's transaction: revokes every unrevoked session of the user and their tokens; returns the sessions' ids. */
  async revokeAllOfUser(userId: string, now: Date, tx: Queryable): Promise<string[]> {
    const { rows } = await tx.query<{ id: string }>(
      `WITH revoked AS (
         UPDATE "Session" SET "revokedAt" = $2::timestamp WHERE "userId" = $1 AND "revokedAt" IS NULL RETURNING id
       ), tokens AS (
         UPDATE "RefreshToken" SET "revokedAt" = $2::timestamp WHERE "sessionId" IN (SELECT id FROM revoked) AND "revokedAt" IS NULL
       )
       SELECT id FROM revoked`,
      [userId, utcTimestamp(now)],
    );
    return rows.map((row) => row.id);
  }

  /** Raises (or sets) the session's authenticator assurance level, in the caller's transaction. */
  async setAal(sessionId: string, aal: number, tx: Queryable): Promise<void> {
    await tx.query(`UPDATE "Session" SET aal = $2 WHERE id = $1`, [sessionId, aal]);
  }

  /** The level of the session, and whether its user has two-factor sign-in on; null for no such session. */
  async stepUpState(sessionId: string): Promise<{ aal: number; mfaOn: boolean } | null> {
    const { rows } = await this.db.pg.query<{ aal: number; mfaOn: boolean }>(
      `SELECT s.aal, EXISTS (SELECT 1 FROM "MfaFactor" f WHERE f."userId" = s."userId" AND f."activatedAt" IS NOT NULL) AS "mfaOn"
       FROM "Session" s WHERE s.id = $1`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  /** The user's sessions that are neither revoked nor expired at `now`, most recently used first. */
  listActive(userId: string, now: Date) {
    return this.db.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true, ip: true, aal: true },
      orderBy: { lastUsedAt: 'desc' },
    });
  }

  /** Whose session this is, and whether and when it ended; null when there is none. */
  findState(sessionId: string) {
    return this.db.prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true, revokedAt: true, expiresAt: true } });
  }

  /**
   * Deletes at most `limit` sessions (with their tokens) expired at `now` or revoked before
   * `revokedBefore`. The two conditions are two index range scans (an OR of them is one sequential
   * scan of the whole table per batch once few rows are dead).
   */
  deleteDead(now: Date, revokedBefore: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "Session" WHERE id IN (
         SELECT id FROM (
           (SELECT id FROM "Session" WHERE "expiresAt" < $1::timestamp LIMIT $3)
           UNION
           (SELECT id FROM "Session" WHERE "revokedAt" < $2::timestamp LIMIT $3)
         ) dead LIMIT $3)`,
      [utcTimestamp(now), utcTimestamp(revokedBefore), limit],
    );
  }

  /** Deletes at most `limit` refresh tokens expired at `now`. */
  deleteExpiredTokens(now: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "RefreshToken" WHERE id IN (SELECT id FROM "RefreshToken" WHERE "expiresAt" < $1::timestamp LIMIT $2)`,
      [utcTimestamp(now), limit],
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionsRepository: SessionsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('sessionsRepository', new SessionsRepository(fastify));
  },
  { name: 'sessions-repository', dependencies: ['database'] },
);
