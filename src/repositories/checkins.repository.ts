/**
 * Check-ins, one per habit and calendar day (table "HabitTracking", Prisma model `habitTracking`).
 * Days come and go as `YYYY-MM-DD` strings; the `date` column is converted here.
 */
import fp from 'fastify-plugin';
import { isSqlForeignKeyViolation } from '../db/errors.js';
import type { HabitTracking } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import { formatDay, parseDay } from '../utils/dates.js';
import { asDate, ISO_DATE, sqlUserDayAt, utcTimestamp } from './sql.js';
import { whereMatches, type Precondition } from './writes.js';

/** A check-in as the API returns it: the day as `YYYY-MM-DD`. */
export type StoredCheckin = Omit<HabitTracking, 'date'> & { date: string };

/** What a check-in records about its day. */
export type CheckinData = Pick<HabitTracking, 'status' | 'value' | 'note'>;

/** The result of a PUT: the check-in, and whether it was created (or replaced). */
export interface PutCheckin {
  checkin: StoredCheckin;
  created: boolean;
}

/** The days putOwned accepts: from `earliest` to the user's today + 1 day at `now` (unless the caller has checked that). */
export interface CheckinBounds {
  now: Date;
  earliest: string;
  /** True when the caller has already checked the latest day (utils/user-day.ts). */
  latestChecked: boolean;
}

export const toCheckin = (row: HabitTracking): StoredCheckin => ({ ...row, date: formatDay(row.date) });

export class CheckinsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Replaces the check-in of the habit's `date` only in one of the `expected` states (If-Match, a
   * sync change's baseVersion); null when there is none such. The caller has checked the owner.
   */
  async replaceIfMatches(habitId: string, date: string, data: CheckinData, expected: Precondition): Promise<PutCheckin | null> {
    const where = { habitId, date: parseDay(date), ...whereMatches(expected) };
    const [row] = await this.db.prisma.habitTracking.updateManyAndReturn({ where, data });
    return row ? { checkin: toCheckin(row), created: false } : null;
  }

  /**
   * The busiest write, as one statement: creates or replaces the check-in of the user's habit on
   * `date` if the habit is theirs and `date` is between `earliest` and their today + 1 day at `now`
   * (sqlUserDayAt), unless `latestChecked`. Null when either fails; the
   * caller then finds out which. Through Prisma this was two queries and most of the request's CPU.
   */
  async putOwned(userId: string, habitId: string, date: string, data: CheckinData, bounds: CheckinBounds): Promise<PutCheckin | null> {
    const query = this.db.pg.query<Omit<StoredCheckin, 'changeSeq'> & { changeSeq: string }>({
      name: 'put-checkin',
      // The ON CONFLICT arm leaves `createdAt`; the sync trigger numbers the change and sets
      // `version` (1 on a creation).
      text: `INSERT INTO "HabitTracking" (id, "habitId", date, status, value, note, "createdAt", "updatedAt")
             SELECT gen_random_uuid(), h.id, $3::date, $4::"TrackingStatus", $5::integer, $6::text, $7::timestamp, $7::timestamp
               FROM "Habit" h
               JOIN "User" u ON u.id = h."userId"
              WHERE h.id = $1::uuid AND h."userId" = $2::uuid AND $3::date >= $8::date
                AND ($9::boolean OR $3::date <= ${sqlUserDayAt('$7', 'u')} + 1)
             ON CONFLICT ("habitId", date) DO UPDATE
               SET status = excluded.status, value = excluded.value, note = excluded.note, "updatedAt" = excluded."updatedAt"
             RETURNING id, "habitId", to_char(date, ${ISO_DATE}) AS date, status, value, note, version, "changeSeq",
                       ${asDate('"createdAt"')} AS "createdAt", ${asDate('"updatedAt"')} AS "updatedAt"`,
      values: [habitId, userId, date, data.status, data.value, data.note, utcTimestamp(bounds.now), bounds.earliest, bounds.latestChecked],
    });
    // A foreign key violation: the habit was deleted after the statement saw it.
    const { rows } = await query.catch((error: unknown) => {
      if (isSqlForeignKeyViolation(error)) return { rows: [] };
      throw error;
    });
    const row = rows[0];
    return row ? { checkin: { ...row, changeSeq: BigInt(row.changeSeq) }, created: row.version === 1 } : null;
  }

  /** The habit's check-ins from `from` to `to` inclusive, by date. The caller has checked the owner. */
  async list(habitId: string, from: string, to: string): Promise<StoredCheckin[]> {
    const rows = await this.db.prisma.habitTracking.findMany({
      where: { habitId, date: { gte: parseDay(from), lte: parseDay(to) } },
      orderBy: { date: 'asc' },
    });
    return rows.map(toCheckin);
  }

  /** The check-in of the user's habit on `date`, or null (also when the habit is not the user's). */
  async find(userId: string, habitId: string, date: string): Promise<StoredCheckin | null> {
    const row = await this.db.prisma.habitTracking.findFirst({ where: { habitId, date: parseDay(date), habit: { userId } } });
    return row && toCheckin(row);
  }

  /** False when the user's habit has no check-in that day (as `expected`). */
  async delete(userId: string, habitId: string, date: string, expected?: Precondition): Promise<boolean> {
    const { count } = await this.db.prisma.habitTracking.deleteMany({
      where: { habitId, date: parseDay(date), habit: { userId }, ...whereMatches(expected) },
    });
    return count > 0;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    checkinsRepository: CheckinsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('checkinsRepository', new CheckinsRepository(fastify));
  },
  { name: 'checkins-repository', dependencies: ['database'] },
);
