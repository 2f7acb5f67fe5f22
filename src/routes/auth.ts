/**
 * /auth, the public part: signup, login and refresh; and logout, whose `onRequest` hook
 * (`authenticateEndedSession`) also accepts a token whose session has already ended, so that a
 * retried logout is a 204. The signed-in routes of /auth are in me.ts and sessions.ts.
 *
 * Cookie mode (plugins/refresh-cookie.ts): `useCookie` on signup, login and mfa/verify puts the refresh
 * token into the `refresh_token` cookie; refresh and logout use the cookie when the body has no token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AuthResponse,
  LoginBody,
  LoginResponse,
  LogoutBody,
  RefreshTokenBody,
  SignupBody,
  SignupResponse,
  TokenPair,
} from '../schemas/auth.schema.js';
import type { RateLimits } from '../config/env.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';
import { VerifyMfaBody } from '../schemas/mfa.schema.js';
import { INVALID_REFRESH_TOKEN } from '../services/session.service.js';
import { UnauthorizedError } from '../utils/errors.js';
import { secondFactorOf } from './mfa.js';
import { authBodyLimit, authRateLimits, clientContext, normaliseEmail, optionalBody } from './auth-options.js';

const authRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { accountService, sessionService, loginThrottleService, mfaService, refreshCookie } = fastify;
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
    async (request, reply) => {
      const { useCookie, ...input } = request.body;
      const result = await accountService.signup(input, clientContext(request));
      return reply.status(201).send(refreshCookie.handOut(reply, result, useCookie));
    },
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
        response: { 200: LoginResponse, ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    // Failed logins are throttled per email and IP and per email (429 with Retry-After): see
    // services/login-throttle.service.ts. The attempt counts as a failure until it issues tokens: a
    // 403 (address not verified) or an mfaRequired answer resets nothing.
    async (request, reply) => {
      const { email, password, useCookie } = request.body;
      const context = clientContext(request);
      await loginThrottleService.reserve(email, context.throttleKey ?? 'unknown');
      const user = await accountService.authenticate(email, password, context);
      accountService.requireSignInAllowed(user);
      if (user.mfaEnabled) return mfaService.challenge(user.id);
      // Checked again once the session exists: two-factor sign-in may have been turned on meanwhile.
      const signedIn = await sessionService.login(user, context, 1, async () => !(await mfaService.isOn(user.id)));
      if (!signedIn) return mfaService.challenge(user.id);
      await loginThrottleService.signedIn(email, context.throttleKey ?? 'unknown');
      return refreshCookie.handOut(reply, signedIn, useCookie);
    },
  );

  fastify.post(
    '/mfa/verify',
    {
      config: perIp(limits.loginPerIp),
      schema: {
        tags: ['two-factor'],
        summary: 'Second step of a sign-in with two-factor on: the mfaToken and a code (or recovery code)',
        description:
          'Issues the tokens of an aal-2 session. A wrong code is a 401 and counts as a failed sign-in of the address; ' +
          'after 5 the mfaToken is dead. A code accepted once is refused again; a recovery code works once.',
        body: VerifyMfaBody,
        response: { 200: AuthResponse, ...errors(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const signedIn = await mfaService.verify(request.body.mfaToken, secondFactorOf(request.body), clientContext(request));
      return refreshCookie.handOut(reply, signedIn, request.body.useCookie);
    },
  );

  fastify.post(
    '/refresh',
    {
      config: perIp(limits.refreshPerIp),
      // The body is optional: a browser in cookie mode may send none.
      preValidation: optionalBody,
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new pair (rotation)',
        description:
          'The presented token is rotated. Presented again within REFRESH_REUSE_GRACE_SECONDS it gets a new access token ' +
          'and the same successor refresh token (while that one is unrotated); otherwise it counts as reuse and revokes the whole session. ' +
          'Without `refreshToken` in the body, the `refresh_token` cookie is used (with an allowed Origin and `X-Requested-With: fetch`, else 403): ' +
          'the reply is then `{ accessToken }` and the rotated token goes into the cookie; a refused one clears it.',
        body: RefreshTokenBody,
        response: { 200: TokenPair, ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const context = clientContext(request);
      if (request.body.refreshToken !== undefined) return sessionService.refresh(request.body.refreshToken, context);
      const cookieToken = refreshCookie.read(request);
      if (cookieToken === undefined) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
      try {
        return refreshCookie.handOut(reply, await sessionService.refresh(cookieToken, context), true);
      } catch (error) {
        // Refused (garbage, expired, revoked, reused): the cookie can never work again.
        if (error instanceof UnauthorizedError) refreshCookie.clear(reply);
        throw error;
      }
    },
  );

  fastify.post(
    '/logout',
    {
      onRequest: fastify.authenticateEndedSession,
      // The body is optional: a bare POST revokes the current session.
      preValidation: optionalBody,
      schema: {
        tags: ['auth'],
        summary: 'Revoke the session of the given refresh token (if yours), else the current one',
        description:
          'Without `refreshToken` in the body, the `refresh_token` cookie names the session (with an allowed Origin and ' +
          '`X-Requested-With: fetch`, else 403). The reply clears the cookie.',
        security: BearerAuth,
        body: LogoutBody,
        response: { 204: NoContent, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { userId, sid } = request.user;
      const refreshToken = request.body.refreshToken ?? refreshCookie.read(request);
      await sessionService.logout(userId, sid, refreshToken, clientContext(request));
      refreshCookie.clear(reply);
      return reply.status(204).send(null);
    },
  );
};

export default authRoutes;
