/**
 * `fastify.loginThrottle`: growing delays after failed sign-ins, counted in PostgreSQL per email and
 * client IP and per email (see src/services/login-throttle.service.ts). POST /auth/login runs
 * through `loginThrottle.guard`.
 */
import fp from 'fastify-plugin';
import { LoginThrottle } from '../services/login-throttle.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    loginThrottle: LoginThrottle;
  }
}

export default fp<{ freeAttempts: number }>(
  async (fastify, { freeAttempts }) => {
    fastify.decorate('loginThrottle', new LoginThrottle(fastify.pg, { freeAttempts }));
  },
  { name: 'login-throttle', dependencies: ['database'] },
);
