/**
 * `npm run db:*`: the Prisma CLI against DATABASE_URL, or, when it is unset, against the embedded
 * database (started for the command and stopped after it). Usage: tsx src/dev/prisma-cli.ts <prisma args>
 */
import { spawn } from 'node:child_process';
import { prismaCliCommand } from '../db/migrations.js';
import { openScriptDatabase } from './script-database.js';

const database = await openScriptDatabase();
const { file, args, options } = prismaCliCommand(process.argv.slice(2), database.url);
const child = spawn(file, args, { ...options, stdio: 'inherit' });
const exitCode = await new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
await database.close();
process.exit(exitCode);
