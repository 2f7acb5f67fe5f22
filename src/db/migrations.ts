/**
 * Migrations are Prisma's (prisma/migrations). The server compares them at start with what the
 * database has applied (asked through DatabaseRepository), and applies them (embedded database only)
 * by running `prisma migrate deploy`. The job queue's schema is pg-boss's own: created or upgraded when
 * the server starts (src/plugins/job-queue.ts), and by `deployMigrations`, which builds the test template.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installJobQueue } from '../jobs/queue.js';
import type { DatabaseRepository } from '../repositories/database.repository.js';
import { createPool } from './client.js';
import { PROJECT_ROOT } from '../utils/paths.js';

const MIGRATIONS_DIR = join(PROJECT_ROOT, 'prisma', 'migrations');
const UNREF_TIMERS_PRELOAD = join(PROJECT_ROOT, 'prisma', 'offline', 'unref-timers.cjs');

function listMigrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The migrations in prisma/migrations that the database has not (successfully) applied. */
export async function findPendingMigrations(database: Pick<DatabaseRepository, 'appliedMigrations'>): Promise<string[]> {
  const applied = new Set(await database.appliedMigrations());
  return listMigrationNames().filter((name) => !applied.has(name));
}

/** How to run the Prisma CLI offline (see prisma/offline) against `databaseUrl`. */
export function prismaCliCommand(args: string[], databaseUrl: string) {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  return {
    file: process.execPath,
    args: ['--require', UNREF_TIMERS_PRELOAD, cli, ...args],
    options: { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' } },
  };
}

/** Applies Prisma's migrations, then creates the job queue's schema and queues (src/jobs/queue.ts). */
export async function deployMigrations(databaseUrl: string): Promise<void> {
  const { file, args, options } = prismaCliCommand(['migrate', 'deploy'], databaseUrl);
  await promisify(execFile)(file, args, options);
  const pool = createPool(databaseUrl);
  try {
    await installJobQueue(pool);
  } finally {
    await pool.end();
  }
}
