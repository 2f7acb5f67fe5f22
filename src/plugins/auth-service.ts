/** `fastify.authService`: the AuthService wired to this app's database, hasher and JWT instances. */
import fp from 'fastify-plugin';
import { AuthService } from '../services/auth.service.js';
import { isRefreshTokenClaims } from '../utils/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authService: AuthService;
  }
}

export default fp<{ refreshReuseGraceSeconds: number }>(
  async (fastify, { refreshReuseGraceSeconds }) => {
    const authService = new AuthService(fastify.prisma, fastify.pg, {
      passwords: fastify.passwords,
      refreshReuseGraceSeconds,
      // Revoked sessions stop at once on this instance (plugins/authenticate.ts caches them).
      onSessionsEnded: (sessionIds) => {
        fastify.forgetSessions(sessionIds);
      },
      tokens: {
        signAccess: (claims) => fastify.jwt.sign(claims),
        signRefresh: (claims) => fastify.jwt.refresh.sign(claims),
        verifyRefresh: (token) => {
          try {
            const claims: unknown = fastify.jwt.refresh.verify(token);
            return isRefreshTokenClaims(claims) ? claims : null;
          } catch {
            return null;
          }
        },
      },
    });
    fastify.decorate('authService', authService);
  },
  { name: 'auth-service', dependencies: ['prisma', 'passwords', 'jwt'] },
);
