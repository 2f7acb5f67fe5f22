/**
 * One log line per request, when it completes: request id, method, route, URL, status and duration.
 * (Fastify's own request logging writes two lines per request, and no route.)
 */
import fp from 'fastify-plugin';

export default fp(
  async (fastify) => {
    fastify.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          url: request.url,
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    });
  },
  { name: 'request-logging' },
);
