/** /habits/:id/goal. Registered inside the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ifMatch, IfMatchHeaders } from '../plugins/etag.js';
import { BearerAuth, errorResponses, IdParams, NoContent } from '../schemas/common.schema.js';
import { Goal, PutGoalBody } from '../schemas/goal.schema.js';

const tags = ['goals'];

const goalRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const goals = fastify.goalService;

  fastify.get(
    '/:id/goal',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'The habit’s goal (404 when it has none)',
        params: IdParams,
        response: { 200: Goal, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => goals.get(request.user.userId, request.params.id),
  );

  fastify.put(
    '/:id/goal',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Set the habit’s goal: 201 created, 200 replaced',
        description: 'With `If-Match`, only replaces a goal that still has that ETag (else 412, also when there is no goal yet).',
        params: IdParams,
        headers: IfMatchHeaders,
        body: PutGoalBody,
        response: { 200: Goal, 201: Goal, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const { goal, created } = await goals.put(request.user.userId, request.params.id, request.body, ifMatch(request));
      return reply.status(created ? 201 : 200).send(goal);
    },
  );

  fastify.delete(
    '/:id/goal',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Remove the habit’s goal (it then counts as daily, target 1)',
        description: 'With `If-Match`, only if the goal still has that ETag (else 412).',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      await goals.delete(request.user.userId, request.params.id, ifMatch(request));
      return reply.status(204).send(null);
    },
  );
};

export default goalRoutes;
