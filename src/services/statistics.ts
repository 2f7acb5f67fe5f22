/**
 * Habit statistics (API.md, "Statistics" and "Schedules and the user's day") as pure functions: no
 * database, no I/O, no clock. The caller loads the habit, its goal, its plan (schedule and startDate)
 * and its check-ins, and passes "today" `T` (`asOf`, or the user's current day from utils/user-day.ts,
 * which also gives the creation day: both depend on the user's `dayStartHour`).
 *
 * Cost: streaks, totals and the period are one pass over the check-ins (sorted by date ascending, at
 * most one per date); the completion rate looks at 30 days at most; the score walks day by day from
 * the habit's first counted day to `T` (a 10-year-old habit is 3,650 cheap steps). Whether a day is
 * due costs O(1): schedule.ts's isDue is evaluated once per day of the schedule's cycle (1, 7 or
 * `every` days), which then repeats. Check-ins dated after `T` are ignored everywhere.
 *
 * Rules, in the contract's words where it has them and ours where it is silent:
 * - the effective goal is the habit's goal, or daily with target 1; `streakUnit` is its period;
 * - a day is DUE when schedule.ts's isDue says so: never before `startDate`. Without a plan (EVERY_DAY:
 *   daily, no startDate) every day is due, and every result is what it was before schedules existed;
 * - a `skipped` check-in is neutral: never done, never progress, never breaks a streak;
 * - a DAY is satisfied when it has a `done` check-in and: boolean habit → always; numeric habit with a
 *   `day` goal → value ≥ target; numeric habit with a `week`/`month` goal → value ≥ 1;
 * - a PERIOD's progress is its number of done days (boolean) or the sum of its done values (numeric),
 *   done check-ins on days that are not due counting too (before `startDate` included: they are days
 *   that are not due); it is met when progress ≥ target;
 * - streaks count units (days, or weeks/months): met → +1, neutral → passed over, anything else (a due
 *   unit without any check-in included) → the run stops. The unit containing `T` counts only if it is
 *   already met, and never breaks the current streak.
 *   - DAY units: met when due and satisfied; neutral when skipped or not due (a done check-in on a day
 *     that is not due neither adds nor breaks). A run of days without check-ins stops the count only
 *     if one of them is due.
 *   - WEEK/MONTH units keep the period logic: met by their progress, whether or not the days that
 *     made it were due; neutral when unmet and all their check-ins are skipped, or — our rule, the
 *     contract being silent — when unmet and without a single due day (a week before `startDate`, a
 *     week an `interval` habit jumps over): nothing was asked of the user then. A unit that has a due
 *     day and is not met stops the run, whether or not it has check-ins;
 * - completionRate = satisfied due days ÷ eligible days. Eligible: due, not skipped, in the 30 days
 *   ending at `T`, no earlier than the FIRST COUNTED DAY, `T` only once satisfied; null when none.
 *   The first counted day is the earlier of the creation day and the first check-in, or `startDate`
 *   when that is later;
 * - totalDone counts every satisfied day ever, due or not (before `startDate` too);
 * - score, Loop Habit Tracker's habit strength: starting from 0 on the first counted day and walking
 *   to `T`, each due, non-skipped day sets `score = score·m + c·(1 − m)`, c = 1 when it is satisfied,
 *   else 0; other days, and `T` while it is not satisfied, leave it unchanged. `m = 0.5^(√f / 13)` with
 *   f (times per day) = 1 for a daily goal or none, target/7 for `week`, target/30 for `month`, times
 *   dueShare(schedule) (days/7 for `weekdays`, 1/every for `interval`). Rounded to 4 decimals. (f is
 *   the contract's, taken literally: a numeric habit's week/month target is an amount, so 100 pages a
 *   week gives f ≈ 14.3, a score that moves fast.)
 */
import {
  addDays,
  civilOfDayNumber,
  endOfMonth,
  fromDayNumber,
  isCalendarDate,
  startOfIsoWeek,
  startOfMonth,
  toDayNumber,
} from '../utils/dates.js';
import type { Schedule } from '../schemas/habit.schema.js';
import { dueShare, EVERY_DAY, isDue, type HabitPlan } from './schedule.js';

export type HabitKind = 'boolean' | 'numeric';
export type GoalPeriod = 'day' | 'week' | 'month';

export interface Goal {
  period: GoalPeriod;
  target: number;
}

export interface Checkin {
  /** `YYYY-MM-DD` */
  date: string;
  status: 'done' | 'skipped';
  value: number;
}

