/** Habits of one owner: the rules on top of habits.repository.ts. */
import fp from 'fastify-plugin';
import type { HabitsRepository, ListedHabit, StoredHabit } from '../repositories/habits.repository.js';
import type { CreateHabitBody, ListHabitsQuery, Reminder, Schedule, UpdateHabitBody } from '../schemas/habit.schema.js';
import type { Precondition } from '../repositories/writes.js';
import type { UsersRepository } from '../repositories/users.repository.js';
import { AppError, BadRequestError, ConflictError, NotFoundError, PreconditionFailedError } from '../utils/errors.js';
import { userToday } from '../utils/user-day.js';

export const HABIT_NOT_FOUND = 'Habit not found';
export const KIND_LOCKED = "A habit's kind cannot change once it has check-ins";

export class HabitService {
  constructor(
    private readonly habits: HabitsRepository,
    private readonly users: UsersRepository,
  ) {}

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
  async create(userId: string, input: CreateHabitBody): Promise<{ habit: StoredHabit; created: boolean }> {
    const requested = normaliseHabit(input);
    const habit = requested.schedule
      ? { ...requested, schedule: await this.anchored(userId, requested.schedule, requested.startDate ?? null, undefined) }
      : requested;
    try {
      return { habit: await this.habits.create(userId, habit), created: true };
    } catch (error) {
      if (!(error instanceof ConflictError) || habit.id === undefined) throw error;
      const existing = await this.habits.findByIdOfAnyOwner(habit.id);
      // No habit with this id: the conflict was the name.
      if (!existing) throw error;
      // Compared with the request as sent: an interval sent without anchor matches the anchor chosen at
      // creation, whatever the user's day is now (an offline client may retry the next morning).
      if (existing.userId === userId && isSameHabit(existing, requested)) return { habit: existing, created: false };
      throw new ConflictError('Id already in use');
    }
  }

  /** Changes the habit; with `expected` (If-Match, a sync change's baseVersion) only if it is in that state, else 412. */
  async update(userId: string, habitId: string, changes: UpdateHabitBody, expected?: Precondition) {
    const normalised = normaliseHabit(changes);
    if (normalised.schedule?.type === 'interval' && normalised.schedule.anchor === undefined) {
      const current = await this.get(userId, habitId);
      const startDate = normalised.startDate === undefined ? current.startDate : normalised.startDate;
      normalised.schedule = await this.anchored(userId, normalised.schedule, startDate, current.schedule);
    }
    const habit = await this.habits.update(
      userId,
      habitId,
      normalised,
      (current) => {
        if (changes.kind !== undefined && changes.kind !== current.kind && current.checkins > 0) {
          throw new ConflictError(KIND_LOCKED);
        }
      },
      expected,
    );
    if (!habit) throw await this.whyNotWritten(userId, habitId, expected);
    return habit;
  }

  /** PUT /habits/order: `ids` must be exactly the user's non-archived habits, each once (400 otherwise). */
  reorder(userId: string, listedIds: string[]): Promise<ListedHabit[]> {
    const ids = listedIds.map((id) => id.toLowerCase());
    return this.habits.reorder(userId, ids, (activeIds) => {
      const listed = new Set(ids);
      if (listed.size !== ids.length || listed.size !== activeIds.length || activeIds.some((id) => !listed.has(id))) {
        throw new BadRequestError('ids must list each of your non-archived habits exactly once');
      }
    });
  }

  /** Deletes the habit with its goal and check-ins; with `expected`, only if it is in that state, else 412. */
  async delete(userId: string, habitId: string, expected?: Precondition): Promise<void> {
    if (!(await this.habits.delete(userId, habitId, expected))) throw await this.whyNotWritten(userId, habitId, expected);
  }

  /**
   * An interval schedule's anchor, fixed once: the client's, else the one the habit already has, else
   * `startDate`, else the user's current day.
   */
  private async anchored(userId: string, schedule: Schedule, startDate: string | null, current: Schedule | undefined): Promise<Schedule> {
    if (schedule.type !== 'interval' || schedule.anchor !== undefined) return schedule;
    if (current?.type === 'interval' && current.anchor !== undefined) return { ...schedule, anchor: current.anchor };
    if (startDate !== null) return { ...schedule, anchor: startDate };
    const clock = await this.users.clock(userId);
    if (!clock) throw new NotFoundError();
    return { ...schedule, anchor: userToday(clock) };
  }

