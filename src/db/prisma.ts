/** Creates Prisma clients. There is no module-level client: whoever creates one closes it. */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface PrismaClientOptions {
  /** How long connecting to, or waiting on a query from, PostgreSQL may take before it is an error. */
  timeoutMillis?: number;
  maxConnections?: number;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.timeoutMillis ?? 5_000,
    // A database that stops answering (not refusing) must not hang requests: see db/errors.ts.
    query_timeout: options.timeoutMillis ?? 5_000,
    max: options.maxConnections ?? 10,
  });
  return new PrismaClient({ adapter });
}
