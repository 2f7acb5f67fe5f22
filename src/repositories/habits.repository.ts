/** Habits. The owner is in every query's `where`, so no other user's habit is reachable. */
import fp from 'fastify-plugin';
import { isRecordNotFound, isUniqueViolation } from '../db/errors.js';
import type { Prisma } from '../db/client.js';
import type { Habit } from '../generated/prisma/client.js';
import type { Database } from '../plugins/database.js';
import type { CreateHabitBody, ListHabitsQuery, Reminder, Schedule, UpdateHabitBody } from '../schemas/habit.schema.js';
import { formatDay, parseDay } from '../utils/dates.js';
import { ConflictError, NotFoundError } from '../utils/errors.js';
import { ISO_DATE, ISO_TIMESTAMP } from './sql.js';
import { inTransaction } from './transaction.js';
import { satisfies, whereMatches, type Precondition } from './writes.js';

/** A habit as the API returns it: `startDate` as `YYYY-MM-DD`, the JSON columns typed (the API validated them). */
export type StoredHabit = Omit<Habit, 'startDate' | 'schedule' | 'reminders'> & {
  startDate: string | null;
  schedule: Schedule;
  reminders: Reminder[];
};

export const toHabit = (row: Habit): StoredHabit => ({
  ...row,
  startDate: row.startDate && formatDay(row.startDate),
  schedule: row.schedule as Schedule,
  reminders: row.reminders as Reminder[],
});

/** Fields as the API writes them, as Prisma stores them. */
const toRow = <T extends UpdateHabitBody>({ startDate, ...fields }: T) => ({
  ...fields,
  ...(startDate !== undefined && { startDate: startDate && parseDay(startDate) }),
});

/** A habit as the list sends it: timestamps already formatted. */
export type ListedHabit = Omit<StoredHabit, 'createdAt' | 'updatedAt' | 'changeSeq'> & { createdAt: string; updatedAt: string };

/** What an update may check, in its transaction, before it writes. */
export interface HabitBeforeUpdate {
  kind: Habit['kind'];
  checkins: number;
}

type Client = Pick<Prisma.TransactionClient, 'habit'>;

/** The columns of a ListedHabit of the table `habit` (a name or an alias), formatted by PostgreSQL. */
export const listedHabitColumns = (habit: string): string =>
  `${habit}.id, ${habit}."userId", ${habit}.name, ${habit}.description, ${habit}.color, ${habit}.icon, ${habit}.kind,
  ${habit}.unit, ${habit}.position, ${habit}.archived, ${habit}.schedule, to_char(${habit}."startDate", ${ISO_DATE}) AS "startDate",
  ${habit}.reminders, ${habit}.version, to_char(${habit}."createdAt", ${ISO_TIMESTAMP}) AS "createdAt",
  to_char(${habit}."updatedAt", ${ISO_TIMESTAMP}) AS "updatedAt"`;

export class HabitsRepository {
  constructor(private readonly db: Database) {}

  /**
   * The busiest read of the API, so it is one SQL query on the pool: through Prisma, building the
   * query cost more CPU than all the rest of the request (bench/README.md).
   */
  async list(userId: string, { archived = 'false', limit = 50, offset = 0 }: ListHabitsQuery): Promise<ListedHabit[]> {
    // Timestamps are stored as UTC wall time, and go out as ISO strings made by PostgreSQL
    // (parsing them into Dates only to print them again was ~5 % of the request's CPU). ORDER BY
    // names the table's column: a bare "createdAt" would be the formatted output column.
    const { rows } = await this.db.pg.query<ListedHabit>({
      // Named: prepared once per connection, so PostgreSQL does not parse and plan it every time.
      name: 'list-habits',
      text: `SELECT ${listedHabitColumns('"Habit"')}
         FROM "Habit"
        WHERE "userId" = $1 AND ($2::boolean IS NULL OR archived = $2)
        ORDER BY position, "Habit"."createdAt", id
        LIMIT $3 OFFSET $4`,
      values: [userId, archived === 'all' ? null : archived === 'true', limit, offset],
    });
    return rows;
  }

  /** The user's habit (the columns `select` names, or all of them), or null when it is not theirs. */
  findOwned(userId: string, habitId: string): Promise<StoredHabit | null>;
  findOwned<S extends Prisma.HabitSelect>(
    userId: string,
    habitId: string,
    select: S,
  ): Promise<Prisma.HabitGetPayload<{ select: S }> | null>;
  async findOwned(userId: string, habitId: string, select?: Prisma.HabitSelect): Promise<unknown> {
    const habit = await this.owned(this.db.prisma, userId, habitId, select);
    return select || !habit ? habit : toHabit(habit);
  }

