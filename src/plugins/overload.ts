/**
 * Overload shedding (@fastify/under-pressure). Every second the plugin takes the mean delay of the
 * event loop over that second; while it is above MAX_EVENT_LOOP_DELAY_MS, each new request (GET
 * /health included, so the load balancer takes the instance out) is answered at once with 503,
 * `Retry-After` and the app's error shape, before rate limits and authentication, instead of waiting
 * behind the requests already late. Requests resume with the first second whose mean is back under
 * the bound. 0 turns it off. A warning is logged at most once a minute while it lasts, and the
 * metrics count the 503s (`overload_rejections_total`) and show the state (`overloaded`).
 *
 * A route may be served anyway by saying so in `config.servedWhileOverloaded` (GET /metrics, to its
 * scraper). under-pressure's own status route is not exposed: GET /health is the one.
 */
import underPressure from '@fastify/under-pressure';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Whether this request is served even while the server is overloaded. */
    servedWhileOverloaded?: (request: FastifyRequest) => boolean;
  }
}

export interface OverloadOptions {
  /** MAX_EVENT_LOOP_DELAY_MS (0: never shed). */
  maxEventLoopDelayMs: number;
}

export const OVERLOAD_RETRY_AFTER_SECONDS = 5;
export const OVERLOAD_MESSAGE = 'Server overloaded: retry later';
const WARNING_INTERVAL_MS = 60_000;

export default fp<OverloadOptions>(
  async (fastify, { maxEventLoopDelayMs }) => {
    let lastWarningAt = -Infinity;
    await fastify.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      // Answers here rather than through the error handler, which would log each 503 as an error.
      pressureHandler: (request, reply, _type, eventLoopDelayMs) => {
        if (request.routeOptions.config.servedWhileOverloaded?.(request)) return;
        fastify.metrics.overloadRejected();
        const now = Date.now();
        if (now - lastWarningAt >= WARNING_INTERVAL_MS) {
          lastWarningAt = now;
          request.log.warn(
            { eventLoopDelayMs: Math.round(eventLoopDelayMs ?? 0), maxEventLoopDelayMs },
            'overloaded: new requests get 503 until the event loop catches up',
          );
        }
        void reply
          .status(503)
          .header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS))
          .send({ statusCode: 503, error: 'Service Unavailable', message: OVERLOAD_MESSAGE });
      },
    });
  },
  { name: 'overload', dependencies: ['metrics'] },
);
