/**
 * The keys of access tokens (JWT_ALGORITHM HS256 | EdDSA | ES256) and of refresh tokens (HS256): every
 * token names its key in `kid`; GET /.well-known/jwks.json publishes the public keys, and an
 * independent library (jose) verifies tokens with it against the listening app; a rotation signs
 * nobody out (apps started one after the other on one database, as a deploy restarts the server); and
 * every attempt to make the token choose its key or algorithm is a 401.
 *
 * Keys and secrets are generated here, never printed. Expected kids are computed here (jose's RFC 7638
 * thumbprint, SHA-256 of a secret), not read from src/.
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { calculateJwkThumbprint, createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { hashRefreshToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config/env.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, logIn, signUp } from '../helpers/factories.js';

type Algorithm = 'HS256' | 'EdDSA' | 'ES256';
type Env = Record<string, string>;
/** Signs a token's `header.payload` text. */
type Signer = (input: string) => Buffer;

/** The defaults of JWT_ISSUER and JWT_AUDIENCE, which the test config keeps. */
const ISSUER = 'habit-tracker-api';
const AUDIENCE = 'habit-tracker-api';

const hmac =
  (key: string | Buffer): Signer =>
  (input) =>
    createHmac('sha256', key).update(input).digest();
const ed25519Signer =
  (key: KeyObject): Signer =>
  (input) =>
    sign(null, Buffer.from(input), key);
const es256Signer =
  (key: KeyObject): Signer =>
  (input) =>
    sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
const noSignature: Signer = () => Buffer.alloc(0);

interface KeyPair {
  privateKey: KeyObject;
  privatePem: string;
  publicPem: string;
  /** The public key. */
  jwk: JWK;
  sign: Signer;
}

function keyPair(kind: 'ed25519' | 'p256'): KeyPair {
  const { privateKey, publicKey } =
    kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: publicKey.export({ format: 'jwk' }),
    sign: kind === 'ed25519' ? ed25519Signer(privateKey) : es256Signer(privateKey),
  };
}

/** A key, the variables that make it the current key or keep it as a previous one, and its expected kid. */
interface Key {
  algorithm: Algorithm;
  current: Env;
  previous: Env;
  kid: string;
  sign: Signer;
  /** Asymmetric keys only. */
  pair?: KeyPair;
}

const newSecret = () => randomBytes(32).toString('base64url');
/** The contract's digest of a secret: the first 16 characters of base64url SHA-256. */
const secretKid = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 16);

async function accessKey(algorithm: Algorithm): Promise<Key> {
  if (algorithm === 'HS256') {
    const secret = newSecret();
    return {
      algorithm,
      current: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret },
      previous: { JWT_SECRET_PREVIOUS: secret },
      kid: secretKid(secret),
      sign: hmac(secret),
    };
  }
  const pair = keyPair(algorithm === 'EdDSA' ? 'ed25519' : 'p256');
  return {
    algorithm,
    current: { JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: pair.privatePem },
    previous: { JWT_PUBLIC_KEYS_PREVIOUS: pair.publicPem },
    kid: await calculateJwkThumbprint(pair.jwk, 'sha256'),
    sign: pair.sign,
    pair,
  };
}

function refreshKey(): Key {
  const secret = newSecret();
  return {
    algorithm: 'HS256',
    current: { JWT_REFRESH_SECRET: secret },
    previous: { JWT_REFRESH_SECRET_PREVIOUS: secret },
    kid: secretKid(secret),
    sign: hmac(secret),
  };
}

/**
 * The test app on `databaseUrl` with the keys (and the refresh grace window) that the environment
 * `envs`, merged, gives: read by the server's own loadConfig.
 */
async function startApp(databaseUrl: string, ...envs: Env[]): Promise<FastifyInstance> {
  const { jwt, refreshReuseGraceSeconds } = loadConfig(Object.assign({}, ...envs) as Env);
  const app = await buildApp(testConfig(databaseUrl, { jwt, refreshReuseGraceSeconds }));
  await app.ready();
  return app;
}

