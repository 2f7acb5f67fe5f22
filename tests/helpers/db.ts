/** A fresh database per test file, copied from the run's migrated template. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { databaseUrlFor, withAdminClient } from './postgres.js';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('testServerUrl');
  const name = `${inject('testDatabasePrefix')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('testTemplateDatabase')}"`);
  });
  return {
    name,
    url: databaseUrlFor(serverUrl, name),
    drop: () => withAdminClient(serverUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  };
}

/** A database that exists but has no tables: for "migrations not applied" tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('testServerUrl');
  const name = `${inject('testDatabasePrefix')}_empty_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: databaseUrlFor(serverUrl, name),
    drop: () => withAdminClient(serverUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  };
}
