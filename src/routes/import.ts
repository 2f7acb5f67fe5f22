/** POST /import: a JSON export of this API into the caller's account, all or nothing. Registered inside the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaValidationError } from 'fastify';
import { BearerAuth, errorResponses } from '../schemas/common.schema.js';
import { IMPORT_BODY_LIMIT_BYTES, ImportBody, ImportReply } from '../schemas/import.schema.js';
import { checkinLabel, habitLabel, importRefusal } from '../services/import.service.js';
import { BadRequestError } from '../utils/errors.js';

const importRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const slot = oneAtATime();

  fastify.post(
    '/import',
    {
      // The one route with a larger body than the app's 1 MiB.
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      // Validation errors are answered by the handler, in words that name the habit and the day.
      attachValidation: true,
      // One import at a time on this instance, its body read only once it is its turn: a 10 MiB file
      // takes ~50 MB of heap while it is parsed and written, and two at once would take twice that.
      // Released when the response ends, however it ends (sent, failed, or the client gone).
      preParsing: async (_request, reply, payload) => {
        const release = await slot();
        reply.raw.once('close', release);
        if (reply.raw.closed) release();
        return payload;
      },
      schema: {
        tags: ['import'],
        security: BearerAuth,
        summary: 'Import a JSON export of this API (up to 10 MiB) into your account, all or nothing',
        description:
          'The body is what GET /export?format=json answers (ids, versions, timestamps, `exportedAt` and `user` are ignored). ' +
          'Habits are matched by name (trimmed): a match takes the file’s fields, another name is a new habit. Check-ins are matched by ' +
          'habit and date: the file’s replaces the habit’s; the habit’s other check-ins stay. A goal replaces the habit’s goal, ' +
          '`goal: null` removes it. Each item is checked as its own route checks it; the first one refused is a 400 naming the ' +
          'habit (and the date), or a 409 for a kind change of a habit that has check-ins, and nothing is written. A 503 (with ' +
          'Retry-After) when other requests kept changing the same items: nothing is written, send it again.',
        body: ImportBody,
        response: { 200: ImportReply, ...errorResponses(400, 401, 404, 409, 413, 503) },
      },
    },
    async (request) => {
      if (request.validationError) throw new BadRequestError(validationMessage(request.body, request.validationError));
      return fastify.importService.importExport(request.user.userId, request.body);
    },
  );
};

/** A queue of one: each call waits until every earlier caller has released, and returns its own release (idempotent). */
function oneAtATime(): () => Promise<() => void> {
  let last: Promise<void> = Promise.resolve();
  return async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = last;
    last = previous.then(() => held);
    await previous;
    return release;
  };
}

/**
 * The validator's first error, naming the item it is about: `Habit "Read" (habits/2), check-in
 * 2024-03-01: value must be <= 1000000; nothing was imported`. Errors outside a habit keep the
 * validator's own words (`body/habits must be array`).
 */
function validationMessage(body: unknown, error: Error & { validation?: FastifySchemaValidationError[] }): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const [top, index, ...rest] = first.instancePath.split('/').slice(1);
  const habits = typeof body === 'object' && body !== null ? (body as { habits?: unknown }).habits : undefined;
  if (top !== 'habits' || index === undefined || !Array.isArray(habits))
    return `body${first.instancePath} ${first.message ?? 'is invalid'}`;
  const habit: unknown = habits[Number(index)];
  let label = habitLabel(habit, Number(index));
  let field = rest;
  if (rest[0] === 'checkins' && rest[1] !== undefined) {
    const checkins = typeof habit === 'object' && habit !== null ? (habit as { checkins?: unknown }).checkins : undefined;
    label += `, ${checkinLabel(Array.isArray(checkins) ? checkins[Number(rest[1])] : undefined, Number(rest[1]))}`;
    field = rest.slice(2);
  } else if (rest[0] === 'goal' && rest.length > 1) {
    label += ', goal';
    field = rest.slice(1);
  }
  const path = field.length > 0 ? `${field.join('/')} ` : '';
  return importRefusal(label, `${path}${first.message ?? 'is invalid'}`);
}

export default importRoutes;
