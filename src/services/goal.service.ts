/** The goal of a habit (at most one). Every query is scoped to the habit's owner. */
import { isUniqueViolation } from '../db/errors.js';
import type { PrismaClient } from '../db/client.js';
import type { PutGoalBody } from '../schemas/goal.schema.js';
import { AppError, NotFoundError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';

const GOAL_NOT_FOUND = 'Goal not found';
/** A boolean habit is done at most once a day. */
const MAX_BOOLEAN_TARGET = { day: 1, week: 7, month: 31 } as const;

export class GoalService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(userId: string, habitId: string) {
    const goal = await this.prisma.habitGoal.findFirst({ where: { habitId, habit: { userId } } });
    if (!goal) throw new NotFoundError(GOAL_NOT_FOUND);
    return goal;
  }

  /** Creates or replaces the goal; `created` tells which. */
  async put(userId: string, habitId: string, input: PutGoalBody) {
    const habit = await this.prisma.habit.findFirst({ where: { id: habitId, userId }, select: { kind: true } });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    if (habit.kind === 'boolean' && input.target > MAX_BOOLEAN_TARGET[input.period]) {
      throw new AppError(
        400,
        `target must be at most ${MAX_BOOLEAN_TARGET[input.period]} for a boolean habit with a ${input.period} goal (days done per ${input.period})`,
      );
    }
    try {
      return { goal: await this.prisma.habitGoal.create({ data: { ...input, habitId } }), created: true };
    } catch (error) {
      // The goal exists (perhaps created concurrently): replace it.
      if (!isUniqueViolation(error)) throw error;
      return { goal: await this.prisma.habitGoal.update({ where: { habitId }, data: input }), created: false };
    }
  }

  async delete(userId: string, habitId: string): Promise<void> {
    const { count } = await this.prisma.habitGoal.deleteMany({ where: { habitId, habit: { userId } } });
    if (count === 0) throw new NotFoundError(GOAL_NOT_FOUND);
  }
}
