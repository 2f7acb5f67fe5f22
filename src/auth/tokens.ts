/** Token claims, lifetimes and the hash under which refresh tokens are stored. */
import { createHash } from 'node:crypto';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;
/** How far ahead of our clock a token's `iat` may be (another instance's clock may run a little fast). */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Authenticator assurance level: 1 = password, 2 = password and a second factor. */
export type Aal = 1 | 2;

export interface AccessTokenClaims {
  userId: string;
  email: string;
  sid: string;
  /** Its session's level (Session.aal), copied into each access token the session issues. */
  aal: Aal;
}

/**
 * What a verified access token carries. `aal` may be missing: tokens issued before the claim existed
 * are accepted for the rest of their 15 minutes (and across a rolling deploy, from instances that do
 * not add it yet) as level 1, the lowest, so a missing claim never grants more than a password did.
 */
export type VerifiedAccessClaims = Omit<AccessTokenClaims, 'aal'> & { aal?: Aal };

/** A session's stored level as a claim: anything but 2 counts as 1, so an unexpected value never raises it. */
export const asAal = (level: number): Aal => (level === 2 ? 2 : 1);

export interface RefreshTokenClaims {
  userId: string;
  sid: string;
  /** Random (UUID v4): two tokens signed in the same second must still differ. */
  jti: string;
}

/**
 * What a refresh token is signed from. `iat` and `exp` (seconds) are explicit and derived from the
 * stored row, so the same row always re-signs to the same token (see SessionService.refresh).
 */
export interface RefreshTokenPayload extends RefreshTokenClaims {
  iat: number;
  exp: number;
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

/**
 * `iat` and `exp` present (the verifier has already checked `exp` against the clock), `iat` not in
 * the future, and a lifetime no longer than the kind's: a token signed with a leaked secret, or by a
 * bug, cannot live for years.
 */
function hasSaneLifetime(value: unknown, maxLifetimeSeconds: number, nowMs: number): boolean {
  const { iat, exp } = value as { iat?: unknown; exp?: unknown };
  return (
    typeof iat === 'number' && typeof exp === 'number' && iat <= nowMs / 1000 + CLOCK_TOLERANCE_SECONDS && exp - iat <= maxLifetimeSeconds
  );
}

/** `aal` absent (read as 1, see VerifiedAccessClaims) or exactly 1 or 2. */
function hasValidAal(value: unknown): boolean {
  const { aal } = value as { aal?: unknown };
  return aal === undefined || aal === 1 || aal === 2;
}

export function isAccessTokenClaims(value: unknown, nowMs = Date.now()): value is VerifiedAccessClaims {
  return hasClaims(value, ['userId', 'sid'], ['email']) && hasValidAal(value) && hasSaneLifetime(value, ACCESS_TOKEN_TTL_SECONDS, nowMs);
}

export function isRefreshTokenClaims(value: unknown, nowMs = Date.now()): value is RefreshTokenClaims {
  return hasClaims(value, ['userId', 'sid', 'jti']) && hasSaneLifetime(value, REFRESH_TOKEN_TTL_SECONDS, nowMs);
}