const decodeSegment = (token: string, index: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const headerOf = (token: string) => decodeSegment(token, 0);

/** `token`'s claims exactly as the server issued them, under `header`, signed by `signer`. */
function forge(token: string, header: Record<string, unknown>, signer: Signer): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${token.split('.')[1]!}`;
  return `${input}.${signer(input).toString('base64url')}`;
}

const me = (app: FastifyInstance, accessToken: string) => app.inject({ method: 'GET', url: '/auth/me', headers: bearer(accessToken) });
const refresh = (app: FastifyInstance, refreshToken: string) =>
  app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const jwks = (app: FastifyInstance) => app.inject({ method: 'GET', url: '/.well-known/jwks.json' });

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function refreshed(app: FastifyInstance, refreshToken: string): Promise<Pair> {
  const response = await refresh(app, refreshToken);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Pair>();
}

let database: TestDatabase | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Apps a describe started; closed after it (also when a test failed before closing its own). */
function appsOfDescribe() {
  const apps = new Set<FastifyInstance>();
  afterAll(async () => {
    await Promise.all([...apps].map((app) => app.close()));
  });
  return {
    async start(...envs: Env[]) {
      if (!database) throw new Error('the file’s database was not created');
      const app = await startApp(database.url, ...envs);
      apps.add(app);
      return app;
    },
    async close(app: FastifyInstance) {
      apps.delete(app);
      await app.close();
    },
  };
}

describe.each<Algorithm>(['HS256', 'EdDSA', 'ES256'])('JWT_ALGORITHM=%s', (algorithm) => {
  const apps = appsOfDescribe();
  const asymmetric = algorithm !== 'HS256';
  let app: FastifyInstance;
  let current: Key;
  let previous: Key;
  let refreshSecret: Key;

  beforeAll(async () => {
    [current, previous] = await Promise.all([accessKey(algorithm), accessKey(algorithm)]);
    refreshSecret = refreshKey();
    app = await apps.start(current.current, previous.previous, refreshSecret.current);
  });

  it(`signs up, logs in, refreshes and reads /auth/me, every access token ${algorithm} with the current key's kid`, async () => {
    const user = await signUp(app);
    const login = await logIn(app, user.email, user.password);
    const rotated = await refreshed(app, login.refreshToken);

    for (const accessToken of [user.accessToken, login.accessToken, rotated.accessToken]) {
      expect(headerOf(accessToken)).toMatchObject({ alg: algorithm, kid: current.kid });
      const response = await me(app, accessToken);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ email: user.email });
    }
    expect(current.kid).not.toBe(previous.kid);
  });

  it('signs refresh tokens with HS256 and the refresh secret’s kid', async () => {
    const user = await signUp(app);
    const rotated = await refreshed(app, user.refreshToken);

    for (const refreshToken of [user.refreshToken, rotated.refreshToken]) {
      expect(headerOf(refreshToken)).toMatchObject({ alg: 'HS256', kid: refreshSecret.kid });
    }
    expect(refreshSecret.kid).not.toBe(current.kid);
  });

  it.runIf(asymmetric)('publishes the current and previous public keys in the JWKS document, without private parts', async () => {
    const response = await jwks(app);

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=600');
    const { keys } = response.json<{ keys: JWK[] }>();
    expect(keys).toEqual(
      [current, previous].map(({ pair, kid }) => ({
        ...pair!.jwk,
        kid,
        alg: algorithm,
        use: 'sig',
      })),
    );
    for (const key of keys) {
      expect(key).not.toHaveProperty('d');
      expect(Object.keys(key).sort()).toEqual(
        algorithm === 'EdDSA' ? ['alg', 'crv', 'kid', 'kty', 'use', 'x'] : ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'],
      );
    }
    expect(response.body).not.toContain('PRIVATE');
  });

  it.runIf(asymmetric)('names each published key by its RFC 7638 thumbprint', async () => {
    const { keys } = (await jwks(app)).json<{ keys: JWK[] }>();

    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.kid).toBe(await calculateJwkThumbprint(key, 'sha256'));
    }
  });

  it.runIf(!asymmetric)('publishes no key (a secret is never published)', async () => {
    const response = await jwks(app);

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=600');
    expect(response.json()).toEqual({ keys: [] });
  });

  it.runIf(asymmetric)(
    'has its access tokens verified by jose through the JWKS document of the listening server, previous key included',
    async () => {
      const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      const user = await signUp(app);
      const keySet = createRemoteJWKSet(new URL(`${baseUrl}/.well-known/jwks.json`));
      const options = { issuer: ISSUER, audience: AUDIENCE, algorithms: [algorithm] };

      const verified = await jwtVerify(user.accessToken, keySet, options);
      expect(verified.protectedHeader).toMatchObject({ alg: algorithm, kid: current.kid });
      expect(verified.payload).toMatchObject({ userId: user.user.id, email: user.email });

      // A token of the previous key (still valid during a rotation) verifies through the same document.
      const byPrevious = forge(user.accessToken, { alg: algorithm, typ: 'JWT', kid: previous.kid }, previous.sign);
      expect((await jwtVerify(byPrevious, keySet, options)).protectedHeader.kid).toBe(previous.kid);
      expect((await me(app, byPrevious)).statusCode).toBe(200);

      // And jose refuses what the server refuses: a key it does not publish.
      const stranger = await accessKey(algorithm);
      const byStranger = forge(user.accessToken, { alg: algorithm, typ: 'JWT', kid: current.kid }, stranger.sign);
      await expect(jwtVerify(byStranger, keySet, options)).rejects.toThrow();
      expect((await me(app, byStranger)).statusCode).toBe(401);
    },
  );
});

