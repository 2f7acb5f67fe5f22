/** A fresh database per test file, copied from the run's migrated template. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { databaseUrlFor, withAdminClient } from './postgres.js';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function createDatabase(label: string, template: string | undefined): Promise<TestDatabase> {
  const serverUrl = inject('testServerUrl');
  const name = `${inject('testDatabasePrefix')}_${label}${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  });
  return {
    name,
    url: databaseUrlFor(serverUrl, name),
    drop: () =>
      withAdminClient(serverUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase('', inject('testTemplateDatabase'));
}

/** A database that exists but has no tables: for "migrations not applied" tests. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('empty_', undefined);
}
