/** Token claims, lifetimes and the hash under which refresh tokens are stored. */
import { createHash } from 'node:crypto';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface AccessTokenClaims {
  userId: string;
  email: string;
  sid: string;
}

export interface RefreshTokenClaims {
  userId: string;
  sid: string;
  /** Random (UUID v4): two tokens signed in the same second must still differ. */
  jti: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Only this hash of a refresh token is stored, so a database leak yields no usable token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Claims come from a verified token, but their types are still checked before they are used. */
export function isAccessTokenClaims(value: unknown): value is AccessTokenClaims {
  const claims = value as Partial<Record<keyof AccessTokenClaims, unknown>> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.userId === 'string' &&
    UUID.test(claims.userId) &&
    typeof claims.sid === 'string' &&
    UUID.test(claims.sid) &&
    typeof claims.email === 'string'
  );
}

export function isRefreshTokenClaims(value: unknown): value is RefreshTokenClaims {
  const claims = value as Partial<Record<keyof RefreshTokenClaims, unknown>> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.userId === 'string' &&
    UUID.test(claims.userId) &&
    typeof claims.sid === 'string' &&
    UUID.test(claims.sid) &&
    typeof claims.jti === 'string' &&
    UUID.test(claims.jti)
  );
}
