/** Habits of one owner: the rules on top of habits.repository.ts. */
import fp from 'fastify-plugin';
import type { Habit } from '../generated/prisma/client.js';
import type { HabitsRepository, ListedHabit } from '../repositories/habits.repository.js';
import type { CreateHabitBody, ListHabitsQuery, UpdateHabitBody } from '../schemas/habit.schema.js';
import type { Precondition } from '../repositories/writes.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../utils/errors.js';

export const HABIT_NOT_FOUND = 'Habit not found';

export class HabitService {
  constructor(private readonly habits: HabitsRepository) {}

  /** The defaults are the schema's (ListHabitsQuery), which validation has already applied. */
  list(userId: string, query: ListHabitsQuery): Promise<ListedHabit[]> {
    return this.habits.list(userId, query);
  }

  async get(userId: string, habitId: string) {
    const habit = await this.habits.findOwned(userId, habitId);
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return habit;
  }

  /**
   * Creates the habit; `created` false when this is a repeat of the POST that created it (the same
   * client-generated id and the same fields): the habit, unchanged.
   */
  async create(userId: string, input: CreateHabitBody): Promise<{ habit: Habit; created: boolean }> {
    const habit = normalise(input);
    try {
      return { habit: await this.habits.create(userId, habit), created: true };
    } catch (error) {
      if (!(error instanceof ConflictError) || habit.id === undefined) throw error;
      const existing = await this.habits.findByIdOfAnyOwner(habit.id);
      // No habit with this id: the conflict was the name.
      if (!existing) throw error;
      if (existing.userId === userId && isSameHabit(existing, habit)) return { habit: existing, created: false };
      throw new ConflictError('Id already in use');
    }
  }

  /** Changes the habit; with `expected` (If-Match, a sync change's baseVersion) only if it is in that state, else 412. */
  async update(userId: string, habitId: string, changes: UpdateHabitBody, expected?: Precondition) {
    const habit = await this.habits.update(
      userId,
      habitId,
      normalise(changes),
      (current) => {
        if (changes.kind !== undefined && changes.kind !== current.kind && current.checkins > 0) {
          throw new ConflictError("A habit's kind cannot change once it has check-ins");
        }
      },
      expected,
    );
    if (!habit) throw await this.whyNotWritten(userId, habitId, expected);
    return habit;
  }

  /** Deletes the habit with its goal and check-ins; with `expected`, only if it is in that state, else 412. */
  async delete(userId: string, habitId: string, expected?: Precondition): Promise<void> {
    if (!(await this.habits.delete(userId, habitId, expected))) throw await this.whyNotWritten(userId, habitId, expected);
  }

  /** A conditional write that matched nothing: 412 if the habit is there (in another state), else 404. */
  private async whyNotWritten(userId: string, habitId: string, expected: Precondition | undefined): Promise<Error> {
    const exists = expected !== undefined && (await this.habits.findOwned(userId, habitId, { id: true })) !== null;
    return exists ? new PreconditionFailedError() : new NotFoundError(HABIT_NOT_FOUND);
  }
}

/** Whether `stored` is what creating `input` makes (its defaults filled in). */
function isSameHabit(stored: Habit, input: CreateHabitBody): boolean {
  return (
    stored.name === input.name &&
    stored.description === (input.description ?? null) &&
    stored.color === (input.color ?? null) &&
    stored.icon === (input.icon ?? null) &&
    stored.kind === (input.kind ?? 'boolean') &&
    stored.unit === (input.unit ?? null) &&
    stored.position === (input.position ?? 0) &&
    stored.archived === (input.archived ?? false)
  );
}

/** Trims the name and lower-cases the colour, as the contract returns them. */
function normalise<T extends UpdateHabitBody>(input: T): T {
  return {
    ...input,
    ...(input.name !== undefined && { name: input.name.trim() }),
    ...(typeof input.color === 'string' && { color: input.color.toLowerCase() }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    habitService: HabitService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('habitService', new HabitService(fastify.habitsRepository));
  },
  { name: 'habit-service', dependencies: ['habits-repository'] },
);
