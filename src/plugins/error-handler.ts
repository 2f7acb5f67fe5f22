/**
 * The one error handler: validation → 400, known Prisma codes (P2002 → 409, P2025/P2003 → 404), a
 * deadlock or serialization failure → 503 (nothing written, retry), the
 * project's typed errors → their status, an unavailable database → 503, anything else → a logged
 * 500 with a generic message. Replies always have Fastify's shape { statusCode, error, message }.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable, isForeignKeyViolation, isRecordNotFound, isTransientConflict, isUniqueViolation } from '../db/errors.js';
import { AppError, TooManyRequestsError } from '../utils/errors.js';

interface HttpError {
  statusCode: number;
  message: string;
}

function toHttpError(error: FastifyError | Error): HttpError {
  if (error instanceof AppError) return { statusCode: error.statusCode, message: error.message };
  if ('validation' in error && error.validation) return { statusCode: 400, message: error.message };
  if (isUniqueViolation(error)) return { statusCode: 409, message: 'Resource already exists' };
  if (isRecordNotFound(error) || isForeignKeyViolation(error)) return { statusCode: 404, message: 'Not found' };
  if (isTransientConflict(error)) return { statusCode: 503, message: 'The write collided with a concurrent one and was not made: retry' };
  if (isDatabaseUnavailable(error)) return { statusCode: 503, message: 'Service temporarily unavailable' };
  // Fastify's own client errors (bad JSON 400, 413, 415, …) carry a 4xx statusCode and a safe message.
  const statusCode = (error as FastifyError).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { statusCode, message: error.message };
  }
  return { statusCode: 500, message: 'Internal Server Error' };
}

/**
 * Errors the router raises before any route (a malformed URL, an over-long path parameter) bypass
 * the error handler: give them the same shape, without echoing the URL back.
 */
export function frameworkErrorReply(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'Malformed URL';
  void reply.status(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Bad Request', message });
}

export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError | Error, request, reply) => {
      const { statusCode, message } = toHttpError(error);
      if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
      // RFC 9110: a 401 names the scheme that would be accepted.
      if (statusCode === 401) reply.header('www-authenticate', 'Bearer');
      if (statusCode === 503) reply.header('retry-after', '5');
      if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
    });

    fastify.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `Route ${request.method} ${request.url} not found` }),
    );
  },
  { name: 'error-handler' },
);
