/** GET /.well-known/jwks.json: a JWK Set (RFC 7517) of the public keys that verify access tokens. */
import { Type } from '@sinclair/typebox';

export const PublicJwk = Type.Object({
  kty: Type.String({ description: '`OKP` (Ed25519) or `EC` (P-256)' }),
  crv: Type.String({ description: '`Ed25519` or `P-256`' }),
  x: Type.String(),
  y: Type.Optional(Type.String({ description: 'EC keys only' })),
  kid: Type.String({ description: 'The RFC 7638 thumbprint of the key: the `kid` in the header of the tokens it verifies' }),
  alg: Type.Union([Type.Literal('EdDSA'), Type.Literal('ES256')]),
  use: Type.Literal('sig'),
});

export const JwksDocument = Type.Object({ keys: Type.Array(PublicJwk) });
