/**
 * POST /import (API.md, "Import"): a JSON export of this API, written into the caller's account all
 * or nothing, in one transaction. Habits are matched by name (trimmed): a match takes the file's
 * fields (those it has), a new name is created with the defaults of POST /habits for the others.
 * Check-ins are matched by habit and date: the file's wins, the account's other check-ins stay. A goal
 * in the file replaces the habit's, `goal: null` removes it, no `goal` leaves it.
 *
 * Every item is checked as its single-item route checks it (the schemas, in the route; here the rules
 * of the services: a schedule's fields, an interval's anchor, a boolean habit's goal target, a
 * check-in's day from 2000-01-01 to the user's today + 1), and a habit with check-ins keeps its kind
 * (409, as PATCH). The first refusal names the habit (and the date) and nothing is written. Then the
 * whole file is written in a handful of set-based statements (import.repository.ts), which the
 * sync triggers record in the change feed like any other write.
 */
import fp from 'fastify-plugin';
import type { CheckinRow, ExistingHabit, GoalRow, HabitFields, ImportRepository } from '../repositories/import.repository.js';
import type { Transactions } from '../repositories/transaction.js';
import type { UpdateHabitBody } from '../schemas/habit.schema.js';
import type { ImportBody, ImportCheckin, ImportHabit, ImportReply } from '../schemas/import.schema.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../utils/errors.js';
import { userToday, type UserClock } from '../utils/user-day.js';
import { checkCheckinDate, checkinDays, type CheckinDays } from './checkin.service.js';
import { checkGoalTarget } from './goal.service.js';
import { KIND_LOCKED, normaliseHabit } from './habit.service.js';

/** What POST /habits gives a field the file leaves out. */
const HABIT_DEFAULTS: Omit<HabitFields, 'name'> = {
  description: null,
  color: null,
  icon: null,
  kind: 'boolean',
  unit: null,
  position: 0,
  archived: false,
  schedule: { type: 'daily' },
  startDate: null,
  reminders: [],
};

const NAME_SHOWN = 100;
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const clip = (text: string) => (text.length > NAME_SHOWN ? `${text.slice(0, NAME_SHOWN)}…` : text);

/** How messages name the file's habit number `index`: `Habit "Read" (habits/2)`. */
export function habitLabel(habit: unknown, index: number): string {
  const name = isRecord(habit) && typeof habit.name === 'string' ? ` ${JSON.stringify(clip(habit.name.trim()))}` : '';
  return `Habit${name} (habits/${index})`;
}

/** How messages name a habit's check-in: `check-in 2024-03-01` (by its position when its date is no day). */
export function checkinLabel(checkin: unknown, index: number): string {
  return isRecord(checkin) && typeof checkin.date === 'string' && CALENDAR_DAY.test(checkin.date)
    ? `check-in ${checkin.date}`
    : `check-in checkins/${index}`;
}

/** A refusal of one item of the file: its label, what is wrong, and that nothing was written. */
export const importRefusal = (label: string, message: string) => `${label}: ${message}; nothing was imported`;

/** A habit of the file after the checks that need nothing but the file. */
interface CheckedHabit {
  index: number;
  label: string;
  /** The fields the file gives, normalised as POST /habits and PATCH normalise them. */
  fields: UpdateHabitBody & { name: string };
  goal: ImportHabit['goal'];
  /** As validated: not copied, since a 10 MiB file can hold 400,000 of them. */
  checkins: ImportCheckin[];
}

export class ImportService {
  constructor(
    private readonly transactions: Transactions,
    private readonly imports: ImportRepository,
  ) {}

  /** Writes the file into the user's account, or (any item refused) nothing. */
  async importExport(userId: string, document: ImportBody): Promise<ImportReply> {
    const habits = checkFile(document);
    return this.imports.retryContended(() => this.write(userId, habits));
  }

