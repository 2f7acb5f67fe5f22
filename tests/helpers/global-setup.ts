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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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

  project.provide('testServerUrl', serverUrl);
  project.provide('testTemplateDatabase', template);
  project.provide('testDatabasePrefix', prefix);

  return async () => {
    await dropDatabasesWithPrefix(serverUrl, prefix);
    await embedded?.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  };
}
