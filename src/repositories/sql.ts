/**
 * Timestamps in hand-written SQL. Columns are `timestamp(3)` holding UTC wall time (Prisma's
 * convention), so they are written from ISO strings and read back formatted by PostgreSQL, never
 * through the database session's TimeZone.
 */
import type pg from 'pg';

/** `to_char` format of a UTC `timestamp(3)` as JSON's date-time: 2026-11-30T08:15:00.123Z. */
export const ISO_TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** A `$n::timestamp` parameter: the ISO string's digits, without the `Z`, whatever the TimeZone. */
export const utcTimestamp = (date: Date): string => date.toISOString();

/** `column` read back as a JavaScript Date (`AT TIME ZONE 'UTC'` makes it a timestamptz). */
export const asDate = (column: string): string => `${column} AT TIME ZONE 'UTC'`;

/** `to_char` format of a `date` column as a calendar day: 2026-11-30. */
export const ISO_DATE = `'YYYY-MM-DD'`;

/** Runs a parameterized DELETE or UPDATE on the pool and returns how many rows it changed. */
export async function changedRows(pool: pg.Pool, text: string, values: unknown[]): Promise<number> {
  const { rowCount } = await pool.query(text, values);
  return rowCount ?? 0;
}

/**
 * The user's day at an instant, in SQL: utils/user-day.ts's userDayAt (the local wall-clock time of
 * `instant`, a `$n` UTC timestamp parameter, in `user`'s zone, less their `dayStartHour` hours, its
 * date), with PostgreSQL's time zone data. Callers check what it decides against that module's.
 */
export const sqlUserDayAt = (instant: string, user: string): string =>
  `((${instant}::timestamp AT TIME ZONE 'UTC' AT TIME ZONE ${user}.timezone) - make_interval(hours => ${user}."dayStartHour"))::date`;
