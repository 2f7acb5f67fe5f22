/** /auth/me, /auth/change-password and /auth/email/change: the caller's account. Registered in the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RateLimits } from '../config/env.js';
import { ChangePasswordBody, DeleteMeBody, UpdateMeBody, User } from '../schemas/auth.schema.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { Accepted, ChangeEmailBody } from '../schemas/email.schema.js';
import { authBodyLimit, authRateLimits, clientContext, normaliseEmail } from './auth-options.js';

const meRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { accountService, accountEmailService } = fastify;
  const { perUser } = authRateLimits(limits);
  fastify.addHook('onRoute', authBodyLimit);

  fastify.get(
    '/me',
    {
      schema: { tags: ['auth'], summary: 'The caller’s account', security: BearerAuth, response: { 200: User, ...errors(401) } },
    },
    async (request) => accountService.getUser(request.user.userId),
  );

  fastify.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change name or time zone',
        security: BearerAuth,
        body: UpdateMeBody,
        response: { 200: User, ...errors(400, 401) },
      },
    },
    async (request) => accountService.updateUser(request.user.userId, request.body),
  );

  fastify.delete(
    '/me',
    {
      config: perUser(limits.accountPerUser),
      // With two-factor sign-in on, only a session that used it (aal 2): else 403.
      preHandler: fastify.requireStepUp,
      schema: {
        tags: ['auth'],
        summary: 'Delete the account and all its data (password required)',
        security: BearerAuth,
        body: DeleteMeBody,
        response: { 204: NoContent, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await accountService.deleteAccount(request.user.userId, request.body.password);
      fastify.refreshCookie.clear(reply);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/change-password',
    {
      config: perUser(limits.accountPerUser),
      // With two-factor sign-in on, only a session that used it (aal 2): else 403.
      preHandler: fastify.requireStepUp,
      schema: {
        tags: ['auth'],
        summary: 'Change the password; every other session is revoked',
        security: BearerAuth,
        body: ChangePasswordBody,
        response: { 204: NoContent, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { userId, sid } = request.user;
      const { currentPassword, newPassword } = request.body;
      await accountService.changePassword(userId, sid, currentPassword, newPassword, clientContext(request));
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/email/change',
    {
      config: perUser(limits.accountPerUser),
      // With two-factor sign-in on, only a session that used it (aal 2): else 403.
      preHandler: fastify.requireStepUp,
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Change the address: a confirmation goes to the new one',
        description: 'The account changes only once the new address confirms (POST /auth/email/verify with the same user’s access token).',
        security: BearerAuth,
        body: ChangeEmailBody,
        response: { 202: Accepted, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await accountEmailService.requestEmailChange(request.user.userId, request.body.newEmail, request.body.password);
      return reply.status(202).send({ message: 'A confirmation email is on its way to the new address.' });
    },
  );
};

export default meRoutes;
