/**
 * The reads of GET /export: the account in short keyset batches (habits in list order, then each
 * habit's check-ins by date), so memory stays flat whatever the account's size, no query runs long,
 * and no connection is held between batches (so a slow client holds none). Rows come out with the
 * fields of the response schemas, in their order, timestamps already formatted.
 *
 * The batches are separate statements, not one snapshot: a habit written while its export runs may
 * appear as it was before or after the write.
 */
import fp from 'fastify-plugin';
import type { PublicUser } from './users.repository.js';
import type { Database } from '../plugins/database.js';
import type { Reminder, Schedule } from '../schemas/habit.schema.js';
import { ISO_DATE, ISO_TIMESTAMP } from './sql.js';

const HABITS_PER_QUERY = 100;
/**
 * Under 1 MB of rows (500-character notes), read in a millisecond or two. Smaller batches die young
 * (before V8 promotes them to the old generation): measured with `npm start`'s heap flags, 500 rows
 * added less memory than 1,000 or 2,000 and ran as fast.
 */
const CHECKINS_PER_QUERY = 500;

/** The user as the export shows it: the user object, its timestamp already formatted. */
export type ExportUser = Omit<PublicUser, 'createdAt'> & { createdAt: string };

/** A habit (the fields of the `Habit` schema, in its order) with its goal's columns. */
export interface ExportHabit {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  icon: string | null;
  kind: string;
  unit: string | null;
  position: number;
  archived: boolean;
  schedule: Schedule;
  startDate: string | null;
  reminders: Reminder[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The goal's columns are null when the habit has no goal. */
  goalId: string | null;
  goalPeriod: string | null;
  goalTarget: number | null;
  goalVersion: number | null;
  goalCreatedAt: string | null;
  goalUpdatedAt: string | null;
}

/** A check-in: the fields of the `Check-in` schema, in its order. */
export interface ExportCheckin {
  id: string;
  habitId: string;
  date: string;
  status: string;
  value: number;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Only the pool: every read is hand-written SQL. */
export class ExportRepository {
  constructor(private readonly db: Pick<Database, 'pg'>) {}

  /** The user, or undefined when they are gone. */
  async user(userId: string): Promise<ExportUser | undefined> {
    const { rows } = await this.db.pg.query<ExportUser>({
      name: 'export-user',
      text: `SELECT id, email, name, timezone, "dayStartHour", "emailVerifiedAt" IS NOT NULL AS "emailVerified",
               EXISTS (SELECT 1 FROM "MfaFactor" f WHERE f."userId" = "User".id AND f."activatedAt" IS NOT NULL) AS "mfaEnabled",
               to_char("createdAt", ${ISO_TIMESTAMP}) AS "createdAt" FROM "User" WHERE id = $1`,
      values: [userId],
    });
    return rows[0];
  }

  /** Every habit of the user (archived too) with its goal, by position, createdAt, id. */
  async *habits(userId: string): AsyncGenerator<ExportHabit, void, undefined> {
    let after: ExportHabit | undefined;
    for (;;) {
      const { rows } = await this.db.pg.query<ExportHabit>({
        name: 'export-habits',
        // ORDER BY and the keyset name the table's columns: a bare "createdAt" would be the formatted one.
        text: `SELECT h.id, h.name, h.description, h.color, h.icon, h.kind::text AS kind, h.unit, h.position, h.archived,
                      h.schedule, to_char(h."startDate", ${ISO_DATE}) AS "startDate", h.reminders, h.version,
                      to_char(h."createdAt", ${ISO_TIMESTAMP}) AS "createdAt", to_char(h."updatedAt", ${ISO_TIMESTAMP}) AS "updatedAt",
                      g.id AS "goalId", g.period::text AS "goalPeriod", g.target AS "goalTarget", g.version AS "goalVersion",
                      to_char(g."createdAt", ${ISO_TIMESTAMP}) AS "goalCreatedAt", to_char(g."updatedAt", ${ISO_TIMESTAMP}) AS "goalUpdatedAt"
                 FROM "Habit" h
                 LEFT JOIN "HabitGoal" g ON g."habitId" = h.id
                WHERE h."userId" = $1
                  AND ($2::int IS NULL OR (h.position, h."createdAt", h.id) > ($2::int, $3::timestamp, $4::uuid))
                ORDER BY h.position, h."createdAt", h.id
                LIMIT $5`,
        // createdAt as sent (UTC, milliseconds) is exactly the stored timestamp(3).
        values: [userId, after?.position ?? null, after?.createdAt ?? null, after?.id ?? null, HABITS_PER_QUERY],
      });
      yield* rows;
      if (rows.length < HABITS_PER_QUERY) return;
      after = rows.at(-1);
    }
  }

  /**
   * The habit's check-ins by date, a batch at a time, the next batch read while the previous one is
   * used (so at most two are in memory); none unless the habit is the user's.
   */
  async *checkinBatches(userId: string, habitId: string): AsyncGenerator<ExportCheckin[], void, undefined> {
    let next = this.readAhead(userId, habitId, '-infinity');
    for (;;) {
      const rows = await next;
      if (rows.length < CHECKINS_PER_QUERY) {
        if (rows.length > 0) yield rows;
        return;
      }
      next = this.readAhead(userId, habitId, rows.at(-1)!.date);
      yield rows;
    }
  }

  /**
   * Starts reading a batch. Its failure reaches whoever awaits it; until then (and for good if the
   * client went away) it must not count as an unhandled rejection, which would stop the server.
   */
  private readAhead(userId: string, habitId: string, after: string): Promise<ExportCheckin[]> {
    const batch = this.checkinBatch(userId, habitId, after);
    void batch.catch(() => undefined);
    return batch;
  }

  /** Up to CHECKINS_PER_QUERY check-ins of the habit after `after`; none unless the habit is the user's. */
  private async checkinBatch(userId: string, habitId: string, after: string): Promise<ExportCheckin[]> {
    const { rows } = await this.db.pg.query<ExportCheckin>({
      name: 'export-checkins',
      text: `SELECT t.id, t."habitId", to_char(t.date, ${ISO_DATE}) AS date, t.status::text AS status, t.value, t.note, t.version,
                    to_char(t."createdAt", ${ISO_TIMESTAMP}) AS "createdAt", to_char(t."updatedAt", ${ISO_TIMESTAMP}) AS "updatedAt"
               FROM "HabitTracking" t
               JOIN "Habit" h ON h.id = t."habitId" AND h."userId" = $2
              WHERE t."habitId" = $1 AND t.date > $3::date
              ORDER BY t.date
              LIMIT $4`,
      values: [habitId, userId, after, CHECKINS_PER_QUERY],
    });
    return rows;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    exportRepository: ExportRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('exportRepository', new ExportRepository(fastify));
  },
  { name: 'export-repository', dependencies: ['database'] },
);
