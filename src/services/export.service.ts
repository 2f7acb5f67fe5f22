/**
 * GET /export, streamed. export.repository.ts reads the account in short batches; they are turned
 * into text batch by batch, pulled by the response as the client takes it, so memory stays flat
 * whatever the account's size and a slow client holds no connection. The text is the same, byte for
 * byte, as the whole document serialized at once by the route's response schema.
 */
import fp from 'fastify-plugin';
import type { ExportRepository, ExportUser } from '../repositories/export.repository.js';
import { NotFoundError } from '../utils/errors.js';

export type ExportFormat = 'json' | 'csv';

/** The text goes to the response in pieces of about this many characters. */
const CHUNK_CHARACTERS = 16 * 1024;

export interface OpenedExport {
  exportedAt: Date;
  /** The document's text: its first piece at once, then pieces of about CHUNK_CHARACTERS. */
  body: AsyncGenerator<string, void, undefined>;
}

export class ExportService {
  constructor(private readonly exports: ExportRepository) {}

  /**
   * Reads the user (404 if they are gone) before anything is sent; the rest is read as `body` is
   * consumed. An error while reading (the database gone) ends `body` with that error.
   */
  async open(userId: string, format: ExportFormat): Promise<OpenedExport> {
    const user = await this.exports.user(userId);
    if (!user) throw new NotFoundError();
    const exportedAt = new Date();
    const pieces = format === 'csv' ? this.csv(userId) : this.json(userId, user, exportedAt);
    return { exportedAt, body: coalesce(pieces) };
  }

  /** `{ exportedAt, user, habits: [{ ...habit, goal, checkins: [...] }] }`, every value through JSON.stringify. */
  private async *json(userId: string, user: ExportUser, exportedAt: Date): AsyncGenerator<string, void, undefined> {
    yield `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"user":${JSON.stringify(user)},"habits":[`;
    let habitSeparator = '';
    for await (const row of this.exports.habits(userId)) {
      const { goalId, goalPeriod, goalTarget, goalVersion, goalCreatedAt, goalUpdatedAt, ...habit } = row;
      const goal =
        goalId === null
          ? null
          : {
              id: goalId,
              habitId: habit.id,
              period: goalPeriod,
              target: goalTarget,
              version: goalVersion,
              createdAt: goalCreatedAt,
              updatedAt: goalUpdatedAt,
            };
      // The habit's object without its closing brace, then its check-ins.
      yield `${habitSeparator}${JSON.stringify({ ...habit, goal }).slice(0, -1)},"checkins":[`;
      habitSeparator = ',';
      let checkinSeparator = '';
      for await (const checkins of this.exports.checkinBatches(userId, habit.id)) {
        for (const checkin of checkins) {
          yield checkinSeparator + JSON.stringify(checkin);
          checkinSeparator = ',';
        }
      }
      yield ']}';
    }
    yield ']}';
  }

  /** The header, then one row per check-in (RFC 4180, CRLF line ends). */
  private async *csv(userId: string): AsyncGenerator<string, void, undefined> {
    yield 'habit,date,status,value,note\r\n';
    for await (const habit of this.exports.habits(userId)) {
      const name = csvField(habit.name);
      for await (const checkins of this.exports.checkinBatches(userId, habit.id)) {
        for (const { date, status, value, note } of checkins) {
          // A day, a status and an integer never need quoting.
          yield `${name},${date},${status},${value},${csvField(note)}\r\n`;
        }
      }
    }
  }
}

/** RFC 4180: fields with a comma, quote, CR or LF are quoted, with quotes doubled. */
function csvField(value: string | null): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Passes the first piece on at once (so the response starts, and an error after it aborts the
 * response rather than replacing it), then joins the others into chunks of ~CHUNK_CHARACTERS.
 */
async function* coalesce(pieces: AsyncGenerator<string, void, undefined>): AsyncGenerator<string, void, undefined> {
  try {
    const first = await pieces.next();
    if (first.done === true) return;
    yield first.value;
    let buffer = '';
    for await (const piece of pieces) {
      buffer += piece;
      if (buffer.length >= CHUNK_CHARACTERS) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer !== '') yield buffer;
  } finally {
    // Stopped early (the client went away): end the reading too.
    await pieces.return();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    exportService: ExportService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('exportService', new ExportService(fastify.exportRepository));
  },
  { name: 'export-service', dependencies: ['export-repository'] },
);
