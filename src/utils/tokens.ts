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
function hasClaims(value: unknown, uuidClaims: readonly string[], stringClaims: readonly string[] = []): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    uuidClaims.every((name) => typeof claims[name] === 'string' && UUID.test(claims[name])) &&
    stringClaims.every((name) => typeof claims[name] === 'string')
  );
}

export function isAccessTokenClaims(value: unknown): value is AccessTokenClaims {
  return hasClaims(value, ['userId', 'sid'], ['email']);
}

export function isRefreshTokenClaims(value: unknown): value is RefreshTokenClaims {
  return hasClaims(value, ['userId', 'sid', 'jti']);
}
