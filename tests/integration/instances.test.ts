/**
 * Two real server processes on one database and one Redis, as behind a load balancer: tokens,
 * refresh rotation with reuse detection, session revocation and the login throttle all hold
 * across instances, with HS256 access tokens (a shared secret) and with EdDSA ones (the same key
 * pair, made by `npm run keys:generate`, which is tested here too).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import dotenv from 'dotenv';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { uniqueEmail } from '../helpers/factories.js';
import { runProcess } from '../helpers/run-process.js';
import { startServerProcess, stopLeftoverServers, type ServerProcess } from '../helpers/server-process.js';
import { redisAvailable, TEST_REDIS_URL } from '../helpers/redis.js';

const PASSWORD = 'correct horse battery';
/** The contract says 2 s; the poll interval and request latency get 500 ms on top. */
const LOGOUT_PROPAGATION_BOUND_MS = 2_500;
const POLL_INTERVAL_MS = 100;

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

async function signUpOn(baseUrl: string, email = uniqueEmail('instances')): Promise<Tokens & { email: string }> {
  const reply = await call(baseUrl, 'POST', '/auth/signup', { body: { email, password: PASSWORD } });
  expect(reply.status).toBe(201);
  return { email, ...(reply.body as Tokens) };
}

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** `npm run keys:generate -- <args>`, without npm (which would only add its banner). */
const generateKeys = (...args: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'src/scripts/generate-keys.ts', ...args]);

