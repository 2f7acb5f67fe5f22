/**
 * Creates database clients: a `pg` pool, and Prisma on top of it. The pool is shared so that the
 * few hand-written hot-path queries (see HabitsRepository.list) use the same connections. There is no
 * module-level client: whoever creates one closes it.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface DatabaseClientOptions {
  /** How long connecting to, or waiting on a query from, PostgreSQL may take before it is an error. */
  timeoutMillis?: number;
  maxConnections?: number;
}

export function createPool(databaseUrl: string, options: DatabaseClientOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.timeoutMillis ?? 5_000,
    // A database that stops answering (not refusing) must not hang requests: see db/errors.ts.
    query_timeout: options.timeoutMillis ?? 5_000,
    max: options.maxConnections ?? 10,
  });
}

/** Prisma over `pool`, which stays the caller's to end. */
export const prismaOver = (pool: pg.Pool): PrismaClient => new PrismaClient({ adapter: new PrismaPg(pool) });

/** Prisma over a pool of its own, ended with `$disconnect()`. */
export function createPrismaClient(databaseUrl: string, options: DatabaseClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg(createPool(databaseUrl, options), { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
