/**
 * The `authenticate` hook, through GET /auth/me: every bad credential is a JSON 401 (never a 500),
 * revocation is immediate on the revoking instance and within the 2 s cache on every other one.
 * Bad tokens are forged here with node:crypto, so each one has exactly one defect.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

type JwtHeader = Record<string, unknown>;
type JwtPayload = Record<string, unknown>;

const { accessKeys, refreshKeys } = testConfig('x').jwt;
const [accessSecret, refreshSecret] = [accessKeys.signingKey, refreshKeys.signingKey];

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function encodeSegment(value: unknown): string {
  return base64url(JSON.stringify(value));
}

function hmacSignature(signingInput: string, secret: string, algorithm: 'sha256' | 'sha512'): string {
  return createHmac(algorithm, secret).update(signingInput).digest('base64url');
}

/** A JWT with the given header and payload, HMAC-signed with `secret` (HS256 unless told). */
function forgeJwt(header: JwtHeader, payload: JwtPayload, secret: string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  return `${signingInput}.${hmacSignature(signingInput, secret, algorithm)}`;
}

/** An HS256 token signed with the access secret: what the app itself would issue for these claims. */
function forgeAccessToken(payload: JwtPayload): string {
  return forgeJwt({ alg: 'HS256', typ: 'JWT' }, payload, accessSecret);
}

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  if (segment === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function decodeJwt(token: string): { header: JwtHeader; payload: JwtPayload; signature: string } {
  const [header, payload, signature] = token.split('.');
  if (signature === undefined) throw new Error('not a JWT');
  return { header: decodeSegment(header), payload: decodeSegment(payload), signature };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** JWT_ISSUER and JWT_AUDIENCE of the test config (their defaults). */
const ISSUER = 'habit-tracker-api';
const AUDIENCE = 'habit-tracker-api';

/** The claims of a user's genuine access token, with a fresh iat/exp: only what a test changes is wrong. */
function accessClaims(user: SignedUpUser): JwtPayload {
  const { userId, email, sid, aal } = decodeJwt(user.accessToken).payload;
  const iat = nowSeconds();
  return { userId, email, sid, aal, iat, exp: iat + 900, iss: ISSUER, aud: AUDIENCE };
}

function withoutClaim(name: string): (claims: JwtPayload) => JwtPayload {
  return (claims) => Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));
}

function getMe(app: FastifyInstance, authorization?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: '/auth/me', headers: authorization === undefined ? {} : { authorization } });
}

function expectUnauthorized(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<Record<string, unknown>>();
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode).toBe(401);
  expect(body.error).toBe('Unauthorized');
  expect(typeof body.message).toBe('string');
}

