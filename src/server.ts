/**
 * The entry point: load the configuration → start the embedded database when DATABASE_URL is
 * unset → check (or, embedded, apply) migrations → buildApp → listen. SIGINT/SIGTERM stop accepting
 * connections, let in-flight requests finish, close Prisma and the embedded database, and exit 0.
 */
import { resolve } from 'node:path';
import closeWithGrace from 'close-with-grace';
import dotenv from 'dotenv';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureDevSecrets } from './config/dev-secrets.js';
import { ConfigError, loadConfig } from './config/env.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './dev/embedded.js';
import { deployMigrations, findPendingMigrations } from './db/migrations.js';
import { ENV_FILE, PROJECT_ROOT } from './utils/paths.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  dotenv.config({ path: ENV_FILE, quiet: true });
  const generatedSecrets = ensureDevSecrets(process.env, ENV_FILE);
  const config = loadConfig(process.env);

  let embedded: EmbeddedDatabase | undefined;
  let app: FastifyInstance | undefined;
  const stop = async (): Promise<void> => {
    await app?.close();
    await embedded?.stop();
  };

  try {
    const embeddedStartedAt = performance.now();
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: resolve(PROJECT_ROOT, config.embeddedDataDir) });
    }
    app = await buildApp({ ...config, databaseUrl: config.databaseUrl ?? embedded!.url });

    if (generatedSecrets.length > 0) {
      app.log.info(`Generated ${generatedSecrets.join(' and ')} for development and saved them to ${ENV_FILE}`);
    }
    const pending = await findPendingMigrations(app.databaseRepository);
    if (embedded) {
      if (pending.length > 0) await deployMigrations(embedded.url);
      const ms = Math.round(performance.now() - embeddedStartedAt);
      app.log.info(`Embedded PostgreSQL ready in ${ms} ms (data in ${embedded.dataDir}, ${pending.length} migration(s) applied)`);
    } else if (pending.length > 0) {
      throw new ConfigError(`The database is missing migrations ${pending.join(', ')}: run \`npm run db:deploy\` first`);
    }

    closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
      if (err) app?.log.error({ err }, 'shutting down after an error');
      else app?.log.info(`${signal ?? 'shutdown'}: closing`);
      await stop();
    });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Could not start: ${message}\n`);
  process.exit(1);
});