/**
 * Check-ins as the database hands them over (stats.repository.ts): day numbers (days since
 * 1970-01-01) ascending, at most one per day, with done (else skipped) and value at the same index.
 * The statistics work on these: for three years of history, making a `YYYY-MM-DD` string of each
 * day and parsing it back was a tenth of a stats request's CPU.
 */
export interface CheckinColumns {
  days: readonly number[];
  done: readonly boolean[];
  values: readonly number[];
}

/** Check-ins sorted by date as CheckinColumns. */
function columnsOf(checkins: readonly Checkin[]): CheckinColumns {
  return {
    days: checkins.map((checkin) => toDayNumber(checkin.date)),
    done: checkins.map((checkin) => checkin.status === 'done'),
    values: checkins.map((checkin) => checkin.value),
  };
}

const asColumns = (checkins: readonly Checkin[] | CheckinColumns): CheckinColumns => ('days' in checkins ? checkins : columnsOf(checkins));

export interface StatsInput {
  kind: HabitKind;
  /** null = daily, target 1 */
  goal: Goal | null;
  /** The habit's creation day `YYYY-MM-DD`: the user's day (time zone and `dayStartHour`) it was created in. */
  createdOn: string;
  /** Sorted by date ascending, at most one per date; check-ins after `today` are ignored. */
  checkins: readonly Checkin[] | CheckinColumns;
  /** `T`, `YYYY-MM-DD` */
  today: string;
  /** When the habit is due (its schedule and startDate); default EVERY_DAY. */
  plan?: HabitPlan;
}

export interface PeriodProgress {
  start: string;
  end: string;
  progress: number;
  target: number;
  met: boolean;
}

export interface HabitStats {
  currentStreak: number;
  bestStreak: number;
  streakUnit: GoalPeriod;
  completionRate: number | null;
  totalDone: number;
  /** Habit strength, 0–1, 4 decimals. */
  score: number;
  period: PeriodProgress;
}

/** The completion rate looks at the 30 days ending at `today`. */
const COMPLETION_WINDOW_DAYS = 30;

const DAILY_GOAL: Goal = { period: 'day', target: 1 };

const DAY_MS = 86_400_000;

export function computeStats(input: StatsInput): HabitStats {
  const { kind, today, createdOn } = input;
  const columns = asColumns(input.checkins);
  const { days, done, values } = columns;
  const plan = input.plan ?? EVERY_DAY;
  assertCalendarDate('today', today);
  assertCalendarDate('createdOn', createdOn);
  if (plan.startDate !== null) assertCalendarDate('startDate', plan.startDate);
  const goal = input.goal ?? DAILY_GOAL;
  const calendar = dueCalendar(plan);

  const todayNumber = toDayNumber(today);
  const todayUnit = unitIndex(goal.period, todayNumber);
  const windowFirstDay = todayNumber - (COMPLETION_WINDOW_DAYS - 1);

  // Streaks: one unit (day, ISO week or month) at a time, in date order.
  const streak: StreakState = { run: 0, best: 0, previousUnit: undefined, runBeforeTodayUnit: 0, todayUnitMet: false };
  /** Whether `next` continues a run ending with `previous`: no unit between them asked for anything. */
  const follows = (previous: number | undefined, next: number): boolean =>
    previous === next - 1 ||
    (previous !== undefined && !calendar.anyDue(unitFirstDay(goal.period, previous + 1), unitFirstDay(goal.period, next) - 1));
  // The unit being accumulated.
  let unit: number | undefined;
  let unitProgress = 0;
  let unitHasDone = false;
  let unitDayMet = false;
  const closeCurrentUnit = (closing: number): void => {
    const met = goal.period === 'day' ? unitDayMet : unitProgress >= goal.target;
    const neutral =
      !met && (!unitHasDone || !calendar.anyDue(unitFirstDay(goal.period, closing), unitFirstDay(goal.period, closing + 1) - 1));
    closeUnit(streak, closing, todayUnit, follows(streak.previousUnit, closing), met, neutral);
  };

  // Days (completion rate, totalDone).
  let totalDone = 0;
  let satisfiedInWindow = 0;
  let skippedInWindowBeforeToday = 0;
  let todaySatisfied = false;
  let firstDay: number | undefined;

  for (let i = 0; i < days.length; i += 1) {
    const day = days[i]!;
    if (day > todayNumber) continue;
    firstDay ??= day;

    const index = unitIndex(goal.period, day);
    if (index !== unit) {
      if (unit !== undefined) closeCurrentUnit(unit);
      unit = index;
      unitProgress = 0;
      unitHasDone = false;
      unitDayMet = false;
    }

    // Days that are not due are neither eligible nor counted in the completion rate.
    const due = calendar.isDue(day);
    const inWindow = due && day >= windowFirstDay;
    if (!done[i]) {
      if (inWindow && day !== todayNumber) skippedInWindowBeforeToday += 1;
      continue;
    }
    unitHasDone = true;
    unitProgress += kind === 'boolean' ? 1 : values[i]!;
    if (!doneDaySatisfied(kind, goal, values[i]!)) continue;
    totalDone += 1;
    if (!due) continue;
    unitDayMet = true;
    if (inWindow) satisfiedInWindow += 1;
    if (day === todayNumber) todaySatisfied = true;
  }
  if (unit !== undefined) closeCurrentUnit(unit);
  if (unit !== todayUnit) {
    // No check-in in today's unit: the current streak is the run ending before it.
    streak.runBeforeTodayUnit = follows(streak.previousUnit, todayUnit) ? streak.run : 0;
  }

  // The window starts no earlier than the first counted day.
  const createdOnNumber = toDayNumber(createdOn);
  const habitStart = firstDay !== undefined && firstDay < createdOnNumber ? firstDay : createdOnNumber;
  const startDateNumber = plan.startDate === null ? undefined : toDayNumber(plan.startDate);
  const firstCountedNumber = startDateNumber !== undefined && startDateNumber > habitStart ? startDateNumber : habitStart;
  const windowStart = Math.max(firstCountedNumber, windowFirstDay);
  const eligible = calendar.countDue(windowStart, todayNumber - 1) - skippedInWindowBeforeToday + (todaySatisfied ? 1 : 0);

  return {
    currentStreak: streak.todayUnitMet ? streak.run : streak.runBeforeTodayUnit,
    bestStreak: streak.best,
    streakUnit: goal.period,
    completionRate: eligible > 0 ? roundTo4(satisfiedInWindow / eligible) : null,
    totalDone,
    score: habitScore(kind, goal, plan.schedule, calendar, columns, firstCountedNumber, todayNumber),
    period: currentPeriodProgress(kind, input.goal, columns, today),
  };
}

