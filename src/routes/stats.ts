/** Statistics, the home screen and the export. Registered inside the authenticated scope. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BearerAuth, errorResponses, IdParams } from '../schemas/common.schema.js';
import { ExportDocument, ExportQuery, HabitStats, StatsQuery, TodayItem } from '../schemas/stats.schema.js';
import { ExportService } from '../services/export.service.js';
import { StatsService } from '../services/stats.service.js';


const statsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const stats = new StatsService(fastify.prisma);
  const exporter = new ExportService(fastify.pg);

  fastify.get(
    '/habits/:id/stats',
    {
      schema: {
        tags: ['statistics'],
        security: BearerAuth,
        summary: 'Streaks, completion rate and the current period of a habit',
        params: IdParams,
        querystring: StatsQuery,
        response: { 200: HabitStats, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => stats.habitStats(request.user.userId, request.params.id, request.query.asOf),
  );

  fastify.get(
    '/today',
    {
      schema: {
        tags: ['statistics'],
        security: BearerAuth,
        summary: 'The home screen: every active habit with its goal, today’s check-in and progress',
        response: { 200: Type.Array(TodayItem), ...errorResponses(401) },
      },
    },
    async (request) => stats.today(request.user.userId),
  );

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

export default statsRoutes;
