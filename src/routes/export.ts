/** GET /export: all of the caller's data, streamed. Registered inside the authenticated scope. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BearerAuth, errorResponses } from '../schemas/common.schema.js';
import { ExportDocument, ExportQuery } from '../schemas/stats.schema.js';

const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const exporter = fastify.exportService;

  fastify.get(
    '/export',
    {
      schema: {
        tags: ['export'],
        security: BearerAuth,
        summary: 'All your data, as JSON or CSV (habit,date,status,value,note)',
        querystring: ExportQuery,
        response: { 200: ExportDocument, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const format = request.query.format === 'csv' ? 'csv' : 'json';
      const { exportedAt, body } = await exporter.open(request.user.userId, format);
      const day = exportedAt.toISOString().slice(0, 10);
      // Streamed: Readable.from pulls the next piece only when the socket has taken the previous
      // ones. An error mid-stream aborts the response (Fastify destroys it once headers are sent),
      // so a client never mistakes a truncated export for a whole one.
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="habits-${day}.${format}"`)
        .send(Readable.from(body) as never);
    },
  );
};

export default exportRoutes;