/** The key pair `npm run keys:generate` prints, read as a .env file is, and the kid it prints. */
async function generatedKeys(kind: 'ed25519' | 'p256'): Promise<{ env: Record<string, string>; kid: string; output: string }> {
  const { code, stdout, stderr } = await generateKeys(kind);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return { env: dotenv.parse(stdout), kid: /^# \S+ signing key, kid (\S+),/m.exec(stdout)?.[1] ?? '(no kid printed)', output: stdout };
}

describe('npm run keys:generate', () => {
  it.each([
    ['ed25519', 'EdDSA'],
    ['p256', 'ES256'],
  ])('prints a %s key pair as .env lines that the server reads, with the kid the server gives it', async (kind, algorithm) => {
    const { env, kid } = await generatedKeys(kind as 'ed25519' | 'p256');

    expect(Object.keys(env)).toEqual(['JWT_ALGORITHM', 'JWT_PRIVATE_KEY']);
    expect(env.JWT_ALGORITHM).toBe(algorithm);
    const { accessKeys } = loadConfig({ ...env, JWT_REFRESH_SECRET: 'refresh-secret' }).jwt;
    expect(accessKeys.algorithm).toBe(algorithm);
    expect(accessKeys.current.kid).toBe(kid);
    // The RFC 7638 thumbprint, computed by another library.
    const publicJwk = createPublicKey(env.JWT_PRIVATE_KEY!).export({ format: 'jwk' }) as JWK;
    expect(kid).toBe(await calculateJwkThumbprint(publicJwk, 'sha256'));
  });

  it('prints the private key on one line, which also loads unprocessed (\\n escapes, as an orchestrator passes it)', async () => {
    const { output, kid } = await generatedKeys('ed25519');

    const line = output.split('\n').find((printed) => printed.startsWith('JWT_PRIVATE_KEY='));
    const escaped = /^JWT_PRIVATE_KEY="(-----BEGIN PRIVATE KEY-----\\n.+\\n-----END PRIVATE KEY-----)"$/.exec(line ?? '')?.[1];
    expect(escaped).toBeDefined();
    const config = loadConfig({ JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEY: escaped, JWT_REFRESH_SECRET: 'refresh-secret' });
    expect(config.jwt.accessKeys.current.kid).toBe(kid);
  });

  it('prints the public key, commented out, ready to become JWT_PUBLIC_KEYS_PREVIOUS at the next rotation', async () => {
    const { output, kid } = await generatedKeys('ed25519');

    const commented = output.split('\n').find((printed) => printed.startsWith('# JWT_PUBLIC_KEYS_PREVIOUS='));
    const { JWT_PUBLIC_KEYS_PREVIOUS } = dotenv.parse(commented?.slice('# '.length) ?? '');
    expect(JWT_PUBLIC_KEYS_PREVIOUS).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const nextKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const { accessKeys } = loadConfig({
      JWT_ALGORITHM: 'EdDSA',
      JWT_PRIVATE_KEY: nextKey,
      JWT_PUBLIC_KEYS_PREVIOUS,
      JWT_REFRESH_SECRET: 'refresh-secret',
    }).jwt;
    expect(accessKeys.previous.map((previous) => previous.kid)).toEqual([kid]);
    expect(accessKeys.current.kid).not.toBe(kid);
  });

  it.each([[['rsa']], [['ED25519']], [[]]])('exits 2 with the usage, printing no key, for the arguments %j', async (args) => {
    const { code, stdout, stderr } = await generateKeys(...args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: npm run keys:generate -- ed25519|p256');
  });
});

/** The access-token keys both instances get: the helper's shared JWT_SECRET, or one generated EdDSA key pair. */
const VARIANTS: { algorithm: 'HS256' | 'EdDSA'; keys: () => Promise<{ env: Record<string, string>; kid?: string }> }[] = [
  { algorithm: 'HS256', keys: async () => ({ env: { JWT_ALGORITHM: 'HS256' } }) },
  { algorithm: 'EdDSA', keys: () => generatedKeys('ed25519') },
];

describe.runIf(redisAvailable).each(VARIANTS)('two server instances sharing PostgreSQL and Redis, $algorithm', ({ algorithm, keys }) => {
  let database: TestDatabase | undefined;
  const servers: ServerProcess[] = [];
  let instance1: string;
  let instance2: string;
  /** The kid of the generated key (EdDSA). */
  let expectedKid: string | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const generated = await keys();
    expectedKid = generated.kid;
    const env = {
      ...generated.env,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REFRESH_REUSE_GRACE_SECONDS: '0',
      LOGIN_THROTTLE_FREE_ATTEMPTS: '2',
      RATE_LIMIT_MAX: '100000',
      LOGIN_RATE_LIMIT_PER_IP: '100000',
      SIGNUP_RATE_LIMIT_PER_IP: '100000',
      REFRESH_RATE_LIMIT_PER_IP: '100000',
    };
    servers.push(startServerProcess(env), startServerProcess(env));
    const [url1, url2] = await Promise.all(servers.map((server) => server.waitForListening()));
    instance1 = url1!;
    instance2 = url2!;
    for (const baseUrl of [instance1, instance2]) {
      expect((await call(baseUrl, 'GET', '/health')).status).toBe(200);
    }
    expect(instance1).not.toBe(instance2);
  });

  afterAll(async () => {
    try {
      for (const server of servers) server.child.kill('SIGTERM');
      const exits = await Promise.all(servers.map((server) => server.exited));
      for (const [index, exit] of exits.entries()) {
        expect(exit, `instance ${index + 1} output:\n${servers[index]!.output()}`).toEqual({ code: 0, signal: null });
      }
    } finally {
      await stopLeftoverServers();
      await database?.drop();
    }
  });

  it('accepts on instance 2 an access token issued by instance 1', async () => {
    const { email, accessToken } = await signUpOn(instance1);

    const me = await call(instance2, 'GET', '/auth/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email });
  });

  it(`signs ${algorithm} access tokens with the same key on both instances, and each refreshes the other's refresh tokens`, async () => {
    const { email, accessToken, refreshToken } = await signUpOn(instance1);
    const header = headerOf(accessToken);
    expect(header).toMatchObject({ alg: algorithm, ...(expectedKid && { kid: expectedKid }) });

    const onInstance2 = await call(instance2, 'POST', '/auth/refresh', { body: { refreshToken } });
    expect(onInstance2.status).toBe(200);
    const pair = onInstance2.body as Tokens;
    expect(headerOf(pair.accessToken)).toMatchObject({ alg: algorithm, kid: header.kid });
    expect((await call(instance1, 'GET', '/auth/me', { token: pair.accessToken })).body).toMatchObject({ email });

    const backOnInstance1 = await call(instance1, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect(backOnInstance1.status).toBe(200);
    expect((await call(instance2, 'GET', '/auth/me', { token: (backOnInstance1.body as Tokens).accessToken })).status).toBe(200);
  });

  it('publishes the same JWKS document on both instances: the generated key, or none with HS256', async () => {
    const [document1, document2] = await Promise.all(
      [instance1, instance2].map((baseUrl) => call(baseUrl, 'GET', '/.well-known/jwks.json')),
    );

    expect(document1!.body).toEqual(document2!.body);
    expect((document1!.body as { keys: JWK[] }).keys.map((key) => key.kid)).toEqual(expectedKid ? [expectedKid] : []);
  });

  it('refuses on instance 2 a refresh token already rotated on instance 1, and revokes the session everywhere', async () => {
    const { refreshToken } = await signUpOn(instance1);

    const rotated = await call(instance1, 'POST', '/auth/refresh', { body: { refreshToken } });
    expect(rotated.status).toBe(200);
    const newRefreshToken = (rotated.body as Tokens).refreshToken;
    expect(newRefreshToken).not.toBe(refreshToken);

    const reused = await call(instance2, 'POST', '/auth/refresh', { body: { refreshToken } });
    expect(reused.status).toBe(401);

    // Reuse revoked the whole session: the newest refresh token stops on both instances.
    expect((await call(instance1, 'POST', '/auth/refresh', { body: { refreshToken: newRefreshToken } })).status).toBe(401);
    expect((await call(instance2, 'POST', '/auth/refresh', { body: { refreshToken: newRefreshToken } })).status).toBe(401);
  });

  it('stops on instance 2, within 2 s, an access token whose session was logged out on instance 1', async () => {
    const { accessToken } = await signUpOn(instance1);
    // Instance 2 now holds "this session is active" in its cache.
    expect((await call(instance2, 'GET', '/auth/me', { token: accessToken })).status).toBe(200);

    const logoutStartedAt = performance.now();
    expect((await call(instance1, 'POST', '/auth/logout', { token: accessToken })).status).toBe(204);
    // At once on the instance that handled the logout.
    expect((await call(instance1, 'GET', '/auth/me', { token: accessToken })).status).toBe(401);

    const deadline = logoutStartedAt + 2 * LOGOUT_PROPAGATION_BOUND_MS;
    let status = 0;
    let polls = 0;
    while (performance.now() < deadline) {
      status = (await call(instance2, 'GET', '/auth/me', { token: accessToken })).status;
      polls += 1;
      if (status !== 200) break;
      await sleep(POLL_INTERVAL_MS);
    }
    const elapsedMs = performance.now() - logoutStartedAt;
    console.log(`${algorithm}: logout on instance 1 reached instance 2 after ${Math.round(elapsedMs)} ms (${polls} polls)`);

    expect(status).toBe(401);
    expect(elapsedMs).toBeLessThanOrEqual(LOGOUT_PROPAGATION_BOUND_MS);
  });

  it('shares the login throttle between instances (the counts live in PostgreSQL)', async () => {
    const { email } = await signUpOn(instance1);
    const wrongLogin = (baseUrl: string) => call(baseUrl, 'POST', '/auth/login', { body: { email, password: 'wrong password!' } });

    // LOGIN_THROTTLE_FREE_ATTEMPTS=2: each instance alone has seen one failure.
    expect((await wrongLogin(instance1)).status).toBe(401);
    expect((await wrongLogin(instance2)).status).toBe(401);

    const throttled = await wrongLogin(instance1);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect((await wrongLogin(instance2)).status).toBe(429);
    // A throttled attempt checks no password: the right one waits too.
    expect((await call(instance2, 'POST', '/auth/login', { body: { email, password: PASSWORD } })).status).toBe(429);
  });
});
