/**
 * `npm run db:cleanup`: delete dead sessions and refresh tokens (and the rest of the session cleanup) once, against DATABASE_URL (or the
 * embedded database when it is unset). The server also does this periodically.
 */
import { createPool, prismaOver } from '../db/client.js';
import { openScriptDatabase } from '../dev/script-database.js';
import { cleanupRepositoriesOver, deleteDeadSessions } from '../services/session-cleanup.service.js';

const database = await openScriptDatabase();
const pool = createPool(database.url);
const db = { prisma: prismaOver(pool), pg: pool };
try {
  const deleted = await deleteDeadSessions(cleanupRepositoriesOver(db));
  process.stdout.write(
    `Deleted ${deleted.sessions} session(s), ${deleted.refreshTokens} refresh token(s), ${deleted.loginThrottles} stale login-throttle count(s), ` +
      `${deleted.emailTokens} expired email token(s), ${deleted.emailCodeFailures} old wrong-code record(s), ` +
      `${deleted.securityEvents} security event(s) older than 90 days, ${deleted.mfaChallenges} expired sign-in challenge(s) ` +
      `and ${deleted.syncDeletions} sync deletion record(s) older than 30 days\n`,
  );
} finally {
  await db.prisma.$disconnect();
  await pool.end();
  await database.close();
}
