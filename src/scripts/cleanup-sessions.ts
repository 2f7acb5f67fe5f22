/**
 * `npm run db:cleanup`: delete dead sessions and refresh tokens once, against DATABASE_URL (or the
 * embedded database when it is unset). The server also does this periodically.
 */
import { join, resolve } from 'node:path';
import dotenv from 'dotenv';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { createPrismaClient } from '../db/prisma.js';
import { deleteDeadSessions } from '../services/session-cleanup.service.js';
import { PROJECT_ROOT } from '../utils/paths.js';

dotenv.config({ path: join(PROJECT_ROOT, '.env'), quiet: true });

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: resolve(PROJECT_ROOT, process.env.EMBEDDED_DATA_DIR || '.data/postgres') });
const prisma = createPrismaClient(process.env.DATABASE_URL || embedded!.url);
try {
  const deleted = await deleteDeadSessions(prisma);
  process.stdout.write(`Deleted ${deleted.sessions} session(s) and ${deleted.refreshTokens} refresh token(s)\n`);
} finally {
  await prisma.$disconnect();
  await embedded?.stop();
}
