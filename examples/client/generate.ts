/**
 * Writes examples/client/schema.d.ts: the TypeScript types of the API's OpenAPI document
 * (GET /docs/json), made by openapi-typescript. Run it after changing a route schema:
 *
 *   npm run client:generate                # from this checkout's routes, in-process (no database)
 *   npm run client:generate -- <BASE_URL>  # from a running server's GET /docs/json
 *
 * tests/integration/client-schema.test.ts fails when the committed file is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';

export const SCHEMA_FILE = fileURLToPath(new URL('schema.d.ts', import.meta.url));

const HEADER = `/**
 * Generated — do not edit; run \`npm run client:generate\`.
 * The types of the Habit Tracker API's OpenAPI document (GET /docs/json), made by openapi-typescript.
 */

`;

/**
 * The document the app serves at GET /docs/json. No database is needed: Prisma connects on the first
 * query, and the docs route makes none. The document does not depend on the configuration.
 */
export async function documentFromApp(): Promise<OpenAPI3> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'unused-access',
    JWT_REFRESH_SECRET: 'unused-refresh',
    SESSION_CLEANUP_INTERVAL_MINUTES: '0',
  });
  const app = await buildApp({ ...config, databaseUrl: 'postgresql://unused@127.0.0.1:1/unused' }, { logger: false });
  try {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    if (response.statusCode !== 200) throw new Error(`GET /docs/json answered ${response.statusCode}`);
    return response.json<OpenAPI3>();
  } finally {
    await app.close();
  }
}

/** The contents of schema.d.ts for a document (or the URL of one). */
export async function schemaSource(document: OpenAPI3 | URL): Promise<string> {
  return HEADER + astToString(await openapiTS(document));
}

async function main(): Promise<void> {
  const baseUrl = process.argv[2];
  const source = baseUrl ? new URL(`${baseUrl.replace(/\/+$/, '')}/docs/json`) : undefined;
  await writeFile(SCHEMA_FILE, await schemaSource(source ?? (await documentFromApp())));
  console.log(`Wrote ${SCHEMA_FILE} from ${source?.href ?? 'the app’s routes'}`);
}

// Run only as a script: the schema test imports this module.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
