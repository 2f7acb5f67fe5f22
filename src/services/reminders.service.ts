/**
 * Reminders (API.md, "Reminders"): the instants at which an app should fire its local
 * notifications, computed from the habits' reminders, schedules and the user's clock.
 *
 * The rules, in the contract's words where it has them and ours where it is silent:
 * - a reminder `{ time, days? }` of a habit belongs to each of the user's days `d` on which the habit
 *   is due (schedule and `startDate`, schedule.ts) and, with `days`, whose ISO weekday is listed;
 * - the user's day `d` runs from `d` at `dayStartHour`:00 to `d + 1` at `dayStartHour`:00 local, so
 *   the reminder of day `d` fires at `time` on the calendar date `d` when `time` ≥ `dayStartHour`:00,
 *   and on `d + 1` when it is earlier (with `dayStartHour` 4, Monday's 01:00 reminder fires on
 *   Tuesday's date at 01:00, still Monday for the user). `localDate` is `d`, `localTime` is `time`;
 * - that local date and time becomes an instant with utils/user-day.ts's `localInstant`: a time a DST
 *   change skips moves forward by the gap (02:30 → 03:30), one that occurs twice is the first. (When
 *   a gap straddles `dayStartHour`, the moved instant's wall time may fall in the next user day;
 *   `localDate` stays `d`, the day the reminder is for.) A habit never gets two occurrences at the
 *   same instant (two reminders at the same time; 02:30 and 03:30 on a spring-forward day; a day the
 *   zone skips whole, as Pacific/Apia's 2011-12-30): the one kept is the one whose local date and
 *   time is the latest, i.e. the wall-clock time at that instant (03:30; 2011-12-31's), as moved
 *   times only ever move forward;
 * - `done`: day `d` is satisfied by its check-in as for streaks (statistics.ts): a `done` check-in and,
 *   for a numeric habit, value ≥ target with a `day` goal (target 1 without a goal), ≥ 1 with a
 *   `week`/`month` goal;
 * - the range is [from, to), `to` after `from` and at most 7 days later; either defaults from the
 *   other (`from` = now, `to` = `from` + 24 h; with only `to`, `from` = `to` − 24 h).
 */
import { Temporal } from '@js-temporal/polyfill';
import fp from 'fastify-plugin';
import type { RemindersRepository, ReminderSources } from '../repositories/reminders.repository.js';
import { MAX_REMINDER_RANGE_DAYS, type ReminderOccurrence, type RemindersQuery } from '../schemas/reminders.schema.js';
import { addDays, formatDay } from '../utils/dates.js';
import { BadRequestError } from '../utils/errors.js';
import { localInstant, userDayAt } from '../utils/user-day.js';
import { isDue, isoWeekday } from './schedule.js';
import { isDaySatisfied } from './statistics.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NS_PER_MS = 1_000_000n;
const DEFAULT_RANGE_MS = DAY_MS;
const MAX_RANGE_NS = BigInt(MAX_REMINDER_RANGE_DAYS * DAY_MS) * NS_PER_MS;

/**
 * A range of instants as whole milliseconds: every reminder is on a whole minute, so `at ≥ from` and
 * `at < to` are exact on the milliseconds rounded up (a sub-millisecond `from` or `to` included).
 */
export interface InstantRange {
  fromMs: number;
  toMs: number;
}

const parseInstant = (name: 'from' | 'to', text: string): bigint => {
  try {
    return Temporal.Instant.from(text).epochNanoseconds;
  } catch {
    // The schema's date-time format lets through what Temporal refuses (more than 9 fraction digits).
    throw new BadRequestError(`querystring/${name} must be an ISO 8601 instant with an offset, e.g. 2026-03-29T00:00:00Z`);
  }
};

const ceilMs = (nanoseconds: bigint): number => {
  const ms = nanoseconds / NS_PER_MS;
  return Number(nanoseconds % NS_PER_MS > 0n ? ms + 1n : ms);
};

/** The query's range, its defaults applied and its rules checked (BadRequestError otherwise). */
export function reminderRange(query: RemindersQuery, now: Date): InstantRange {
  const defaultRange = BigInt(DEFAULT_RANGE_MS) * NS_PER_MS;
  const given = {
    from: query.from === undefined ? undefined : parseInstant('from', query.from),
    to: query.to === undefined ? undefined : parseInstant('to', query.to),
  };
  const from = given.from ?? (given.to !== undefined ? given.to - defaultRange : BigInt(now.getTime()) * NS_PER_MS);
  const to = given.to ?? from + defaultRange;
  if (to <= from) throw new BadRequestError('querystring/to must be later than from');
  if (to - from > MAX_RANGE_NS) throw new BadRequestError(`The range from "from" to "to" must be at most ${MAX_REMINDER_RANGE_DAYS} days`);
  return { fromMs: ceilMs(from), toMs: ceilMs(to) };
}

