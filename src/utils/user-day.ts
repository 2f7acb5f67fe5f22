/**
 * The user's day (API.md, "Schedules and the user's day"): it runs from `dayStartHour` to
 * `dayStartHour` in the user's time zone, so with 4, 02:30 on Tuesday still belongs to Monday. This
 * module is the one place that turns an instant into a user's day; offsets, DST included, come from
 * the IANA database through Temporal.
 */
import { Temporal } from '@js-temporal/polyfill';

/** What decides a user's day. */
export interface UserClock {
  /** An IANA zone name. */
  timezone: string;
  /** 0–23 */
  dayStartHour: number;
}

/** The user's day (`YYYY-MM-DD`) that `instant` falls in: the local date of its wall-clock time less `dayStartHour` hours. */
export function userDayAt(clock: UserClock, instant: Date): string {
  const local = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(clock.timezone).toPlainDateTime();
  return local.subtract({ hours: clock.dayStartHour }).toPlainDate().toString();
}

/** The user's current day. */
export function userToday(clock: UserClock, now: Date = new Date()): string {
  return userDayAt(clock, now);
}

/**
 * userToday that remembers each clock's (`timezone dayStartHour`) day for the second it was computed
 * in. The home screen asks on every request, and Temporal's conversion was ~5 % of one (16–20 µs). A
 * user's day can only change on a whole second: the IANA database's offsets and transitions are
 * whole seconds. Its map is bounded by the zones times 24 hours; a service holds one (nothing in
 * src/ keeps state at module level).
 */
export function createTodayCache(): (clock: UserClock, now?: Date) => string {
  const dayInSecond = new Map<string, { second: number; day: string }>();
  return (clock, now = new Date()) => {
    const second = Math.floor(now.getTime() / 1000);
    const key = `${clock.timezone} ${clock.dayStartHour}`;
    const known = dayInSecond.get(key);
    if (known?.second === second) return known.day;
    const day = userDayAt(clock, now);
    dayInSecond.set(key, { second, day });
    return day;
  };
}

/**
 * The instant of a local date and time in `timezone`: a time that a DST change skips moves forward by
 * the gap (02:30 → 03:30), one that occurs twice is the first (Temporal's `compatible`, as in RFC 5545).
 */
export function localInstant(timezone: string, date: string, time: string): Date {
  const zoned = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timezone, { disambiguation: 'compatible' });
  return new Date(zoned.epochMilliseconds);
}
