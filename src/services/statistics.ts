/**
 * Habit statistics (API.md, "Statistics") as pure functions: no database, no I/O, no clock. The caller
 * loads the habit, its goal and its check-ins and passes "today" (`asOf`, or the user's local date).
 *
 * Everything is computed in one pass over the check-ins (sorted by date ascending, at most one per
 * date): O(number of check-ins), never a loop over calendar days, so years of history cost well under
 * a millisecond. Check-ins dated after `today` are ignored everywhere.
 *
 * Rules, in the contract's words where it has them and ours where it is silent:
 * - the effective goal is the habit's goal, or daily with target 1; `streakUnit` is its period;
 * - a `skipped` check-in is neutral: never done, never progress, never breaks a streak;
 * - a DAY is satisfied when it has a `done` check-in and: boolean habit → always; numeric habit with a
 *   `day` goal → value ≥ target; numeric habit with a `week`/`month` goal → value ≥ 1;
 * - a PERIOD's progress is its number of done days (boolean) or the sum of its done values (numeric);
 *   it is met when progress ≥ target;
 * - streaks count units (days, or weeks/months): met → +1, neutral → passed over, anything else
 *   (including a unit without any check-in) → the run stops. A neutral day is a skipped day; a neutral
 *   period is an unmet one whose check-ins are all skipped. The unit containing `today` counts only if
 *   it is already met, and never breaks the current streak;
 * - completionRate and totalDone judge days by the DAY rule, whatever the goal's period.
 */
import { addDays, endOfMonth, isCalendarDate, startOfIsoWeek, startOfMonth, toDayNumber } from '../utils/dates.js';

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

export interface StatsInput {
  kind: HabitKind;
  /** null = daily, target 1 */
  goal: Goal | null;
  /** The habit's creation day `YYYY-MM-DD`, in the user's time zone. */
  createdOn: string;
  /** Sorted by date ascending, at most one per date; check-ins after `today` are ignored. */
  checkins: readonly Checkin[];
  /** `T`, `YYYY-MM-DD` */
  today: string;
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
  period: PeriodProgress;
}

/** The completion rate looks at the 30 days ending at `today`. */
const COMPLETION_WINDOW_DAYS = 30;

const DAILY_GOAL: Goal = { period: 'day', target: 1 };

export function computeStats(input: StatsInput): HabitStats {
  const { kind, checkins, today, createdOn } = input;
  assertCalendarDate('today', today);
  assertCalendarDate('createdOn', createdOn);
  const goal = input.goal ?? DAILY_GOAL;

  const todayNumber = toDayNumber(today);
  const todayUnit = unitIndex(goal.period, today, todayNumber);
  const windowFirstDay = addDays(today, -(COMPLETION_WINDOW_DAYS - 1));

  // Streaks: one unit (day, ISO week or month) at a time, in date order.
  const streak: StreakState = { run: 0, best: 0, previousUnit: undefined, runBeforeTodayUnit: 0, todayUnitMet: false };
  // The unit being accumulated.
  let unit: number | undefined;
  let unitProgress = 0;
  let unitHasDone = false;
  let unitDaySatisfied = false;
  const closeCurrentUnit = (closing: number): void => {
    const met = goal.period === 'day' ? unitDaySatisfied : unitProgress >= goal.target;
    closeUnit(streak, closing, todayUnit, met, !met && !unitHasDone);
  };

  // Days (completion rate, totalDone).
  let totalDone = 0;
  let satisfiedInWindow = 0;
  let skippedInWindowBeforeToday = 0;
  let todaySatisfied = false;
  let firstDate: string | undefined;

  for (const checkin of checkins) {
    if (checkin.date > today) continue;
    firstDate ??= checkin.date;

    const dayNumber = toDayNumber(checkin.date);
    const index = unitIndex(goal.period, checkin.date, dayNumber);
    if (index !== unit) {
      if (unit !== undefined) closeCurrentUnit(unit);
      unit = index;
      unitProgress = 0;
      unitHasDone = false;
      unitDaySatisfied = false;
    }

    const inWindow = checkin.date >= windowFirstDay;
    if (checkin.status === 'skipped') {
      if (inWindow && dayNumber !== todayNumber) skippedInWindowBeforeToday += 1;
      continue;
    }
    unitHasDone = true;
    unitProgress += kind === 'boolean' ? 1 : checkin.value;
    const satisfied = isDaySatisfied(kind, goal, checkin);
    if (!satisfied) continue;
    unitDaySatisfied = true;
    totalDone += 1;
    if (inWindow) satisfiedInWindow += 1;
    if (dayNumber === todayNumber) todaySatisfied = true;
  }
  if (unit !== undefined) closeCurrentUnit(unit);
  if (unit !== todayUnit) {
    // No check-in in today's unit: the current streak is the run ending just before it.
    streak.runBeforeTodayUnit = streak.previousUnit === todayUnit - 1 ? streak.run : 0;
  }

  // The window starts no earlier than the creation day or the first check-in, whichever is earlier.
  const habitStart = firstDate !== undefined && firstDate < createdOn ? firstDate : createdOn;
  const windowStart = habitStart > windowFirstDay ? habitStart : windowFirstDay;
  const daysBeforeToday = Math.max(0, todayNumber - toDayNumber(windowStart));
  const eligible = daysBeforeToday - skippedInWindowBeforeToday + (todaySatisfied ? 1 : 0);

  return {
    currentStreak: streak.todayUnitMet ? streak.run : streak.runBeforeTodayUnit,
    bestStreak: streak.best,
    streakUnit: goal.period,
    completionRate: eligible > 0 ? roundTo4(satisfiedInWindow / eligible) : null,
    totalDone,
    period: currentPeriodProgress(kind, input.goal, checkins, today),
  };
}

/** The progress of the period containing `today` (for the home screen). */
export function currentPeriodProgress(kind: HabitKind, goal: Goal | null, checkins: readonly Checkin[], today: string): PeriodProgress {
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
  let progress = 0;
  for (let i = checkins.length - 1; i >= 0; i -= 1) {
    const checkin = checkins[i]!;
    if (checkin.date > today) continue;
    if (checkin.date < start) break;
    if (checkin.status === 'done') progress += kind === 'boolean' ? 1 : checkin.value;
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
 * Adds a unit that has at least one check-in (units come in ascending order): met → +1; neutral (all
 * its check-ins skipped) → passed over; otherwise the run stops. A gap (a unit without any check-in)
 * before it stops the run too.
 */
function closeUnit(state: StreakState, unit: number, todayUnit: number, met: boolean, neutral: boolean): void {
  const follows = state.previousUnit === unit - 1;
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

function isDaySatisfied(kind: HabitKind, goal: Goal, checkin: Checkin): boolean {
  if (checkin.status !== 'done') return false;
  if (kind === 'boolean') return true;
  return goal.period === 'day' ? checkin.value >= goal.target : checkin.value >= 1;
}

/**
 * Consecutive integers for consecutive units: the day number, the ISO week number counted from the
 * week of 1970-01-01 (day 0 was a Thursday, so Mondays are where `dayNumber + 3` is a multiple of 7),
 * or `year * 12 + month`.
 */
function unitIndex(period: GoalPeriod, date: string, dayNumber: number): number {
  switch (period) {
    case 'day':
      return dayNumber;
    case 'week':
      return Math.floor((dayNumber + 3) / 7);
    case 'month':
      return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  }
}

function roundTo4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function assertCalendarDate(name: string, value: string): void {
  if (!isCalendarDate(value)) throw new RangeError(`${name} must be a YYYY-MM-DD calendar day, got ${JSON.stringify(value)}`);
}
