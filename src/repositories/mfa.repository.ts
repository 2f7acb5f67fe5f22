/**
 * Two-factor sign-in: the TOTP factor (its secret sealed), the recovery codes and the pending
 * sign-ins (`mfaToken`s), the last two as SHA-256 hashes only. Writes that belong with other changes
 * take the caller's transaction (`tx`).
 */
import fp from 'fastify-plugin';
import type { Database } from '../plugins/database.js';
import { changedRows, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';

export interface StoredFactor {
  secretEncrypted: string;
  active: boolean;
}

export interface StoredChallenge {
  id: string;
  userId: string;
}

export class MfaRepository {
  constructor(private readonly db: Database) {}

  async findFactor(userId: string): Promise<StoredFactor | null> {
    const { rows } = await this.db.pg.query<StoredFactor>(
      `SELECT "secretEncrypted", "activatedAt" IS NOT NULL AS active FROM "MfaFactor" WHERE "userId" = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** Stores a pending factor, replacing a pending one; false (nothing changed) when one is active. */
  async savePending(userId: string, secretEncrypted: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.pg.query(
      `INSERT INTO "MfaFactor" ("userId", "secretEncrypted", "createdAt") VALUES ($1, $2, $3::timestamp)
       ON CONFLICT ("userId") DO UPDATE SET "secretEncrypted" = EXCLUDED."secretEncrypted", "createdAt" = EXCLUDED."createdAt", "lastUsedStep" = NULL
       WHERE "MfaFactor"."activatedAt" IS NULL`,
      [userId, secretEncrypted, utcTimestamp(now)],
    );
    return rowCount === 1;
  }

  /**
   * Records `step` as the user's last accepted TOTP step, if it is later than the last one: false
   * when it is not (a replayed code, also by a concurrent request). With `activate`, only for a
   * pending factor, which becomes active.
   */
  async acceptStep(userId: string, step: number, options: { activate: boolean; now: Date }, tx: Queryable = this.db.pg): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE "MfaFactor" SET "lastUsedStep" = $2, "activatedAt" = CASE WHEN $3 THEN $4::timestamp ELSE "activatedAt" END
       WHERE "userId" = $1 AND ("lastUsedStep" IS NULL OR "lastUsedStep" < $2) AND ("activatedAt" IS NULL) = $3`,
      [userId, step, options.activate, utcTimestamp(options.now)],
    );
    return rowCount === 1;
  }

  /** Turns two-factor sign-in off: the factor and the recovery codes go. */
  async deleteFactor(userId: string, tx: Queryable): Promise<void> {
    await tx.query(`DELETE FROM "RecoveryCode" WHERE "userId" = $1`, [userId]);
    await tx.query(`DELETE FROM "MfaFactor" WHERE "userId" = $1`, [userId]);
  }

  /** Replaces the user's recovery codes with these (hashes). */
  async replaceRecoveryCodes(userId: string, codeHashes: string[], now: Date, tx: Queryable): Promise<void> {
    await tx.query(`DELETE FROM "RecoveryCode" WHERE "userId" = $1`, [userId]);
    await tx.query(
      `INSERT INTO "RecoveryCode" (id, "userId", "codeHash", "createdAt")
       SELECT gen_random_uuid(), $1, hash, $3::timestamp FROM unnest($2::text[]) AS hash`,
      [userId, codeHashes, utcTimestamp(now)],
    );
  }

  /** Uses the unused recovery code with this hash: false when there is none. */
  async useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.pg.query(
      `UPDATE "RecoveryCode" SET "usedAt" = $3::timestamp
       WHERE id = (SELECT id FROM "RecoveryCode" WHERE "userId" = $1 AND "codeHash" = $2 AND "usedAt" IS NULL LIMIT 1)
         AND "usedAt" IS NULL`,
      [userId, codeHash, utcTimestamp(now)],
    );
    return rowCount === 1;
  }

  async createChallenge(challenge: { id: string; tokenHash: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.db.pg.query(
      `INSERT INTO "MfaChallenge" (id, "tokenHash", "userId", "expiresAt", "createdAt") VALUES ($1, $2, $3, $4::timestamp, $5::timestamp)`,
      [challenge.id, challenge.tokenHash, challenge.userId, utcTimestamp(challenge.expiresAt), utcTimestamp(challenge.now)],
    );
  }

  /** Whose sign-in the challenge with this token hash is (live or not), or null. */
  async findChallengeUser(tokenHash: string): Promise<{ userId: string } | null> {
    const { rows } = await this.db.pg.query<{ userId: string }>(`SELECT "userId" FROM "MfaChallenge" WHERE "tokenHash" = $1`, [tokenHash]);
    return rows[0] ?? null;
  }

  /**
   * Takes one attempt of the live challenge with this token hash (unused, unexpired, under
   * `maxAttempts` attempts), atomically: concurrent requests cannot try more codes than that. Null
   * when there is no such challenge. A right code gives the attempt back (`useChallenge`).
   */
  async takeChallengeAttempt(tokenHash: string, maxAttempts: number, now: Date): Promise<StoredChallenge | null> {
    const { rows } = await this.db.pg.query<StoredChallenge>(
      `UPDATE "MfaChallenge" SET failures = failures + 1
       WHERE "tokenHash" = $1 AND "usedAt" IS NULL AND "expiresAt" > $2::timestamp AND failures < $3
       RETURNING id, "userId"`,
      [tokenHash, utcTimestamp(now), maxAttempts],
    );
    return rows[0] ?? null;
  }

  /** Marks the challenge used (its attempt was a right code), if it still is live: false when another request used it first. */
  async useChallenge(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.pg.query(
      `UPDATE "MfaChallenge" SET "usedAt" = $2::timestamp, failures = failures - 1 WHERE id = $1 AND "usedAt" IS NULL`,
      [id, utcTimestamp(now)],
    );
    return rowCount === 1;
  }

  /** Deletes at most `limit` challenges expired before `before`. */
  deleteExpiredChallenges(before: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "MfaChallenge" WHERE id IN (SELECT id FROM "MfaChallenge" WHERE "expiresAt" < $1::timestamp LIMIT $2)`,
      [utcTimestamp(before), limit],
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    mfaRepository: MfaRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('mfaRepository', new MfaRepository(fastify));
  },
  { name: 'mfa-repository', dependencies: ['database'] },
);
