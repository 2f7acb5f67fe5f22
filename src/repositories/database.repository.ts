/**
 * The database itself rather than one aggregate: does it answer (GET /health), and which migrations
 * has it applied (the start-up check of src/server.ts and the seed script, see db/migrations.ts).
 */
import fp from 'fastify-plugin';
import type { Database } from '../plugins/database.js';

export class DatabaseRepository {
  constructor(private readonly db: Pick<Database, 'prisma'>) {}

  /** Resolves once the database has answered a trivial query; rejects with the driver's error. */
  async ping(): Promise<void> {
    await this.db.prisma.$queryRaw`SELECT 1`;
  }

  /** The migrations the database has finished and not rolled back (none before the first one). */
  async appliedMigrations(): Promise<string[]> {
    const [table] = await this.db.prisma.$queryRaw<{ exists: boolean }[]>`
      SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`;
    if (!table?.exists) return [];
    const rows = await this.db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return rows.map((row) => row.migration_name);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    databaseRepository: DatabaseRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('databaseRepository', new DatabaseRepository(fastify));
  },
  { name: 'database-repository', dependencies: ['database'] },
);
