/**
 * The keys tokens are signed and verified with, read from the environment once at start. Access
 * tokens use one algorithm (HS256 with a secret, or EdDSA / ES256 with a PKCS#8 private key); refresh
 * tokens always HS256. Each key has a `kid`, written into the header of every token it signs: the
 * RFC 7638 thumbprint of a public key, or a digest of a secret that reveals nothing of it. Previous keys
 * only verify, so a rotation signs nobody out (docs/operations.md, "Rotating the signing keys").
 */
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export const ACCESS_ALGORITHMS = ['HS256', 'EdDSA', 'ES256'] as const;
export type AccessAlgorithm = (typeof ACCESS_ALGORITHMS)[number];

/** A public key as a JWK for GET /.well-known/jwks.json. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
  kid: string;
  alg: 'EdDSA' | 'ES256';
  use: 'sig';
}

/** A key that verifies tokens: a secret, or a public key as SPKI PEM (what fast-jwt takes). */
export interface VerifyingKey {
  kid: string;
  key: string;
  /** Asymmetric keys only. */
  jwk?: PublicJwk;
}

export interface KeySet {
  algorithm: AccessAlgorithm;
  /** Signs every new token: a secret, or the private key as PKCS#8 PEM. */
  signingKey: string;
  current: VerifyingKey;
  /** Verify tokens signed before the last rotation, until they expire. */
  previous: VerifyingKey[];
}

/** Thrown for a key that cannot be used; the message fits on one line after the variable's name. */
export class KeyError extends Error {
  override name = 'KeyError';
}

/** A KeyError about JWT_PUBLIC_KEYS_PREVIOUS rather than JWT_PRIVATE_KEY. */
export class KeyPreviousError extends KeyError {}

/** The first 16 characters of base64url SHA-256 of the secret: names it without revealing anything of it. */
export const secretKid = (secret: string): string => createHash('sha256').update(secret).digest('base64url').slice(0, 16);

/** RFC 7638: SHA-256 of the required members, in lexicographic order, without whitespace. */
function thumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'OKP' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** Environments often carry a PEM on one line with `\n` escapes: both forms are accepted. */
const unescapePem = (value: string): string => value.replace(/\\n/g, '\n').trim();

/** Whether `key` is of the kind `algorithm` signs with: Ed25519 for EdDSA, P-256 for ES256. */
function fits(key: KeyObject, algorithm: AccessAlgorithm): boolean {
  if (algorithm === 'EdDSA') return key.asymmetricKeyType === 'ed25519';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

const A_KEY = { EdDSA: 'an Ed25519 key', ES256: 'a P-256 (prime256v1) EC key' } as const;

function publicVerifyingKey(publicKey: KeyObject, algorithm: 'EdDSA' | 'ES256'): VerifyingKey {
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  return {
    kid,
    key: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, ...(jwk.y ? { y: jwk.y } : {}), kid, alg: algorithm, use: 'sig' },
  };
}

/** An asymmetric key set from a PKCS#8 private key PEM and any previous public keys (PEM blocks, concatenated). */
export function asymmetricKeySet(algorithm: 'EdDSA' | 'ES256', privateKeyPem: string, previousPublicKeysPem = ''): KeySet {
  const pem = unescapePem(privateKeyPem);
  if (!pem.startsWith('-----BEGIN PRIVATE KEY-----')) {
    throw new KeyError('must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----; `npm run keys:generate` makes one)');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new KeyError('is not a readable PKCS#8 PEM private key');
  }
  if (!fits(privateKey, algorithm)) throw new KeyError(`must be ${A_KEY[algorithm]} for JWT_ALGORITHM=${algorithm}`);
  const current = publicVerifyingKey(createPublicKey(privateKey), algorithm);
  return {
    algorithm,
    signingKey: pem,
    current,
    // The current key listed again (a rotation half undone) would appear twice in the JWKS.
    previous: previousPublicKeys(algorithm, previousPublicKeysPem).filter(({ kid }) => kid !== current.kid),
  };
}

function previousPublicKeys(algorithm: 'EdDSA' | 'ES256', pems: string): VerifyingKey[] {
  const text = unescapePem(pems);
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (text !== '' && blocks.length === 0) throw new KeyPreviousError('must be PEM public keys (-----BEGIN PUBLIC KEY-----)');
  return blocks.map((block) => {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      throw new KeyPreviousError('holds a PEM block that is not a readable public key');
    }
    if (!fits(key, algorithm)) throw new KeyPreviousError(`holds a key that is not ${A_KEY[algorithm]} (JWT_ALGORITHM=${algorithm})`);
    return publicVerifyingKey(key, algorithm);
  });
}

/** An HS256 key set: the current secret and, during a rotation, the previous one. */
export function secretKeySet(secret: string, previousSecret?: string): KeySet {
  const verifying = (value: string): VerifyingKey => ({ kid: secretKid(value), key: value });
  return {
    algorithm: 'HS256',
    signingKey: secret,
    current: verifying(secret),
    previous: previousSecret && previousSecret !== secret ? [verifying(previousSecret)] : [],
  };
}
