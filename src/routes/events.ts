/** GET /auth/events: the caller's security activity, newest first. Registered in the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BearerAuth, errorResponses as errors } from '../schemas/common.schema.js';
import { ListSecurityEventsQuery, SecurityEvent } from '../schemas/security-event.schema.js';

const eventRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { securityEventService } = fastify;

  fastify.get(
    '/events',
    {
      schema: {
        tags: ['auth'],
        summary: 'The caller’s security activity (sign-ins, sign-outs, password and address changes), newest first',
        description:
          'Kept 90 days. Page with `limit` and `before` (the `id` of the last event seen); a page shorter than `limit` is the last.',
        security: BearerAuth,
        querystring: ListSecurityEventsQuery,
        response: { 200: Type.Array(SecurityEvent), ...errors(400, 401) },
      },
    },
    async (request) => securityEventService.list(request.user.userId, request.query),
  );
};

export default eventRoutes;