describe('the authenticate hook (GET /auth/me)', () => {
  const ctx = useTestApp();
  let alice: SignedUpUser;
  let bob: SignedUpUser;
  beforeAll(async () => {
    alice = await signUp(ctx.app);
    bob = await signUp(ctx.app);
  });

  it('answers a JSON 401 to a request without an Authorization header', async () => {
    expectUnauthorized(await getMe(ctx.app));
  });

  it('answers a JSON 401 to an empty Authorization header', async () => {
    expectUnauthorized(await getMe(ctx.app, ''));
  });

  it('answers a JSON 401 to the Basic scheme', async () => {
    expectUnauthorized(await getMe(ctx.app, `Basic ${base64url(`${alice.email}:${alice.password}`)}`));
  });

  it('answers a JSON 401 to the Basic scheme carrying a genuine access token', async () => {
    expectUnauthorized(await getMe(ctx.app, `Basic ${alice.accessToken}`));
  });

  it('answers a JSON 401 to the Bearer scheme without a token', async () => {
    expectUnauthorized(await getMe(ctx.app, 'Bearer'));
    expectUnauthorized(await getMe(ctx.app, 'Bearer '));
  });

  it('answers a JSON 401 to a Bearer token that is not a JWT', async () => {
    expectUnauthorized(await getMe(ctx.app, 'Bearer garbage'));
  });

  it('answers a JSON 401 to a token whose payload was changed after signing', async () => {
    const { header, payload, signature } = decodeJwt(alice.accessToken);
    const bobId = decodeJwt(bob.accessToken).payload.userId;
    const tampered = `${encodeSegment(header)}.${encodeSegment({ ...payload, userId: bobId })}.${signature}`;
    expectUnauthorized(await getMe(ctx.app, `Bearer ${tampered}`));
  });

  it('answers a JSON 401 to a token whose signature was changed', async () => {
    const [header, payload, signature] = alice.accessToken.split('.') as [string, string, string];
    // The first character carries 6 whole bits of the MAC (the last one partly carries padding bits).
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expectUnauthorized(await getMe(ctx.app, `Bearer ${header}.${payload}.${flipped}`));
  });

  it('answers a JSON 401 to an alg "none" token with an empty signature', async () => {
    const token = `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${encodeSegment(accessClaims(alice))}.`;
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to an alg "none" token with a junk signature', async () => {
    const token = `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${encodeSegment(accessClaims(alice))}.${base64url('junk-signature')}`;
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to a token signed with HS512 and the correct access secret', async () => {
    const token = forgeJwt({ alg: 'HS512', typ: 'JWT' }, accessClaims(alice), accessSecret, 'sha512');
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to an access-shaped token signed with the refresh secret', async () => {
    const token = forgeJwt({ alg: 'HS256', typ: 'JWT' }, accessClaims(alice), refreshSecret);
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to a correctly signed token that has expired', async () => {
    const iat = nowSeconds() - 1000;
    const token = forgeAccessToken({ ...accessClaims(alice), iat, exp: iat + 900 });
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to a correctly signed token whose nbf is in the future', async () => {
    const token = forgeAccessToken({ ...accessClaims(alice), nbf: nowSeconds() + 600 });
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it.each([
    ['without exp', withoutClaim('exp')],
    ['without iat', withoutClaim('iat')],
    ['whose exp is 10 years ahead', (claims: JwtPayload) => ({ ...claims, exp: Number(claims.iat) + 10 * 365 * 24 * 3600 })],
    ['living a second longer than 15 minutes', (claims: JwtPayload) => ({ ...claims, exp: Number(claims.iat) + 901 })],
    [
      'whose iat is in the future',
      (claims: JwtPayload) => ({ ...claims, iat: Number(claims.iat) + 300, exp: Number(claims.iat) + 300 + 900 }),
    ],
    ['without iss', withoutClaim('iss')],
    ['from another issuer', (claims: JwtPayload) => ({ ...claims, iss: 'another-api' })],
    ['without aud', withoutClaim('aud')],
    ['for another audience', (claims: JwtPayload) => ({ ...claims, aud: 'another-api' })],
    ['with an aal other than 1 or 2', (claims: JwtPayload) => ({ ...claims, aal: 3 })],
    ['with aal 0', (claims: JwtPayload) => ({ ...claims, aal: 0 })],
    ['with aal as a string', (claims: JwtPayload) => ({ ...claims, aal: '1' })],
  ])('answers a JSON 401 to a correctly signed token %s', async (_case, change) => {
    const token = forgeAccessToken(change(accessClaims(alice)));
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('accepts a token without aal, as issued before the claim existed (they live 15 minutes at most)', async () => {
    const response = await getMe(ctx.app, `Bearer ${forgeAccessToken(withoutClaim('aal')(accessClaims(alice)))}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: alice.user.id });
  });

  it('answers a JSON 401 to a genuine refresh token used as an access token', async () => {
    expectUnauthorized(await getMe(ctx.app, `Bearer ${alice.refreshToken}`));
  });

  it('answers a JSON 401 to a correctly signed token whose userId is a number', async () => {
    const token = forgeAccessToken({ ...accessClaims(alice), userId: 123 });
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to a correctly signed token without a sid', async () => {
    const claims = accessClaims(alice);
    delete claims.sid;
    const token = forgeAccessToken(claims);
    expectUnauthorized(await getMe(ctx.app, `Bearer ${token}`));
  });

  it('answers a JSON 401 to a token whose session was revoked, at once on the same instance', async () => {
    const user = await signUp(ctx.app);
    expect((await getMe(ctx.app, `Bearer ${user.accessToken}`)).statusCode).toBe(200); // cached as active
    const logout = await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) });
    expect(logout.statusCode).toBe(204);
    expectUnauthorized(await getMe(ctx.app, `Bearer ${user.accessToken}`));
  });

  it('answers a JSON 401 to a token whose user was deleted', async () => {
    const user = await signUp(ctx.app);
    expect((await getMe(ctx.app, `Bearer ${user.accessToken}`)).statusCode).toBe(200); // cached as active
    const deletion = await ctx.app.inject({
      method: 'DELETE',
      url: '/auth/me',
      headers: bearer(user.accessToken),
      payload: { password: user.password },
    });
    expect(deletion.statusCode).toBe(204);
    expectUnauthorized(await getMe(ctx.app, `Bearer ${user.accessToken}`));
  });

  it('answers a JSON 401 to a genuine access token once its 15 minutes are over', async () => {
    const user = await signUp(ctx.app);
    expect((await getMe(ctx.app, `Bearer ${user.accessToken}`)).statusCode).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 901_000);
      expectUnauthorized(await getMe(ctx.app, `Bearer ${user.accessToken}`));
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts a genuine access token, and the reply has no password field', async () => {
    const response = await getMe(ctx.app, `Bearer ${alice.accessToken}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ id: alice.user.id, email: alice.email });
    expect(body).not.toHaveProperty('password');
    expect(body).not.toHaveProperty('passwordHash');
  });

  it('accepts the scheme in lower case', async () => {
    const response = await getMe(ctx.app, `bearer ${alice.accessToken}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: alice.user.id });
  });

  it('accepts a token forged here with the access secret and genuine claims (so the refusals above are not forging bugs)', async () => {
    const response = await getMe(ctx.app, `Bearer ${forgeAccessToken(accessClaims(alice))}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: alice.user.id });
  });

  it('issues an HS256 access token living 15 minutes, carrying only userId, email, sid, aal, iat, exp, iss and aud', () => {
    const { header, payload } = decodeJwt(alice.accessToken);
    expect(header.alg).toBe('HS256');
    expect(Object.keys(payload).sort()).toEqual(['aal', 'aud', 'email', 'exp', 'iat', 'iss', 'sid', 'userId']);
    expect(payload).toMatchObject({ userId: alice.user.id, email: alice.email, aal: 1, iss: ISSUER, aud: AUDIENCE });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
  });

  it('issues an HS256 refresh token living 7 days, with a jti', () => {
    const { header, payload } = decodeJwt(alice.refreshToken);
    expect(header.alg).toBe('HS256');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(604_800);
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(payload).toMatchObject({ userId: alice.user.id, sid: decodeJwt(alice.accessToken).payload.sid });
    expect(payload).not.toHaveProperty('email');
  });

  it('another instance refuses a revoked session once its 2 s cache has expired', async () => {
    const user = await signUp(ctx.app);
    const other = await buildApp(testConfig(ctx.database.url));
    try {
      await other.ready();
      expect((await getMe(other, `Bearer ${user.accessToken}`)).statusCode).toBe(200); // warms its cache

      const logout = await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) });
      expect(logout.statusCode).toBe(204);

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 2_100);
      expectUnauthorized(await getMe(other, `Bearer ${user.accessToken}`));
    } finally {
      vi.useRealTimers();
      await other.close();
    }
  });
});

