/** Habits of one owner. The owner is in every query's `where`, so no other user's habit is reachable. */
import type pg from 'pg';
import { isUniqueViolation } from '../db/errors.js';
import type { PrismaClient } from '../db/client.js';
import type { Habit as HabitRow } from '../generated/prisma/client.js';
import type { CreateHabitBody, ListHabitsQuery, UpdateHabitBody } from '../schemas/habit.schema.js';
import { ConflictError, NotFoundError } from '../utils/errors.js';

export const HABIT_NOT_FOUND = 'Habit not found';
const DUPLICATE_NAME = 'You already have a habit with this name';
/** `to_char` format of a UTC `timestamp(3)` as JSON's date-time: 2026-11-30T08:15:00.123Z. */
const ISO_TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** A habit as the list sends it: timestamps already formatted. */
export type ListedHabit = Omit<HabitRow, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

export class HabitService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * The defaults are the schema's (ListHabitsQuery), which validation has already applied. The
   * busiest read of the API, so it is one SQL query on the pool: through Prisma, building the query
   * cost more CPU than all the rest of the request (README, Performance).
   */
  async list(userId: string, { archived = 'false', limit = 50, offset = 0 }: ListHabitsQuery): Promise<ListedHabit[]> {
    // Timestamps are stored as UTC wall time, and go out as ISO strings made by PostgreSQL
    // (parsing them into Dates only to print them again was ~5 % of the request's CPU). ORDER BY
    // names the table's column: a bare "createdAt" would be the formatted output column.
    const { rows } = await this.pool.query<ListedHabit>({
      // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
      name: 'list-habits',
      text: `SELECT id, "userId", name, description, color, icon, kind, unit, position, archived,
              to_char("createdAt", ${ISO_TIMESTAMP}) AS "createdAt", to_char("updatedAt", ${ISO_TIMESTAMP}) AS "updatedAt"
         FROM "Habit"
        WHERE "userId" = $1 AND ($2::boolean IS NULL OR archived = $2)
        ORDER BY position, "Habit"."createdAt", id
        LIMIT $3 OFFSET $4`,
      values: [userId, archived === 'all' ? null : archived === 'true', limit, offset],
    });
    return rows;
  }

  async get(userId: string, habitId: string) {
    const habit = await this.prisma.habit.findFirst({ where: { id: habitId, userId } });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return habit;
  }

  async create(userId: string, input: CreateHabitBody) {
    try {
      return await this.prisma.habit.create({ data: { ...normalise(input), userId } });
    } catch (error) {
      throw mapUniqueName(error);
    }
  }

  async update(userId: string, habitId: string, changes: UpdateHabitBody) {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.habit.findFirst({
        where: { id: habitId, userId },
        select: { kind: true, _count: { select: { trackings: true } } },
      });
      if (!current) throw new NotFoundError(HABIT_NOT_FOUND);
      if (changes.kind !== undefined && changes.kind !== current.kind && current._count.trackings > 0) {
        throw new ConflictError("A habit's kind cannot change once it has check-ins");
      }
      try {
        return await tx.habit.update({ where: { id: habitId, userId }, data: normalise(changes) });
      } catch (error) {
        throw mapUniqueName(error);
      }
    });
  }

  /** Deletes the habit with its goal and check-ins (cascade). */
  async delete(userId: string, habitId: string): Promise<void> {
    const { count } = await this.prisma.habit.deleteMany({ where: { id: habitId, userId } });
    if (count === 0) throw new NotFoundError(HABIT_NOT_FOUND);
  }
}

/** Trims the name and lower-cases the colour, as the contract returns them. */
function normalise<T extends UpdateHabitBody>(input: T): T {
  return {
    ...input,
    ...(input.name !== undefined && { name: input.name.trim() }),
    ...(typeof input.color === 'string' && { color: input.color.toLowerCase() }),
  };
}

function mapUniqueName(error: unknown): unknown {
  if (isUniqueViolation(error)) return new ConflictError(DUPLICATE_NAME);
  return error;
}
