/**
 * Two @fastify/jwt instances with different secrets: access tokens (`fastify.jwt`, 15 minutes) and
 * refresh tokens (`fastify.jwt.refresh`, 7 days). HS256 is pinned on both sign and verify, so `none`
 * and every other algorithm are refused. The access instance must be registered first: the other
 * order collides on decorators.
 */
import fastifyJwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS } from '../utils/tokens.js';

export interface JwtPluginOptions {
  accessSecret: string;
  refreshSecret: string;
}

export default fp<JwtPluginOptions>(
  async (fastify, { accessSecret, refreshSecret }) => {
    await fastify.register(fastifyJwt, {
      secret: accessSecret,
      // A number is seconds to @fastify/jwt.
      sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS },
      verify: { algorithms: ['HS256'] },
    });
    await fastify.register(fastifyJwt, {
      namespace: 'refresh',
      secret: refreshSecret,
      sign: { algorithm: 'HS256', expiresIn: REFRESH_TOKEN_TTL_SECONDS },
      verify: { algorithms: ['HS256'] },
    });
  },
  { name: 'jwt' },
);
