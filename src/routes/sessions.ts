/** /auth/sessions and /auth/logout-all: the caller's sessions. Registered in the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Session, SessionParams } from '../schemas/auth.schema.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { authBodyLimit, clientContext } from './auth-options.js';

const sessionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { sessionService } = fastify;
  fastify.addHook('onRoute', authBodyLimit);

  fastify.post(
    '/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke every session of the caller',
        description: 'Also clears the `refresh_token` cookie (cookie mode).',
        security: BearerAuth,
        response: { 204: NoContent, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      await sessionService.revokeAllSessions(request.user.userId, request.user.sid, clientContext(request));
      fastify.refreshCookie.clear(reply);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: 'The caller’s active sessions, most recently used first',
        security: BearerAuth,
        response: { 200: Type.Array(Session), ...errors(401) },
      },
    },
    async (request) => sessionService.listSessions(request.user.userId, request.user.sid),
  );

  fastify.delete(
    '/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of the caller’s sessions',
        security: BearerAuth,
        params: SessionParams,
        response: { 204: NoContent, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await sessionService.revokeSession(request.user.userId, request.params.id, clientContext(request));
      return reply.status(204).send(null);
    },
  );
};

export default sessionRoutes;
