/**
 * buildApp(config) → a ready-to-listen Fastify instance. It never listens and never reads
 * process.env: src/server.ts does both, and tests build apps against their own database.
 */
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type onRouteHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createValidatorCompiler } from './http/ajv.js';
import type { Config } from './config/env.js';
import { loggerOptions } from './http/logger.js';
import { OneLinePerRequest } from './http/request-log.js';
import errorHandler, { frameworkErrorReply } from './plugins/error-handler.js';
import authenticatePlugin from './plugins/authenticate.js';
import gracefulClose from './plugins/graceful-close.js';
import jwtPlugin from './plugins/jwt.js';
import refreshCookiePlugin from './plugins/refresh-cookie.js';
import etagPlugin from './plugins/etag.js';
import passwordsPlugin from './plugins/passwords.js';
import prismaPlugin from './plugins/database.js';
import jobQueuePlugin from './plugins/job-queue.js';
import metricsPlugin from './plugins/metrics.js';
import overloadPlugin from './plugins/overload.js';
import { createMailer } from './mail/mailer.js';
import transactions from './repositories/transaction.js';
import emailTokensRepository from './repositories/email-tokens.repository.js';
import mailService from './services/mail.service.js';
import emailTokenService from './services/email-token.service.js';
import accountEmailService from './services/account-email.service.js';
import emailRoutes from './routes/email.js';
import mfaRoutes from './routes/mfa.js';
import mfaRepository from './repositories/mfa.repository.js';
import mfaService from './services/mfa.service.js';
import { PROJECT_ROOT } from './utils/paths.js';
import databaseRepository from './repositories/database.repository.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import securityPlugin from './plugins/security.js';
import sessionCleanupPlugin from './plugins/session-cleanup.js';
import swaggerPlugin from './plugins/swagger.js';
import checkinsRepository from './repositories/checkins.repository.js';
import exportRepository from './repositories/export.repository.js';
import importRepository from './repositories/import.repository.js';
import goalsRepository from './repositories/goals.repository.js';
import habitsRepository from './repositories/habits.repository.js';
import statsRepository from './repositories/stats.repository.js';
import remindersRepository from './repositories/reminders.repository.js';
import syncRepository from './repositories/sync.repository.js';
import loginThrottleRepository from './repositories/login-throttle.repository.js';
import sessionsRepository from './repositories/sessions.repository.js';
import securityEventsRepository from './repositories/security-events.repository.js';
import usersRepository from './repositories/users.repository.js';
import accountService from './services/account.service.js';
import loginThrottleService from './services/login-throttle.service.js';
import sessionService from './services/session.service.js';
import securityEventService from './services/security-event.service.js';
import checkinService from './services/checkin.service.js';
import exportService from './services/export.service.js';
import importService from './services/import.service.js';
import goalService from './services/goal.service.js';
import habitService from './services/habit.service.js';
import statsService from './services/stats.service.js';
import remindersService from './services/reminders.service.js';
import syncService from './services/sync.service.js';
import syncPushService from './services/sync-push.service.js';
import authRoutes from './routes/auth.js';
import meRoutes from './routes/me.js';
import sessionRoutes from './routes/sessions.js';
import eventRoutes from './routes/events.js';
import goalRoutes from './routes/goals.js';
import habitRoutes from './routes/habits.js';
import healthRoutes from './routes/health.js';
import jwksRoutes from './routes/jwks.js';
import statsRoutes from './routes/stats.js';
import remindersRoutes from './routes/reminders.js';
import checkinRoutes from './routes/checkins.js';
import exportRoutes from './routes/export.js';
import importRoutes from './routes/import.js';
import syncRoutes from './routes/sync.js';

export type AppConfig = Config & { databaseUrl: string };

/** 1 MiB for JSON bodies (/auth routes allow 16 KiB, see routes/auth-options.ts). */
const BODY_LIMIT_BYTES = 1024 * 1024;

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export interface BuildOptions {
  /** Replaces the logger built from the config (tests capture logs through it). */
  logger?: FastifyServerOptions['logger'];
  /** Called for every route as it is registered (tests list the routes with it). */
  onRoute?: onRouteHookHandler;
}

