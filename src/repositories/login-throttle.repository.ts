/**
 * The login throttle's counts of consecutive failures (src/services/login-throttle.service.ts has
 * the rules): one row per email and client IP, and one per email for all IPs (its `ip` is '').
 * Plain SQL on the pool: it is on the login's hot path, and needs row locks and ON CONFLICT.
 */
import fp from 'fastify-plugin';
import { isSqlUniqueViolation } from '../db/errors.js';
import type { Database } from '../plugins/database.js';
import { asDate, changedRows, utcTimestamp } from './sql.js';

/** A sign-in attempt to count, and the rules to count it by. */
export interface FailedAttempt {
  email: string;
  ip: string;
  now: Date;
  /** A count last changed before this starts again from zero. */
  staleBefore: Date;
  /** Failures that cost no wait. */
  freeAttempts: number;
  /** The waits (seconds) after the (free + 1)-th, (free + 2)-th … failure, the last one repeating. */
  delays: { ip: readonly number[]; email: readonly number[] };
}

/**
 * One statement, one round trip. Both rows are locked, the all-IP row first (as `reset` does, so the
 * two never deadlock), and read as they are once locked; if either still blocks, nothing is written,
 * else both counts grow by one, with the wait the new count earns. A row that does not exist yet is
 * inserted (a zero count); if a concurrent attempt inserted it first, the INSERT fails on the
 * primary key, the whole statement with it, and the repository runs it again (it then locks the row).
 */
const COUNT_FAILURE = `
  WITH locked AS MATERIALIZED (
    SELECT ip, failures, "blockedUntil", "updatedAt" FROM "LoginThrottle"
     WHERE email = $1 AND ip IN ('', $2) ORDER BY ip FOR UPDATE
  ), counts AS (
    SELECT scope.ip, scope.delays, locked.ip IS NOT NULL AS stored,
           CASE WHEN locked."updatedAt" >= $4::timestamp THEN locked.failures ELSE 0 END + 1 AS failures,
           CASE WHEN locked."updatedAt" >= $4::timestamp THEN locked."blockedUntil" END AS "blockedUntil"
      FROM (VALUES ('', $6::int[]), ($2, $7::int[])) AS scope(ip, delays) LEFT JOIN locked USING (ip)
  ), blocked AS (
    SELECT max("blockedUntil") AS until FROM counts WHERE "blockedUntil" > $3::timestamp
  ), counted AS (
    SELECT ip, stored, failures,
           CASE WHEN failures >= $5 THEN $3::timestamp + make_interval(secs => delays[LEAST(failures - $5 + 1, cardinality(delays))]) END AS "blockedUntil"
      FROM counts WHERE (SELECT until FROM blocked) IS NULL
  ), updated AS (
    UPDATE "LoginThrottle" AS t SET failures = counted.failures, "blockedUntil" = counted."blockedUntil", "updatedAt" = $3::timestamp
      FROM counted WHERE counted.stored AND t.email = $1 AND t.ip = counted.ip
  ), inserted AS (
    INSERT INTO "LoginThrottle" (email, ip, failures, "blockedUntil", "updatedAt")
    SELECT $1, ip, failures, "blockedUntil", $3::timestamp FROM counted WHERE NOT stored
  )
  SELECT ${asDate('until')} AS "blockedUntil" FROM blocked`;

/** Concurrent first attempts of one email (and IP) insert the same rows: all but one run again, once. */
const MAX_RUNS = 3;

export class LoginThrottleRepository {
  constructor(private readonly db: Pick<Database, 'pg'>) {}

  /**
   * Counts the attempt as a failure of its email from its IP and from all IPs; or, while either
   * count blocks, changes nothing and returns when the longer wait ends.
   */
  async countFailure(attempt: FailedAttempt): Promise<Date | null> {
    const values = [
      attempt.email,
      attempt.ip,
      utcTimestamp(attempt.now),
      utcTimestamp(attempt.staleBefore),
      attempt.freeAttempts,
      attempt.delays.email,
      attempt.delays.ip,
    ];
    for (let run = 1; ; run++) {
      try {
        // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
        const { rows } = await this.db.pg.query<{ blockedUntil: Date | null }>({
          name: 'login-throttle-count',
          text: COUNT_FAILURE,
          values,
        });
        return rows[0]?.blockedUntil ?? null;
      } catch (error) {
        if (!isSqlUniqueViolation(error) || run === MAX_RUNS) throw error;
      }
    }
  }

  /**
   * Forgets the failures of `email` from `ip` and from all IPs. The rows stay, at zero: deleting them
   * would make the next attempts insert them again, and concurrent ones collide (see COUNT_FAILURE).
   * `deleteStale` deletes them a day later.
   */
  async reset(email: string, ip: string, now: Date): Promise<void> {
    await this.db.pg.query({
      name: 'login-throttle-reset',
      // Locks in the order `countFailure` does (the all-IP row first).
      text: `UPDATE "LoginThrottle" SET failures = 0, "blockedUntil" = NULL, "updatedAt" = $3::timestamp WHERE (email, ip) IN (
               SELECT email, ip FROM "LoginThrottle" WHERE email = $1 AND ip IN ('', $2) ORDER BY ip FOR UPDATE)`,
      values: [email, ip, utcTimestamp(now)],
    });
  }

  /** Until when attempts for `email` from `ip` are refused, or null: reading only, counting nothing. */
  async blockedUntil(email: string, ip: string, now: Date): Promise<Date | null> {
    const { rows } = await this.db.pg.query<{ until: Date | null }>(
      `SELECT max("blockedUntil") AT TIME ZONE 'UTC' AS until FROM "LoginThrottle"
       WHERE email = $1 AND ip IN ('', $2) AND "blockedUntil" > $3::timestamp`,
      [email, ip, utcTimestamp(now)],
    );
    return rows[0]?.until ?? null;
  }

  /** Deletes at most `limit` counts last changed before `staleBefore`. */
  deleteStale(staleBefore: Date, limit: number): Promise<number> {
    // SKIP LOCKED: a row a login attempt holds is left for next time, and the cleanup never waits
    // on (or deadlocks with) one; the locking clause re-checks "updatedAt" on the latest version.
    return changedRows(
      this.db.pg,
      `DELETE FROM "LoginThrottle" WHERE (email, ip) IN (
         SELECT email, ip FROM "LoginThrottle" WHERE "updatedAt" < $1::timestamp LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [utcTimestamp(staleBefore), limit],
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    loginThrottleRepository: LoginThrottleRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('loginThrottleRepository', new LoginThrottleRepository(fastify));
  },
  { name: 'login-throttle-repository', dependencies: ['database'] },
);
