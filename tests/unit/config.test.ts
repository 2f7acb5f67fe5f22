import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { ensureDevSecrets } from '../../src/config/dev-secrets.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';

const strongAccess = 'a'.repeat(32);
const strongRefresh = 'b'.repeat(32);
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://app@db.internal:5432/habits',
  JWT_SECRET: strongAccess,
  JWT_REFRESH_SECRET: strongRefresh,
  MFA_ENCRYPTION_KEY: 'm'.repeat(32),
  SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
  APP_URL: 'https://app.example.com',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y' });
    expect(config).toMatchObject({
      env: 'development',
      host: '0.0.0.0',
      port: 3000,
      databaseUrl: undefined,
      bcryptRounds: 10,
      logLevel: 'info',
      corsOrigins: [],
      refreshReuseGraceSeconds: 10,
      sessionCleanupIntervalMinutes: 60,
      sessionMaxDays: 30,
      jwt: {
        accessKeys: { algorithm: 'HS256', signingKey: 'x', previous: [] },
        refreshKeys: { signingKey: 'y' },
        issuer: 'habit-tracker-api',
        audience: 'habit-tracker-api',
      },
    });
  });

  it('reads SESSION_MAX_DAYS, JWT_ISSUER and JWT_AUDIENCE', () => {
    const config = loadConfig({
      JWT_SECRET: 'x',
      JWT_REFRESH_SECRET: 'y',
      SESSION_MAX_DAYS: '90',
      JWT_ISSUER: 'https://api.example',
      JWT_AUDIENCE: 'habits-app',
    });
    expect(config.sessionMaxDays).toBe(90);
    expect(config.jwt).toMatchObject({ issuer: 'https://api.example', audience: 'habits-app' });
  });

  it('converts and splits values', () => {
    const config = loadConfig({ ...production, PORT: '8080', BCRYPT_ROUNDS: '12', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.port).toBe(8080);
    expect(config.bcryptRounds).toBe(12);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads the rate limits', () => {
    const config = loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', LOGIN_RATE_LIMIT_PER_IP: '3', RATE_LIMIT_MAX: '50' });
    expect(config.rateLimit).toMatchObject({ loginPerIp: 3, global: { max: 50, windowSeconds: 60 }, authWindowSeconds: 900 });
  });

  it('reads LOGIN_THROTTLE_FREE_ATTEMPTS, 5 by default, 0 allowed', () => {
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y' }).loginThrottleFreeAttempts).toBe(5);
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', LOGIN_THROTTLE_FREE_ATTEMPTS: '0' }).loginThrottleFreeAttempts).toBe(0);
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', LOGIN_THROTTLE_FREE_ATTEMPTS: '10' }).loginThrottleFreeAttempts).toBe(10);
  });

  it('reads METRICS_TOKEN (unset by default) and MAX_EVENT_LOOP_DELAY_MS (1000 by default, 0 allowed)', () => {
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y' })).toMatchObject({ metricsToken: undefined, maxEventLoopDelayMs: 1000 });
    expect(
      loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', METRICS_TOKEN: 'scrape-me', MAX_EVENT_LOOP_DELAY_MS: '0' }),
    ).toMatchObject({ metricsToken: 'scrape-me', maxEventLoopDelayMs: 0 });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', PORT: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['BCRYPT_ROUNDS', '3'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['REFRESH_REUSE_GRACE_SECONDS', '-1'],
    ['REFRESH_REUSE_GRACE_SECONDS', '1.5'],
    ['SESSION_CLEANUP_INTERVAL_MINUTES', 'often'],
    ['REDIS_URL', 'http://cache'],
    ['LOGIN_RATE_LIMIT_PER_IP', '0'],
    ['LOGIN_THROTTLE_FREE_ATTEMPTS', '-1'],
    ['LOGIN_THROTTLE_FREE_ATTEMPTS', '1001'],
    ['LOGIN_THROTTLE_FREE_ATTEMPTS', '2.5'],
    ['DATABASE_TIMEOUT_MS', '10'],
    ['SESSION_MAX_DAYS', '0'],
    ['SESSION_MAX_DAYS', '366'],
    ['SESSION_MAX_DAYS', '1.5'],
    ['METRICS_TOKEN', 'two words'],
    ['METRICS_TOKEN', 'tökén'],
    ['MAX_EVENT_LOOP_DELAY_MS', '-1'],
    ['MAX_EVENT_LOOP_DELAY_MS', '60001'],
    ['MAX_EVENT_LOOP_DELAY_MS', '0.5'],
  ])('rejects %s=%s with a one-line error naming the variable', (name, value) => {
    const load = () => loadConfig({ JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y', [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^Invalid environment variable ${name}: [^\\n]+$`));
  });

  describe('in production', () => {
    it('accepts strong, distinct secrets', () => {
      expect(loadConfig(production).jwt).toMatchObject({
        accessKeys: { signingKey: strongAccess },
        refreshKeys: { signingKey: strongRefresh },
      });
    });

    it.each(['JWT_SECRET', 'JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY'])('requires %s', (name) => {
      expect(() => loadConfig({ ...production, [name]: undefined })).toThrow(`Missing environment variable ${name}`);
    });

    it.each(['JWT_SECRET', 'JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY'])('requires %s to have at least 32 characters', (name) => {
      expect(() => loadConfig({ ...production, [name]: 'c'.repeat(31) })).toThrow(
        `Invalid environment variable ${name}: must be at least 32 characters in production`,
      );
    });

    it('requires METRICS_TOKEN, when set, to have at least 32 characters', () => {
      expect(() => loadConfig({ ...production, METRICS_TOKEN: 'c'.repeat(31) })).toThrow(
        /^Invalid environment variable METRICS_TOKEN: must be at least 32 characters in production$/,
      );
      expect(loadConfig({ ...production, METRICS_TOKEN: 'c'.repeat(32) }).metricsToken).toBe('c'.repeat(32));
      expect(loadConfig(production).metricsToken).toBeUndefined();
    });

    it('requires the two secrets to differ', () => {
      expect(() => loadConfig({ ...production, JWT_REFRESH_SECRET: strongAccess })).toThrow('must differ from JWT_SECRET');
    });

    it('requires DATABASE_URL', () => {
      expect(() => loadConfig({ ...production, DATABASE_URL: undefined })).toThrow('Missing environment variable DATABASE_URL');
    });

    it('refuses a CORS wildcard', () => {
      expect(() => loadConfig({ ...production, CORS_ORIGINS: 'https://a.example,*' })).toThrow(
        'Invalid environment variable CORS_ORIGINS: `*` is allowed in development only',
      );
    });

    it('refuses BCRYPT_ROUNDS below 10', () => {
      expect(() => loadConfig({ ...production, BCRYPT_ROUNDS: '9' })).toThrow('BCRYPT_ROUNDS: must be at least 10');
    });

    it.each(['SMTP_URL', 'APP_URL'])('requires %s', (name) => {
      expect(() => loadConfig({ ...production, [name]: undefined })).toThrow(
        `Missing environment variable ${name} (required in production`,
      );
    });

    it('refuses an http:// APP_URL, and accepts an app scheme', () => {
      expect(() => loadConfig({ ...production, APP_URL: 'http://app.example.com' })).toThrow(
        'Invalid environment variable APP_URL: use https://',
      );
      expect(loadConfig({ ...production, APP_URL: 'habits://' }).mail.appUrl).toBe('habits://');
    });
  });

  describe('email settings', () => {
    const base = { JWT_SECRET: 'x', JWT_REFRESH_SECRET: 'y' };

    it('defaults: links to the local server, no SMTP (the outbox), verification not required', () => {
      expect(loadConfig({ ...base, PORT: '4000' })).toMatchObject({
        mail: {
          appUrl: 'http://localhost:4000',
          smtpUrl: undefined,
          from: 'Habit Tracker <no-reply@localhost>',
          outboxDir: '.data/outbox',
        },
        requireEmailVerification: false,
        rateLimit: { forgotPerIp: 10, forgotPerEmail: 3 },
      });
    });

    it.each([
      ['SMTP_URL', 'http://smtp.example.com'],
      ['APP_URL', 'https://app.example.com/path'],
      ['APP_URL', 'app.example.com'],
      ['REQUIRE_EMAIL_VERIFICATION', 'yes'],
      ['FORGOT_RATE_LIMIT_PER_EMAIL', '0'],
    ])('refuses %s=%s in one line', (name, value) => {
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`^Invalid environment variable ${name}: [^\\n]+$`));
    });

    it('reads REQUIRE_EMAIL_VERIFICATION=true', () => {
      expect(loadConfig({ ...base, REQUIRE_EMAIL_VERIFICATION: 'true' }).requireEmailVerification).toBe(true);
    });
  });
});