  /** One attempt, in one transaction. */
  private write(userId: string, habits: CheckedHabit[]): Promise<ImportReply> {
    return this.transactions.run(async (tx) => {
      const clock = await this.imports.lockUser(userId, tx);
      if (!clock) throw new NotFoundError();
      const existing = new Map(
        (
          await this.imports.lockHabitsNamed(
            userId,
            habits.map((habit) => habit.fields.name),
            tx,
          )
        ).map((habit) => [habit.name, habit]),
      );
      const days = checkinDays(clock);
      const written = habits.map((habit) => resolve(habit, existing.get(habit.fields.name), clock, days));

      const matched = habits.flatMap((habit) => existing.get(habit.fields.name) ?? []);
      const replacedDays = function* () {
        for (const habit of habits) {
          const habitId = existing.get(habit.fields.name)?.id;
          if (habitId !== undefined) for (const { date } of habit.checkins) yield { habitId, date };
        }
      };
      await this.imports.lockItems(
        userId,
        matched.map((habit) => habit.id),
        replacedDays(),
        tx,
      );

      const now = new Date();
      const { created, ids } = await this.imports.writeHabits(userId, written, now, tx);
      const withIds = habits.map((habit) => {
        const habitId = ids.get(habit.fields.name);
        // Written just before, in this transaction: only a bug could lose one.
        if (habitId === undefined) throw new Error(`import: no id for a habit just written (${habits.length} habits)`);
        return { ...habit, habitId };
      });
      await this.imports.deleteGoals(
        userId,
        withIds.flatMap(({ habitId, goal }) => (goal === null ? [habitId] : [])),
        tx,
      );
      const goals: GoalRow[] = withIds.flatMap(({ habitId, goal }) => (goal ? [{ habitId, ...goal }] : []));
      await this.imports.writeGoals(userId, goals, now, tx);
      const rows = function* (): Generator<CheckinRow> {
        for (const { habitId, checkins } of withIds) {
          // The defaults of PUT /habits/:id/tracking/:date.
          for (const { date, status = 'done', value = 1, note = null } of checkins) yield { habitId, date, status, value, note };
        }
      };
      const checkinsCreated = await this.imports.writeCheckins(userId, rows(), now, tx);
      const checkinCount = habits.reduce((sum, habit) => sum + habit.checkins.length, 0);
      return {
        habits: { created, merged: habits.length - created },
        checkins: { created: checkinsCreated, updated: checkinCount - checkinsCreated },
      };
    });
  }
}

/** The checks that need only the file: each habit's fields, names and dates each once. */
function checkFile(document: ImportBody): CheckedHabit[] {
  const indexByName = new Map<string, number>();
  return document.habits.map((habit, index) => {
    const label = habitLabel(habit, index);
    const { goal, checkins = [], ...fields } = habit;
    const normalised = labelled(label, () => normaliseHabit(fields));
    const other = indexByName.get(normalised.name);
    if (other !== undefined) {
      throw new BadRequestError(importRefusal(label, `habits/${other} has the same name (names are unique, trimmed)`));
    }
    indexByName.set(normalised.name, index);
    const days = new Set<string>();
    checkins.forEach((checkin, checkinIndex) => {
      if (days.has(checkin.date)) {
        throw new BadRequestError(
          importRefusal(`${label}, ${checkinLabel(checkin, checkinIndex)}`, 'the habit has another check-in that day'),
        );
      }
      days.add(checkin.date);
    });
    return { index, label, fields: normalised, goal, checkins };
  });
}

/**
 * The habit's fields as they will be (the file's over the habit's own, or over the defaults), after
 * the checks that need the account: its kind, its goal's target, its check-ins' days.
 */
function resolve(habit: CheckedHabit, existing: ExistingHabit | undefined, clock: UserClock, days: CheckinDays): HabitFields {
  const base: HabitFields = existing ? pickFields(existing) : { name: habit.fields.name, ...HABIT_DEFAULTS };
  const fields: HabitFields = { ...base, ...definedOnly(habit.fields) };
  if (fields.schedule.type === 'interval' && fields.schedule.anchor === undefined) {
    // As POST and PATCH: the habit's own anchor, else startDate, else the user's current day.
    const current = existing?.schedule;
    const anchor = current?.type === 'interval' && current.anchor !== undefined ? current.anchor : (fields.startDate ?? userToday(clock));
    fields.schedule = { ...fields.schedule, anchor };
  }
  if (existing?.hasCheckins && fields.kind !== existing.kind) {
    throw new ConflictError(importRefusal(habit.label, `${KIND_LOCKED} (it is ${existing.kind}, the file says ${fields.kind})`));
  }
  const goal = habit.goal;
  if (goal) labelled(`${habit.label}, goal`, () => checkGoalTarget(fields.kind, goal));
  habit.checkins.forEach((checkin, index) =>
    labelled(`${habit.label}, ${checkinLabel(checkin, index)}`, () => checkCheckinDate(days, checkin.date)),
  );
  return fields;
}

/** Runs a rule of a single-item service; its refusal (an AppError) named after the item. */
function labelled<T>(label: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof AppError ? new AppError(error.statusCode, importRefusal(label, error.message)) : error;
  }
}

const FIELD_NAMES = [
  'name',
  'description',
  'color',
  'icon',
  'kind',
  'unit',
  'position',
  'archived',
  'schedule',
  'startDate',
  'reminders',
] as const;

/** The habit's writable fields (not its id). */
const pickFields = (habit: ExistingHabit) =>
  Object.fromEntries(FIELD_NAMES.map((field) => [field, habit[field]])) as unknown as HabitFields;

/** The fields the file gives (a field it leaves out keeps the habit's value, or the default). */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    importService: ImportService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('importService', new ImportService(fastify.transactions, fastify.importRepository));
  },
  { name: 'import-service', dependencies: ['transactions', 'import-repository'] },
);