/**
 * The runbook's sequence: app A signs with key 1; app B (the deploy that adds key 2) signs with key 2
 * and still verifies key 1; app C (the deploy after 15 minutes / 7 days) knows key 2 only.
 */
describe.each<Algorithm>(['EdDSA', 'HS256'])('rotating the %s key and the refresh secret', (algorithm) => {
  const apps = appsOfDescribe();
  let key1: Key;
  let key2: Key;
  let refresh1: Key;
  let refresh2: Key;
  const stageA = () => [key1.current, refresh1.current];
  const stageB = () => [key2.current, key1.previous, refresh2.current, refresh1.previous];
  const stageC = () => [key2.current, refresh2.current];

  /** Issued by app A: the signup's pair, and a second session's refresh token that is never used before app C. */
  let fromA: { email: string; accessToken: string; refreshToken: string; untouchedRefreshToken: string };
  /** Issued by app B. */
  let fromB: Pair;

  beforeAll(async () => {
    [key1, key2] = await Promise.all([accessKey(algorithm), accessKey(algorithm)]);
    [refresh1, refresh2] = [refreshKey(), refreshKey()];
  });

  it('before: app A signs with key 1 and refresh secret 1', async () => {
    const appA = await apps.start(...stageA());
    const user = await signUp(appA);
    const secondSession = await logIn(appA, user.email, user.password);
    fromA = { ...user, untouchedRefreshToken: secondSession.refreshToken };

    expect(headerOf(user.accessToken)).toMatchObject({ alg: algorithm, kid: key1.kid });
    expect(headerOf(user.refreshToken)).toMatchObject({ alg: 'HS256', kid: refresh1.kid });
    expect((await me(appA, user.accessToken)).statusCode).toBe(200);
    await apps.close(appA);
  });

  describe('after the deploy that adds key 2 and keeps key 1 as previous (app B)', () => {
    let appB: FastifyInstance;

    beforeAll(async () => {
      appB = await apps.start(...stageB());
    });

    afterAll(async () => {
      await apps.close(appB);
    });

    it('accepts the access tokens key 1 signed', async () => {
      const response = await me(appB, fromA.accessToken);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ email: fromA.email });
    });

    it('refreshes the refresh tokens secret 1 signed, into a pair of key 2 and secret 2', async () => {
      fromB = await refreshed(appB, fromA.refreshToken);

      expect(headerOf(fromB.accessToken)).toMatchObject({ alg: algorithm, kid: key2.kid });
      expect(headerOf(fromB.refreshToken)).toMatchObject({ alg: 'HS256', kid: refresh2.kid });
      expect((await me(appB, fromB.accessToken)).statusCode).toBe(200);
    });

    it('publishes key 2, then key 1', async () => {
      const { keys } = (await jwks(appB)).json<{ keys: JWK[] }>();

      expect(keys.map((key) => key.kid)).toEqual(algorithm === 'HS256' ? [] : [key2.kid, key1.kid]);
    });
  });

  describe('after the deploy that removes key 1 and refresh secret 1 (app C)', () => {
    let appC: FastifyInstance;

    beforeAll(async () => {
      appC = await apps.start(...stageC());
    });

    it('refuses the access tokens key 1 signed, and accepts those of key 2', async () => {
      expect((await me(appC, fromA.accessToken)).statusCode).toBe(401);
      expect((await me(appC, fromB.accessToken)).statusCode).toBe(200);
    });

    it('refuses the refresh tokens secret 1 signed, and refreshes those of secret 2', async () => {
      const old = await refresh(appC, fromA.untouchedRefreshToken);
      expect(old.statusCode).toBe(401);
      expect(old.json()).toMatchObject({ message: 'Invalid refresh token' });

      const next = await refreshed(appC, fromB.refreshToken);
      expect(headerOf(next.accessToken)).toMatchObject({ kid: key2.kid });
      expect((await me(appC, next.accessToken)).statusCode).toBe(200);
    });

    it('publishes key 2 only', async () => {
      const { keys } = (await jwks(appC)).json<{ keys: JWK[] }>();

      expect(keys.map((key) => key.kid)).toEqual(algorithm === 'HS256' ? [] : [key2.kid]);
    });
  });

  /** However slow the machine, the retry below comes within the window. */
  const LONG_GRACE = { REFRESH_REUSE_GRACE_SECONDS: '120' };

  it('gives a retry within the grace window that straddles the deploy the same successor, without signing anyone out', async () => {
    // A client refreshes on app A and loses the reply; the deploy happens; it retries on app B.
    const appA = await apps.start(...stageA(), LONG_GRACE);
    const user = await signUp(appA);
    const first = await refreshed(appA, user.refreshToken);
    // Before the deploy, the retry gets the same successor (the grace window at work).
    expect((await refreshed(appA, user.refreshToken)).refreshToken).toBe(first.refreshToken);
    await apps.close(appA);

    const appB = await apps.start(...stageB(), LONG_GRACE);
    const retry = await refresh(appB, user.refreshToken);
    const successorAfterRetry = await refresh(appB, first.refreshToken);

    expect({
      retry: retry.statusCode,
      sameSuccessor: retry.statusCode === 200 && retry.json<Pair>().refreshToken === first.refreshToken,
      successorStillRefreshes: successorAfterRetry.statusCode,
    }).toEqual({ retry: 200, sameSuccessor: true, successorStillRefreshes: 200 });
    await apps.close(appB);
  });
});

