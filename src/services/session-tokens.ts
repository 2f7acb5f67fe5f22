/**
 * A session's tokens: the first pair of a new session, and each refresh token's successor. A refresh
 * token lives 7 days but never past its session's end (SESSION_MAX_DAYS after the session started);
 * its `iat` and `exp` are those of its stored row, so the row alone signs it again (the grace window
 * of SessionService.refresh hands out the same successor twice that way).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  REFRESH_TOKEN_TTL_SECONDS,
  hashRefreshToken,
  isRefreshTokenClaims,
  type AccessTokenClaims,
  type Aal,
  type RefreshTokenClaims,
  type RefreshTokenPayload,
  type TokenPair,
} from '../auth/tokens.js';
import type { NewSession } from '../repositories/sessions.repository.js';

export interface TokenSigner {
  signAccess(claims: AccessTokenClaims): string;
  /** Deterministic: the same payload always gives the same token. */
  signRefresh(payload: RefreshTokenPayload): string;
  /** The same payload signed by each previous refresh key (none outside a rotation). */
  signRefreshWithPrevious(payload: RefreshTokenPayload): string[];
  /** The verified claims, or null for anything that is not a valid refresh token. */
  verifyRefresh(token: string): RefreshTokenClaims | null;
}

/** Where a request came from: stored with the sessions it starts and the security events it causes. */
export interface ClientContext {
  userAgent?: string | undefined;
  /** As TRUST_PROXY resolves it (routes/auth-options.ts `clientContext`). */
  ip?: string | undefined;
  /** The same address as the rate limits and the login throttle key it (an IPv6 address as its /64). */
  throttleKey?: string | undefined;
}

/** A session to store, and the tokens its client gets once it is stored. */
export interface NewSessionWithTokens {
  session: NewSession;
  tokens: TokenPair;
}

/** A new refresh token, and what its row stores. */
export interface NewRefreshToken {
  refreshToken: string;
  id: string;
  tokenHash: string;
  expiresAt: Date;
}

export const MAX_USER_AGENT_LENGTH = 512;

/** The user agent as stored (cut to MAX_USER_AGENT_LENGTH), or null. */
export const storedUserAgent = (context: ClientContext): string | null => context.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null;
const DAY_MS = 24 * 60 * 60 * 1000;

export class SessionTokens {
  constructor(
    private readonly signer: TokenSigner,
    private readonly sessionMaxDays: number,
  ) {}

  signAccess(claims: AccessTokenClaims): string {
    return this.signer.signAccess(claims);
  }

  verifyRefresh(token: string): RefreshTokenClaims | null {
    return this.signer.verifyRefresh(token);
  }

  /** `aal`: 1 after a password, 2 after a password and a second factor (src/services/mfa.service.ts). */
  newSession(userId: string, email: string, context: ClientContext, aal: Aal = 1): NewSessionWithTokens {
    const id = randomUUID();
    const now = new Date();
    const first = this.newRefreshToken(userId, id, now, this.sessionEnd(now));
    return {
      session: {
        id,
        userId,
        createdAt: now,
        expiresAt: first.expiresAt,
        userAgent: storedUserAgent(context),
        ip: context.ip ?? null,
        aal,
        refreshToken: { id: first.id, tokenHash: first.tokenHash },
      },
      tokens: { accessToken: this.signer.signAccess({ userId, email, sid: id, aal }), refreshToken: first.refreshToken },
    };
  }

  /** When a session started at `startedAt` ends, however often it is refreshed. */
  sessionEnd(startedAt: Date): Date {
    return new Date(startedAt.getTime() + this.sessionMaxDays * DAY_MS);
  }

  /** A session that started before this cannot last until `end`. */
  earliestStartFor(end: Date): Date {
    return new Date(end.getTime() - this.sessionMaxDays * DAY_MS);
  }

  /** A refresh token of session `sessionId` issued `now`, living 7 days but never past `sessionEnd`. */
  newRefreshToken(userId: string, sessionId: string, now: Date, sessionEnd?: Date): NewRefreshToken {
    const lifetimeEnd = now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000;
    const expiresAt = new Date(sessionEnd ? Math.min(lifetimeEnd, sessionEnd.getTime()) : lifetimeEnd);
    const id = randomUUID();
    const refreshToken = this.signRefreshToken({ id, userId, sessionId, createdAt: now, expiresAt });
    return { refreshToken, id, tokenHash: hashRefreshToken(refreshToken), expiresAt };
  }

  /** The refresh token a row stands for: `iat` and `exp` are its times in whole seconds, so it can be signed again. */
  signRefreshToken(row: RefreshTokenRow): string {
    return this.signer.signRefresh(refreshPayload(row));
  }

  /** The tokens a row may have been issued as: signed by the current refresh key, then by each previous one (during a rotation). */
  refreshTokenCandidates(row: RefreshTokenRow): string[] {
    const payload = refreshPayload(row);
    return [this.signer.signRefresh(payload), ...this.signer.signRefreshWithPrevious(payload)];
  }
}

interface RefreshTokenRow {
  id: string;
  userId: string;
  sessionId: string;
  createdAt: Date;
  expiresAt: Date;
}

const refreshPayload = (row: RefreshTokenRow): RefreshTokenPayload => ({
  userId: row.userId,
  sid: row.sessionId,
  jti: row.id,
  iat: Math.floor(row.createdAt.getTime() / 1000),
  exp: Math.floor(row.expiresAt.getTime() / 1000),
});

/** This app's two JWT instances (src/plugins/jwt.ts) as a TokenSigner. */
export function jwtTokenSigner(fastify: FastifyInstance): TokenSigner {
  return {
    signAccess: (claims) => fastify.jwt.sign(claims),
    signRefresh: (payload) => fastify.jwt.refresh.sign(payload),
    signRefreshWithPrevious: (payload) => fastify.tokenKeys.signRefreshWithPrevious(payload),
    verifyRefresh: (token) => {
      try {
        const claims = fastify.tokenKeys.verifyRefresh(token);
        return isRefreshTokenClaims(claims) ? claims : null;
      } catch {
        return null;
      }
    },
  };
}
