/**
 * Two @fastify/jwt instances with different secrets: access tokens (`fastify.jwt`, 15 minutes) and
 * refresh tokens (`fastify.jwt.refresh`, 7 days). HS256 is pinned on both sign and verify, so `none`
 * and every other algorithm are refused. The access instance must be registered first: the other
 * order collides on decorators. Options are given here, at registration: per-call options would
 * build a new signer or verifier on every call.
 */
import fastifyJwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/tokens.js';

export interface JwtPluginOptions {
  accessSecret: string;
  refreshSecret: string;
  /** `iss` and `aud` of access tokens, required on verify. */
  issuer: string;
  audience: string;
}

export default fp<JwtPluginOptions>(
  async (fastify, { accessSecret, refreshSecret, issuer, audience }) => {
    await fastify.register(fastifyJwt, {
      secret: accessSecret,
      // A number is seconds to @fastify/jwt.
      sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS, iss: issuer, aud: audience },
      // The lifetime and `iat` are checked by isAccessTokenClaims (fast-jwt has no such rule).
      verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'iss', 'aud'], allowedIss: issuer, allowedAud: audience },
    });
    await fastify.register(fastifyJwt, {
      namespace: 'refresh',
      secret: refreshSecret,
      // No expiresIn: the service signs `iat` and `exp` itself (capped by the session's end).
      sign: { algorithm: 'HS256' },
      verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'iat'] },
    });
  },
  { name: 'jwt' },
);