describe.each<Algorithm>(['HS256', 'EdDSA'])('%s: tokens without kid (issued before keys had ids) and unknown kids', (algorithm) => {
  const apps = appsOfDescribe();
  let app: FastifyInstance;
  let current: Key;
  let previous: Key;
  let refreshCurrent: Key;
  let refreshPrevious: Key;
  /** A fresh access token of the current key: its claims are re-signed under other headers. */
  let accessToken: string;

  beforeAll(async () => {
    [current, previous] = await Promise.all([accessKey(algorithm), accessKey(algorithm)]);
    [refreshCurrent, refreshPrevious] = [refreshKey(), refreshKey()];
    app = await apps.start(current.current, previous.previous, refreshCurrent.current, refreshPrevious.previous);
    ({ accessToken } = await signUp(app));
  });

  it('accepts an access token without kid signed with the current key', async () => {
    const withoutKid = forge(accessToken, { alg: algorithm, typ: 'JWT' }, current.sign);

    expect((await me(app, withoutKid)).statusCode).toBe(200);
  });

  it('refuses an access token without kid signed with a previous key (which its kid would have named)', async () => {
    expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT' }, previous.sign))).statusCode).toBe(401);
    expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT', kid: previous.kid }, previous.sign))).statusCode).toBe(200);
  });

  it('refuses a kid that names no configured key, even on a token the current key signed', async () => {
    for (const kid of ['unknown', '', current.kid.slice(0, -1), refreshCurrent.kid]) {
      expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT', kid }, current.sign))).statusCode, kid).toBe(401);
    }
    expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT', kid: 42 }, current.sign))).statusCode).toBe(401);
  });

  it('refuses a token whose kid names one key when another signed it', async () => {
    expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT', kid: current.kid }, previous.sign))).statusCode).toBe(401);
    expect((await me(app, forge(accessToken, { alg: algorithm, typ: 'JWT', kid: previous.kid }, current.sign))).statusCode).toBe(401);
  });

  /** A session whose stored refresh token is `forged(real)` instead of the one the app issued, as if issued so. */
  async function sessionWithRefreshToken(forged: (real: string) => string): Promise<string> {
    const { refreshToken } = await signUp(app);
    const token = forged(refreshToken);
    const { count } = await app.prisma.refreshToken.updateMany({
      where: { tokenHash: hashRefreshToken(refreshToken) },
      data: { tokenHash: hashRefreshToken(token) },
    });
    expect(count).toBe(1);
    return token;
  }

  it('refreshes a refresh token without kid signed with the current refresh secret', async () => {
    const withoutKid = await sessionWithRefreshToken((real) => forge(real, { alg: 'HS256', typ: 'JWT' }, refreshCurrent.sign));

    const next = await refreshed(app, withoutKid);
    expect(headerOf(next.refreshToken)).toMatchObject({ kid: refreshCurrent.kid });
  });

  it('refuses a refresh token without kid signed with the previous refresh secret', async () => {
    const withoutKid = await sessionWithRefreshToken((real) => forge(real, { alg: 'HS256', typ: 'JWT' }, refreshPrevious.sign));

    expect((await refresh(app, withoutKid)).statusCode).toBe(401);
  });

  it('refuses a refresh token with an unknown kid', async () => {
    const unknownKid = await sessionWithRefreshToken((real) =>
      forge(real, { alg: 'HS256', typ: 'JWT', kid: 'unknown' }, refreshCurrent.sign),
    );

    expect((await refresh(app, unknownKid)).statusCode).toBe(401);
  });
});

