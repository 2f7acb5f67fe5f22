/**
 * The environment, described once: one TypeBox schema validates it, gives it types, and documents it
 * (.env.example mirrors it). `loadConfig` never reads process.env itself: callers pass it in.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ACCESS_ALGORITHMS, asymmetricKeySet, KeyError, KeyPreviousError, secretKeySet, type KeySet } from '../auth/signing-keys.js';

export const DEFAULT_EMBEDDED_DATA_DIR = '.data/postgres';
export const DEFAULT_MAIL_OUTBOX_DIR = '.data/outbox';

const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)));

export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  EMBEDDED_DATA_DIR: Type.String({ minLength: 1, default: DEFAULT_EMBEDDED_DATA_DIR }),
  JWT_ALGORITHM: Type.Union(
    ACCESS_ALGORITHMS.map((algorithm) => Type.Literal(algorithm)),
    { default: 'HS256' },
  ),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_SECRET_PREVIOUS: Type.Optional(Type.String({ minLength: 1 })),
  JWT_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  JWT_PUBLIC_KEYS_PREVIOUS: Type.Optional(Type.String({ minLength: 1 })),
  JWT_REFRESH_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_REFRESH_SECRET_PREVIOUS: Type.Optional(Type.String({ minLength: 1 })),
  MFA_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 1 })),
  JWT_ISSUER: Type.String({ minLength: 1, default: 'habit-tracker-api' }),
  JWT_AUDIENCE: Type.String({ minLength: 1, default: 'habit-tracker-api' }),
  BCRYPT_ROUNDS: Type.Integer({ minimum: 4, maximum: 15, default: 10 }),
  LOG_LEVEL: Type.Optional(LogLevel),
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 10 }),
  SESSION_MAX_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  SESSION_CLEANUP_INTERVAL_MINUTES: Type.Integer({ minimum: 0, maximum: 10_080, default: 60 }),
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.String({ default: 'false' }),
  DATABASE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 5_000 }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  LOGIN_RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 30 }),
  LOGIN_THROTTLE_FREE_ATTEMPTS: Type.Integer({ minimum: 0, maximum: 1000, default: 5 }),
  SIGNUP_RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 10 }),
  REFRESH_RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 300 }),
  ACCOUNT_RATE_LIMIT_PER_USER: Type.Integer({ minimum: 1, default: 10 }),
  FORGOT_RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 10 }),
  FORGOT_RATE_LIMIT_PER_EMAIL: Type.Integer({ minimum: 1, default: 3 }),
  // An origin (https://app.example.com) or a deep-link base (habits://): no path, query or fragment.
  APP_URL: Type.Optional(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]*$' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Habit Tracker <no-reply@localhost>' }),
  MAIL_OUTBOX_DIR: Type.String({ minLength: 1, default: DEFAULT_MAIL_OUTBOX_DIR }),
  REQUIRE_EMAIL_VERIFICATION: Type.Boolean({ default: false }),
  // Sent by Prometheus as `Authorization: Bearer <token>`: printable ASCII, no spaces.
  METRICS_TOKEN: Type.Optional(Type.String({ pattern: '^[!-~]+$' })),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1_000 }),
});

export type Env = Static<typeof EnvSchema>;

const MIN_SECRET_LENGTH = 32;
const MIN_PRODUCTION_BCRYPT_ROUNDS = 10;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  /** Unset means: start the embedded PostgreSQL, with its data in embeddedDataDir. */
  databaseUrl: string | undefined;
  /** Relative to the project root unless absolute. */
  embeddedDataDir: string;
  /**
   * The keys of access tokens (JWT_ALGORITHM's) and of refresh tokens (HS256), each with the previous
   * ones that still verify; `issuer` and `audience` are the `iss` and `aud` of access tokens, required on verify.
   */
  jwt: { accessKeys: KeySet; refreshKeys: KeySet; issuer: string; audience: string };
  /** Seals the secrets in queued emails; the previous one still opens those queued before a rotation. */
  sealingSecrets: string[];
  bcryptRounds: number;
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  corsOrigins: string[];
  /** A rotated refresh token presented again within this many seconds gets a fresh pair (0: off). */
  refreshReuseGraceSeconds: number;
  /** A session ends this many days after it started, however often it is refreshed. */
  sessionMaxDays: number;
  /** How often expired and long-revoked sessions are deleted (0: never, in this process). */
  sessionCleanupIntervalMinutes: number;
  /** Fastify's `trustProxy`: false, true, a hop count, or the proxies' addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  /** Connecting to or waiting on PostgreSQL longer than this gives 503 instead of a hang. */
  databaseTimeoutMs: number;
  /** Unset: rate-limit counters live in memory (one instance). Set: shared by every instance (in memory while Redis is unreachable). */
  redisUrl: string | undefined;
  rateLimit: RateLimits;
  /** Consecutive failed logins (per email and IP, and per email) before delays start: see services/login-throttle.service.ts. */
  loginThrottleFreeAttempts: number;
  mail: MailConfig;
  /** Signup starts no session and sign-in is refused (403) until the address is verified. */
  requireEmailVerification: boolean;
  /** Unset: no GET /metrics. Set: GET /metrics answers requests bearing it (src/plugins/metrics.ts). */
  metricsToken: string | undefined;
  /** New requests get 503 while the event loop's mean delay is above this (0: never; src/plugins/overload.ts). */
  maxEventLoopDelayMs: number;
  /**
   * TOTP secrets are sealed at rest under a key derived from it. Required in production; elsewhere,
   * when unset, JWT_SECRET stands in (under a different derivation), so tests need no extra setting.
   */
  mfaEncryptionKey: string;
}

