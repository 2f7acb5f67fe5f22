/** Goals (at most one per habit). Reads and deletes are scoped to the habit's owner. */
import fp from 'fastify-plugin';
import type { HabitGoal } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import type { PutGoalBody } from '../schemas/goal.schema.js';
import { whereMatches, type Precondition } from './writes.js';

export class GoalsRepository {
  constructor(private readonly db: Database) {}

  /** The goal of the user's habit, or null. */
  find(userId: string, habitId: string): Promise<HabitGoal | null> {
    return this.db.prisma.habitGoal.findFirst({ where: { habitId, habit: { userId } } });
  }

  /**
   * Creates or replaces the habit's goal; `created` tells which. With `expected`, only replaces the
   * goal in that state (null when there is none such). The caller has checked the owner.
   */
  async put(habitId: string, goal: PutGoalBody, expected?: Precondition): Promise<{ goal: HabitGoal; created: boolean } | null> {
    if (expected !== undefined) {
      const [row] = await this.db.prisma.habitGoal.updateManyAndReturn({ where: { habitId, ...whereMatches(expected) }, data: goal });
      return row ? { goal: row, created: false } : null;
    }
    // One INSERT … ON CONFLICT DO UPDATE (see CheckinsRepository.put).
    const row = await this.db.prisma.habitGoal.upsert({ where: { habitId }, create: { ...goal, habitId }, update: goal });
    return { goal: row, created: row.version === 1 };
  }

  /** False when the user's habit has no goal (as `expected`). */
  async delete(userId: string, habitId: string, expected?: Precondition): Promise<boolean> {
    const { count } = await this.db.prisma.habitGoal.deleteMany({ where: { habitId, habit: { userId }, ...whereMatches(expected) } });
    return count > 0;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    goalsRepository: GoalsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('goalsRepository', new GoalsRepository(fastify));
  },
  { name: 'goals-repository', dependencies: ['database'] },
);
