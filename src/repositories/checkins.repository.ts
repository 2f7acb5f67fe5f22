/**
 * Check-ins, one per habit and calendar day (table "HabitTracking", Prisma model `habitTracking`).
 * Days come and go as `YYYY-MM-DD` strings; the `date` column is converted here.
 */
import fp from 'fastify-plugin';
import type { HabitTracking } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import { formatDay, parseDay } from '../utils/dates.js';
import { whereMatches, type Precondition } from './writes.js';

/** A check-in as the API returns it: the day as `YYYY-MM-DD`. */
export type StoredCheckin = Omit<HabitTracking, 'date'> & { date: string };

/** What a check-in records about its day. */
export type CheckinData = Pick<HabitTracking, 'status' | 'value' | 'note'>;

export const toCheckin = (row: HabitTracking): StoredCheckin => ({ ...row, date: formatDay(row.date) });

export class CheckinsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates or replaces the check-in of the habit's `date`; `created` tells which. With `expected`,
   * only replaces the check-in in that state (null when there is none such). The caller has checked the owner.
   */
  async put(
    habitId: string,
    date: string,
    data: CheckinData,
    expected?: Precondition,
  ): Promise<{ checkin: StoredCheckin; created: boolean } | null> {
    const key = { habitId, date: parseDay(date) };
    if (expected !== undefined) {
      const [row] = await this.db.prisma.habitTracking.updateManyAndReturn({ where: { ...key, ...whereMatches(expected) }, data });
      return row ? { checkin: toCheckin(row), created: false } : null;
    }
    // One INSERT … ON CONFLICT DO UPDATE: a failed INSERT would also cost the pool its connection
    // (pg-pool drops a client whose query failed). The sync trigger gives a new row version 1 and
    // raises it on every update, so version 1 means created.
    const row = await this.db.prisma.habitTracking.upsert({ where: { habitId_date: key }, create: { ...key, ...data }, update: data });
    return { checkin: toCheckin(row), created: row.version === 1 };
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
