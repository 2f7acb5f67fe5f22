/** Check-ins, at /habits/:id/tracking (the contract's paths). Registered inside the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ifMatch, IfMatchHeaders } from '../plugins/etag.js';
import { BearerAuth, errorResponses, IdParams, NoContent } from '../schemas/common.schema.js';
import { Checkin, CheckinParams, CheckinRangeQuery, PutCheckinBody } from '../schemas/checkin.schema.js';

const tags = ['check-ins'];

const checkinRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const checkins = fastify.checkinService;

  fastify.put(
    '/:id/tracking/:date',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Check in for a day: 201 created, 200 replaced (idempotent, safe to retry)',
        description:
          'The day must be between 2000-01-01 and your local today + 1 day (in your time zone). ' +
          'With `If-Match`, only replaces a check-in that still has that ETag (else 412, also when there is none yet).',
        params: CheckinParams,
        headers: IfMatchHeaders,
        body: PutCheckinBody,
        response: { 200: Checkin, 201: Checkin, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const { id, date } = request.params;
      const { checkin, created } = await checkins.put(request.user.userId, id, date, request.body, ifMatch(request));
      return reply.status(created ? 201 : 200).send(checkin);
    },
  );

  fastify.get(
    '/:id/tracking',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Check-ins by date, `from` to `to` inclusive (at most 366 days; default the last 30)',
        params: IdParams,
        querystring: CheckinRangeQuery,
        response: { 200: Type.Array(Checkin), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => checkins.list(request.user.userId, request.params.id, request.query),
  );

  fastify.get(
    '/:id/tracking/:date',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'The check-in of one day (404 when there is none)',
        params: CheckinParams,
        response: { 200: Checkin, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => checkins.get(request.user.userId, request.params.id, request.params.date),
  );

  fastify.delete(
    '/:id/tracking/:date',
    {
      schema: {
        tags,
        security: BearerAuth,
        summary: 'Remove the check-in of a day',
        description: 'With `If-Match`, only if the check-in still has that ETag (else 412).',
        params: CheckinParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      await checkins.delete(request.user.userId, request.params.id, request.params.date, ifMatch(request));
      return reply.status(204).send(null);
    },
  );
};

export default checkinRoutes;
