/**
 * Statistics and the home screen: each loads what it needs in a constant number of queries
 * (relation joins, no query per habit or per day), then computes in memory. The export, which must
 * not hold an account in memory, is streamed by export.service.ts.
 */
import { Prisma, type PrismaClient } from '../db/client.js';
import { parseDay, startOfIsoWeek, startOfMonth, todayIn } from '../utils/dates.js';
import { NotFoundError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';
import { computeStats, currentPeriodProgress, type Checkin, type GoalPeriod, type HabitKind, type HabitStats } from './statistics.js';
import { toCheckin } from './checkin.service.js';

interface HabitWithCheckins {
  kind: HabitKind;
  createdAt: Date;
  timezone: string;
  period: GoalPeriod | null;
  target: number | null;
  checkins: [Checkin['date'], Checkin['status'], Checkin['value']][];
}

export class StatsService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * One query: the habit, its goal, its owner's time zone and its check-ins, the check-ins as one
   * JSON array of [day, status, value] (3 years of them load ~3x faster than through Prisma's
   * relation loading, which builds a Date and an object per row).
   */
  async habitStats(userId: string, habitId: string, asOf?: string): Promise<HabitStats> {
    const [habit] = await this.prisma.$queryRaw<HabitWithCheckins[]>`
      SELECT h.kind::text AS kind, h."createdAt", u.timezone, g.period::text AS period, g.target,
        (SELECT coalesce(json_agg(json_build_array(to_char(t.date, 'YYYY-MM-DD'), t.status, t.value) ORDER BY t.date), '[]')
           FROM "HabitTracking" t
          WHERE t."habitId" = h.id ${asOf ? Prisma.sql`AND t.date <= ${asOf}::date` : Prisma.empty}) AS checkins
      FROM "Habit" h
      JOIN "User" u ON u.id = h."userId"
      LEFT JOIN "HabitGoal" g ON g."habitId" = h.id
      WHERE h.id = ${habitId}::uuid AND h."userId" = ${userId}::uuid`;
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return computeStats({
      kind: habit.kind,
      goal: habit.period && habit.target !== null ? { period: habit.period, target: habit.target } : null,
      createdOn: todayIn(habit.timezone, habit.createdAt),
      checkins: habit.checkins.map(([date, status, value]) => ({ date, status, value })),
      today: asOf ?? todayIn(habit.timezone),
    });
  }

  /** Every active habit with its goal, today's check-in and the current period's progress: two queries. */
  async today(userId: string) {
    const { timezone } = await this.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { timezone: true } });
    const today = todayIn(timezone);
    // The longest current period starts no earlier than this.
    const since = [startOfIsoWeek(today), startOfMonth(today)].sort()[0]!;
    const habits = await this.prisma.habit.findMany({
      relationLoadStrategy: 'join',
      where: { userId, archived: false },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      include: {
        goal: true,
        trackings: { where: { date: { gte: parseDay(since), lte: parseDay(today) } }, orderBy: { date: 'asc' } },
      },
    });
    return habits.map(({ goal, trackings, ...habit }) => {
      const checkins = trackings.map(toCheckin);
      return {
        habit,
        goal,
        checkin: checkins.find((checkin) => checkin.date === today) ?? null,
        progress: currentPeriodProgress(habit.kind, goal, checkins, today).progress,
      };
    });
  }
}
