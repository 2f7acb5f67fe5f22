/**
 * GET /health: 200 when the database answers `SELECT 1` in time, 503 otherwise. No auth. While the
 * event loop lags past MAX_EVENT_LOOP_DELAY_MS, the overload check answers 503 `Server overloaded`
 * before this handler runs, as for every route (src/plugins/overload.ts): the load balancer then takes
 * the instance out until it catches up.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../schemas/common.schema.js';

const HEALTH_CHECK_TIMEOUT_MS = 2_000;

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database readiness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: errorResponses(503)[503]! },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(fastify.databaseRepository.ping(), HEALTH_CHECK_TIMEOUT_MS);
        return { status: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unavailable');
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({ statusCode: 503, error: 'Service Unavailable', message: 'Database unavailable' });
      }
    },
  );
};

/** A database that stopped answering (not refusing) must not hang the health check. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export default healthRoutes;