  /**
   * The habit with this id, whoever owns it: only to tell a repeated create (client ids) from an id
   * already in use. Never returned to a caller that does not own it.
   */
  async findByIdOfAnyOwner(habitId: string): Promise<StoredHabit | null> {
    const habit = await this.db.prisma.habit.findUnique({ where: { id: habitId } });
    return habit && toHabit(habit);
  }

  /** Throws ConflictError when the user already has a habit of that name, or the id is taken. */
  async create(userId: string, habit: CreateHabitBody): Promise<StoredHabit> {
    try {
      return toHabit(await this.db.prisma.habit.create({ data: { ...toRow(habit), userId } }));
    } catch (error) {
      throw asHabitError(error);
    }
  }

  /**
   * Writes `changes` after `check` (which refuses by throwing) has seen the habit, in one
   * transaction; null when the habit is not the user's or not as `expected` (checked again by the
   * write itself, so a change committed meanwhile is not overwritten).
   */
  async update(
    userId: string,
    habitId: string,
    changes: UpdateHabitBody,
    check: (current: HabitBeforeUpdate) => void,
    expected?: Precondition,
  ): Promise<StoredHabit | null> {
    return this.db.prisma.$transaction(async (tx) => {
      const current = await this.owned(tx, userId, habitId, {
        kind: true,
        version: true,
        changeSeq: true,
        _count: { select: { trackings: true } },
      });
      if (!current || !satisfies(current, expected)) return null;
      check({ kind: current.kind, checkins: current._count.trackings });
      try {
        const [habit] = await tx.habit.updateManyAndReturn({
          where: { id: habitId, userId, ...whereMatches(expected) },
          data: toRow(changes),
        });
        return habit ? toHabit(habit) : null;
      } catch (error) {
        throw asHabitError(error);
      }
    });
  }

  /**
   * Gives the user's non-archived habits the positions 0, 1, 2… in the order of `ids`, in one
   * transaction, after `check` (which refuses by throwing) has seen their ids, locked; returns them
   * in that order. Only habits whose position changes are written (and so show up in GET /sync).
   */
  async reorder(userId: string, ids: string[], check: (activeIds: string[]) => void): Promise<ListedHabit[]> {
    return inTransaction(this.db.pg, async (tx) => {
      const { rows: active } = await tx.query<{ id: string }>(
        `SELECT id FROM "Habit" WHERE "userId" = $1 AND NOT archived ORDER BY id FOR UPDATE`,
        [userId],
      );
      check(active.map(({ id }) => id));
      await tx.query(
        `UPDATE "Habit" h SET position = o.ordinality - 1, "updatedAt" = now() AT TIME ZONE 'UTC'
           FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, ordinality)
          WHERE h.id = o.id AND h."userId" = $1 AND h.position <> o.ordinality - 1`,
        [userId, ids],
      );
      const { rows } = await tx.query<ListedHabit>(
        `SELECT ${listedHabitColumns('"Habit"')} FROM "Habit" WHERE "userId" = $1 AND NOT archived ORDER BY position, "Habit"."createdAt", id`,
        [userId],
      );
      return rows;
    });
  }

  /** Deletes the habit with its goal and check-ins (cascade); false when it is not the user's or not as `expected`. */
  async delete(userId: string, habitId: string, expected?: Precondition): Promise<boolean> {
    const { count } = await this.db.prisma.habit.deleteMany({ where: { id: habitId, userId, ...whereMatches(expected) } });
    return count > 0;
  }

  /** The one owned-habit lookup, also run inside transactions. */
  private owned<S extends Prisma.HabitSelect>(client: Client, userId: string, habitId: string, select?: S) {
    return client.habit.findFirst({ where: { id: habitId, userId }, select }) as Promise<Prisma.HabitGetPayload<{ select: S }> | null>;
  }
}

/** A name already used by the owner, or the habit deleted meanwhile. */
function asHabitError(error: unknown): unknown {
  if (isUniqueViolation(error)) return new ConflictError('You already have a habit with this name');
  if (isRecordNotFound(error)) return new NotFoundError();
  return error;
}

declare module 'fastify' {
  interface FastifyInstance {
    habitsRepository: HabitsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('habitsRepository', new HabitsRepository(fastify));
  },
  { name: 'habits-repository', dependencies: ['database'] },
);