export interface MailConfig {
  /** Where the links in emails point: `<appUrl>/<action>?token=…`. */
  appUrl: string;
  /** Unset (development and test only): emails go to the log and to .eml files in outboxDir. */
  smtpUrl: string | undefined;
  from: string;
  /** Relative to the project root unless absolute. */
  outboxDir: string;
}

export interface RateLimits {
  /** Every route but /health, per client IP. */
  global: { max: number; windowSeconds: number };
  /** The strict limits below share this window. */
  authWindowSeconds: number;
  loginPerIp: number;
  signupPerIp: number;
  refreshPerIp: number;
  /** change-password, DELETE /auth/me and the /auth/email routes, per user. */
  accountPerUser: number;
  /** Forgot-password (and resend without a token) per IP, and per email and IP, per hour; beyond: 202, nothing sent. */
  forgotPerIp: number;
  forgotPerEmail: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment and returns the typed configuration, or throws a one-line ConfigError. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const env = parseEnv(source);
  const isProduction = env.NODE_ENV === 'production';
  if (isProduction) checkProductionRules(env);
  if (!env.JWT_REFRESH_SECRET) throw new ConfigError('Missing environment variable JWT_REFRESH_SECRET');
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    embeddedDataDir: env.EMBEDDED_DATA_DIR,
    jwt: {
      accessKeys: accessKeySet(env),
      refreshKeys: secretKeySet(env.JWT_REFRESH_SECRET, env.JWT_REFRESH_SECRET_PREVIOUS),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    sealingSecrets: [env.JWT_REFRESH_SECRET, ...(env.JWT_REFRESH_SECRET_PREVIOUS ? [env.JWT_REFRESH_SECRET_PREVIOUS] : [])],
    bcryptRounds: env.BCRYPT_ROUNDS,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    sessionMaxDays: env.SESSION_MAX_DAYS,
    sessionCleanupIntervalMinutes: env.SESSION_CLEANUP_INTERVAL_MINUTES,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
    redisUrl: env.REDIS_URL,
    rateLimit: {
      global: { max: env.RATE_LIMIT_MAX, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
      authWindowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      loginPerIp: env.LOGIN_RATE_LIMIT_PER_IP,
      signupPerIp: env.SIGNUP_RATE_LIMIT_PER_IP,
      refreshPerIp: env.REFRESH_RATE_LIMIT_PER_IP,
      accountPerUser: env.ACCOUNT_RATE_LIMIT_PER_USER,
      forgotPerIp: env.FORGOT_RATE_LIMIT_PER_IP,
      forgotPerEmail: env.FORGOT_RATE_LIMIT_PER_EMAIL,
    },
    loginThrottleFreeAttempts: env.LOGIN_THROTTLE_FREE_ATTEMPTS,
    mail: {
      appUrl: env.APP_URL ?? `http://localhost:${env.PORT}`,
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      outboxDir: env.MAIL_OUTBOX_DIR,
    },
    requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
    metricsToken: env.METRICS_TOKEN,
    maxEventLoopDelayMs: env.MAX_EVENT_LOOP_DELAY_MS,
    mfaEncryptionKey: env.MFA_ENCRYPTION_KEY ?? env.JWT_SECRET ?? env.JWT_REFRESH_SECRET,
  };
}

/** The access-token keys JWT_ALGORITHM names, each variable checked with a one-line error. */
function accessKeySet(env: Env): KeySet {
  if (env.JWT_ALGORITHM === 'HS256') {
    if (!env.JWT_SECRET) throw new ConfigError('Missing environment variable JWT_SECRET (JWT_ALGORITHM is HS256)');
    for (const name of ['JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEYS_PREVIOUS'] as const) {
      if (env[name]) throw new ConfigError(`Invalid environment variable ${name}: set JWT_ALGORITHM=EdDSA or ES256 to use it`);
    }
    return secretKeySet(env.JWT_SECRET, env.JWT_SECRET_PREVIOUS);
  }
  if (!env.JWT_PRIVATE_KEY) throw new ConfigError(`Missing environment variable JWT_PRIVATE_KEY (JWT_ALGORITHM is ${env.JWT_ALGORITHM})`);
  if (env.JWT_SECRET_PREVIOUS) {
    throw new ConfigError(
      'Invalid environment variable JWT_SECRET_PREVIOUS: with EdDSA or ES256, previous keys go in JWT_PUBLIC_KEYS_PREVIOUS',
    );
  }
  try {
    return asymmetricKeySet(env.JWT_ALGORITHM, env.JWT_PRIVATE_KEY, env.JWT_PUBLIC_KEYS_PREVIOUS);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    const name = error instanceof KeyPreviousError ? 'JWT_PUBLIC_KEYS_PREVIOUS' : 'JWT_PRIVATE_KEY';
    throw new ConfigError(`Invalid environment variable ${name}: ${error.message}`);
  }
}

function parseTrustProxy(value: string): Config['trustProxy'] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function parseEnv(source: Record<string, string | undefined>): Env {
  // Only our variables, and an empty string counts as unset (as in `PORT=` in a .env file).
  const picked: Record<string, string> = {};
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    const value = source[key];
    if (value === undefined || value === '') continue;
    // Value.Convert would truncate "1.5" to 1: integers must be written as integers.
    if (schema.type === 'integer' && !/^[+-]?\d+$/.test(value.trim())) {
      throw new ConfigError(`Invalid environment variable ${key}: Expected integer`);
    }
    picked[key] = value;
  }
  const candidate = Value.Convert(EnvSchema, Value.Default(EnvSchema, picked));
  const [firstError] = Value.Errors(EnvSchema, candidate);
  if (firstError) {
    const name = firstError.path.replace(/^\//, '') || 'environment';
    throw new ConfigError(`Invalid environment variable ${name}: ${firstError.message}`);
  }
  return candidate as Env;
}

function checkProductionRules(env: Env): void {
  if (!env.DATABASE_URL) {
    throw new ConfigError('Missing environment variable DATABASE_URL (required in production: the embedded database is for development)');
  }
  const required =
    env.JWT_ALGORITHM === 'HS256'
      ? (['JWT_SECRET', 'JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY'] as const)
      : (['JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY'] as const);
  for (const name of required) {
    if (!env[name]) throw new ConfigError(`Missing environment variable ${name} (required in production)`);
  }
  for (const name of [
    'JWT_SECRET',
    'JWT_SECRET_PREVIOUS',
    'JWT_REFRESH_SECRET',
    'JWT_REFRESH_SECRET_PREVIOUS',
    'MFA_ENCRYPTION_KEY',
    'METRICS_TOKEN',
  ] as const) {
    const secret = env[name];
    if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`Invalid environment variable ${name}: must be at least ${MIN_SECRET_LENGTH} characters in production`);
    }
  }
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET === env.JWT_REFRESH_SECRET) {
    throw new ConfigError('Invalid environment variable JWT_REFRESH_SECRET: must differ from JWT_SECRET');
  }
  if (env.CORS_ORIGINS.split(',').some((origin) => origin.trim() === '*')) {
    throw new ConfigError('Invalid environment variable CORS_ORIGINS: `*` is allowed in development only; list the origins');
  }
  if (!env.SMTP_URL) throw new ConfigError('Missing environment variable SMTP_URL (required in production: without it no email is sent)');
  if (!env.APP_URL) throw new ConfigError('Missing environment variable APP_URL (required in production: the links in emails open it)');
  if (env.APP_URL.startsWith('http://')) {
    throw new ConfigError('Invalid environment variable APP_URL: use https:// (or an app scheme such as habits://) in production');
  }
  if (env.BCRYPT_ROUNDS < MIN_PRODUCTION_BCRYPT_ROUNDS) {
    throw new ConfigError(`Invalid environment variable BCRYPT_ROUNDS: must be at least ${MIN_PRODUCTION_BCRYPT_ROUNDS} in production`);
  }
}
