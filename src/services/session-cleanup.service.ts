/**
 * Deletes sessions and refresh tokens that can never be used again, in small batches so a large
 * backlog never holds long locks: refresh tokens past their expiry, sessions past their expiry, and
 * sessions revoked more than `revokedRetentionDays` ago (kept a while so users can see recent
 * sign-outs in the data). Deleting a session deletes its refresh tokens too. Also the login
 * throttle's counts whose last failure is older than COUNT_LIFETIME_HOURS (they no longer count).
 */
import type { PrismaClient } from '../db/client.js';
import { COUNT_LIFETIME_HOURS } from './login-throttle.service.js';

export interface CleanupOptions {
  now?: Date;
  batchSize?: number;
  revokedRetentionDays?: number;
}

export interface CleanupResult {
  sessions: number;
  refreshTokens: number;
  loginThrottles: number;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_REVOKED_RETENTION_DAYS = 7;

export async function deleteDeadSessions(prisma: PrismaClient, options: CleanupOptions = {}): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const revokedBefore = new Date(now.getTime() - (options.revokedRetentionDays ?? DEFAULT_REVOKED_RETENTION_DAYS) * 86_400_000);

  const sessions = await deleteInBatches(
    () => prisma.$executeRaw`
      DELETE FROM "Session" WHERE id IN (
        SELECT id FROM "Session" WHERE "expiresAt" < ${now} OR "revokedAt" < ${revokedBefore} LIMIT ${batchSize})`,
    batchSize,
  );
  const refreshTokens = await deleteInBatches(
    () => prisma.$executeRaw`
      DELETE FROM "RefreshToken" WHERE id IN (
        SELECT id FROM "RefreshToken" WHERE "expiresAt" < ${now} LIMIT ${batchSize})`,
    batchSize,
  );
  // SKIP LOCKED: a row a login attempt holds is left for next time, and the cleanup never waits
  // on (or deadlocks with) one; the locking clause re-checks "updatedAt" on the latest version.
  const throttleStaleBefore = new Date(now.getTime() - COUNT_LIFETIME_HOURS * 3_600_000);
  const loginThrottles = await deleteInBatches(
    () => prisma.$executeRaw`
      DELETE FROM "LoginThrottle" WHERE (email, ip) IN (
        SELECT email, ip FROM "LoginThrottle" WHERE "updatedAt" < ${throttleStaleBefore} LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  return { sessions, refreshTokens, loginThrottles };
}

async function deleteInBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
