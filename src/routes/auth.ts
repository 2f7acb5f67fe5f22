/**
 * /auth: signup, login and refresh are public; logout is registered inside a scope whose `onRequest`
 * hook is `authenticateEndedSession`, everything else inside one whose hook is `authenticate`.
 */
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  AuthResponse,
  ChangePasswordBody,
  DeleteMeBody,
  LoginBody,
  LogoutBody,
  RefreshTokenBody,
  Session,
  SessionParams,
  SignupBody,
  TokenPair,
  UpdateMeBody,
  User,
} from '../schemas/auth.schema.js';
import type { RateLimits } from '../config/env.js';
import { BearerAuth, errorResponses as errors, NoContent } from '../schemas/common.schema.js';

/** Auth bodies are a few short strings. */
const AUTH_BODY_LIMIT_BYTES = 16 * 1024;

/** Emails are compared trimmed and lower-cased, so normalise them before validation. */
async function normaliseEmail(request: FastifyRequest): Promise<void> {
  const body = request.body as { email?: unknown } | undefined;
  if (body && typeof body.email === 'string') body.email = body.email.trim().toLowerCase();
}

const clientContext = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'] });

/** The client IP as TRUST_PROXY resolves it; an IPv6 address as its /64, as the rate limits key it. */
const clientAddress = (request: FastifyRequest) => (request.ip ? normalizeIP(request.ip) : 'unknown');

const authRoutes: FastifyPluginAsyncTypebox<{ limits: RateLimits }> = async (fastify, { limits }) => {
  const { authService, loginThrottle } = fastify;
  const window = limits.authWindowSeconds * 1000;
  const perIp = (max: number) => ({ rateLimit: { max, timeWindow: window } });
  const perUser = (max: number) => ({
    rateLimit: { max, timeWindow: window, keyGenerator: (request: FastifyRequest) => `user:${request.user.userId}` },
  });
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit ??= AUTH_BODY_LIMIT_BYTES;
  });

  fastify.post(
    '/signup',
    {
      config: perIp(limits.signupPerIp),
      preValidation: normaliseEmail,
      schema: {
        tags: ['auth'],
        summary: 'Create an account and start a session',
        body: SignupBody,
        response: { 201: AuthResponse, ...errors(400, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await authService.signup(request.body, clientContext(request))),
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
        response: { 200: AuthResponse, ...errors(400, 401, 413, 415, 429) },
      },
    },
    // Failed logins are throttled per email and IP and per email (429 with Retry-After): see
    // services/login-throttle.service.ts.
    async (request) => {
      const { email, password } = request.body;
      return loginThrottle.guard(email, clientAddress(request), () => authService.login(email, password, clientContext(request)));
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
    async (request) => authService.refresh(request.body.refreshToken),
  );

  // Logout has its own scope: its hook also accepts a token whose session has already ended, so that
  // a retried logout is a 204 (the service then changes nothing).
  const logoutRoute: FastifyPluginAsyncTypebox = async (scope) => {
    scope.addHook('onRequest', scope.authenticateEndedSession);

    scope.post(
      '/logout',
      {
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
        await authService.logout(userId, sid, request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );
  };

  const authenticatedRoutes: FastifyPluginAsyncTypebox = async (authenticated) => {
    authenticated.addHook('onRequest', authenticated.authenticate);

    authenticated.post(
      '/logout-all',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke every session of the caller',
          security: BearerAuth,
          response: { 204: NoContent, ...errors(400, 401) },
        },
      },
      async (request, reply) => {
        await authService.revokeAllUserTokens(request.user.userId);
        return reply.status(204).send(null);
      },
    );

    authenticated.get(
      '/me',
      {
        schema: { tags: ['auth'], summary: 'The caller’s account', security: BearerAuth, response: { 200: User, ...errors(401) } },
      },
      async (request) => authService.getUser(request.user.userId),
    );

    authenticated.patch(
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
      async (request) => authService.updateUser(request.user.userId, request.body),
    );

    authenticated.delete(
      '/me',
      {
        config: perUser(limits.accountPerUser),
        schema: {
          tags: ['auth'],
          summary: 'Delete the account and all its data (password required)',
          security: BearerAuth,
          body: DeleteMeBody,
          response: { 204: NoContent, ...errors(400, 401) },
        },
      },
      async (request, reply) => {
        await authService.deleteAccount(request.user.userId, request.body.password);
        return reply.status(204).send(null);
      },
    );

    authenticated.post(
      '/change-password',
      {
        config: perUser(limits.accountPerUser),
        schema: {
          tags: ['auth'],
          summary: 'Change the password; every other session is revoked',
          security: BearerAuth,
          body: ChangePasswordBody,
          response: { 204: NoContent, ...errors(400, 401) },
        },
      },
      async (request, reply) => {
        const { userId, sid } = request.user;
        const { currentPassword, newPassword } = request.body;
        await authService.changePassword(userId, sid, currentPassword, newPassword);
        return reply.status(204).send(null);
      },
    );

    authenticated.get(
      '/sessions',
      {
        schema: {
          tags: ['auth'],
          summary: 'The caller’s active sessions, most recently used first',
          security: BearerAuth,
          response: { 200: Type.Array(Session), ...errors(401) },
        },
      },
      async (request) => authService.listSessions(request.user.userId, request.user.sid),
    );

    authenticated.delete(
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
        await authService.revokeSession(request.user.userId, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
  await fastify.register(logoutRoute);
  await fastify.register(authenticatedRoutes);
};

export default authRoutes;