  /** A conditional write that matched nothing: 412 if the habit is there (in another state), else 404. */
  private async whyNotWritten(userId: string, habitId: string, expected: Precondition | undefined): Promise<Error> {
    const exists = expected !== undefined && (await this.habits.findOwned(userId, habitId, { id: true })) !== null;
    return exists ? new PreconditionFailedError() : new NotFoundError(HABIT_NOT_FOUND);
  }
}

/** Whether `stored` is what creating `input` makes (its defaults filled in). */
function isSameHabit(stored: StoredHabit, input: CreateHabitBody): boolean {
  return (
    stored.name === input.name &&
    stored.description === (input.description ?? null) &&
    stored.color === (input.color ?? null) &&
    stored.icon === (input.icon ?? null) &&
    stored.kind === (input.kind ?? 'boolean') &&
    stored.unit === (input.unit ?? null) &&
    stored.position === (input.position ?? 0) &&
    stored.archived === (input.archived ?? false) &&
    sameSchedule(stored.schedule, input.schedule ?? { type: 'daily' }) &&
    stored.startDate === (input.startDate ?? null) &&
    JSON.stringify(stored.reminders.map(canonicalReminder)) === JSON.stringify((input.reminders ?? []).map(canonicalReminder))
  );
}

/** The same schedule; an interval sent without its anchor matches the anchor the server chose. */
function sameSchedule(stored: Schedule, input: Schedule): boolean {
  const anchor = input.type === 'interval' && input.anchor === undefined ? { anchor: stored.anchor } : {};
  return JSON.stringify(canonical(stored)) === JSON.stringify(canonical({ ...input, ...anchor }));
}

const canonical = ({ type, days, every, anchor }: Schedule): Schedule => ({ type, days, every, anchor });

/** The fields each kind of schedule takes (and requires): anything else is a 400 rather than silently dropped. */
const SCHEDULE_FIELDS = { daily: [], weekdays: ['days'], interval: ['every', 'anchor'] } as const;
const REQUIRED_FIELD = { daily: undefined, weekdays: 'days', interval: 'every' } as const;

function checkSchedule(schedule: Schedule): Schedule {
  const allowed: readonly string[] = SCHEDULE_FIELDS[schedule.type];
  const extra = (['days', 'every', 'anchor'] as const).find((field) => schedule[field] !== undefined && !allowed.includes(field));
  if (extra) throw new AppError(400, `body/schedule/${extra} is not a field of a ${schedule.type} schedule`);
  const required = REQUIRED_FIELD[schedule.type];
  if (required && schedule[required] === undefined) {
    throw new AppError(400, `body/schedule must have required property '${required}' for a ${schedule.type} schedule`);
  }
  return { ...schedule, ...(schedule.days && { days: [...schedule.days].sort((a, b) => a - b) }) };
}

const canonicalReminder = ({ time, days }: Reminder): Reminder => ({ time, days });

const sortedReminder = (reminder: Reminder): Reminder => ({
  ...reminder,
  ...(reminder.days && { days: [...reminder.days].sort((a, b) => a - b) }),
});

/**
 * Trims the name, lower-cases the colour, sorts weekdays, and checks the schedule's fields (a 400
 * AppError): what POST and PATCH /habits, and POST /import, do to a habit's fields.
 */
export function normaliseHabit<T extends UpdateHabitBody>(input: T): T {
  return {
    ...input,
    ...(input.name !== undefined && { name: input.name.trim() }),
    ...(typeof input.color === 'string' && { color: input.color.toLowerCase() }),
    ...(input.schedule && { schedule: checkSchedule(input.schedule) }),
    ...(input.reminders && { reminders: input.reminders.map(sortedReminder) }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    habitService: HabitService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('habitService', new HabitService(fastify.habitsRepository, fastify.usersRepository));
  },
  { name: 'habit-service', dependencies: ['habits-repository', 'users-repository'] },
);
