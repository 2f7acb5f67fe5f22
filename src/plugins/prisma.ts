/** Gives routes `fastify.prisma`, a client created for this app instance and closed with it. */
import fp from 'fastify-plugin';
import { createPrismaClient, type PrismaClient } from '../db/prisma.js';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
  }
}

export default fp<{ databaseUrl: string; timeoutMillis: number }>(
  async (fastify, { databaseUrl, timeoutMillis }) => {
    const prisma = createPrismaClient(databaseUrl, { timeoutMillis });
    fastify.decorate('prisma', prisma);
    fastify.addHook('onClose', async () => {
      await prisma.$disconnect();
    });
  },
  { name: 'prisma' },
);
