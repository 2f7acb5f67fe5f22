/**
 * The reads behind the statistics and the home screen: each loads what it needs in a constant
 * number of statements (joins, no query per habit or per day).
 */
import fp from 'fastify-plugin';
import type { Static } from '@sinclair/typebox';
import type { Habit, HabitGoal } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import type { Checkin } from '../schemas/checkin.schema.js';
import type { Goal } from '../schemas/goal.schema.js';
import type { Schedule } from '../schemas/habit.schema.js';
import type { CheckinColumns } from '../services/statistics.js';
import type { UserClock } from '../utils/user-day.js';
import { listedHabitColumns, type ListedHabit } from './habits.repository.js';
import { asDate, ISO_DATE, ISO_TIMESTAMP, sqlUserDayAt, utcTimestamp } from './sql.js';

/** A habit with what its statistics are computed from. */
export interface HabitHistory {
  kind: Habit['kind'];
  createdAt: Date;
  schedule: Schedule;
  /** `YYYY-MM-DD`, or null. */
  startDate: string | null;
  /** The owner's time zone and the hour their day starts. */
  timezone: string;
  dayStartHour: number;
  goal: Pick<HabitGoal, 'period' | 'target'> | null;
  checkins: CheckinColumns;
}

interface HabitHistoryRow extends Omit<HabitHistory, 'goal' | 'checkins'>, CheckinColumns {
  period: HabitGoal['period'] | null;
  target: number | null;
}

/** An active habit with its goal, today's check-in and the check-ins of a range of days, as the response sends them. */
export interface ActiveHabit {
  habit: ListedHabit;
  goal: GoalReply | null;
  checkin: CheckinReply | null;
  recentCheckins: CheckinColumns;
}

/** What the home screen shows: the user's day, and their active habits. */
export interface HomeScreen {
  clock: UserClock;
  /** The day the rows were read for, `YYYY-MM-DD`. */
  today: string;
  habits: ActiveHabit[];
}

type GoalReply = Static<typeof Goal>;
type CheckinReply = Static<typeof Checkin>;

/**
 * A habit's row (a row of nulls but the clock and day when the user has no active habit). Its goal
 * and its check-in of the day come as columns, assembled here: PostgreSQL's json_build_object cost
 * more than the rest of the check-in's lookup (issue 18).
 */
interface HomeScreenRow extends UserClock, Omit<ListedHabit, 'id'>, CheckinColumns {
  id: string | null;
  today: string;
  goalId: string | null;
  goalPeriod: GoalReply['period'];
  goalTarget: number;
  goalVersion: number;
  goalCreatedAt: string;
  goalUpdatedAt: string;
  checkinId: string | null;
  checkinStatus: CheckinReply['status'];
  checkinValue: number;
  checkinNote: string | null;
  checkinVersion: number;
  checkinCreatedAt: string;
  checkinUpdatedAt: string;
}

/** The row of an active habit. */
type ActiveHabitRow = HomeScreenRow & { id: string };

/** The row's goal; the other goal columns are set when goalId is. */
const goalOf = (row: ActiveHabitRow): GoalReply | null =>
  row.goalId === null
    ? null
    : {
        id: row.goalId,
        habitId: row.id,
        period: row.goalPeriod,
        target: row.goalTarget,
        version: row.goalVersion,
        createdAt: row.goalCreatedAt,
        updatedAt: row.goalUpdatedAt,
      };

/** The row's check-in of the day; the other check-in columns are set when checkinId is. */
const checkinOf = (row: ActiveHabitRow): CheckinReply | null =>
  row.checkinId === null
    ? null
    : {
        id: row.checkinId,
        habitId: row.id,
        date: row.today,
        status: row.checkinStatus,
        value: row.checkinValue,
        note: row.checkinNote,
        version: row.checkinVersion,
        createdAt: row.checkinCreatedAt,
        updatedAt: row.checkinUpdatedAt,
      };

export class StatsRepository {
  constructor(private readonly db: Database) {}

