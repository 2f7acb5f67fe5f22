/**
 * `npm run db:*`: the Prisma CLI against DATABASE_URL, or, when it is unset, against the embedded
 * database (started for the command and stopped after it). Usage: tsx src/db/prisma-cli.ts <prisma args>
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import dotenv from 'dotenv';
import { startEmbeddedPostgres } from './embedded.js';
import { prismaCliCommand } from './migrations.js';
import { PROJECT_ROOT } from '../utils/paths.js';

dotenv.config({ path: join(PROJECT_ROOT, '.env'), quiet: true });

const embeddedDataDir = resolve(PROJECT_ROOT, process.env.EMBEDDED_DATA_DIR || '.data/postgres');
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: embeddedDataDir });
const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
if (embedded) process.stderr.write(`Using the embedded database (data in ${embedded.dataDir})\n`);

const { file, args, options } = prismaCliCommand(process.argv.slice(2), databaseUrl);
const child = spawn(file, args, { ...options, stdio: 'inherit' });
const exitCode = await new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
await embedded?.stop();
process.exit(exitCode);
