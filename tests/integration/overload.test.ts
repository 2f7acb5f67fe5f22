/**
 * Overload: while the event loop lags past MAX_EVENT_LOOP_DELAY_MS, new requests get 503 with
 * Retry-After in the app's error shape (GET /health too), and they are served again once it catches
 * up. The app runs in this process, so the test makes the lag itself: it blocks its own event loop in
 * turns of 1.5 × the bound, letting the loop turn between them, as synchronous work in requests would.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { OVERLOAD_MESSAGE, OVERLOAD_RETRY_AFTER_SECONDS } from '../../src/plugins/overload.js';
import { useTestApp } from '../helpers/app.js';
import { bearer } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus.js';

const BOUND_MS = 200;
/** under-pressure measures the delay each second; a loaded machine may need many turns. */
const WAIT_LIMIT_MS = 30_000;
const TOKEN = `metrics-${randomBytes(24).toString('base64url')}`;

/** Keeps the event loop busy for `ms` of every turn until the returned function is called. */
function blockEventLoop(ms: number): () => void {
  let blocking = true;
  const turn = () => {
    if (!blocking) return;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Synchronous work: nothing else runs meanwhile.
    }
    setImmediate(turn);
  };
  setImmediate(turn);
  return () => {
    blocking = false;
  };
}

/** Resolves once `condition` holds, checking every 50 ms (the measure changes once a second). */
async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + WAIT_LIMIT_MS; !(await condition()); await sleep(50)) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${WAIT_LIMIT_MS} ms`);
  }
}

const healthStatus = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: '/health' })).statusCode;

describe('overload', () => {
  const { stream, lines } = logCapture();
  const ctx = useTestApp({ maxEventLoopDelayMs: BOUND_MS, metricsToken: TOKEN }, { logger: { level: 'warn', stream } });

  it(
    'answers 503 with Retry-After while the event loop lags past the bound, /health too, and serves again once it catches up',
    async () => {
      const { app } = ctx;
      expect(await healthStatus(app)).toBe(200);
      const unblock = blockEventLoop(BOUND_MS * 1.5);
      try {
        await until('overloaded', () => app.isUnderPressure());

        // Before authentication and rate limits: no token needed to be refused.
        const habits = await app.inject({ method: 'GET', url: '/habits' });
        expect(habits.statusCode).toBe(503);
        expect(habits.headers['retry-after']).toBe(String(OVERLOAD_RETRY_AFTER_SECONDS));
        expect(habits.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: OVERLOAD_MESSAGE });
        // The headers every reply has.
        expect(habits.headers['x-content-type-options']).toBe('nosniff');

        const health = await app.inject({ method: 'GET', url: '/health' });
        expect(health.statusCode).toBe(503);
        expect(health.headers['retry-after']).toBe(String(OVERLOAD_RETRY_AFTER_SECONDS));
        expect(health.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: OVERLOAD_MESSAGE });

        const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@example.com', password: 'x' } });
        expect(login.statusCode).toBe(503);

        // The scraper still gets the metrics, which say so; anyone else gets the 503 of every URL.
        expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(503);
        const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
        expect(metrics.statusCode).toBe(200);
        const families = parsePrometheusText(metrics.body);
        expect(sampleValue(families, 'overloaded')).toBe(1);
        expect(sampleValue(families, 'overload_rejections_total')).toBeGreaterThanOrEqual(4);
        expect(sampleValue(families, 'http_request_duration_seconds_count', { route: '/health', status_code: '503' })).toBe(1);
      } finally {
        unblock();
      }

      await until('served again', async () => (await healthStatus(app)) === 200);
      expect((await app.inject({ method: 'GET', url: '/habits' })).statusCode).toBe(401);
      // One warning for the episode, not one per request.
      expect(lines.filter((line) => line.includes('overloaded: new requests get 503'))).toHaveLength(1);
    },
    WAIT_LIMIT_MS * 3,
  );
});

describe('overload with MAX_EVENT_LOOP_DELAY_MS=0', () => {
  const ctx = useTestApp({ maxEventLoopDelayMs: 0 });

  it(
    'never answers 503 for a lagging event loop',
    async () => {
      const unblock = blockEventLoop(BOUND_MS * 1.5);
      try {
        // The delay is still measured: wait until it is past what the bound would be.
        await until('lagging', () => ctx.app.memoryUsage().eventLoopDelay > BOUND_MS);
        expect(ctx.app.isUnderPressure()).toBe(false);
        expect(await healthStatus(ctx.app)).toBe(200);
      } finally {
        unblock();
      }
    },
    WAIT_LIMIT_MS,
  );
});
