/**
 * /auth/password/forgot, /auth/password/reset, /auth/email/verify and /auth/email/verify/resend: the
 * flows through the user's mailbox (services/account-email.service.ts). POST /auth/email/change needs
 * an access token, so it is in me.ts, in the authenticated scope. Forgot-password, and resend without an access token, answer
 * 202 whatever the address, and beyond their quiet per-IP and per-address limits still 202, sending
 * nothing. The routes that work with or without an access token authenticate it when it is sent.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RateLimits } from '../config/env.js';
import { User } from '../schemas/auth.schema.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { Accepted, ForgotPasswordBody, ResendVerificationBody, ResetPasswordBody, VerifyEmailBody } from '../schemas/email.schema.js';
import type { EmailProof } from '../services/email-token.service.js';
import { BadRequestError } from '../utils/errors.js';
import { authBodyLimit, authRateLimits, clientAddress, clientContext, normaliseEmail } from './auth-options.js';

const HOUR_SECONDS = 3600;
/** The looser cap per address alone, whatever the IP (the contract's 10 per hour). */
const PER_ADDRESS_PER_HOUR = 10;
const SENT_IF_ACCOUNT = 'If an account exists for this address, an email with a link and a code is on its way.';
const OptionalBearer = [{}, ...BearerAuth];

/** `{ token }` or `{ email, code }`: one of the two complete, else 400. */
function proofOf(body: { token?: string | undefined; email?: string | undefined; code?: string | undefined }): EmailProof {
  if (body.token !== undefined) return { token: body.token };
  if (body.email !== undefined && body.code !== undefined) return { email: body.email, code: body.code };
  throw new BadRequestError('Send either token, or email and code');
}

/** The caller (user and session) when the request carried an access token (authenticateIfPresent checked it). */
const caller = (request: FastifyRequest): { userId: string; sid: string } | undefined =>
  request.headers.authorization === undefined ? undefined : request.user;

const emailRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { accountEmailService } = fastify;
  const { perIp } = authRateLimits(limits);
  fastify.addHook('onRoute', authBodyLimit);

  /** The quiet limits of a request naming an address: per IP, per address and IP, per address. */
  const quietLimits = (name: string) => {
    const email = (request: FastifyRequest) => (request.body as { email: string }).email;
    const checks = [
      fastify.quietLimitBy(`${name}-ip`, limits.forgotPerIp, HOUR_SECONDS, clientAddress),
      fastify.quietLimitBy(
        `${name}-email-ip`,
        limits.forgotPerEmail,
        HOUR_SECONDS,
        (request) => `${email(request)}|${clientAddress(request)}`,
      ),
      fastify.quietLimitBy(`${name}-email`, PER_ADDRESS_PER_HOUR, HOUR_SECONDS, email),
    ];
    // Every counter counts every request, so each limit holds whichever is reached first.
    return async (request: FastifyRequest) => (await Promise.all(checks.map((check) => check(request)))).every(Boolean);
  };
  const forgotWithinLimits = quietLimits('forgot');
  const resendWithinLimits = quietLimits('resend');
  const perUser = fastify.rateLimitBy('email-account', limits.accountPerUser, (request) => `user:${request.user.userId}`);

  fastify.post(
    '/password/forgot',
    {
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Send a password-reset email (link and code)',
        description: `Always 202, also for an unknown address and beyond the limits (FORGOT_RATE_LIMIT_PER_IP, FORGOT_RATE_LIMIT_PER_EMAIL, ${PER_ADDRESS_PER_HOUR} per address per hour), which then send nothing.`,
        body: ForgotPasswordBody,
        response: { 202: Accepted, ...errors(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      if (await forgotWithinLimits(request)) await accountEmailService.requestPasswordReset(request.body.email, clientContext(request));
      return reply.status(202).send({ message: SENT_IF_ACCOUNT });
    },
  );

  fastify.post(
    '/password/reset',
    {
      config: perIp(limits.loginPerIp),
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token or code of a reset email',
        description: 'Revokes every session of the user, counts the address as verified, and sends a "password changed" notice.',
        body: ResetPasswordBody,
        response: { 204: NoContent, ...errors(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      await accountEmailService.resetPassword(proofOf(request.body), request.body.newPassword, clientContext(request));
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/email/verify',
    {
      config: perIp(limits.loginPerIp),
      onRequest: fastify.authenticateIfPresent,
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Verify an address with the token or code of its email',
        description: 'An email-change token or code needs the access token of the same user: the account then switches to the new address.',
        security: OptionalBearer,
        body: VerifyEmailBody,
        response: { 200: User, ...errors(400, 401, 409, 413, 415, 429) },
      },
    },
    async (request) => accountEmailService.verifyEmail(proofOf(request.body), caller(request), clientContext(request)),
  );

  fastify.post(
    '/email/verify/resend',
    {
      onRequest: fastify.authenticateIfPresent,
      preValidation: async (request) => {
        (request as { body: unknown }).body ??= {};
        await normaliseEmail(request);
      },
      schema: {
        tags: ['auth'],
        summary: 'Send a new verification email',
        description:
          'With an access token: to the caller (409 when already verified). Without: body `{ email }`, always 202, ' +
          'sent only to an existing unverified account, limited like forgot-password.',
        security: OptionalBearer,
        body: ResendVerificationBody,
        response: { 202: Accepted, ...errors(400, 401, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const userId = caller(request)?.userId;
      if (userId !== undefined) {
        await perUser.call(fastify, request, reply);
        await accountEmailService.resendVerification(userId);
        return reply.status(202).send({ message: 'A new verification email is on its way.' });
      }
      if (request.body.email === undefined) throw new BadRequestError('Send email, or an access token');
      if (await resendWithinLimits(request)) await accountEmailService.requestVerification(request.body.email);
      return reply.status(202).send({ message: SENT_IF_ACCOUNT });
    },
  );
};

export default emailRoutes;