describe('algorithm confusion against an EdDSA instance', () => {
  const apps = appsOfDescribe();
  let app: FastifyInstance;
  let current: Key;
  let previous: Key;
  let accessToken: string;
  const attacker = keyPair('ed25519');
  let attackerKid: string;
  /** Serves the attacker's JWKS document, counting the requests it gets (there must be none). */
  let attackerServer: Server | undefined;
  let attackerJwksUrl: string;
  let attackerRequests = 0;

  beforeAll(async () => {
    [current, previous] = await Promise.all([accessKey('EdDSA'), accessKey('EdDSA')]);
    app = await apps.start(current.current, previous.previous, refreshKey().current);
    ({ accessToken } = await signUp(app));
    attackerKid = await calculateJwkThumbprint(attacker.jwk, 'sha256');
    const server = createServer((_request, response) => {
      attackerRequests += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [{ ...attacker.jwk, kid: attackerKid, alg: 'EdDSA', use: 'sig' }] }));
    });
    attackerServer = server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    attackerJwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((closed) => attackerServer?.close(closed));
  });

  it('accepts the same claims signed with its key (the forgeries below differ only in header and signature)', async () => {
    expect((await me(app, forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: current.kid }, current.sign))).statusCode).toBe(200);
  });

  const publicKeyBytes = (key: Key) => Buffer.from(key.pair!.jwk.x!, 'base64url');
  const cases: [string, () => string][] = [
    [
      'HS256 signed with the public key’s PEM as the secret, without kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT' }, hmac(current.pair!.publicPem)),
    ],
    [
      'HS256 signed with the public key’s PEM as the secret, with its kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: current.kid }, hmac(current.pair!.publicPem)),
    ],
    [
      'HS256 signed with the trimmed PEM, with its kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: current.kid }, hmac(current.pair!.publicPem.trim())),
    ],
    [
      'HS256 signed with the previous key’s PEM, with its kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: previous.kid }, hmac(previous.pair!.publicPem)),
    ],
    [
      'HS256 signed with the JWK’s x bytes, without kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT' }, hmac(publicKeyBytes(current))),
    ],
    [
      'HS256 signed with the JWK’s x bytes, with its kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: current.kid }, hmac(publicKeyBytes(current))),
    ],
    [
      'HS256 signed with the JWK’s x text, with its kid',
      () => forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: current.kid }, hmac(current.pair!.jwk.x!)),
    ],
    ['alg none, without kid', () => forge(accessToken, { alg: 'none', typ: 'JWT' }, noSignature)],
    ['alg none, with the real kid', () => forge(accessToken, { alg: 'none', typ: 'JWT', kid: current.kid }, noSignature)],
    ['alg None, with the real kid', () => forge(accessToken, { alg: 'None', kid: current.kid }, noSignature)],
    ['alg EdDSA with an empty signature', () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: current.kid }, noSignature)],
    [
      'a jwk header with the attacker’s key, signed by it, without kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', jwk: attacker.jwk }, attacker.sign),
    ],
    [
      'a jwk header with the attacker’s key, signed by it, with its kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: attackerKid, jwk: attacker.jwk }, attacker.sign),
    ],
    [
      'a jwk header with the attacker’s key, signed by it, with the real kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: current.kid, jwk: attacker.jwk }, attacker.sign),
    ],
    [
      'a jku header pointing at the attacker’s JWKS, signed by the attacker, with its kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: attackerKid, jku: attackerJwksUrl }, attacker.sign),
    ],
    [
      'a jku header pointing at the attacker’s JWKS, signed by the attacker, without kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', jku: attackerJwksUrl }, attacker.sign),
    ],
    [
      'a jku header pointing at the attacker’s JWKS, signed by the attacker, with the real kid',
      () => forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: current.kid, jku: attackerJwksUrl }, attacker.sign),
    ],
    [
      'ES256 signed by the attacker’s P-256 key, with its jwk',
      () => {
        const p256 = keyPair('p256');
        return forge(accessToken, { alg: 'ES256', typ: 'JWT', jwk: p256.jwk }, p256.sign);
      },
    ],
  ];

  it.each(cases)('refuses %s (401)', async (_name, build) => {
    const response = await me(app, build());

    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(current.pair!.publicPem.split('\n')[1]);
  });

  it('never fetched the attacker’s jku', () => {
    expect(attackerRequests).toBe(0);
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c'])('refuses a %s header even on a token its own key signed', async (name) => {
    const value = name === 'jwk' ? current.pair!.jwk : name === 'x5c' ? ['MIIB'] : attackerJwksUrl;
    const token = forge(accessToken, { alg: 'EdDSA', typ: 'JWT', kid: current.kid, [name]: value }, current.sign);

    expect((await me(app, token)).statusCode).toBe(401);
  });
});

