/**
 * GET /.well-known/jwks.json: the public keys that verify access tokens (current first, then those
 * kept through a rotation), so that other services check tokens without a shared secret. Empty with
 * HS256, whose secret can never be published. No auth.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JwksDocument } from '../schemas/jwks.schema.js';

/** Verifiers refetch after this; a rotation keeps the previous key listed far longer (docs/operations.md). */
const JWKS_MAX_AGE_SECONDS = 600;

const jwksRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const document = { keys: fastify.tokenKeys.publicJwks };
  fastify.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'The public keys of access tokens (JWK Set, RFC 7517)',
        description: 'Each key has `kid` (its RFC 7638 thumbprint), `alg` and `use: "sig"`. Empty when JWT_ALGORITHM is HS256.',
        response: { 200: JwksDocument },
      },
    },
    async (_request, reply) => reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).send(document),
  );
};

export default jwksRoutes;
