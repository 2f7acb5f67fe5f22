/** Declaration merging for @fastify/jwt: the shape of request.user and the `refresh` namespace. */
import '@fastify/jwt';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** What `authenticate` puts on the request once the access token and its session check out. */
    user: { userId: string; email: string; sid: string };
  }

  // `fastify.jwt.refresh` exists once the `refresh` namespace is registered (src/plugins/jwt.ts).
  interface JWT {
    refresh: JWT;
  }
}
