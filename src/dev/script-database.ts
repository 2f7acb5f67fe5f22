/**
 * The database a command-line script (npm run db:*) works on: DATABASE_URL from the environment or
 * .env, or, when it is unset or empty, the embedded PostgreSQL: the one `npm run dev` is running, or
 * one started for the script.
 */
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { DEFAULT_EMBEDDED_DATA_DIR } from '../config/env.js';
import { ENV_FILE, PROJECT_ROOT } from '../utils/paths.js';
import { startEmbeddedPostgres } from './embedded.js';

export interface ScriptDatabase {
  url: string;
  close(): Promise<void>;
}

export async function openScriptDatabase(): Promise<ScriptDatabase> {
  dotenv.config({ path: ENV_FILE, quiet: true });
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, close: async () => undefined };

  const dataDir = resolve(PROJECT_ROOT, process.env.EMBEDDED_DATA_DIR || DEFAULT_EMBEDDED_DATA_DIR);
  // Beside a running `npm run dev`, its database is used (and left running).
  const embedded = await startEmbeddedPostgres({ dataDir, attach: true });
  process.stderr.write(`Using the embedded database (data in ${embedded.dataDir})\n`);
  return { url: embedded.url, close: () => embedded.stop() };
}
