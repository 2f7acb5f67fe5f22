/**
 * Deletes sessions and refresh tokens that can never be used again, in small batches so a large
 * backlog never holds long locks: refresh tokens past their expiry, sessions past their expiry, and
 * sessions revoked more than `revokedRetentionDays` ago (kept a while so users can see recent
 * sign-outs in the data). Deleting a session deletes its refresh tokens too.
 */
import type { PrismaClient } from '../db/prisma.js';

export interface CleanupOptions {
  now?: Date;
  batchSize?: number;
  revokedRetentionDays?: number;
}

export interface CleanupResult {
  sessions: number;
  refreshTokens: number;
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
  return { sessions, refreshTokens };
}

async function deleteInBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
