/**
 * Deletes sessions and refresh tokens that can never be used again, in small batches so a large
 * backlog never holds long locks: refresh tokens past their expiry, sessions past their expiry, and
 * sessions revoked more than `revokedRetentionDays` ago (kept a while so users can see recent
 * sign-outs in the data). Deleting a session deletes its refresh tokens too. Also the login
 * throttle's counts unchanged (no failure, no reset) for COUNT_LIFETIME_HOURS (they no longer count),
 * email tokens past their expiry, wrong email codes older than the 24 hours they count for, and
 * security events older than SECURITY_EVENT_RETENTION_DAYS (90), and the deletions GET /sync lists,
 * after SYNC_DELETION_RETENTION_DAYS (30).
 * Run by src/plugins/session-cleanup.ts on an interval, and by `npm run db:cleanup`.
 */
import type { Database } from '../plugins/database.js';
import { EmailTokensRepository } from '../repositories/email-tokens.repository.js';
import { MfaRepository } from '../repositories/mfa.repository.js';
import { LoginThrottleRepository } from '../repositories/login-throttle.repository.js';
import { SecurityEventsRepository } from '../repositories/security-events.repository.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';
import { SyncRepository } from '../repositories/sync.repository.js';
import { WRONG_CODES_WINDOW_MS } from './email-token.service.js';
import { COUNT_LIFETIME_HOURS } from './login-throttle.service.js';
import { SECURITY_EVENT_RETENTION_DAYS } from './security-event.service.js';
import { SYNC_DELETION_RETENTION_DAYS } from './sync.service.js';

/** The repositories it deletes through (an app instance has them all). */
export interface CleanupRepositories {
  sessionsRepository: SessionsRepository;
  loginThrottleRepository: LoginThrottleRepository;
  emailTokensRepository: EmailTokensRepository;
  securityEventsRepository: SecurityEventsRepository;
  mfaRepository: MfaRepository;
  syncRepository: SyncRepository;
}

/** The repositories over a database of the caller's own (`npm run db:cleanup`, the scale benchmark). */
export const cleanupRepositoriesOver = (db: Database): CleanupRepositories => ({
  sessionsRepository: new SessionsRepository(db),
  loginThrottleRepository: new LoginThrottleRepository(db),
  emailTokensRepository: new EmailTokensRepository(db),
  securityEventsRepository: new SecurityEventsRepository(db),
  mfaRepository: new MfaRepository(db),
  syncRepository: new SyncRepository(db),
});

export interface CleanupOptions {
  now?: Date;
  batchSize?: number;
  revokedRetentionDays?: number;
}

export interface CleanupResult {
  sessions: number;
  refreshTokens: number;
  loginThrottles: number;
  emailTokens: number;
  emailCodeFailures: number;
  securityEvents: number;
  mfaChallenges: number;
  syncDeletions: number;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_REVOKED_RETENTION_DAYS = 7;

export async function deleteDeadSessions(
  {
    sessionsRepository,
    loginThrottleRepository,
    emailTokensRepository,
    securityEventsRepository,
    mfaRepository,
    syncRepository,
  }: CleanupRepositories,
  options: CleanupOptions = {},
): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const revokedBefore = new Date(now.getTime() - (options.revokedRetentionDays ?? DEFAULT_REVOKED_RETENTION_DAYS) * 86_400_000);
  const throttleStaleBefore = new Date(now.getTime() - COUNT_LIFETIME_HOURS * 3_600_000);

  const sessions = await deleteInBatches(() => sessionsRepository.deleteDead(now, revokedBefore, batchSize), batchSize);
  const refreshTokens = await deleteInBatches(() => sessionsRepository.deleteExpiredTokens(now, batchSize), batchSize);
  const loginThrottles = await deleteInBatches(() => loginThrottleRepository.deleteStale(throttleStaleBefore, batchSize), batchSize);
  const emailTokens = await deleteInBatches(() => emailTokensRepository.deleteExpired(now, batchSize), batchSize);
  const codesBefore = new Date(now.getTime() - WRONG_CODES_WINDOW_MS);
  const emailCodeFailures = await deleteInBatches(() => emailTokensRepository.deleteCodeFailures(codesBefore, batchSize), batchSize);
  const eventsBefore = new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * 86_400_000);
  const securityEvents = await deleteInBatches(() => securityEventsRepository.deleteOlderThan(eventsBefore, batchSize), batchSize);
  const mfaChallenges = await deleteInBatches(() => mfaRepository.deleteExpiredChallenges(now, batchSize), batchSize);
  const syncBefore = new Date(now.getTime() - SYNC_DELETION_RETENTION_DAYS * 86_400_000);
  const syncDeletions = await deleteInBatches(() => syncRepository.deleteExpired(syncBefore, batchSize), batchSize);
  return { sessions, refreshTokens, loginThrottles, emailTokens, emailCodeFailures, securityEvents, mfaChallenges, syncDeletions };
}

async function deleteInBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
