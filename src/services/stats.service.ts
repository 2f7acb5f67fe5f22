/**
 * Statistics and the home screen: what stats.repository.ts loads in a constant number of
 * statements, computed in memory by statistics.ts. The export, which must not hold an account in
 * memory, is streamed by export.service.ts.
 */
import fp from 'fastify-plugin';
import type { StatsRepository } from '../repositories/stats.repository.js';
import { startOfIsoWeek, startOfMonth, todayIn } from '../utils/dates.js';
import { NotFoundError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';
import { computeStats, currentPeriodProgress, type HabitStats } from './statistics.js';

export class StatsService {
  constructor(private readonly stats: StatsRepository) {}

  async habitStats(userId: string, habitId: string, asOf?: string): Promise<HabitStats> {
    const habit = await this.stats.habitHistory(userId, habitId, asOf);
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return computeStats({
      kind: habit.kind,
      goal: habit.goal,
      createdOn: todayIn(habit.timezone, habit.createdAt),
      checkins: habit.checkins,
      today: asOf ?? todayIn(habit.timezone),
    });
  }

  /** Every active habit with its goal, today's check-in and the current period's progress: two statements. */
  async today(userId: string) {
    const timezone = await this.stats.timezone(userId);
    if (timezone === null) throw new NotFoundError();
    const today = todayIn(timezone);
    // The longest current period starts no earlier than this.
    const since = [startOfIsoWeek(today), startOfMonth(today)].sort()[0]!;
    const habits = await this.stats.activeHabits(userId, since, today);
    return habits.map(({ habit, goal, checkins }) => ({
      habit,
      goal,
      checkin: checkins.find((checkin) => checkin.date === today) ?? null,
      progress: currentPeriodProgress(habit.kind, goal, checkins, today).progress,
    }));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    statsService: StatsService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('statsService', new StatsService(fastify.statsRepository));
  },
  { name: 'stats-service', dependencies: ['stats-repository'] },
);
