/**
 * Email tokens (a link token and its 6-digit code, as SHA-256 hashes) and the wrong codes counted per
 * address. Every write here runs in the caller's transaction (`tx`), beside the user change and the
 * queued email it belongs with.
 */
import fp from 'fastify-plugin';
import type { Database } from '../plugins/database.js';
import { changedRows, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';

export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

export interface NewEmailToken {
  id: string;
  userId: string;
  purpose: EmailTokenPurpose;
  email: string;
  tokenHash: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface StoredEmailToken {
  id: string;
  userId: string;
  purpose: EmailTokenPurpose;
  email: string;
  codeHash: string;
}

const RETURNED = `id, "userId", purpose, email, "codeHash"`;

export class EmailTokensRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores `token` after cancelling the user's live tokens of its purpose beyond the newest
   * `keepLive`. Call it after locking the user (UsersRepository.lockForEmail), so that two requests
   * for one user cannot both keep the same older tokens.
   */
  async insert(token: NewEmailToken, keepLive: number, tx: Queryable): Promise<void> {
    const now = utcTimestamp(token.createdAt);
    await tx.query(
      `UPDATE "EmailToken" SET "usedAt" = $3::timestamp WHERE id IN (
         SELECT id FROM "EmailToken"
         WHERE "userId" = $1 AND purpose = $2::"EmailTokenPurpose" AND "usedAt" IS NULL AND "expiresAt" > $3::timestamp
         ORDER BY "createdAt" DESC, id OFFSET $4)`,
      [token.userId, token.purpose, now, keepLive],
    );
    await tx.query(
      `INSERT INTO "EmailToken" (id, "userId", purpose, email, "tokenHash", "codeHash", "expiresAt", "createdAt")
       VALUES ($1, $2, $3::"EmailTokenPurpose", $4, $5, $6, $7::timestamp, $8::timestamp)`,
      [token.id, token.userId, token.purpose, token.email, token.tokenHash, token.codeHash, utcTimestamp(token.expiresAt), now],
    );
  }

  /** The live token with this hash and one of `purposes`, or null. */
  async findLiveByTokenHash(
    tokenHash: string,
    purposes: EmailTokenPurpose[],
    now: Date,
    tx: Queryable = this.db.pg,
  ): Promise<StoredEmailToken | null> {
    const { rows } = await tx.query<StoredEmailToken>(
      `SELECT ${RETURNED} FROM "EmailToken"
       WHERE "tokenHash" = $1 AND purpose = ANY($2::"EmailTokenPurpose"[]) AND "usedAt" IS NULL AND "expiresAt" > $3::timestamp`,
      [tokenHash, purposes, utcTimestamp(now)],
    );
    return rows[0] ?? null;
  }

  /** The live tokens sent to `email` with one of `purposes` whose code has had fewer than `maxCodeFailures` wrong tries, newest first. */
  async findLiveCodesForAddress(
    email: string,
    purposes: EmailTokenPurpose[],
    maxCodeFailures: number,
    now: Date,
    tx: Queryable,
  ): Promise<StoredEmailToken[]> {
    const { rows } = await tx.query<StoredEmailToken>(
      `SELECT ${RETURNED} FROM "EmailToken"
       WHERE email = $1 AND purpose = ANY($2::"EmailTokenPurpose"[]) AND "usedAt" IS NULL AND "expiresAt" > $3::timestamp
         AND "codeFailures" < $4
       ORDER BY "createdAt" DESC, id`,
      [email, purposes, utcTimestamp(now), maxCodeFailures],
    );
    return rows;
  }

  /**
   * Holds a lock on `email`'s code attempts until the transaction ends: attempts on one address run
   * one after the other, so concurrent guesses cannot slip past the failure limits.
   */
  async lockCodeAttempts(email: string, tx: Queryable): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`email-code:${email}`]);
  }

  /**
   * Marks the token used if it still is live; false when it was used, cancelled or expired meanwhile.
   * Lock its user first (UsersRepository.lock): every transaction here takes the user, then tokens.
   */
  async markUsed(id: string, now: Date, tx: Queryable): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE "EmailToken" SET "usedAt" = $2::timestamp WHERE id = $1 AND "usedAt" IS NULL AND "expiresAt" > $2::timestamp`,
      [id, utcTimestamp(now)],
    );
    return rowCount === 1;
  }

  /** Counts a wrong code against each of `tokenIds` (their codes, not their links) and against the address. */
  async recordCodeFailure(
    failure: { email: string; purpose: EmailTokenPurpose; tokenIds: string[]; now: Date },
    tx: Queryable,
  ): Promise<void> {
    const now = utcTimestamp(failure.now);
    await tx.query(`UPDATE "EmailToken" SET "codeFailures" = "codeFailures" + 1 WHERE id = ANY($1::uuid[])`, [failure.tokenIds]);
    await tx.query(
      `INSERT INTO "EmailCodeFailure" (id, email, purpose, "createdAt") VALUES (gen_random_uuid(), $1, $2::"EmailTokenPurpose", $3::timestamp)`,
      [failure.email, failure.purpose, now],
    );
  }

  /** Wrong codes for this address and purpose since `since`. */
  async countCodeFailures(email: string, purpose: EmailTokenPurpose, since: Date, tx: Queryable): Promise<number> {
    const { rows } = await tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "EmailCodeFailure" WHERE email = $1 AND purpose = $2::"EmailTokenPurpose" AND "createdAt" > $3::timestamp`,
      [email, purpose, utcTimestamp(since)],
    );
    return rows[0]!.count;
  }

  /** Cancels every live token of the user (after a change of password or address). */
  async cancelAllOfUser(userId: string, now: Date, tx: Queryable): Promise<void> {
    await tx.query(`UPDATE "EmailToken" SET "usedAt" = $2::timestamp WHERE "userId" = $1 AND "usedAt" IS NULL`, [
      userId,
      utcTimestamp(now),
    ]);
  }

  /** Deletes at most `limit` tokens expired before `before`. */
  deleteExpired(before: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "EmailToken" WHERE id IN (SELECT id FROM "EmailToken" WHERE "expiresAt" < $1::timestamp LIMIT $2)`,
      [utcTimestamp(before), limit],
    );
  }

  /** Deletes at most `limit` wrong-code records made before `before`. */
  deleteCodeFailures(before: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "EmailCodeFailure" WHERE id IN (SELECT id FROM "EmailCodeFailure" WHERE "createdAt" < $1::timestamp LIMIT $2)`,
      [utcTimestamp(before), limit],
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    emailTokensRepository: EmailTokensRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('emailTokensRepository', new EmailTokensRepository(fastify));
  },
  { name: 'email-tokens-repository', dependencies: ['database'] },
);
