/** Statistics and the home screen. Registered inside the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BearerAuth, errorResponses, IdParams } from '../schemas/common.schema.js';
import { HabitStats, StatsQuery, TodayItem } from '../schemas/stats.schema.js';

const tags = ['statistics'];

const statsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const stats = fastify.statsService;

  fastify.get(
    '/habits/:id/stats',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Streaks, completion rate, habit strength (score) and the current period of a habit',
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
        tags,
        security: BearerAuth,
        summary: 'The home screen: every active habit with its goal, today’s check-in, progress and whether it is due today',
        response: { 200: Type.Array(TodayItem), ...errorResponses(401) },
      },
    },
    async (request) => stats.today(request.user.userId),
  );
};

export default statsRoutes;
