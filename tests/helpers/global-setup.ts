/**
 * Once per test run: find a PostgreSQL server (TEST_DATABASE_URL, or an embedded one started for the
 * run), build a template database from the migrations, and hand both to the tests. Every test file
 * then gets its own database, copied from the template in a few milliseconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/dev/embedded.js';
import { deployMigrations } from '../../src/db/migrations.js';
import { databaseUrlFor, dropDatabasesWithPrefix, withAdminClient } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testServerUrl: string;
    testTemplateDatabase: string;
    testDatabasePrefix: string;
  }
}

interface TestDatabaseServer {
  serverUrl: string;
  template: string;
  prefix: string;
  stop(): Promise<void>;
}

async function startTestDatabaseServer(): Promise<TestDatabaseServer> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  if (!process.env.TEST_DATABASE_URL) {
    embeddedDir = mkdtempSync(join(tmpdir(), 'habit-tracker-test-'));
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDir }).catch((error: unknown) => {
      rmSync(embeddedDir!, { recursive: true, force: true });
      throw error;
    });
  }
  const serverUrl = process.env.TEST_DATABASE_URL ?? embedded!.url;
  // Unique per run, so concurrent runs against one server never collide.
  const prefix = `habit_test_${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_template`;

  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${template}"`));
  await deployMigrations(databaseUrlFor(serverUrl, template));

  return {
    serverUrl,
    template,
    prefix,
    stop: async () => {
      await dropDatabasesWithPrefix(serverUrl, prefix);
      await embedded?.stop();
      if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
    },
  };
}

/**
 * Vitest runs a project's globalSetup once per project (vitest.config.ts: `http` and `process`), in
 * this one process: the projects of a run share one server and template, stopped after the last.
 */
const SHARED = Symbol.for('habit-tracker:test-database-server');
type WithShared = typeof globalThis & { [SHARED]?: { server: Promise<TestDatabaseServer>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const state = globalThis as WithShared;
  const shared = (state[SHARED] ??= { server: startTestDatabaseServer(), users: 0 });
  shared.users += 1;
  const server = await shared.server.catch((error: unknown) => {
    state[SHARED] = undefined;
    throw error;
  });

  project.provide('testServerUrl', server.serverUrl);
  project.provide('testTemplateDatabase', server.template);
  project.provide('testDatabasePrefix', server.prefix);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    state[SHARED] = undefined;
    await server.stop();
  };
}