export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    // A hop count trusts that many proxies in front of the server.
    logController: new OneLinePerRequest(),
    // While closing, keep serving requests on open connections (each then gets Connection: close)
    // instead of answering 503: requests sent just before SIGTERM must still succeed.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorReply,
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON routes only: a text/plain body gets 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');

  await app.register(errorHandler);
  await app.register(gracefulClose);
  await app.register(securityPlugin, { env: config.env, corsOrigins: config.corsOrigins });
  // Before the rate limits, which count their rejections in it; the overload 503 comes before them
  // too (a shed request costs no counter), but after CORS, so that browsers can read it.
  await app.register(metricsPlugin, { token: config.metricsToken });
  await app.register(overloadPlugin, { maxEventLoopDelayMs: config.maxEventLoopDelayMs });
  await app.register(rateLimitPlugin, { limits: config.rateLimit, redisUrl: config.redisUrl });
  await app.register(swaggerPlugin);
  await app.register(prismaPlugin, { databaseUrl: config.databaseUrl, timeoutMillis: config.databaseTimeoutMs });
  await app.register(databaseRepository);
  await app.register(transactions);
  await app.register(jobQueuePlugin);
  await app.register(habitsRepository);
  await app.register(goalsRepository);
  await app.register(checkinsRepository);
  await app.register(statsRepository);
  await app.register(remindersRepository);
  await app.register(exportRepository);
  await app.register(importRepository);
  await app.register(securityEventsRepository);
  await app.register(sessionsRepository);
  await app.register(usersRepository);
  await app.register(loginThrottleRepository);
  await app.register(emailTokensRepository);
  await app.register(mfaRepository);
  await app.register(habitService);
  await app.register(goalService);
  await app.register(checkinService);
  await app.register(statsService);
  await app.register(remindersService);
  await app.register(syncRepository);
  await app.register(syncService);
  await app.register(syncPushService);
  await app.register(exportService);
  await app.register(importService);
  await app.register(jwtPlugin, config.jwt);
  await app.register(refreshCookiePlugin, { allowedOrigins: config.corsOrigins });
  await app.register(passwordsPlugin, { rounds: config.bcryptRounds });
  await app.register(securityEventService);
  await app.register(sessionService, { refreshReuseGraceSeconds: config.refreshReuseGraceSeconds, sessionMaxDays: config.sessionMaxDays });
  await app.register(mailService, {
    appUrl: config.mail.appUrl,
    sealingSecrets: config.sealingSecrets,
    mailer: createMailer({ ...config.mail, outboxDir: resolve(PROJECT_ROOT, config.mail.outboxDir), log: app.log }),
  });
  await app.register(emailTokenService);
  await app.register(accountService, { requireEmailVerification: config.requireEmailVerification });
  await app.register(accountEmailService);
  await app.register(loginThrottleService, { freeAttempts: config.loginThrottleFreeAttempts });
  await app.register(mfaService, { encryptionKey: config.mfaEncryptionKey });
  await app.register(authenticatePlugin);
  await app.register(sessionCleanupPlugin, { intervalMinutes: config.sessionCleanupIntervalMinutes });

  await app.register(healthRoutes);
  await app.register(jwksRoutes);
  await app.register(authRoutes, { prefix: '/auth', limits: config.rateLimit });
  await app.register(emailRoutes, { prefix: '/auth', limits: config.rateLimit });
  // Everything registered in this scope requires a valid access token (see plugins/authenticate.ts).
  await app.register(async (authenticated) => {
    authenticated.addHook('onRequest', authenticated.authenticate);
    await authenticated.register(etagPlugin);
    await authenticated.register(meRoutes, { prefix: '/auth', limits: config.rateLimit });
    await authenticated.register(sessionRoutes, { prefix: '/auth' });
    await authenticated.register(mfaRoutes, { prefix: '/auth', limits: config.rateLimit });
    await authenticated.register(eventRoutes, { prefix: '/auth' });
    await authenticated.register(habitRoutes, { prefix: '/habits' });
    await authenticated.register(goalRoutes, { prefix: '/habits' });
    await authenticated.register(checkinRoutes, { prefix: '/habits' });
    await authenticated.register(statsRoutes);
    await authenticated.register(remindersRoutes);
    await authenticated.register(exportRoutes);
    await authenticated.register(importRoutes);
    await authenticated.register(syncRoutes);
  });

  return app;
}
