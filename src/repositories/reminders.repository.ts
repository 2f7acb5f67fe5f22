/**
 * What GET /reminders is computed from, in one statement: the user's clock, their active habits that
 * have reminders (schedule, startDate, reminders, kind, goal) and those habits' check-ins of a range
 * of days, each habit as one JSON object.
 */
import fp from 'fastify-plugin';
import type { Habit, HabitGoal, HabitTracking } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import type { Reminder, Schedule } from '../schemas/habit.schema.js';
import type { UserClock } from '../utils/user-day.js';
import { ISO_DATE } from './sql.js';

/** A check-in as `done` needs it: its day (`YYYY-MM-DD`), status and value. */
type DayRecord = { date: string } & Pick<HabitTracking, 'status' | 'value'>;

/** An active habit with reminders, as the reminders are computed from it. */
export interface RemindedHabit {
  id: string;
  kind: Habit['kind'];
  schedule: Schedule;
  /** `YYYY-MM-DD`, or null */
  startDate: string | null;
  reminders: Reminder[];
  goal: Pick<HabitGoal, 'period' | 'target'> | null;
  /** Its check-ins of the loaded days, by date. */
  checkins: DayRecord[];
}

export interface ReminderSources {
  clock: UserClock;
  habits: RemindedHabit[];
}

interface RemindedHabitRow extends Omit<RemindedHabit, 'goal' | 'checkins'> {
  period: HabitGoal['period'] | null;
  target: number | null;
  checkins: [DayRecord['date'], DayRecord['status'], DayRecord['value']][];
}

interface ReminderSourcesRow extends UserClock {
  habits: RemindedHabitRow[];
}

export class RemindersRepository {
  constructor(private readonly db: Database) {}

  /**
   * The user's clock and every non-archived habit of theirs with at least one reminder, with its
   * goal and its check-ins dated `firstDay` to `lastDay` (`YYYY-MM-DD`, inclusive): one statement,
   * whatever the number of habits. Null when the user is gone.
   */
  async sources(userId: string, firstDay: string, lastDay: string): Promise<ReminderSources | null> {
    const { rows } = await this.db.pg.query<ReminderSourcesRow>({
      name: 'reminder-sources',
      text: `SELECT u.timezone, u."dayStartHour",
               (SELECT coalesce(json_agg(json_build_object(
                         'id', h.id, 'kind', h.kind, 'schedule', h.schedule, 'startDate', to_char(h."startDate", ${ISO_DATE}),
                         'reminders', h.reminders, 'period', g.period, 'target', g.target,
                         'checkins', (SELECT coalesce(json_agg(json_build_array(to_char(t.date, ${ISO_DATE}), t.status, t.value) ORDER BY t.date), '[]')
                                        FROM "HabitTracking" t
                                       WHERE t."habitId" = h.id AND t.date BETWEEN $2::date AND $3::date)
                       ) ORDER BY h.id), '[]')
                  FROM "Habit" h
                  LEFT JOIN "HabitGoal" g ON g."habitId" = h.id
                 WHERE h."userId" = u.id AND NOT h.archived AND h.reminders <> '[]'::jsonb) AS habits
               FROM "User" u
              WHERE u.id = $1::uuid`,
      values: [userId, firstDay, lastDay],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      clock: { timezone: row.timezone, dayStartHour: row.dayStartHour },
      habits: row.habits.map(({ period, target, checkins, ...habit }) => ({
        ...habit,
        goal: period !== null && target !== null ? { period, target } : null,
        checkins: checkins.map(([date, status, value]) => ({ date, status, value })),
      })),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    remindersRepository: RemindersRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('remindersRepository', new RemindersRepository(fastify));
  },
  { name: 'reminders-repository', dependencies: ['database'] },
);
