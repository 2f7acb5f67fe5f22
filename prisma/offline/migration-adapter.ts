/**
 * The driver adapter Prisma's CLI uses for migrations, with work-arounds for defects of
 * @prisma/adapter-pg 6.19.x. The runtime client (src/db/client.ts) needs neither. See README.md here.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { randomUUID } from 'node:crypto';

// Work-around 1 (prisma/prisma#27403): the migration engine introspects catalog columns whose types
// the adapter cannot decode. Report them as text / text[], which is what the engine reads them as.
const CATALOG_TEXT_TYPES = new Set([18, 19, 22, 24, 30, 194, 2205]);
const CATALOG_TEXT_ARRAY_TYPES = new Set([1002, 1003]);
const TEXT = 25;
const TEXT_ARRAY = 1009;
// pg's types list no array OIDs, though its parser for text[] exists.
const parseTextArray = (pg.types.getTypeParser as (oid: number) => (value: string) => string[])(TEXT_ARRAY);

// A script of several statements yields one result per statement.
function reportCatalogTypesAsText(results: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  for (const result of Array.isArray(results) ? results : [results]) rewriteFieldTypes(result);
  return results as pg.QueryResult;
}

function rewriteFieldTypes(result: pg.QueryResult): void {
  result.fields.forEach((field, index) => {
    if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) {
      field.dataTypeID = TEXT;
    } else if (CATALOG_TEXT_ARRAY_TYPES.has(field.dataTypeID)) {
      field.dataTypeID = TEXT_ARRAY;
      const rows = result.rows as Record<string | number, unknown>[];
      for (const row of rows) {
        const key = Array.isArray(row) ? index : field.name;
        if (typeof row[key] === 'string') row[key] = parseTextArray(row[key]);
      }
    }
  });
}

type QueryCallback = (error: Error | null, result?: pg.QueryResult) => void;

// The adapter calls query(config, values); pg's pool calls query(config, values, callback).
function queryReportingCatalogTypesAsText(this: pg.Client, config: unknown, values?: unknown, callback?: QueryCallback) {
  const done = typeof values === 'function' ? (values as QueryCallback) : callback;
  const params = typeof values === 'function' ? undefined : values;
  const baseQuery = pg.Client.prototype.query.bind(this) as (config: unknown, values: unknown) => Promise<pg.QueryResult>;
  const promise = baseQuery(config, params).then(reportCatalogTypesAsText);
  if (!done) return promise;
  promise.then(
    (result) => done(null, result),
    (error: unknown) => done(error as Error),
  );
  return undefined;
}

class CatalogTypesAsTextClient extends pg.Client {}
CatalogTypesAsTextClient.prototype.query = queryReportingCatalogTypesAsText as unknown as pg.Client['query'];

/**
 * Work-around 2: PrismaPg.connectToShadowDb() spreads its config and overrides `database`, but in
 * `pg` a `connectionString` wins over `database`, so the "shadow" database would be the main one.
 * Hence discrete fields instead of the URL.
 * Work-around 4: its disposer drops the shadow database while its own pool still holds a
 * connection ("database is being accessed by other users"), so close the pool first.
 */
class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  /**
   * Work-around 5: the adapter's executeScript splits a migration at every `;`, even inside a
   * function body or a comment, so a migration that defines a trigger function cannot run. PostgreSQL
   * parses a script of several statements itself (the simple query protocol), as `psql -f` does, and
   * runs it as one implicit transaction.
   */
  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    const reportError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        reportError(error);
      }
    };
    return adapter;
  }

  override async connectToShadowDb(): ReturnType<PrismaPg['connectToShadowDb']> {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new MigrationAdapterFactory({ ...this.poolConfig, database }).connect();
    const closeShadowPool = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closeShadowPool();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export function createMigrationAdapter(databaseUrl: string): PrismaPg {
  const url = new URL(databaseUrl);
  return new MigrationAdapterFactory({
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    Client: CatalogTypesAsTextClient,
    // The CLI does not always close the pool; idle connections must not keep it running for 10 s.
    allowExitOnIdle: true,
  });
}
