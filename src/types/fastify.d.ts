/** Declaration merging for @fastify/jwt: the shape of request.user and the `refresh` namespace. */
import '@fastify/jwt';
import type { Aal } from '../auth/tokens.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** What `authenticate` puts on the request once the access token and its session check out. */
    user: { userId: string; email: string; sid: string; aal: Aal };
  }

  // `fastify.jwt.refresh` exists once the `refresh` namespace is registered (src/plugins/jwt.ts).
  interface JWT {
    refresh: JWT;
  }
}
