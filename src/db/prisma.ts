/** Creates Prisma clients. There is no module-level client: whoever creates one closes it. */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface PrismaClientOptions {
  /** Fail fast when the database is unreachable instead of hanging on connect. */
  connectionTimeoutMillis?: number;
  maxConnections?: number;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    max: options.maxConnections ?? 10,
  });
  return new PrismaClient({ adapter });
}
