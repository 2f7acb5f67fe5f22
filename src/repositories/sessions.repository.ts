/**
 * Sessions and their refresh tokens (only SHA-256 hashes of tokens are stored). The two busiest
 * writes, a login's new session and a refresh's rotation, are prepared SQL on the pool; the rest is
 * Prisma. Also the cleanup of sessions and tokens that can never be used again.
 */
import fp from 'fastify-plugin';
import { isSqlForeignKeyViolation } from '../db/errors.js';
import type { Database } from '../plugins/database.js';
import { NotFoundError } from '../utils/errors.js';
import { changedRows, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';

/** A session to store with its first refresh token, which ends when it does (until refreshed). */
export interface NewSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  refreshToken: { id: string; tokenHash: string };
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

  /** Stores a session and its first token in one statement; NotFoundError when the user is gone. */
  async create(session: NewSession, on: Queryable = this.db.pg): Promise<void> {
    try {
      await on.query({
        // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
        name: 'create-session',
        text: `WITH session AS (
           INSERT INTO "Session" (id, "userId", "createdAt", "lastUsedAt", "expiresAt", "userAgent")
           VALUES ($1, $2, $3::timestamp, $3::timestamp, $4::timestamp, $5) RETURNING id
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
        ],
      });
    } catch (error) {
      throw isSqlForeignKeyViolation(error) ? new NotFoundError('User not found') : error;
    }
  }

  /**
   * The common refresh in one statement: the presented token is live, unrotated and its session
   * live and started after `startedAfter`; it is marked rotated (naming its successor), the session
   * extended and the successor stored. The user's email, or null when any of that does not hold.
   * Row locks make it atomic: of concurrent refreshes with one token, one rotates and the others get
   * null (their UPDATE re-checks `rotatedAt` once the first commits), as does a refresh racing a
   * revocation of its session.
   */
  async rotate(rotation: Rotation): Promise<string | null> {
    const { rows } = await this.db.pg.query<{ email: string }>({
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
        utcTimestamp(rotation.now),
        utcTimestamp(rotation.expiresAt),
        rotation.tokenHash,
        rotation.tokenId,
        rotation.sessionId,
        rotation.userId,
        rotation.next.id,
        rotation.next.tokenHash,
        utcTimestamp(rotation.startedAfter),
      ],
    });
    return rows[0]?.email ?? null;
  }

  /** The token with this hash, with its session's state and its user's email. */
  findToken(tokenHash: string) {
    return this.db.prisma.refreshToken.findUnique({
      where: { tokenHash },
      select: {
        ...storedTokenFields,
        session: { select: { revokedAt: true, expiresAt: true, createdAt: true } },
        user: { select: { email: true } },
      },
    });
  }

  /** The token with this id (a successor). */
  findTokenById(id: string) {
    return this.db.prisma.refreshToken.findUnique({ where: { id }, select: storedTokenFields });
  }

  /** Revokes the unrevoked sessions `filter` names, and their tokens; returns their ids. */
  async revoke(filter: SessionFilter, now: Date): Promise<string[]> {
    const revoked = await this.db.prisma.session.updateManyAndReturn({
      where: {
        userId: filter.userId,
        id: filter.exceptId === undefined ? filter.id : { equals: filter.id, not: filter.exceptId },
        expiresAt: filter.unexpiredAt && { gt: filter.unexpiredAt },
        revokedAt: null,
      },
      data: { revokedAt: now },
      select: { id: true },
    });
    const sessionIds = revoked.map((session) => session.id);
    if (sessionIds.length > 0) {
      await this.db.prisma.refreshToken.updateMany({
        where: { sessionId: { in: sessionIds }, revokedAt: null },
        data: { revokedAt: now },
      });
    }
    return sessionIds;
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

  /** The user's sessions that are neither revoked nor expired at `now`, most recently used first. */
  listActive(userId: string, now: Date) {
    return this.db.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
      orderBy: { lastUsedAt: 'desc' },
    });
  }

  /** Whose session this is, and whether and when it ended; null when there is none. */
  findState(sessionId: string) {
    return this.db.prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true, revokedAt: true, expiresAt: true } });
  }

  /** Deletes at most `limit` sessions (with their tokens) expired at `now` or revoked before `revokedBefore`. */
  deleteDead(now: Date, revokedBefore: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "Session" WHERE id IN (
         SELECT id FROM "Session" WHERE "expiresAt" < $1::timestamp OR "revokedAt" < $2::timestamp LIMIT $3)`,
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