  /**
   * One statement: the user's habit (its kind, creation time, schedule and startDate), its goal, its
   * owner's time zone and day start hour, and its check-ins (up to `asOf` when given), read from the
   * covering index (habitId, date, status, value) alone. The check-ins come as three JSON arrays of
   * numbers and booleans: for 3 years, PostgreSQL builds them ~6x faster than an array of
   * [to_char(date), status, value] (0.25 ms against 1.5), and statistics.ts computes on them as they
   * come (CheckinColumns), without a string per date. Undefined when the habit is not the user's.
   */
  async habitHistory(userId: string, habitId: string, asOf: string | undefined): Promise<HabitHistory | undefined> {
    const { rows } = await this.db.pg.query<HabitHistoryRow>({
      name: 'habit-history',
      text: `SELECT h.kind::text AS kind, ${asDate('h."createdAt"')} AS "createdAt", h.schedule, to_char(h."startDate", ${ISO_DATE}) AS "startDate",
               u.timezone, u."dayStartHour", g.period::text AS period, g.target,
               c.days, c.done, c.values
               FROM "Habit" h
               CROSS JOIN LATERAL (
                 SELECT coalesce(array_to_json(array_agg(t.date - DATE '1970-01-01')), '[]') AS days,
                        coalesce(array_to_json(array_agg(t.status = 'done')), '[]') AS done,
                        coalesce(array_to_json(array_agg(t.value)), '[]') AS values
                   FROM (SELECT date, status, value FROM "HabitTracking"
                          WHERE "habitId" = h.id AND ($3::date IS NULL OR date <= $3::date) ORDER BY date) t
               ) c
               JOIN "User" u ON u.id = h."userId"
               LEFT JOIN "HabitGoal" g ON g."habitId" = h.id
              WHERE h.id = $1::uuid AND h."userId" = $2::uuid`,
      values: [habitId, userId, asOf ?? null],
    });
    const row = rows[0];
    if (!row) return undefined;
    const { period, target, days, done, values, ...habit } = row;
    return {
      ...habit,
      goal: period && target !== null ? { period, target } : null,
      checkins: { days, done, values },
    };
  }

  /**
   * The home screen's rows in one statement: the user's clock and day, and every active habit in list
   * order with its goal, its check-in of the day and its check-ins (day, status, value) since the
   * earlier of the day's ISO week and month starts (the longest current period), dates and times
   * formatted by PostgreSQL as the response sends them. The day is `today` when given, else
   * PostgreSQL's reading of utils/user-day.ts's rule (their wall clock at `now` less `dayStartHour`
   * hours), which the caller checks against that module's own. Null when the user is gone.
   */
  async homeScreen(userId: string, now: Date, today?: string): Promise<HomeScreen | null> {
    const { rows } = await this.db.pg.query<HomeScreenRow>({
      name: 'home-screen',
      text: `WITH day AS (
               SELECT u.timezone, u."dayStartHour", coalesce($3::date,
                        ${sqlUserDayAt('$2', 'u')}) AS today
                 FROM "User" u WHERE u.id = $1::uuid
             ), span AS (
               SELECT day.*, least(date_trunc('week', day.today), date_trunc('month', day.today))::date AS since FROM day
             )
             SELECT span.timezone, span."dayStartHour", to_char(span.today, ${ISO_DATE}) AS today, ${listedHabitColumns('h')},
               g.id AS "goalId", g.period AS "goalPeriod", g.target AS "goalTarget", g.version AS "goalVersion",
               to_char(g."createdAt", ${ISO_TIMESTAMP}) AS "goalCreatedAt", to_char(g."updatedAt", ${ISO_TIMESTAMP}) AS "goalUpdatedAt",
               c.id AS "checkinId", c.status AS "checkinStatus", c.value AS "checkinValue", c.note AS "checkinNote",
               c.version AS "checkinVersion", to_char(c."createdAt", ${ISO_TIMESTAMP}) AS "checkinCreatedAt",
               to_char(c."updatedAt", ${ISO_TIMESTAMP}) AS "checkinUpdatedAt",
               recent.days, recent.done, recent.values
               FROM span
               LEFT JOIN "Habit" h ON h."userId" = $1::uuid AND h.archived = false
               LEFT JOIN "HabitGoal" g ON g."habitId" = h.id
               LEFT JOIN "HabitTracking" c ON c."habitId" = h.id AND c.date = span.today
               LEFT JOIN LATERAL (
                 SELECT coalesce(array_to_json(array_agg(t.date - DATE '1970-01-01')), '[]') AS days,
                        coalesce(array_to_json(array_agg(t.status = 'done')), '[]') AS done,
                        coalesce(array_to_json(array_agg(t.value)), '[]') AS values
                   FROM (SELECT date, status, value FROM "HabitTracking"
                          WHERE "habitId" = h.id AND date BETWEEN span.since AND span.today ORDER BY date) t
               ) recent ON h.id IS NOT NULL
              ORDER BY h.position, h."createdAt", h.id`,
      values: [userId, utcTimestamp(now), today ?? null],
    });
    const first = rows[0];
    if (!first) return null;
    return {
      clock: { timezone: first.timezone, dayStartHour: first.dayStartHour },
      today: first.today,
      // The row is the habit: its other columns ride along, and the habit's response schema sends
      // only its own (copying 16 columns into a new object per habit was 2 % of a request's CPU).
      habits: rows
        .filter((row): row is ActiveHabitRow => row.id !== null)
        .map((row) => ({
          habit: row,
          goal: goalOf(row),
          checkin: checkinOf(row),
          recentCheckins: { days: row.days, done: row.done, values: row.values },
        })),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    statsRepository: StatsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('statsRepository', new StatsRepository(fastify));
  },
  { name: 'stats-repository', dependencies: ['database'] },
);
