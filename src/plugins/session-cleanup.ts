/** Runs the dead-session cleanup every `intervalMinutes` (0: never) while the app is up. */
import fp from 'fastify-plugin';
import { deleteDeadSessions } from '../services/session-cleanup.service.js';

export default fp<{ intervalMinutes: number }>(
  async (fastify, { intervalMinutes }) => {
    if (intervalMinutes <= 0) return;
    let timer: NodeJS.Timeout | undefined;

    const runCleanup = async (): Promise<void> => {
      try {
        const deleted = await deleteDeadSessions(fastify);
        if (Object.values(deleted).some((count) => count > 0)) {
          fastify.log.info(
            { deleted },
            'deleted dead sessions, refresh tokens, stale login-throttle counts, expired email tokens and old security events',
          );
        }
      } catch (error) {
        fastify.log.warn({ err: error }, 'session cleanup failed; will retry at the next interval');
      }
    };

    fastify.addHook('onReady', async () => {
      timer = setInterval(() => void runCleanup(), intervalMinutes * 60_000);
      timer.unref();
    });
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
    });
  },
  {
    name: 'session-cleanup',
    dependencies: [
      'sessions-repository',
      'login-throttle-repository',
      'email-tokens-repository',
      'security-events-repository',
      'mfa-repository',
      'sync-repository',
    ],
  },
);
