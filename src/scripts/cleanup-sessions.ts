/**
 * `npm run db:cleanup`: delete dead sessions and refresh tokens once, against DATABASE_URL (or the
 * embedded database when it is unset). The server also does this periodically.
 */
import { createPrismaClient } from '../db/client.js';
import { openScriptDatabase } from '../dev/script-database.js';
import { deleteDeadSessions } from '../services/session-cleanup.service.js';

const database = await openScriptDatabase();
const prisma = createPrismaClient(database.url);
try {
  const deleted = await deleteDeadSessions(prisma);
  process.stdout.write(
    `Deleted ${deleted.sessions} session(s), ${deleted.refreshTokens} refresh token(s) and ${deleted.loginThrottles} stale login-throttle count(s)\n`,
  );
} finally {
  await prisma.$disconnect();
  await database.close();
}