/**
 * Loop Habit Tracker's habit strength on `today`: the walk of the header comment, day by day from the
 * day number `from` (the first counted day) to `today`.
 */
function habitScore(
  kind: HabitKind,
  goal: Goal,
  schedule: Schedule,
  calendar: DueCalendar,
  { days, done, values }: CheckinColumns,
  from: number,
  today: number,
): number {
  const m = 0.5 ** (Math.sqrt(timesPerDay(goal, schedule)) / 13);
  let score = 0;
  // The next check-in, by index: the first one on or after `day`.
  let next = 0;
  for (let day = from; day <= today; day += 1) {
    while (next < days.length && days[next]! < day) next += 1;
    const checkedIn = days[next] === day;
    if (!calendar.isDue(day) || (checkedIn && !done[next])) continue;
    const c = checkedIn && doneDaySatisfied(kind, goal, values[next]!) ? 1 : 0;
    if (day === today && c === 0) continue;
    score = score * m + c * (1 - m);
  }
  return roundTo4(score);
}

/** f of the score: how many times a day the goal asks for, times the share of days the schedule makes due. */
function timesPerDay(goal: Goal, schedule: Schedule): number {
  const perDay = goal.period === 'day' ? 1 : goal.period === 'week' ? goal.target / 7 : goal.target / 30;
  return perDay * dueShare(schedule);
}

/** Which day numbers (days since 1970-01-01) a plan makes due. */
export interface DueCalendar {
  isDue(day: number): boolean;
  /** Whether any day from `from` to `to` (inclusive) is due. */
  anyDue(from: number, to: number): boolean;
  /** How many days from `from` to `to` (inclusive) are due. */
  countDue(from: number, to: number): number;
}

/**
 * schedule.ts's isDue on day numbers, in O(1): a schedule repeats every `cycle` days (1 for daily, 7
 * for weekdays, `every` for an interval), so isDue is asked once for each day of one cycle, and
 * `startDate` is a bound.
 */
