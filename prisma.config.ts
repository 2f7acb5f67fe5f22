/**
 * Prisma CLI configuration. The CLI runs offline through its JS schema engine and a driver adapter
 * (the native engine would be downloaded from a host this project cannot reach): see
 * prisma/offline/README.md.
 */
import 'dotenv/config';
import { defineConfig } from 'prisma/config';
import { createMigrationAdapter } from './prisma/offline/migration-adapter.js';

// Without a resolvable DATABASE_URL the CLI falls back to the native engine, so give it a default:
// the conventional local server. Commands that need a real database say so when it is absent.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => createMigrationAdapter(databaseUrl),
});
