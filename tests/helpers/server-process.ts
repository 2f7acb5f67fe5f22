/** Runs the real entry point (src/server.ts) as a child process, as `npm run dev` would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { createTestDatabase } from './db.js';

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (JSON log lines on stdout, errors on stderr). */
  output(): string;
  /** Resolves with the base URL once the server listens. */
  waitForListening(): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForOutput(text: string): Promise<void>;
}

const running = new Set<ServerProcess>();

/** Stops (SIGTERM, so an embedded database stops too) every server process still running. */
export async function stopLeftoverServers(): Promise<void> {
  await Promise.all(
    [...running].map(async (server) => {
      server.child.kill('SIGTERM');
      await server.exited;
    }),
  );
}

const TEST_SECRETS = {
  JWT_SECRET: 'server-test-access-secret-0123456789',
  JWT_REFRESH_SECRET: 'server-test-refresh-secret-0123456789',
  // Set, so that the server generates nothing into the project's .env (src/config/dev-secrets.ts).
  MFA_ENCRYPTION_KEY: 'server-test-mfa-encryption-key-0123456789',
  // Empty, so that keys in a developer's .env cannot change the test's (a test that needs keys sets them).
  JWT_ALGORITHM: '',
  JWT_PRIVATE_KEY: '',
  JWT_SECRET_PREVIOUS: '',
  JWT_PUBLIC_KEYS_PREVIOUS: '',
  JWT_REFRESH_SECRET_PREVIOUS: '',
};

/**
 * Every variable is set explicitly (an empty string counts as unset), so a developer's .env, which
 * the server also reads, cannot change what the test runs against.
 */
export function startServerProcess(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): ServerProcess {
  // nodeArgs: extra flags for node itself, e.g. `npm start`'s heap limits.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      EMBEDDED_DATA_DIR: '',
      BCRYPT_ROUNDS: '4',
      CORS_ORIGINS: '',
      // As in the in-process test apps: tsx compiling on a busy CI machine can stall the event loop
      // past the default 1 s, and the overload guard would then answer a test's request 503.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...TEST_SECRETS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const watchers: { text: string; found: () => void }[] = [];
  const onChunk = (chunk: Buffer) => {
    output += chunk.toString();
    for (const watcher of watchers.filter((w) => output.includes(w.text))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.found();
    }
  };
  child.stdout.on('data', onChunk);
  child.stderr.on('data', onChunk);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('exit', (code, signal) => done({ code, signal }));
  });
  const waitForOutput = (text: string) =>
    new Promise<void>((found, fail) => {
      if (output.includes(text)) {
        found();
        return;
      }
      watchers.push({ text, found });
      void exited.then(() => fail(new Error(`server exited before printing "${text}":\n${output}`)));
    });
  const waitForListening = () =>
    waitForOutput('Server listening at http://127.0.0.1:').then(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      return match![1]!;
    });

  const server = { child, output: () => output, waitForListening, exited, waitForOutput };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

export interface LiveServer {
  baseUrl: string;
  server: ServerProcess;
  /** Stops the server (SIGTERM) and drops its database. */
  stop(): Promise<void>;
}

/** The real server process on a fresh test database, for tests of clients and examples. */
export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
  const database = await createTestDatabase();
  const server = startServerProcess({ DATABASE_URL: database.url, ...env });
  const stop = async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await database.drop();
  };
  try {
    return { baseUrl: await server.waitForListening(), server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
