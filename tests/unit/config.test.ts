import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
