/**
 * /auth, the public part: signup, login and refresh; and logout, whose `onRequest` hook
 * (`authenticateEndedSession`) also accepts a token whose session has already ended, so that a
 * retried logout is a 204. The signed-in routes of /auth are in me.ts and sessions.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthResponse, LoginBody, LogoutBody, RefreshTokenBody, SignupBody, SignupResponse, TokenPair } from '../schemas/auth.schema.js';
import type { RateLimits } from '../config/env.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { authBodyLimit, authRateLimits, clientAddress, clientContext, normaliseEmail } from './auth-options.js';

const authRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { accountService, sessionService, loginThrottleService } = fastify;
  const { perIp } = authRateLimits(limits);
  fastify.addHook('onRoute', authBodyLimit);

  fastify.post(
    '/signup',
    {
      config: perIp(limits.signupPerIp),
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Create an account and start a session',
        description:
          'Also sends the verification email. With REQUIRE_EMAIL_VERIFICATION the reply is `{ user, verificationRequired: true }` ' +
          'and no session starts until the address is verified.',
        body: SignupBody,
        response: { 201: SignupResponse, ...errors(400, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await accountService.signup(request.body, clientContext(request))),
  );

  fastify.post(
    '/login',
    {
      config: perIp(limits.loginPerIp),
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Start a session with email and password',
        body: LoginBody,
        response: { 200: AuthResponse, ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    // Failed logins are throttled per email and IP and per email (429 with Retry-After): see
    // services/login-throttle.service.ts. A correct password resets the counts, also when the
    // address still needs verifying (403).
    async (request) => {
      const { email, password } = request.body;
      const context = clientContext(request);
      const user = await loginThrottleService.guard(email, clientAddress(request), () =>
        accountService.authenticate(email, password, context),
      );
      accountService.requireSignInAllowed(user);
      return sessionService.login(user, context);
    },
  );

  fastify.post(
    '/refresh',
    {
      config: perIp(limits.refreshPerIp),
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new pair (rotation)',
        description:
          'The presented token is rotated. Presented again within REFRESH_REUSE_GRACE_SECONDS it gets a new access token ' +
          'and the same successor refresh token (while that one is unrotated); otherwise it counts as reuse and revokes the whole session.',
        body: RefreshTokenBody,
        response: { 200: TokenPair, ...errors(400, 401, 413, 415, 429) },
      },
    },
    async (request) => sessionService.refresh(request.body.refreshToken, clientContext(request)),
  );

  fastify.post(
    '/logout',
    {
      onRequest: fastify.authenticateEndedSession,
      // The body is optional: a bare POST revokes the current session.
      preValidation: async (request) => {
        (request as { body: unknown }).body ??= {};
      },
      schema: {
        tags: ['auth'],
        summary: 'Revoke the session of the given refresh token (if yours), else the current one',
        security: BearerAuth,
        body: LogoutBody,
        response: { 204: NoContent, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { userId, sid } = request.user;
      await sessionService.logout(userId, sid, request.body.refreshToken, clientContext(request));
      return reply.status(204).send(null);
    },
  );
};

export default authRoutes;
