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

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` day, by integer arithmetic (the proleptic Gregorian
 * calendar in 400-year eras, H. Hinnant's days_from_civil): statistics call it once per check-in,
 * and parsing a string into a Date each time was a tenth of a stats request's CPU.
 */
export function toDayNumber(date: string): number {
  const month = Number(date.slice(5, 7));
  const year = Number(date.slice(0, 4)) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + Number(date.slice(8, 10)) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The `YYYY-MM-DD` of a day number (years 0–9999): the inverse of toDayNumber. */
export function fromDayNumber(dayNumber: number): string {
  const { year, month, day } = civilOfDayNumber(dayNumber);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The year, month (1–12) and day of a day number (Hinnant's civil_from_days). */
export function civilOfDayNumber(dayNumber: number): { year: number; month: number; day: number } {
  const shifted = dayNumber + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
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
