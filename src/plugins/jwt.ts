/**
 * Two @fastify/jwt instances with different keys: access tokens (`fastify.jwt`, 15 minutes, the
 * configured algorithm) and refresh tokens (`fastify.jwt.refresh`, 7 days, always HS256). Each pins
 * its algorithm on sign and verify, so `none` and every other algorithm are refused, and writes its
 * key's `kid` into every token header. The access instance must be registered first: the other order
 * collides on decorators. Options are given here, at registration: per-call options would build a new
 * signer or verifier on every call.
 *
 * `fastify.tokenKeys` verifies by `kid`: the current key (also for a token without `kid`, issued
 * before keys had ids), a previous key during a rotation, and nothing else (an unknown `kid` is
 * refused; the header never chooses the key or the algorithm).
 */
import fastifyJwt from '@fastify/jwt';
import { createSigner, createVerifier, type VerifierOptions } from 'fast-jwt';
import fp from 'fastify-plugin';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/tokens.js';
import type { KeySet, PublicJwk } from '../auth/signing-keys.js';

export interface JwtPluginOptions {
  accessKeys: KeySet;
  refreshKeys: KeySet;
  /** `iss` and `aud` of access tokens, required on verify. */
  issuer: string;
  audience: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    tokenKeys: {
      /** The payload of a valid access token; throws for anything else. */
      verifyAccess(token: string): unknown;
      /** The payload of a valid refresh token; throws for anything else. */
      verifyRefresh(token: string): unknown;
      /**
       * A refresh token's payload signed again by each previous refresh key: the token a previous key
       * issued for it, byte for byte (the grace window hands out a successor issued before a rotation).
       */
      signRefreshWithPrevious(payload: object): string[];
      /** The public keys of access tokens, current first (none with HS256): GET /.well-known/jwks.json. */
      publicJwks: PublicJwk[];
    };
  }
}

/** Headers that would let a token name its own key: never honoured, and refused outright. */
const KEY_CARRYING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'];

/** The `kid` of a token's header (undefined when absent); throws when the header is unreadable or carries a key. */
function kidOf(token: string): string | undefined {
  const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
  if (typeof header !== 'object' || header === null) throw new Error('Malformed token header');
  const { kid } = header as Record<string, unknown>;
  if (KEY_CARRYING_HEADERS.some((name) => name in header)) throw new Error('A token may not carry a key');
  if (kid !== undefined && typeof kid !== 'string') throw new Error('Malformed kid');
  return kid;
}

/** A verify function that picks the key by `kid`: `current` for the current key or no `kid`, a previous key's verifier, else a throw. */
function byKid(keys: KeySet, options: Partial<VerifierOptions>, current: (token: string) => unknown): (token: string) => unknown {
  const previous = new Map(keys.previous.map(({ kid, key }) => [kid, createVerifier({ ...options, key })]));
  return (token) => {
    const kid = kidOf(token);
    if (kid === undefined || kid === keys.current.kid) return current(token);
    const verify = previous.get(kid);
    if (!verify) throw new Error('Unknown kid');
    return verify(token) as unknown;
  };
}

export default fp<JwtPluginOptions>(
  async (fastify, { accessKeys, refreshKeys, issuer, audience }) => {
    const accessVerify = {
      algorithms: [accessKeys.algorithm],
      // The lifetime and `iat` are checked by isAccessTokenClaims (fast-jwt has no such rule).
      requiredClaims: ['exp', 'iat', 'iss', 'aud'],
      allowedIss: issuer,
      allowedAud: audience,
    };
    await fastify.register(fastifyJwt, {
      secret: accessKeys.algorithm === 'HS256' ? accessKeys.signingKey : { private: accessKeys.signingKey, public: accessKeys.current.key },
      // A number is seconds to @fastify/jwt.
      sign: {
        algorithm: accessKeys.algorithm,
        kid: accessKeys.current.kid,
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
        iss: issuer,
        aud: audience,
      },
      verify: accessVerify,
    });
    const refreshVerify = { algorithms: ['HS256' as const], requiredClaims: ['exp', 'iat'] };
    await fastify.register(fastifyJwt, {
      namespace: 'refresh',
      secret: refreshKeys.signingKey,
      // No expiresIn: the service signs `iat` and `exp` itself (capped by the session's end).
      sign: { algorithm: 'HS256', kid: refreshKeys.current.kid },
      verify: refreshVerify,
    });

    // Options as @fastify/jwt gives fast-jwt for the refresh namespace: the same payload gives the same token.
    const previousRefreshSigners = refreshKeys.previous.map(({ kid, key }) => createSigner({ key, algorithm: 'HS256', kid }));
    fastify.decorate('tokenKeys', {
      verifyAccess: byKid(accessKeys, accessVerify, (token) => fastify.jwt.verify(token)),
      verifyRefresh: byKid(refreshKeys, refreshVerify, (token) => fastify.jwt.refresh.verify(token)),
      signRefreshWithPrevious: (payload) => previousRefreshSigners.map((sign) => sign(payload)),
      publicJwks: [accessKeys.current, ...accessKeys.previous].flatMap(({ jwk }) => (jwk ? [jwk] : [])),
    });
  },
  { name: 'jwt' },
);
