/**
 * /auth/mfa (signed in): enrolment, activation, turning off, and new recovery codes for two-factor
 * sign-in (services/mfa.service.ts). Registered in the authenticated scope; POST /auth/mfa/verify,
 * the second step of a sign-in, is public and in auth.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RateLimits } from '../config/env.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { CodeBody, DisableTotpBody, EnrolTotpBody, RecoveryCodes, TotpEnrolment } from '../schemas/mfa.schema.js';
import { BadRequestError } from '../utils/errors.js';
import { authBodyLimit, authRateLimits, clientContext } from './auth-options.js';
import type { SecondFactor } from '../services/mfa.service.js';

/** `{ code }` or `{ recoveryCode }`: exactly one, else 400. */
export function secondFactorOf(body: { code?: string | undefined; recoveryCode?: string | undefined }): SecondFactor {
  if (body.code !== undefined && body.recoveryCode === undefined) return { code: body.code };
  if (body.recoveryCode !== undefined && body.code === undefined) return { recoveryCode: body.recoveryCode };
  throw new BadRequestError('Send either code or recoveryCode');
}

const mfaRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { mfaService } = fastify;
  const { perUser } = authRateLimits(limits);
  fastify.addHook('onRoute', authBodyLimit);
  const tags = ['two-factor'];

  fastify.post(
    '/mfa/totp',
    {
      config: perUser(limits.accountPerUser),
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app (TOTP): a pending factor',
        description: 'Needs the password and a verified address. A new call replaces a pending factor. The secret is shown only here.',
        security: BearerAuth,
        body: EnrolTotpBody,
        response: { 201: TotpEnrolment, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await mfaService.enrol(request.user.userId, request.body.password)),
  );

  fastify.post(
    '/mfa/totp/activate',
    {
      config: perUser(limits.accountPerUser),
      schema: {
        tags,
        summary: 'Turn two-factor sign-in on with the first code',
        description: 'Returns 10 single-use recovery codes, shown this once. This session becomes aal 2; every other session is revoked.',
        security: BearerAuth,
        body: CodeBody,
        response: { 200: RecoveryCodes, ...errors(400, 401, 429, 503) },
      },
    },
    async (request) => mfaService.activate(request.user, request.body.code, clientContext(request)),
  );

  fastify.delete(
    '/mfa/totp',
    {
      config: perUser(limits.accountPerUser),
      preHandler: fastify.requireStepUp,
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (password and a code or recovery code)',
        security: BearerAuth,
        body: DisableTotpBody,
        response: { 204: NoContent, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      await mfaService.disable(request.user, request.body.password, secondFactorOf(request.body), clientContext(request));
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/mfa/recovery-codes',
    {
      config: perUser(limits.accountPerUser),
      schema: {
        tags,
        summary: 'A new set of 10 recovery codes for a current code; the old set stops working',
        security: BearerAuth,
        body: CodeBody,
        response: { 200: RecoveryCodes, ...errors(400, 401, 429, 503) },
      },
    },
    async (request) => mfaService.regenerateRecoveryCodes(request.user, request.body.code, clientContext(request)),
  );
};

export default mfaRoutes;