describe('the authenticate hook’s memory of ended sessions', () => {
  const ctx = useTestApp();
  let proxy: TcpProxy;
  let app: FastifyInstance;
  /** Chunks the app has sent to PostgreSQL: every query sends at least one. */
  let sentToDatabase = 0;
  beforeAll(async () => {
    proxy = await startTcpProxy(ctx.database.url, { inspectClient: () => () => (sentToDatabase += 1) });
    app = await buildApp(testConfig(proxy.url));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await proxy.close();
  });

  it('refuses a revoked session’s token again without asking the database each time', async () => {
    const user = await signUp(app);
    const logout = await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) });
    expect(logout.statusCode).toBe(204);
    expectUnauthorized(await getMe(app, `Bearer ${user.accessToken}`));

    sentToDatabase = 0;
    for (let attempt = 0; attempt < 5; attempt++) expectUnauthorized(await getMe(app, `Bearer ${user.accessToken}`));
    expect(sentToDatabase).toBe(0);
  });

  it('remembers a session revoked by another instance once it has seen it revoked, also after the 2 s of a positive answer', async () => {
    const user = await signUp(app);
    expect((await getMe(app, `Bearer ${user.accessToken}`)).statusCode).toBe(200);
    const logout = await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) });
    expect(logout.statusCode).toBe(204);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2_100);
      expectUnauthorized(await getMe(app, `Bearer ${user.accessToken}`));
      sentToDatabase = 0;
      vi.setSystemTime(Date.now() + 30_000);
      for (let attempt = 0; attempt < 5; attempt++) expectUnauthorized(await getMe(app, `Bearer ${user.accessToken}`));
      expect(sentToDatabase).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