export function dueCalendar(plan: HabitPlan): DueCalendar {
  const { schedule } = plan;
  const cycle = schedule.type === 'weekdays' ? 7 : schedule.type === 'interval' ? (schedule.every ?? 1) : 1;
  const pattern = Array.from({ length: cycle }, (_, day) => isDue({ schedule, startDate: null }, fromDayNumber(day)));
  const first = plan.startDate === null ? Number.NEGATIVE_INFINITY : toDayNumber(plan.startDate);
  const due = (day: number): boolean => day >= first && pattern[((day % cycle) + cycle) % cycle]!;
  return {
    isDue: due,
    anyDue(from, to) {
      // Any `cycle` consecutive days from the first possible one tell.
      const start = Math.max(from, first);
      const end = Math.min(to, start + cycle - 1);
      for (let day = start; day <= end; day += 1) if (due(day)) return true;
      return false;
    },
    countDue(from, to) {
      let count = 0;
      for (let day = from; day <= to; day += 1) if (due(day)) count += 1;
      return count;
    },
  };
}

/** The progress of the period containing `today` (for the home screen). */
export function currentPeriodProgress(
  kind: HabitKind,
  goal: Goal | null,
  checkins: readonly Checkin[] | CheckinColumns,
  today: string,
): PeriodProgress {
  assertCalendarDate('today', today);
  const { period, target } = goal ?? DAILY_GOAL;
  let start: string;
  let end: string;
  switch (period) {
    case 'day':
      start = today;
      end = today;
      break;
    case 'week':
      start = startOfIsoWeek(today);
      end = addDays(start, 6);
      break;
    case 'month':
      start = startOfMonth(today);
      end = endOfMonth(today);
      break;
  }

  // Sorted ascending: walk back from the end, past any check-in after today, down to the period's start.
  const { days, done, values } = asColumns(checkins);
  const first = toDayNumber(start);
  const last = toDayNumber(today);
  let progress = 0;
  for (let i = days.length - 1; i >= 0; i -= 1) {
    if (days[i]! > last) continue;
    if (days[i]! < first) break;
    if (done[i]) progress += kind === 'boolean' ? 1 : values[i]!;
  }
  return { start, end, progress, target, met: progress >= target };
}

interface StreakState {
  /** The run ending with the last closed unit. */
  run: number;
  best: number;
  previousUnit: number | undefined;
  /** The run ending with the unit just before today's: the current streak when today's unit is not met. */
  runBeforeTodayUnit: number;
  todayUnitMet: boolean;
}

/**
 * Adds a unit that has at least one check-in (units come in ascending order): met → +1; neutral → passed
 * over; otherwise the run stops. When it does not `follow` the previous unit (a unit between them asked
 * for something and got no check-in), the run stops before it.
 */
function closeUnit(state: StreakState, unit: number, todayUnit: number, follows: boolean, met: boolean, neutral: boolean): void {
  if (unit === todayUnit) {
    state.runBeforeTodayUnit = follows ? state.run : 0;
    state.todayUnitMet = met;
  }
  if (!follows) state.run = 0;
  if (met) {
    state.run += 1;
    if (state.run > state.best) state.best = state.run;
  } else if (!neutral) {
    state.run = 0;
  }
  state.previousUnit = unit;
}

/** The day rule (streaks, completion rate, score, reminders' `done`); `goal` null = daily, target 1. */
export function isDaySatisfied(kind: HabitKind, goal: Goal | null, checkin: Checkin): boolean {
  return checkin.status === 'done' && doneDaySatisfied(kind, goal ?? DAILY_GOAL, checkin.value);
}

/** isDaySatisfied of a `done` check-in with `value`. */
function doneDaySatisfied(kind: HabitKind, goal: Goal, value: number): boolean {
  if (kind === 'boolean') return true;
  return goal.period === 'day' ? value >= goal.target : value >= 1;
}

/**
 * Consecutive integers for consecutive units: the day number, the ISO week number counted from the
 * week of 1970-01-01 (day 0 was a Thursday, so Mondays are where `dayNumber + 3` is a multiple of 7),
 * or `year * 12 + month`.
 */
function unitIndex(period: GoalPeriod, dayNumber: number): number {
  switch (period) {
    case 'day':
      return dayNumber;
    case 'week':
      return Math.floor((dayNumber + 3) / 7);
    case 'month': {
      const { year, month } = civilOfDayNumber(dayNumber);
      return year * 12 + month - 1;
    }
  }
}

/** The day number of a unit's first day (units are numbered by unitIndex). */
function unitFirstDay(period: GoalPeriod, unit: number): number {
  switch (period) {
    case 'day':
      return unit;
    case 'week':
      return unit * 7 - 3;
    case 'month':
      return Date.UTC(Math.floor(unit / 12), unit % 12, 1) / DAY_MS;
  }
}

function roundTo4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function assertCalendarDate(name: string, value: string): void {
  if (!isCalendarDate(value)) throw new RangeError(`${name} must be a YYYY-MM-DD calendar day, got ${JSON.stringify(value)}`);
}
