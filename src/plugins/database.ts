/**
 * The database: `fastify.prisma`, and `fastify.pg`, the pool under it, for the statements written in
 * SQL. Both are created for this app instance and closed with it. Only repositories use them.
 */
import fp from 'fastify-plugin';
import type pg from 'pg';
import { createPool, prismaOver, type PrismaClient } from '../db/client.js';

/** What a repository is given: Prisma, and the pool it runs on. */
export interface Database {
  prisma: PrismaClient;
  pg: pg.Pool;
}

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
    pg: pg.Pool;
  }
}

export default fp<{ databaseUrl: string; timeoutMillis: number }>(
  async (fastify, { databaseUrl, timeoutMillis }) => {
    const pool = createPool(databaseUrl, { timeoutMillis });
    // An idle connection that drops (a database restart) is replaced on next use; without a
    // listener, the pool's 'error' event would end the process.
    pool.on('error', (error) => fastify.log.warn({ err: error }, 'idle database connection lost'));
    const prisma = prismaOver(pool);
    // Loads Prisma's query engine now (~0.1–0.2 s, no database connection), not in the first request
    // that uses Prisma: signup and login are SQL, so that would be an authenticated request.
    await prisma.$connect();
    fastify.decorate('prisma', prisma);
    fastify.decorate('pg', pool);
    fastify.addHook('onClose', async () => {
      await prisma.$disconnect();
      await pool.end();
    });
  },
  { name: 'database' },
);