/**
 * The check-in dates to load before the user's clock is known: every user day a reminder in the
 * range can belong to. That day is at most one before the user's day of `from` and at most the
 * user's day of `to` (see `reminderOccurrences`), and a user's day of an instant is within 2 days
 * before and 1 day after its UTC date (offsets from −12 h to +14 h, less `dayStartHour` ≤ 23 h).
 */
export function checkinDays({ fromMs, toMs }: InstantRange): { firstDay: string; lastDay: string } {
  return { firstDay: addDays(formatDay(new Date(fromMs)), -3), lastDay: addDays(formatDay(new Date(toMs)), 1) };
}

const pad2 = (value: number) => String(value).padStart(2, '0');

interface Occurrence extends Omit<ReminderOccurrence, 'at'> {
  atMs: number;
  /** The local date and time it was computed from, `YYYY-MM-DDTHH:MM`. */
  wallTime: string;
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** By instant, then habit, then the latest local date and time first (the one deduplication keeps). */
const byInstant = (x: Occurrence, y: Occurrence) =>
  x.atMs - y.atMs || compareText(x.habitId, y.habitId) || compareText(y.wallTime, x.wallTime);

/**
 * Every reminder occurrence of the habits in [from, to), by instant, then habit id: a pure function
 * of what the repository loaded (see the rules at the top of this file).
 *
 * The user days looked at run from the day before the user's day of `from` to the user's day of
 * `to`: day `d`'s reminders fire at local wall times in [d dayStartHour:00, d+1 dayStartHour:00),
 * moved forward by a DST gap at most, so an instant X is a reminder of the user's day of X or of the
 * day before.
 */
export function reminderOccurrences({ clock, habits }: ReminderSources, { fromMs, toMs }: InstantRange): ReminderOccurrence[] {
  const firstDay = addDays(userDayAt(clock, new Date(fromMs)), -1);
  const lastDay = userDayAt(clock, new Date(toMs));
  const dayStart = `${pad2(clock.dayStartHour)}:00`;
  // Habits share reminder times: each local date and time is converted once.
  const instants = new Map<string, number>();
  const instantOf = (wallTime: string): number => {
    let instant = instants.get(wallTime);
    if (instant === undefined) {
      instant = localInstant(clock.timezone, wallTime.slice(0, 10), wallTime.slice(11)).getTime();
      instants.set(wallTime, instant);
    }
    return instant;
  };

  const occurrences: Occurrence[] = [];
  for (const habit of habits) {
    const checkins = new Map(habit.checkins.map((checkin) => [checkin.date, checkin]));
    for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
      if (!isDue(habit, day)) continue;
      const weekday = isoWeekday(day);
      const checkin = checkins.get(day);
      const done = checkin !== undefined && isDaySatisfied(habit.kind, habit.goal, checkin);
      for (const { time, days } of habit.reminders) {
        if (days && !days.includes(weekday)) continue;
        const wallTime = `${time < dayStart ? addDays(day, 1) : day}T${time}`;
        const atMs = instantOf(wallTime);
        if (atMs < fromMs || atMs >= toMs) continue;
        occurrences.push({ habitId: habit.id, atMs, wallTime, localDate: day, localTime: time, done });
      }
    }
  }
  occurrences.sort(byInstant);
  return occurrences
    .filter((occurrence, index) => {
      // Sorted: a habit's occurrences at one instant are together, the one to keep first.
      const previous = occurrences[index - 1];
      return !(previous?.atMs === occurrence.atMs && previous.habitId === occurrence.habitId);
    })
    .map(({ habitId, atMs, localDate, localTime, done }) => ({ habitId, at: new Date(atMs).toISOString(), localDate, localTime, done }));
}

export class RemindersService {
  constructor(private readonly reminders: RemindersRepository) {}

  /** The caller's reminder occurrences in the query's range: one statement. */
  async occurrences(userId: string, query: RemindersQuery, now: Date = new Date()): Promise<ReminderOccurrence[]> {
    const range = reminderRange(query, now);
    const { firstDay, lastDay } = checkinDays(range);
    const sources = await this.reminders.sources(userId, firstDay, lastDay);
    // A user deleted since the token was checked has no habits left.
    return sources === null ? [] : reminderOccurrences(sources, range);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    remindersService: RemindersService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('remindersService', new RemindersService(fastify.remindersRepository));
  },
  { name: 'reminders-service', dependencies: ['reminders-repository'] },
);
