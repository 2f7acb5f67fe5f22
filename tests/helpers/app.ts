/** Builds the real app for a test, on its own fresh database. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type AppConfig, type BuildOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { routeRecorder, type RegisteredRoute } from './routes.js';

/** Far above what any test sends from its one address: a test that checks a limit sets its own. */
const UNREACHED_LIMIT = '1000000';

/**
 * The environment of an app under test, read by the server's own loadConfig: every default is the
 * server's, but for these.
 */
const TEST_ENV = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  JWT_SECRET: 'test-access-secret-0123456789abcdef',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdef',
  // The lowest cost bcrypt allows: tests that measure the cost set their own.
  BCRYPT_ROUNDS: '4',
  // Sessions are cleaned up when a test says so (tests/integration/session-cleanup.test.ts).
  SESSION_CLEANUP_INTERVAL_MINUTES: '0',
  RATE_LIMIT_MAX: UNREACHED_LIMIT,
  LOGIN_RATE_LIMIT_PER_IP: UNREACHED_LIMIT,
  SIGNUP_RATE_LIMIT_PER_IP: UNREACHED_LIMIT,
  REFRESH_RATE_LIMIT_PER_IP: UNREACHED_LIMIT,
  ACCOUNT_RATE_LIMIT_PER_USER: UNREACHED_LIMIT,
  // The most the setting allows, so the login throttle is out of the way too
  // (tests/integration/login-throttle.test.ts sets it).
  LOGIN_THROTTLE_FREE_ATTEMPTS: '1000',
  // Without SMTP_URL emails go to .eml files: outside the project (tests/integration/email-*.test.ts use a real SMTP server).
  MAIL_OUTBOX_DIR: join(tmpdir(), 'habit-tracker-test-outbox'),
  FORGOT_RATE_LIMIT_PER_IP: UNREACHED_LIMIT,
  FORGOT_RATE_LIMIT_PER_EMAIL: UNREACHED_LIMIT,
  // No overload shedding: a busy CI machine must not turn a slow test into 503s (overload.test.ts sets its own bound).
  MAX_EVENT_LOOP_DELAY_MS: '0',
};

export function testConfig(databaseUrl: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig(TEST_ENV), databaseUrl, ...overrides };
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** Every route the app registered (see helpers/routes.ts). */
  routes: RegisteredRoute[];
  close(): Promise<void>;
}

export interface TestAppOptions extends BuildOptions {
  /** The database connections' TimeZone, for tests that UTC timestamps never depend on it. */
  sessionTimeZone?: string;
}

export async function buildTestApp(overrides: Partial<AppConfig> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const { sessionTimeZone, ...buildOptions } = options;
  const database = await createTestDatabase();
  const url = sessionTimeZone ? `${database.url}?options=${encodeURIComponent(`-c TimeZone=${sessionTimeZone}`)}` : database.url;
  const recorder = routeRecorder();
  const app = await buildApp(testConfig(url, overrides), { onRoute: recorder.onRoute, ...buildOptions });
  await app.ready();
  return {
    app,
    database,
    routes: recorder.routes,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * A test app for the enclosing `describe` (or file): built in a `beforeAll` registered here, before
 * the caller's own hooks, and closed in an `afterAll` that runs after theirs. Its properties can be
 * read from that `beforeAll` on:
 *
 *   const ctx = useTestApp();
 *   it('…', async () => { await ctx.app.inject(…) });
 */
export function useTestApp(overrides: Partial<AppConfig> = {}, options: TestAppOptions = {}): Omit<TestApp, 'close'> {
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    testApp = await buildTestApp(overrides, options);
  });
  afterAll(async () => {
    // Unset if the beforeAll failed: there is nothing to close.
    await testApp?.close();
  });
  const built = (): TestApp => {
    if (!testApp) throw new Error('useTestApp(): the app is built in beforeAll; read it in a test or a hook');
    return testApp;
  };
  return {
    get app() {
      return built().app;
    },
    get database() {
      return built().database;
    },
    get routes() {
      return built().routes;
    },
  };
}
