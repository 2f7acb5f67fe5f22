/**
 * The login throttle: growing delays after failed sign-ins instead of a hard lock that an attacker
 * could use to keep the owner out (API.md, "Passwords and sign-in protection").
 *
 * Two counts of consecutive failures per email (trimmed and lower-cased; the account need not exist,
 * so unknown and known emails are throttled alike):
 * - per email and client IP: after the first `freeAttempts` failures, the next attempt waits 2 s,
 *   then 4, 8, … up to 15 minutes (2^(n − free) seconds for the n-th attempt);
 * - per email across all IPs (the row whose ip is ''): after the first `freeAttempts` failures, 1 s,
 *   then 2, 4, and at most 5 s: a stranger elsewhere delays the owner by 5 s at most, while a
 *   distributed guesser gets one guess per 5 s per account.
 * A blocked attempt is a TooManyRequestsError: it checks no password and counts nothing. A sign-in
 * that issues tokens resets both counts (of its IP; other IPs' counts stay). Counts whose last
 * failure is older than COUNT_LIFETIME_HOURS start again from zero, and the session cleanup deletes
 * them (src/services/session-cleanup.service.ts).
 *
 * The counts live in PostgreSQL: every instance shares them, they survive restarts, and no cache
 * size limits how many emails are remembered. An attempt is counted as a failure *before* its
 * password is checked, under row locks, so a burst of concurrent guesses cannot all slip through
 * before the first failure is recorded. Plain SQL on the pool, as the login itself: it is on the
 * login's hot path, and needs ON CONFLICT and row locks, which Prisma does not express.
 */
import type pg from 'pg';
import { TooManyRequestsError } from '../utils/errors.js';

/** A count whose last failure is older than this starts again from zero. */
export const COUNT_LIFETIME_HOURS = 24;
const MAX_DELAY_PER_IP_SECONDS = 15 * 60;
const MAX_DELAY_PER_EMAIL_SECONDS = 5;
/** The `ip` of the row that counts an email's failures from every IP (written '' in the SQL). */
const ALL_IPS = '';

export interface LoginThrottleOptions {
  /** Consecutive failures that cost no delay (LOGIN_THROTTLE_FREE_ATTEMPTS). */
  freeAttempts: number;
}

/** The wait, in seconds, before the attempt after `failures` consecutive failures (0: none). */
export function delayAfter(failures: number, freeAttempts: number, scope: 'ip' | 'email'): number {
  if (failures < freeAttempts) return 0;
  // The (free + 1)-th attempt waits 2 s per IP, 1 s per email; each further one twice as long.
  return scope === 'ip'
    ? Math.min(2 ** (failures - freeAttempts + 1), MAX_DELAY_PER_IP_SECONDS)
    : Math.min(2 ** (failures - freeAttempts), MAX_DELAY_PER_EMAIL_SECONDS);
}

interface CountRow {
  ip: string;
  failures: number;
  blockedUntil: Date | null;
  updatedAt: Date;
}

export class LoginThrottle {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: LoginThrottleOptions,
  ) {}

  /**
   * Runs `attempt` (a sign-in) under the throttle: TooManyRequestsError without running it while
   * either count blocks, else it counts as a failure unless it returns (tokens were issued).
   */
  async guard<T>(email: string, ip: string, attempt: () => Promise<T>): Promise<T> {
    await this.reserve(email, ip);
    const result = await attempt();
    await this.reset(email, ip);
    return result;
  }

  /**
   * Counts an attempt as a failure before its password is checked, or throws TooManyRequestsError
   * (changing nothing) while either count blocks. Both rows are locked, the all-IP row first (as
   * `reset` does, so the two never deadlock), until the new counts are written.
   */
  async reserve(email: string, ip: string): Promise<void> {
    const now = new Date();
    const client = await this.pool.connect();
    let failed = true;
    try {
      await client.query('BEGIN');
      const at = now.toISOString();
      // Inserts the missing rows; the no-op update locks and returns the existing ones.
      const { rows } = await client.query<CountRow>({
        name: 'login-throttle-lock',
        text: `INSERT INTO "LoginThrottle" (email, ip, failures, "blockedUntil", "updatedAt")
               VALUES ($1, '', 0, NULL, $3::timestamp), ($1, $2, 0, NULL, $3::timestamp)
               ON CONFLICT (email, ip) DO UPDATE SET failures = "LoginThrottle".failures
               RETURNING ip, failures, "blockedUntil" AT TIME ZONE 'UTC' AS "blockedUntil", "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"`,
        values: [email, ip, at],
      });
      const staleBefore = now.getTime() - COUNT_LIFETIME_HOURS * 3_600_000;
      const live = rows.map((row) => (row.updatedAt.getTime() < staleBefore ? { ...row, failures: 0, blockedUntil: null } : row));

      const blockedUntil = Math.max(...live.map((row) => row.blockedUntil?.getTime() ?? 0));
      if (blockedUntil > now.getTime()) {
        await client.query('ROLLBACK');
        failed = false;
        throw new TooManyRequestsError(Math.ceil((blockedUntil - now.getTime()) / 1000));
      }

      // Both rows, each with its new count and the end of the wait it imposes (if any).
      const next = live.flatMap((row) => {
        const failures = row.failures + 1;
        const delay = delayAfter(failures, this.options.freeAttempts, row.ip === ALL_IPS ? 'email' : 'ip');
        return [row.ip, failures, delay > 0 ? new Date(now.getTime() + delay * 1000).toISOString() : null];
      });
      await client.query({
        name: 'login-throttle-count',
        text: `UPDATE "LoginThrottle" AS t SET failures = n.failures, "blockedUntil" = n."blockedUntil", "updatedAt" = $2::timestamp
               FROM (VALUES ($3::text, $4::int, $5::timestamp), ($6::text, $7::int, $8::timestamp)) AS n(ip, failures, "blockedUntil")
               WHERE t.email = $1 AND t.ip = n.ip`,
        values: [email, at, ...next],
      });
      await client.query('COMMIT');
      failed = false;
    } finally {
      // After an error mid-transaction the connection is dropped rather than reused.
      client.release(failed);
    }
  }

  /** Forgets the failures of `email` from `ip` and from all IPs: a sign-in issued tokens. */
  async reset(email: string, ip: string): Promise<void> {
    await this.pool.query({
      name: 'login-throttle-reset',
      // Locks in the order `reserve` does (the all-IP row first).
      text: `DELETE FROM "LoginThrottle" WHERE (email, ip) IN (
               SELECT email, ip FROM "LoginThrottle" WHERE email = $1 AND ip IN ('', $2) ORDER BY ip FOR UPDATE)`,
      values: [email, ip],
    });
  }
}
