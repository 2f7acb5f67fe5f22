/** The goal of a habit (at most one). Every goal belongs to a habit of the caller. */
import fp from 'fastify-plugin';
import type { GoalsRepository } from '../repositories/goals.repository.js';
import type { HabitsRepository } from '../repositories/habits.repository.js';
import type { PutGoalBody } from '../schemas/goal.schema.js';
import type { Precondition } from '../repositories/writes.js';
import { AppError, NotFoundError, PreconditionFailedError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';

export const GOAL_NOT_FOUND = 'Goal not found';
/** A boolean habit is done at most once a day. */
const MAX_BOOLEAN_TARGET = { day: 1, week: 7, month: 31 } as const;

export class GoalService {
  constructor(
    private readonly habits: HabitsRepository,
    private readonly goals: GoalsRepository,
  ) {}

  async get(userId: string, habitId: string) {
    const goal = await this.goals.find(userId, habitId);
    if (!goal) throw new NotFoundError(GOAL_NOT_FOUND);
    return goal;
  }

  /**
   * Creates or replaces the goal; `created` tells which. With `expected` (If-Match, a sync change's
   * baseVersion) it only replaces a goal in that state: anything else (no goal yet included) is a 412.
   */
  async put(userId: string, habitId: string, input: PutGoalBody, expected?: Precondition) {
    const habit = await this.habits.findOwned(userId, habitId, { kind: true });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    checkGoalTarget(habit.kind, input);
    const written = await this.goals.put(habitId, input, expected);
    if (!written) throw new PreconditionFailedError();
    return written;
  }

  /** With `expected`, only a goal in that state: 412 when the goal is in another. */
  async delete(userId: string, habitId: string, expected?: Precondition): Promise<void> {
    if (await this.goals.delete(userId, habitId, expected)) return;
    const exists = expected !== undefined && (await this.goals.find(userId, habitId)) !== null;
    throw exists ? new PreconditionFailedError() : new NotFoundError(GOAL_NOT_FOUND);
  }
}

/** A 400 AppError when a boolean habit's goal asks for more days than its period has (PUT goal, POST /import). */
export function checkGoalTarget(kind: 'boolean' | 'numeric', goal: PutGoalBody): void {
  if (kind === 'boolean' && goal.target > MAX_BOOLEAN_TARGET[goal.period]) {
    throw new AppError(
      400,
      `target must be at most ${MAX_BOOLEAN_TARGET[goal.period]} for a boolean habit with a ${goal.period} goal (days done per ${goal.period})`,
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    goalService: GoalService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('goalService', new GoalService(fastify.habitsRepository, fastify.goalsRepository));
  },
  { name: 'goal-service', dependencies: ['habits-repository', 'goals-repository'] },
);