describe('algorithm confusion against an HS256 instance', () => {
  const apps = appsOfDescribe();
  let app: FastifyInstance;
  let current: Key;
  let accessToken: string;

  beforeAll(async () => {
    current = await accessKey('HS256');
    app = await apps.start(current.current, refreshKey().current);
    ({ accessToken } = await signUp(app));
  });

  it('accepts the same claims signed with its secret', async () => {
    expect((await me(app, forge(accessToken, { alg: 'HS256', typ: 'JWT', kid: current.kid }, current.sign))).statusCode).toBe(200);
  });

  it.each([
    ['EdDSA, without kid', 'EdDSA', false],
    ['EdDSA, with the secret’s kid', 'EdDSA', true],
    ['ES256, with the secret’s kid', 'ES256', true],
  ] as const)('refuses a token signed %s by some key pair (401)', async (_name, alg, withKid) => {
    const pair = keyPair(alg === 'EdDSA' ? 'ed25519' : 'p256');
    const token = forge(accessToken, { alg, typ: 'JWT', ...(withKid && { kid: current.kid }) }, pair.sign);

    expect((await me(app, token)).statusCode).toBe(401);
  });

  it('refuses alg none (401)', async () => {
    expect((await me(app, forge(accessToken, { alg: 'none', typ: 'JWT' }, noSignature))).statusCode).toBe(401);
  });
});
