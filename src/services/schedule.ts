/**
 * When a habit is due (API.md, "Schedules and the user's day"), as pure functions on `YYYY-MM-DD`
 * days of the user: the statistics, /today and the reminders all ask here.
 */
import type { Schedule } from '../schemas/habit.schema.js';
import { toDayNumber } from '../utils/dates.js';

export interface HabitPlan {
  schedule: Schedule;
  /** Days before it are not due; null: none. */
  startDate: string | null;
}

/** What a habit with neither field set has: due every day. */
export const EVERY_DAY: HabitPlan = { schedule: { type: 'daily' }, startDate: null };

/** The ISO weekday of a day: Monday = 1 … Sunday = 7 (1970-01-01, day 0, was a Thursday). */
export function isoWeekday(date: string): number {
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function isDue({ schedule, startDate }: HabitPlan, date: string): boolean {
  if (startDate !== null && date < startDate) return false;
  switch (schedule.type) {
    case 'daily':
      return true;
    case 'weekdays':
      return schedule.days?.includes(isoWeekday(date)) ?? true;
    case 'interval': {
      // The anchor is always set by the server; a missing one would make every day due.
      if (schedule.every === undefined || schedule.anchor === undefined) return true;
      const offset = toDayNumber(date) - toDayNumber(schedule.anchor);
      return ((offset % schedule.every) + schedule.every) % schedule.every === 0;
    }
  }
}

/** The share of days the schedule makes due (Loop's frequency factor): 1, days/7, or 1/every. */
export function dueShare(schedule: Schedule): number {
  if (schedule.type === 'weekdays' && schedule.days) return schedule.days.length / 7;
  if (schedule.type === 'interval' && schedule.every) return 1 / schedule.every;
  return 1;
}