describe('loadConfig: signing keys', () => {
  const pkcs8 = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
  const spki = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
  const ed25519 = generateKeyPairSync('ed25519');
  const ed25519Other = generateKeyPairSync('ed25519');
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** The kid the contract gives a public key, computed independently: jose's RFC 7638 thumbprint. */
  const thumbprint = (publicKey: KeyObject) => calculateJwkThumbprint(publicKey.export({ format: 'jwk' }), 'sha256');
  const base = { JWT_REFRESH_SECRET: 'y' };
  const eddsa = { ...base, JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey) };
  const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
  /** A one-line ConfigError naming `name`, and no line of any key it was given. */
  const refusal = (prefix: 'Invalid' | 'Missing', name: string) => new RegExp(`^${prefix} environment variable ${name}[: ][^\\n]+$`);

  function errorOf(env: Record<string, string | undefined>): ConfigError {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('loadConfig accepted it');
  }

  it('defaults to HS256, with kids that are digests of the secrets', () => {
    const { accessKeys, refreshKeys } = loadConfig({ JWT_SECRET: 'x', ...base }).jwt;

    expect(accessKeys.algorithm).toBe('HS256');
    expect(accessKeys.current.kid).toBe(createHash('sha256').update('x').digest('base64url').slice(0, 16));
    expect(refreshKeys).toMatchObject({
      algorithm: 'HS256',
      current: { kid: createHash('sha256').update('y').digest('base64url').slice(0, 16) },
    });
    expect(accessKeys.current.jwk).toBeUndefined();
  });

  it('reads JWT_SECRET_PREVIOUS and JWT_REFRESH_SECRET_PREVIOUS as previous keys', () => {
    const { accessKeys, refreshKeys } = loadConfig({
      JWT_SECRET: 'x2',
      JWT_SECRET_PREVIOUS: 'x1',
      JWT_REFRESH_SECRET: 'y2',
      JWT_REFRESH_SECRET_PREVIOUS: 'y1',
    }).jwt;

    expect(accessKeys.previous).toEqual([{ kid: loadConfig({ JWT_SECRET: 'x1', ...base }).jwt.accessKeys.current.kid, key: 'x1' }]);
    expect(refreshKeys.previous.map(({ key }) => key)).toEqual(['y1']);
    expect(refreshKeys.previous[0]!.kid).not.toBe(refreshKeys.current.kid);
  });

  it('reads an EdDSA key: the kid is the RFC 7638 thumbprint of its public key', async () => {
    const { accessKeys } = loadConfig(eddsa).jwt;

    expect(accessKeys).toMatchObject({ algorithm: 'EdDSA', previous: [] });
    expect(accessKeys.current.kid).toBe(await thumbprint(ed25519.publicKey));
    expect(accessKeys.current.jwk).toEqual({
      ...ed25519.publicKey.export({ format: 'jwk' }),
      kid: accessKeys.current.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
  });

  it('reads an ES256 key (P-256)', async () => {
    const { accessKeys } = loadConfig({ ...base, JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pkcs8(p256.privateKey) }).jwt;

    expect(accessKeys.algorithm).toBe('ES256');
    expect(accessKeys.current.kid).toBe(await thumbprint(p256.publicKey));
    expect(accessKeys.current.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('accepts a one-line PEM with \\n escapes, and CRLF line ends, as the same key', () => {
    const expected = loadConfig(eddsa).jwt.accessKeys;

    for (const pem of [oneLine(pkcs8(ed25519.privateKey)), pkcs8(ed25519.privateKey).replace(/\n/g, '\r\n')]) {
      const { accessKeys } = loadConfig({ ...eddsa, JWT_PRIVATE_KEY: pem }).jwt;
      expect(accessKeys.current).toEqual(expected.current);
    }
  });

  it('reads JWT_PUBLIC_KEYS_PREVIOUS: concatenated PEM public keys, also on one line, in order', async () => {
    const previous = [spki(ed25519Other.publicKey), spki(generateKeyPairSync('ed25519').publicKey)];

    for (const value of [previous.join(''), oneLine(previous.join('\n'))]) {
      const { accessKeys } = loadConfig({ ...eddsa, JWT_PUBLIC_KEYS_PREVIOUS: value }).jwt;
      expect(accessKeys.previous.map(({ kid }) => kid)).toEqual([await thumbprint(ed25519Other.publicKey), expect.any(String)]);
      expect(accessKeys.previous).toHaveLength(2);
      expect(accessKeys.previous[1]!.kid).not.toBe(accessKeys.previous[0]!.kid);
    }
  });

  it.each([
    ['EdDSA', 'JWT_PRIVATE_KEY unset', { JWT_PRIVATE_KEY: undefined }, 'Missing', 'JWT_PRIVATE_KEY'],
    ['EdDSA', 'an ES256 key', { JWT_PRIVATE_KEY: pkcs8(p256.privateKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    ['EdDSA', 'an RSA key', { JWT_PRIVATE_KEY: pkcs8(rsa.privateKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    ['EdDSA', 'garbage', { JWT_PRIVATE_KEY: 'not a key, and a secret-looking value s3cr3t' }, 'Invalid', 'JWT_PRIVATE_KEY'],
    [
      'EdDSA',
      'a damaged PKCS#8 PEM',
      { JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey).replace(/[A-Za-z]{8}/, 'AAAAAAAA') },
      'Invalid',
      'JWT_PRIVATE_KEY',
    ],
    ['EdDSA', 'a public key', { JWT_PRIVATE_KEY: spki(ed25519.publicKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    [
      'EdDSA',
      'a SEC1 "BEGIN EC PRIVATE KEY" PEM',
      { JWT_PRIVATE_KEY: p256.privateKey.export({ format: 'pem', type: 'sec1' }).toString() },
      'Invalid',
      'JWT_PRIVATE_KEY',
    ],
    [
      'ES256',
      'a SEC1 "BEGIN EC PRIVATE KEY" PEM of a P-256 key',
      { JWT_PRIVATE_KEY: p256.privateKey.export({ format: 'pem', type: 'sec1' }).toString() },
      'Invalid',
      'JWT_PRIVATE_KEY',
    ],
    [
      'EdDSA',
      'a PKCS#1 "BEGIN RSA PRIVATE KEY" PEM',
      { JWT_PRIVATE_KEY: rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString() },
      'Invalid',
      'JWT_PRIVATE_KEY',
    ],
    ['ES256', 'an Ed25519 key', { JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    ['ES256', 'a P-384 key', { JWT_PRIVATE_KEY: pkcs8(p384.privateKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    [
      'EdDSA',
      'JWT_PUBLIC_KEYS_PREVIOUS holding a P-256 key',
      { JWT_PUBLIC_KEYS_PREVIOUS: spki(p256.publicKey) },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    [
      'EdDSA',
      'JWT_PUBLIC_KEYS_PREVIOUS holding an Ed25519 key then a P-256 key',
      { JWT_PUBLIC_KEYS_PREVIOUS: spki(ed25519Other.publicKey) + spki(p256.publicKey) },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    [
      'ES256',
      'JWT_PUBLIC_KEYS_PREVIOUS holding an Ed25519 key',
      { JWT_PUBLIC_KEYS_PREVIOUS: spki(ed25519.publicKey) },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    [
      'EdDSA',
      'JWT_PUBLIC_KEYS_PREVIOUS holding a private key',
      { JWT_PUBLIC_KEYS_PREVIOUS: pkcs8(ed25519Other.privateKey) },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    ['EdDSA', 'JWT_PUBLIC_KEYS_PREVIOUS of garbage', { JWT_PUBLIC_KEYS_PREVIOUS: 'old-key' }, 'Invalid', 'JWT_PUBLIC_KEYS_PREVIOUS'],
    [
      'EdDSA',
      'a damaged JWT_PUBLIC_KEYS_PREVIOUS',
      { JWT_PUBLIC_KEYS_PREVIOUS: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    [
      'EdDSA',
      'JWT_SECRET_PREVIOUS (a secret cannot verify EdDSA)',
      { JWT_SECRET_PREVIOUS: 'old-secret' },
      'Invalid',
      'JWT_SECRET_PREVIOUS',
    ],
    ['HS256', 'JWT_PRIVATE_KEY set', { JWT_SECRET: 'x', JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey) }, 'Invalid', 'JWT_PRIVATE_KEY'],
    [
      'HS256',
      'JWT_PUBLIC_KEYS_PREVIOUS set',
      { JWT_SECRET: 'x', JWT_PUBLIC_KEYS_PREVIOUS: spki(ed25519.publicKey) },
      'Invalid',
      'JWT_PUBLIC_KEYS_PREVIOUS',
    ],
    ['HS256', 'JWT_SECRET unset', {}, 'Missing', 'JWT_SECRET'],
    ['RS256', 'an algorithm that is not offered', { JWT_SECRET: 'x' }, 'Invalid', 'JWT_ALGORITHM'],
  ] as const)('JWT_ALGORITHM=%s with %s: a one-line error naming the variable', (algorithm, _case, env, prefix, name) => {
    // A valid key for the algorithm unless the case replaces it: the error is the case's own.
    const validKey = { EdDSA: pkcs8(ed25519.privateKey), ES256: pkcs8(p256.privateKey) } as Record<string, string | undefined>;
    const { message } = errorOf({ ...base, JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: validKey[algorithm], ...env });

    expect(message).toMatch(refusal(prefix, name));
    // Nothing of the value: not a line of a PEM, not the garbage.
    for (const value of Object.values<string | undefined>(env)) {
      for (const line of (value ?? '').split(/\r?\n/).filter((part) => part.length > 8 && !part.startsWith('-----'))) {
        expect(message).not.toContain(line);
      }
    }
    expect(message).not.toContain('s3cr3t');
  });

  it('names the key kind the algorithm needs', () => {
    expect(errorOf({ ...eddsa, JWT_PRIVATE_KEY: pkcs8(p256.privateKey) }).message).toContain('Ed25519');
    expect(errorOf({ ...base, JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey) }).message).toContain('P-256');
    expect(errorOf({ ...eddsa, JWT_PUBLIC_KEYS_PREVIOUS: spki(p256.publicKey) }).message).toContain('Ed25519');
    expect(errorOf({ ...base, JWT_ALGORITHM: 'EdDSA' }).message).toContain('JWT_ALGORITHM is EdDSA');
  });

  describe('in production', () => {
    const productionEddsa = { ...production, JWT_SECRET: undefined, JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEY: pkcs8(ed25519.privateKey) };

    it('does not require JWT_SECRET with EdDSA (nor ES256)', () => {
      expect(loadConfig(productionEddsa).jwt.accessKeys.algorithm).toBe('EdDSA');
      expect(
        loadConfig({ ...productionEddsa, JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pkcs8(p256.privateKey) }).jwt.accessKeys.algorithm,
      ).toBe('ES256');
    });

    it('still requires JWT_REFRESH_SECRET and MFA_ENCRYPTION_KEY with EdDSA', () => {
      for (const name of ['JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY']) {
        expect(errorOf({ ...productionEddsa, [name]: undefined }).message).toMatch(refusal('Missing', name));
      }
    });

    it.each(['JWT_SECRET_PREVIOUS', 'JWT_REFRESH_SECRET_PREVIOUS'])('refuses a %s shorter than 32 characters, and accepts 32', (name) => {
      expect(errorOf({ ...production, [name]: 'c'.repeat(31) }).message).toBe(
        `Invalid environment variable ${name}: must be at least 32 characters in production`,
      );
      expect(() => loadConfig({ ...production, [name]: 'c'.repeat(32) })).not.toThrow();
    });
  });
});

describe('ensureDevSecrets', () => {
  const tempEnvFile = () => join(mkdtempSync(join(tmpdir(), 'habit-env-')), '.env');

  it('generates missing secrets once, persists them, and keeps existing lines', () => {
    const envFile = tempEnvFile();
    writeFileSync(envFile, 'PORT=4000');
    const env: Record<string, string | undefined> = {};

    expect(ensureDevSecrets(env, envFile)).toEqual(['JWT_SECRET', 'JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY']);
    expect(env.JWT_SECRET).toMatch(/^[\w-]{64}$/);
    expect(env.JWT_REFRESH_SECRET).not.toBe(env.JWT_SECRET);
    const written = readFileSync(envFile, 'utf8');
    expect(written).toContain('PORT=4000\n');
    expect(written).toContain(`JWT_SECRET=${env.JWT_SECRET}\n`);

    expect(ensureDevSecrets(env, envFile)).toEqual([]);
    expect(readFileSync(envFile, 'utf8')).toBe(written);
  });

  it('creates the file readable by its owner only', () => {
    const envFile = tempEnvFile();
    ensureDevSecrets({}, envFile);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
  });

  it('never generates secrets in production', () => {
    const env: Record<string, string | undefined> = { NODE_ENV: 'production' };
    expect(ensureDevSecrets(env, tempEnvFile())).toEqual([]);
    expect(env.JWT_SECRET).toBeUndefined();
  });
});
