/**
 * The statements of POST /import, run in the import's one transaction (`tx`). Each writes a whole set
 * at once (the rows travel as one JSON parameter, read by json_to_recordset) rather than one statement
 * per item: the sync triggers take one change-counter update per transaction, so a bulk write stays
 * linear. Check-ins go in batches so that no statement runs near the pool's query timeout.
 *
 * Locks: the user's row first, so that two imports of one user run one after the other; then the
 * matched habits, their goals and the check-ins about to be replaced, all before the first write takes
 * the user's sync counter. So an UPDATE or DELETE of one of those items (which locks the row, then the
 * counter) waits for the import without holding anything it needs. An upsert (PUT goal or check-in:
 * INSERT … ON CONFLICT, whose trigger takes the counter before it finds the row) can still hold the
 * counter while it waits for a row the import holds: the import's lock waits are kept short
 * (`lock_timeout`), so the import gives way rather than either side deadlocking, and runs again
 * (`retryContended`). `FOR NO KEY UPDATE` leaves foreign-key checks free: a check-in or habit created
 * meanwhile by another request does not wait.
 */
import fp from 'fastify-plugin';
import type { Reminder, Schedule } from '../schemas/habit.schema.js';
import type { UserClock } from '../utils/user-day.js';
import { ISO_DATE, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';
import { ServiceUnavailableError } from '../utils/errors.js';

/** Check-ins per statement: ~0.5 s each, far from the pool's query timeout. */
const CHECKINS_PER_STATEMENT = 10_000;
/** How long the import waits for a lock another request holds, once it holds the user's row. */
const LOCK_TIMEOUT = '250ms';
/** Attempts of a whole import transaction that gave way to other writers (lock timeout, deadlock). */
const ATTEMPTS = 4;
/** lock_not_available (lock_timeout), deadlock_detected. */
const CONTENDED = new Set(['55P03', '40P01']);

/**
 * The rows as JSON arrays of CHECKINS_PER_STATEMENT rows, made as they are sent: a 10 MiB file's
 * rows never all exist twice in memory (the server runs in a 128 MB heap).
 */
function* jsonBatches(rows: Iterable<object>): Generator<string, void, undefined> {
  let batch: object[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === CHECKINS_PER_STATEMENT) {
      yield JSON.stringify(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield JSON.stringify(batch);
}

/** A habit's writable fields, every one of them set. */
export interface HabitFields {
  name: string;
  description: string | null;
  color: string | null;
  icon: string | null;
  kind: 'boolean' | 'numeric';
  unit: string | null;
  position: number;
  archived: boolean;
  schedule: Schedule;
  startDate: string | null;
  reminders: Reminder[];
}

/** One of the user's habits that the file names, as it is before the import. */
export interface ExistingHabit extends HabitFields {
  id: string;
  hasCheckins: boolean;
}

export interface GoalRow {
  habitId: string;
  period: 'day' | 'week' | 'month';
  target: number;
}

export interface CheckinRow {
  habitId: string;
  date: string;
  status: 'done' | 'skipped';
  value: number;
  note: string | null;
}

const HABIT_COLUMNS = 'description, color, icon, kind, unit, position, archived, schedule, "startDate", reminders';

/** Every statement runs on the import's transaction, never on the pool. */
export class ImportRepository {
  /**
   * Locks the user's row until the transaction ends (imports of one user take turns) and reads what
   * decides their day; null when the user is gone.
   */
  async lockUser(userId: string, tx: Queryable): Promise<UserClock | null> {
    const { rows } = await tx.query<UserClock>({
      name: 'import-lock-user',
      text: 'SELECT timezone, "dayStartHour" FROM "User" WHERE id = $1 FOR NO KEY UPDATE',
      values: [userId],
    });
    // From here on, only single-item writes hold what the import waits for: never for long.
    await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    return rows[0] ?? null;
  }

  /**
   * Runs `transaction` (a whole import, which rolls back when it fails) again when it gave way to
   * another request's locks; a 503 (try again) if it keeps losing.
   */
  async retryContended<T>(transaction: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await transaction();
      } catch (error) {
        if (!CONTENDED.has((error as { code?: unknown }).code as string)) throw error;
        if (attempt === ATTEMPTS)
          throw new ServiceUnavailableError('Your habits are being changed by other requests: try the import again');
      }
    }
  }

  /** The user's habits with these names, locked, with whether each has check-ins. */
  async lockHabitsNamed(userId: string, names: string[], tx: Queryable): Promise<ExistingHabit[]> {
    const { rows } = await tx.query<ExistingHabit>({
      name: 'import-lock-habits',
      text: `SELECT h.id, h.name, h.description, h.color, h.icon, h.kind::text AS kind, h.unit, h.position, h.archived, h.schedule,
                    to_char(h."startDate", ${ISO_DATE}) AS "startDate", h.reminders,
                    EXISTS (SELECT 1 FROM "HabitTracking" t WHERE t."habitId" = h.id) AS "hasCheckins"
               FROM "Habit" h
              WHERE h."userId" = $1 AND h.name = ANY($2::text[])
              FOR NO KEY UPDATE OF h`,
      values: [userId, names],
    });
    return rows;
  }

  /** Locks the goals of these habits of the user's, and their check-ins on the days given. */
  async lockItems(userId: string, habitIds: string[], days: Iterable<{ habitId: string; date: string }>, tx: Queryable): Promise<void> {
    if (habitIds.length === 0) return;
    await tx.query({
      name: 'import-lock-goals',
      text: `SELECT 1 FROM "HabitGoal" g JOIN "Habit" h ON h.id = g."habitId" AND h."userId" = $1
              WHERE g."habitId" = ANY($2::uuid[]) FOR NO KEY UPDATE OF g`,
      values: [userId, habitIds],
    });
    for (const batch of jsonBatches(days)) {
      await tx.query({
        name: 'import-lock-checkins',
        text: `SELECT 1 FROM json_to_recordset($2::json) AS r("habitId" uuid, date date)
                 JOIN "Habit" h ON h.id = r."habitId" AND h."userId" = $1
                 JOIN "HabitTracking" t ON t."habitId" = r."habitId" AND t.date = r.date
                  FOR NO KEY UPDATE OF t`,
        values: [userId, batch],
      });
    }
  }

  /**
   * Creates the habits the user has no habit of that name for, and gives the others these fields (a
   * habit whose fields are already these is not written: its version stays). New habits are created
   * in the order given: the first gets the earliest `createdAt`, a millisecond apart, so that habits
   * of equal position list in that order. Returns how many were created and every habit's id by name.
   */
  async writeHabits(
    userId: string,
    habits: HabitFields[],
    now: Date,
    tx: Queryable,
  ): Promise<{ created: number; ids: Map<string, string> }> {
    const rows = habits.map((habit, index) => ({ ...habit, later: habits.length - 1 - index }));
    const { rows: written } = await tx.query<{ created: number }>({
      name: 'import-habits',
      text: `WITH written AS (
               INSERT INTO "Habit" AS h (id, "userId", name, ${HABIT_COLUMNS}, "createdAt", "updatedAt")
               SELECT gen_random_uuid(), $1, r.name, r.description, r.color, r.icon, r.kind::"HabitKind", r.unit, r.position, r.archived,
                      r.schedule, r."startDate", r.reminders, $3::timestamp - r.later * interval '1 millisecond', $3::timestamp
                 FROM json_to_recordset($2::json) AS r(name text, description text, color text, icon text, kind text, unit text,
                      position int, archived boolean, schedule jsonb, "startDate" date, reminders jsonb, later int)
               ON CONFLICT ("userId", name) DO UPDATE
                  SET (${HABIT_COLUMNS}, "updatedAt") = (EXCLUDED.description, EXCLUDED.color, EXCLUDED.icon, EXCLUDED.kind, EXCLUDED.unit,
                      EXCLUDED.position, EXCLUDED.archived, EXCLUDED.schedule, EXCLUDED."startDate", EXCLUDED.reminders, EXCLUDED."updatedAt")
                WHERE (h.description, h.color, h.icon, h.kind, h.unit, h.position, h.archived, h.schedule, h."startDate", h.reminders)
                      IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.color, EXCLUDED.icon, EXCLUDED.kind, EXCLUDED.unit,
                      EXCLUDED.position, EXCLUDED.archived, EXCLUDED.schedule, EXCLUDED."startDate", EXCLUDED.reminders)
               RETURNING xmax = 0 AS created
             )
             SELECT count(*) FILTER (WHERE created)::int AS created FROM written`,
      values: [userId, JSON.stringify(rows), utcTimestamp(now)],
    });
    // A separate statement, so that it sees the rows just written.
    const { rows: named } = await tx.query<{ id: string; name: string }>({
      name: 'import-habit-ids',
      text: 'SELECT id, name FROM "Habit" WHERE "userId" = $1 AND name = ANY($2::text[])',
      values: [userId, habits.map((habit) => habit.name)],
    });
    return { created: written[0]?.created ?? 0, ids: new Map(named.map(({ id, name }) => [name, id])) };
  }

  /** Creates or replaces the goals of these habits of the user's (an unchanged goal is not written). */
  async writeGoals(userId: string, goals: GoalRow[], now: Date, tx: Queryable): Promise<void> {
    if (goals.length === 0) return;
    await tx.query({
      name: 'import-goals',
      text: `INSERT INTO "HabitGoal" AS g (id, "habitId", period, target, "createdAt", "updatedAt")
             SELECT gen_random_uuid(), r."habitId", r.period::"GoalPeriod", r.target, $3::timestamp, $3::timestamp
               FROM json_to_recordset($2::json) AS r("habitId" uuid, period text, target int)
               JOIN "Habit" h ON h.id = r."habitId" AND h."userId" = $1
             ON CONFLICT ("habitId") DO UPDATE SET (period, target, "updatedAt") = (EXCLUDED.period, EXCLUDED.target, EXCLUDED."updatedAt")
              WHERE (g.period, g.target) IS DISTINCT FROM (EXCLUDED.period, EXCLUDED.target)`,
      values: [userId, JSON.stringify(goals), utcTimestamp(now)],
    });
  }

  /** Deletes the goals of these habits of the user's. */
  async deleteGoals(userId: string, habitIds: string[], tx: Queryable): Promise<void> {
    if (habitIds.length === 0) return;
    await tx.query({
      name: 'import-delete-goals',
      text: `DELETE FROM "HabitGoal" g USING "Habit" h
              WHERE h.id = g."habitId" AND h."userId" = $1 AND g."habitId" = ANY($2::uuid[])`,
      values: [userId, habitIds],
    });
  }

  /**
   * Replaces the habit's check-in of each day given (one that is already so is not written), and
   * creates the others; only on the user's habits. Returns how many were created. Replacing is an
   * UPDATE rather than an INSERT … ON CONFLICT, whose insert triggers would run for every row first.
   */
  async writeCheckins(userId: string, checkins: Iterable<CheckinRow>, now: Date, tx: Queryable): Promise<number> {
    let created = 0;
    for (const batch of jsonBatches(checkins)) {
      const { rows } = await tx.query<{ created: number }>({
        name: 'import-checkins',
        // Both parts see the check-ins as they were before the statement: the UPDATE the existing
        // ones, the INSERT the others (ON CONFLICT: one created meanwhile by another request).
        text: `WITH file AS (
                 SELECT r."habitId", r.date, r.status::"TrackingStatus" AS status, r.value, r.note
                   FROM json_to_recordset($2::json) AS r("habitId" uuid, date date, status text, value int, note text)
                   JOIN "Habit" h ON h.id = r."habitId" AND h."userId" = $1
               ), replaced AS (
                 UPDATE "HabitTracking" t SET (status, value, note, "updatedAt") = (f.status, f.value, f.note, $3::timestamp)
                   FROM file f
                  WHERE t."habitId" = f."habitId" AND t.date = f.date AND (t.status, t.value, t.note) IS DISTINCT FROM (f.status, f.value, f.note)
               ), inserted AS (
                 INSERT INTO "HabitTracking" AS t (id, "habitId", date, status, value, note, "createdAt", "updatedAt")
                 SELECT gen_random_uuid(), f."habitId", f.date, f.status, f.value, f.note, $3::timestamp, $3::timestamp
                   FROM file f
                  WHERE NOT EXISTS (SELECT 1 FROM "HabitTracking" e WHERE e."habitId" = f."habitId" AND e.date = f.date)
                 ON CONFLICT ("habitId", date) DO UPDATE
                    SET (status, value, note, "updatedAt") = (EXCLUDED.status, EXCLUDED.value, EXCLUDED.note, EXCLUDED."updatedAt")
                 RETURNING xmax = 0 AS created
               )
               SELECT count(*) FILTER (WHERE created)::int AS created FROM inserted`,
        values: [userId, batch, utcTimestamp(now)],
      });
      created += rows[0]?.created ?? 0;
    }
    return created;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    importRepository: ImportRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('importRepository', new ImportRepository());
  },
  { name: 'import-repository' },
);
