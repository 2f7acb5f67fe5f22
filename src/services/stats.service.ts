/**
 * Statistics and the home screen: what stats.repository.ts loads in a constant number of
 * statements, computed in memory by statistics.ts. The export, which must not hold an account in
 * memory, is streamed by export.service.ts.
 */
import fp from 'fastify-plugin';
import type { StatsRepository } from '../repositories/stats.repository.js';
import { createTodayCache, userDayAt } from '../utils/user-day.js';
import { NotFoundError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';
import { isDue } from './schedule.js';
import { computeStats, currentPeriodProgress, type HabitStats } from './statistics.js';

export class StatsService {
  private readonly userToday = createTodayCache();

  constructor(private readonly stats: StatsRepository) {}

  async habitStats(userId: string, habitId: string, asOf?: string): Promise<HabitStats> {
    const habit = await this.stats.habitHistory(userId, habitId, asOf);
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return computeStats({
      kind: habit.kind,
      goal: habit.goal,
      createdOn: userDayAt(habit, habit.createdAt),
      checkins: habit.checkins,
      today: asOf ?? this.userToday(habit),
      plan: { schedule: habit.schedule, startDate: habit.startDate },
    });
  }

  /**
   * Every active habit, due today or not, with its goal, today's check-in, the current period's
   * progress and whether it is due today (the user's day): one statement, two when PostgreSQL's
   * time zone data placed the user's day differently from utils/user-day.ts's, which decides.
   */
  async today(userId: string) {
    const now = new Date();
    let screen = await this.stats.homeScreen(userId, now);
    const today = screen && this.userToday(screen.clock, now);
    if (screen && screen.today !== today) screen = await this.stats.homeScreen(userId, now, today!);
    if (!screen) throw new NotFoundError();
    return screen.habits.map(({ habit, goal, checkin, recentCheckins }) => ({
      habit,
      goal,
      checkin,
      progress: currentPeriodProgress(habit.kind, goal, recentCheckins, screen.today).progress,
      due: isDue(habit, screen.today),
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
