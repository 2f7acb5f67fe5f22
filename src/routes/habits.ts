/** /habits CRUD. Registered inside the authenticated scope; the owner is always request.user. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ifMatch, IfMatchHeaders } from '../plugins/etag.js';
import { BearerAuth, errorResponses, IdParams, NoContent } from '../schemas/common.schema.js';
import { CreateHabitBody, Habit, ListHabitsQuery, ReorderHabitsBody, UpdateHabitBody } from '../schemas/habit.schema.js';

const tags = ['habits'];

const habitRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const habits = fastify.habitService;

  fastify.get(
    '/',
    {
      prefixTrailingSlash: 'no-slash',
      schema: {
        tags,
        security: BearerAuth,
        summary: 'List habits, ordered by position then creation',
        querystring: ListHabitsQuery,
        response: { 200: Type.Array(Habit), ...errorResponses(400, 401) },
      },
    },
    async (request) => habits.list(request.user.userId, request.query),
  );

  fastify.post(
    '/',
    {
      prefixTrailingSlash: 'no-slash',
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Create a habit',
        description:
          'An optional client-generated `id` makes the create idempotent: repeated with the same fields → 200 and the habit unchanged; ' +
          'the same id with other fields, or the id of another user’s habit → 409 `Id already in use`.',
        body: CreateHabitBody,
        response: { 201: Habit, 200: Habit, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const { habit, created } = await habits.create(request.user.userId, request.body);
      return reply.status(created ? 201 : 200).send(habit);
    },
  );

  fastify.put(
    '/order',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Reorder your non-archived habits: positions 0, 1, 2… in the order of `ids`',
        description:
          '`ids` must be exactly your non-archived habits, each once (else 400, nothing changed); archived habits keep their positions. ' +
          'One transaction. Answers the habits in their new order.',
        body: ReorderHabitsBody,
        response: { 200: Type.Array(Habit), ...errorResponses(400, 401) },
      },
    },
    async (request) => habits.reorder(request.user.userId, request.body.ids),
  );

  fastify.get(
    '/:id',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'One habit',
        params: IdParams,
        response: { 200: Habit, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => habits.get(request.user.userId, request.params.id),
  );

  fastify.patch(
    '/:id',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Change any of a habit’s writable fields',
        description:
          '`kind` cannot change once the habit has check-ins (409). With `If-Match`, only if the habit still has that ETag (else 412).',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateHabitBody,
        response: { 200: Habit, ...errorResponses(400, 401, 404, 409, 412) },
      },
    },
    async (request) => habits.update(request.user.userId, request.params.id, request.body, ifMatch(request)),
  );

  fastify.delete(
    '/:id',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Delete a habit with its goal and check-ins',
        description: 'With `If-Match`, only if the habit still has that ETag (else 412).',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      await habits.delete(request.user.userId, request.params.id, ifMatch(request));
      return reply.status(204).send(null);
    },
  );
};

export default habitRoutes;
