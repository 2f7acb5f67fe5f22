/** `fastify.authService`: the AuthService wired to this app's database, hasher and JWT instances. */
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import { AuthService } from '../services/auth.service.js';
import { isRefreshTokenClaims } from '../auth/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authService: AuthService;
  }
}

export default fp<{ refreshReuseGraceSeconds: number; sessionMaxDays: number }>(
  async (fastify, { refreshReuseGraceSeconds, sessionMaxDays }) => {
    const authService = new AuthService(fastify.prisma, fastify.pg, {
      passwords: fastify.passwords,
      // Made before the app is ready, at BCRYPT_ROUNDS: an unknown email then costs what a known one does.
      dummyHash: await fastify.passwords.hash(randomBytes(16).toString('hex')),
      refreshReuseGraceSeconds,
      sessionMaxDays,
      // Revoked sessions stop at once on this instance (plugins/authenticate.ts caches them).
      onSessionsEnded: (sessionIds) => {
        fastify.forgetSessions(sessionIds);
      },
      tokens: {
        signAccess: (claims) => fastify.jwt.sign(claims),
        signRefresh: (payload) => fastify.jwt.refresh.sign(payload),
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
  { name: 'auth-service', dependencies: ['database', 'passwords', 'jwt'] },
);
