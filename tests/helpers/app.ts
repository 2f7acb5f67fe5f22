/** Builds the real app for a test, on its own fresh database. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppConfig, type BuildOptions } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export function testConfig(databaseUrl: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    env: 'test',
    host: '127.0.0.1',
    port: 0,
    databaseUrl,
    embeddedDataDir: '.data/postgres',
    jwt: {
      accessSecret: 'test-access-secret-0123456789abcdef',
      refreshSecret: 'test-refresh-secret-0123456789abcdef',
      issuer: 'habit-tracker-api',
      audience: 'habit-tracker-api',
    },
    bcryptRounds: 4,
    logLevel: 'silent',
    corsOrigins: [],
    refreshReuseGraceSeconds: 10,
    sessionMaxDays: 30,
    sessionCleanupIntervalMinutes: 0,
    trustProxy: false,
    databaseTimeoutMs: 5_000,
    redisUrl: undefined,
    // Tests send many requests from one address: limits are out of the way unless a test sets them.
    rateLimit: {
      global: { max: 1_000_000, windowSeconds: 60 },
      authWindowSeconds: 900,
      loginPerIp: 1_000_000,
      signupPerIp: 1_000_000,
      refreshPerIp: 1_000_000,
      accountPerUser: 1_000_000,
    },
    // So is the login throttle (tests/integration/login-throttle.test.ts sets it).
    loginThrottleFreeAttempts: 1_000_000,
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function buildTestApp(overrides: Partial<AppConfig> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp(testConfig(database.url, overrides), options);
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
