/**
 * Calendar days as `YYYY-MM-DD` strings, computed on day numbers (days since 1970-01-01, UTC) so no
 * time zone or DST can shift them. A user's "today" is utils/user-day.ts's.
 */
const DAY_MS = 86_400_000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is `YYYY-MM-DD` and a real day (2025-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function toDayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** A `@db.Date` value from Prisma (midnight UTC) as `YYYY-MM-DD`. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` day as the Date Prisma stores in a `@db.Date` column. */
export function parseDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** Monday of the ISO week containing `date`. */
export function startOfIsoWeek(date: string): string {
  const dayNumber = toDayNumber(date);
  // 1970-01-01 was a Thursday: (dayNumber + 3) % 7 is 0 on Mondays.
  return fromDayNumber(dayNumber - ((((dayNumber + 3) % 7) + 7) % 7));
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

export function endOfMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return fromDayNumber(Math.floor(Date.UTC(year, month, 0) / DAY_MS));
}
