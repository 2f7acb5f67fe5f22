/**
 * The statistics engine with schedules and startDate (API.md, "Schedules and the user's day"): days
 * that are not due are neutral for daily streaks and the completion rate, still count in totalDone and
 * in a week/month period's progress; days before startDate are not due.
 */
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/schemas/habit.schema.js';
import { EVERY_DAY, isDue, isoWeekday, type HabitPlan } from '../../src/services/schedule.js';
import { computeStats, dueCalendar, type Checkin, type Goal, type StatsInput } from '../../src/services/statistics.js';
import { addDays, toDayNumber } from '../../src/utils/dates.js';
import { userDayAt } from '../../src/utils/user-day.js';

function done(date: string, value = 1): Checkin {
  return { date, status: 'done', value };
}

function skip(date: string): Checkin {
  return { date, status: 'skipped', value: 1 };
}

function stats(overrides: Partial<StatsInput> & Pick<StatsInput, 'today'>) {
  return computeStats({ kind: 'boolean', goal: null, createdOn: '2020-01-01', checkins: [], ...overrides });
}

const plan = (schedule: Schedule, startDate: string | null = null): HabitPlan => ({ schedule, startDate });
const weekdays = (days: number[], startDate: string | null = null) => plan({ type: 'weekdays', days }, startDate);
const interval = (every: number, anchor: string, startDate: string | null = null) => plan({ type: 'interval', every, anchor }, startDate);
const weekly = (target: number): Goal => ({ period: 'week', target });
const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const weekday = (date: string) => DAYS[isoWeekday(date)];

describe('a habit with neither schedule nor startDate', () => {
  const histories: Omit<StatsInput, 'plan'>[] = [
    {
      kind: 'boolean',
      goal: null,
      createdOn: '2025-03-01',
      checkins: [done('2025-03-02'), skip('2025-03-03'), done('2025-03-05')],
      today: '2025-03-06',
    },
    {
      kind: 'numeric',
      goal: { period: 'day', target: 5 },
      createdOn: '2025-02-01',
      checkins: [done('2025-03-01', 6), done('2025-03-02', 4)],
      today: '2025-03-02',
    },
    {
      kind: 'boolean',
      goal: weekly(2),
      createdOn: '2024-12-20',
      checkins: [done('2024-12-30'), done('2025-01-02'), done('2025-01-13')],
      today: '2025-01-14',
    },
    {
      kind: 'numeric',
      goal: { period: 'month', target: 50 },
      createdOn: '2024-01-01',
      checkins: [done('2024-02-29', 50), done('2024-03-01', 9)],
      today: '2024-03-31',
    },
  ];

  it.each(histories.map((history, index) => [index, history] as const))(
    'gives history %i the same statistics with no plan, EVERY_DAY or an explicit daily plan',
    (_index, history) => {
      const withoutPlan = computeStats(history);
      expect(computeStats({ ...history, plan: EVERY_DAY })).toEqual(withoutPlan);
      expect(computeStats({ ...history, plan: plan({ type: 'daily' }) })).toEqual(withoutPlan);
    },
  );
});

describe('weekdays (Mon, Wed, Fri)', () => {
  const mwf = weekdays([1, 3, 5]);
  const createdOn = '2025-03-03';

  it('has the days of the week these tests assume', () => {
    expect(
      ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-07', '2025-03-08', '2025-03-10', '2025-03-11', '2025-03-12'].map(weekday),
    ).toEqual(['Mon', 'Tue', 'Wed', 'Fri', 'Sat', 'Mon', 'Tue', 'Wed']);
  });

  it('passes over the days it is not due: done Mon, Wed, Fri and Mon is a streak of 4 on Tuesday', () => {
    const checkins = [done('2025-03-03'), done('2025-03-05'), done('2025-03-07'), done('2025-03-10')];
    expect(stats({ plan: mwf, createdOn, checkins, today: '2025-03-11' })).toMatchObject({
      currentStreak: 4,
      bestStreak: 4,
      // Due days 03-03 … 03-10: 4, all done; Tuesday (today) is not due.
      completionRate: 1,
      totalDone: 4,
    });
    // The same check-ins on a daily habit: the days between break the runs.
    expect(stats({ createdOn, checkins, today: '2025-03-11' })).toMatchObject({ currentStreak: 1, bestStreak: 1, completionRate: 0.5 });
  });

  it('stops at a due day without a check-in', () => {
    const checkins = [done('2025-03-03'), done('2025-03-07'), done('2025-03-10')];
    expect(stats({ plan: mwf, createdOn, checkins, today: '2025-03-11' })).toMatchObject({
      currentStreak: 2,
      bestStreak: 2,
      completionRate: 0.75, // 3 of the 4 due days
    });
  });

  it('neither counts nor breaks on a done day it is not due, which still counts in totalDone', () => {
    const checkins = [
      done('2025-03-03'),
      done('2025-03-04'),
      done('2025-03-05'),
      done('2025-03-07'),
      done('2025-03-08'),
      done('2025-03-10'),
    ];
    expect(stats({ plan: mwf, createdOn, checkins, today: '2025-03-11' })).toMatchObject({
      currentStreak: 4,
      bestStreak: 4,
      completionRate: 1, // Tuesday and Saturday are neither eligible nor satisfied days
      totalDone: 6,
    });
  });

  it('counts from the previous due day while a due today is not yet done', () => {
    const checkins = [done('2025-03-03'), done('2025-03-05'), done('2025-03-07'), done('2025-03-10')];
    expect(stats({ plan: mwf, createdOn, checkins, today: '2025-03-12' })).toMatchObject({ currentStreak: 4, completionRate: 1 });
    expect(stats({ plan: mwf, createdOn, checkins: [...checkins, done('2025-03-12')], today: '2025-03-12' })).toMatchObject({
      currentStreak: 5,
      completionRate: 1,
    });
  });

  it('passes over a skipped due day', () => {
    const checkins = [done('2025-03-03'), skip('2025-03-05'), done('2025-03-07'), done('2025-03-10')];
    expect(stats({ plan: mwf, createdOn, checkins, today: '2025-03-11' })).toMatchObject({ currentStreak: 3, completionRate: 1 });
  });

  it('counts done days it is not due in a weekly period’s progress, and so in whether the week is met', () => {
    // Mondays only, 2 a week: the Saturday and the Tuesday make each week's second day.
    const checkins = [done('2025-03-03'), done('2025-03-08'), done('2025-03-10'), done('2025-03-11')];
    const result = stats({ plan: weekdays([1]), goal: weekly(2), createdOn, checkins, today: '2025-03-11' });
    expect(result.period).toEqual({ start: '2025-03-10', end: '2025-03-16', progress: 2, target: 2, met: true });
    expect(result).toMatchObject({ currentStreak: 2, bestStreak: 2, streakUnit: 'week', totalDone: 4 });
    // Only the Mondays are due: the completion rate does not see the others.
    expect(result.completionRate).toBe(1);
  });
});

describe('across ISO-week and year boundaries', () => {
  it('links Mondays across the new year: 2025-12-22, 2025-12-29, 2026-01-05', () => {
    expect(['2025-12-22', '2025-12-29', '2026-01-05'].map(weekday)).toEqual(['Mon', 'Mon', 'Mon']);
    const checkins = [done('2025-12-22'), done('2025-12-29'), done('2026-01-05')];
    const result = stats({ plan: weekdays([1]), createdOn: '2025-12-22', checkins, today: '2026-01-07' });
    expect(result).toMatchObject({ currentStreak: 3, bestStreak: 3, completionRate: 1, totalDone: 3 });
  });

  it('meets a weekly goal of 2 in the ISO week 2025-12-29 … 2026-01-04 with its due Monday and Thursday', () => {
    expect(['2025-12-25', '2025-12-29', '2026-01-01', '2026-01-04'].map(weekday)).toEqual(['Thu', 'Mon', 'Thu', 'Sun']);
    const checkins = [done('2025-12-22'), done('2025-12-25'), done('2025-12-29'), done('2026-01-01')];
    const result = stats({ plan: weekdays([1, 4]), goal: weekly(2), createdOn: '2025-12-22', checkins, today: '2026-01-03' });
    expect(result.period).toEqual({ start: '2025-12-29', end: '2026-01-04', progress: 2, target: 2, met: true });
    expect(result).toMatchObject({ currentStreak: 2, bestStreak: 2, completionRate: 1 });
  });

  it('links Thursdays through ISO week 53 of 2020 (2020-12-28 … 2021-01-03)', () => {
    expect(['2020-12-24', '2020-12-31', '2021-01-04', '2021-01-07'].map(weekday)).toEqual(['Thu', 'Thu', 'Mon', 'Thu']);
    const thursdays = weekdays([4]);
    const checkins = [done('2020-12-24'), done('2020-12-31'), done('2021-01-07')];
    expect(stats({ plan: thursdays, createdOn: '2020-12-24', checkins, today: '2021-01-07' })).toMatchObject({
      currentStreak: 3,
      bestStreak: 3,
    });
    // A weekly goal: week 53 met, and Monday 2021-01-04 starts the next week (in progress).
    const weekly53 = stats({
      plan: thursdays,
      goal: weekly(1),
      createdOn: '2020-12-24',
      checkins: checkins.slice(0, 2),
      today: '2021-01-04',
    });
    expect(weekly53).toMatchObject({ currentStreak: 2, streakUnit: 'week' });
    expect(weekly53.period).toEqual({ start: '2021-01-04', end: '2021-01-10', progress: 0, target: 1, met: false });
    expect(stats({ plan: thursdays, goal: weekly(1), checkins, today: '2021-01-03' }).period).toEqual({
      start: '2020-12-28',
      end: '2021-01-03',
      progress: 1,
      target: 1,
      met: true,
    });
  });
});

describe('interval', () => {
  it('is due every 2 days across 2024-02-29 (anchor before): 02-25, 02-27, 02-29, 03-02', () => {
    const every2 = interval(2, '2024-02-25');
    const checkins = [done('2024-02-25'), done('2024-02-27'), done('2024-02-28'), done('2024-02-29'), done('2024-03-02')];
    expect(stats({ plan: every2, createdOn: '2024-02-25', checkins, today: '2024-03-02' })).toMatchObject({
      currentStreak: 4,
      bestStreak: 4,
      completionRate: 1,
      totalDone: 5, // 02-28 is not due, and still done
    });
  });

  it('stops every-2-days at a missed due day', () => {
    const checkins = [done('2024-02-25'), done('2024-03-01'), done('2024-03-02')];
    expect(stats({ plan: interval(2, '2024-02-25'), createdOn: '2024-02-25', checkins, today: '2024-03-02' })).toMatchObject({
      currentStreak: 1,
      bestStreak: 1,
      completionRate: 0.5, // 02-25 and 03-02 done of 02-25, 02-27, 02-29, 03-02
    });
  });

  it('is due every 3 days on 2024-02-29 in a leap year, and on 2025-03-01 in a common one', () => {
    const leap = [done('2024-02-26'), done('2024-02-29'), done('2024-03-03')];
    expect(stats({ plan: interval(3, '2024-02-26'), createdOn: '2024-02-26', checkins: leap, today: '2024-03-03' })).toMatchObject({
      currentStreak: 3,
      completionRate: 1,
    });
    // 2024-03-01 is not due: a check-in there does not stand in for 02-29.
    const late = [done('2024-02-26'), done('2024-03-01'), done('2024-03-03')];
    expect(stats({ plan: interval(3, '2024-02-26'), createdOn: '2024-02-26', checkins: late, today: '2024-03-03' })).toMatchObject({
      currentStreak: 1,
      completionRate: 0.6667,
    });
    const common = [done('2025-02-26'), done('2025-03-01'), done('2025-03-04')];
    expect(stats({ plan: interval(3, '2025-02-26'), createdOn: '2025-02-26', checkins: common, today: '2025-03-04' })).toMatchObject({
      currentStreak: 3,
      completionRate: 1,
    });
  });

  it('is due every 7 days on 2024-02-22, 02-29 and 03-07', () => {
    const checkins = [done('2024-02-22'), done('2024-02-29'), done('2024-03-07')];
    expect(stats({ plan: interval(7, '2024-02-22'), createdOn: '2024-02-22', checkins, today: '2024-03-09' })).toMatchObject({
      currentStreak: 3,
      bestStreak: 3,
      completionRate: 1,
    });
  });

  it('counts back from an anchor after the check-ins (2025-03-10, every 3: 03-01, 03-04, 03-07 are due)', () => {
    const checkins = [done('2025-03-01'), done('2025-03-04'), done('2025-03-07')];
    expect(stats({ plan: interval(3, '2025-03-10'), createdOn: '2025-03-01', checkins, today: '2025-03-09' })).toMatchObject({
      currentStreak: 3,
      completionRate: 1,
    });
  });

  it('is due on its anchor when the anchor is today', () => {
    const every3 = interval(3, '2025-03-07');
    const checkins = [done('2025-03-01'), done('2025-03-04')];
    expect(stats({ plan: every3, createdOn: '2025-03-01', checkins, today: '2025-03-07' })).toMatchObject({
      currentStreak: 2,
      completionRate: 1,
    });
    expect(
      stats({ plan: every3, createdOn: '2025-03-01', checkins: [...checkins, done('2025-03-07')], today: '2025-03-07' }),
    ).toMatchObject({
      currentStreak: 3,
      completionRate: 1,
    });
  });
});

describe('startDate', () => {
  it('makes the days before it not due: they neither count nor break, and the window starts there', () => {
    const checkins = [done('2025-03-01'), done('2025-03-02'), done('2025-03-05'), done('2025-03-06'), done('2025-03-07')];
    expect(stats({ plan: plan({ type: 'daily' }, '2025-03-05'), createdOn: '2025-03-01', checkins, today: '2025-03-07' })).toMatchObject({
      currentStreak: 3,
      bestStreak: 3,
      completionRate: 1, // 03-05 … 03-07
      totalDone: 5,
    });
    // Without it, 03-03 and 03-04 are missed days.
    expect(stats({ createdOn: '2025-03-01', checkins, today: '2025-03-07' })).toMatchObject({
      currentStreak: 3,
      bestStreak: 3,
      completionRate: 0.7143, // 5 / 7
      totalDone: 5,
    });
  });

  it('starts the completion window at a startDate inside the 30 days', () => {
    const checkins = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05'].map((date) => done(date));
    const result = stats({ plan: plan({ type: 'daily' }, '2025-03-01'), createdOn: '2025-01-01', checkins, today: '2025-03-10' });
    expect(result.completionRate).toBe(0.5556); // 5 of 03-01 … 03-09
    expect(stats({ createdOn: '2025-01-01', checkins, today: '2025-03-10' }).completionRate).toBe(0.1724); // 5 of 02-09 … 03-09
  });

  it('changes nothing when it is before the creation day and the first check-in', () => {
    const input = { createdOn: '2025-03-07', checkins: [done('2025-03-08')], today: '2025-03-10' };
    expect(stats({ ...input, plan: plan({ type: 'daily' }, '2025-01-01') })).toEqual(stats(input));
  });

  it('makes nothing due while it is in the future, and still counts what was done', () => {
    const result = stats({
      plan: plan({ type: 'daily' }, '2025-03-20'),
      createdOn: '2025-03-01',
      checkins: [done('2025-03-09'), done('2025-03-10')],
      today: '2025-03-10',
    });
    expect(result).toEqual({
      currentStreak: 0,
      bestStreak: 0,
      streakUnit: 'day',
      completionRate: null,
      totalDone: 2,
      score: 0,
      period: { start: '2025-03-10', end: '2025-03-10', progress: 1, target: 1, met: true },
    });
  });

  it('bounds a weekdays habit too', () => {
    // Mondays from 2025-03-10: the Monday before is not due.
    const checkins = [done('2025-03-10')];
    expect(stats({ plan: weekdays([1], '2025-03-10'), createdOn: '2025-03-01', checkins, today: '2025-03-12' })).toMatchObject({
      currentStreak: 1,
      completionRate: 1,
    });
    expect(stats({ plan: weekdays([1]), createdOn: '2025-03-01', checkins, today: '2025-03-12' })).toMatchObject({
      currentStreak: 1,
      completionRate: 0.5, // 03-03 was due
    });
  });

  it('counts a done day before it in its first week’s progress', () => {
    // Starts Wednesday 2025-01-08; Monday 01-06 is before it, and counts toward the week.
    const result = stats({
      plan: plan({ type: 'daily' }, '2025-01-08'),
      goal: weekly(2),
      createdOn: '2025-01-01',
      checkins: [done('2025-01-06'), done('2025-01-08')],
      today: '2025-01-08',
    });
    expect(result.period).toEqual({ start: '2025-01-06', end: '2025-01-12', progress: 2, target: 2, met: true });
    expect(result).toMatchObject({ currentStreak: 1, completionRate: 1, totalDone: 2 });
  });
});

describe('week and month streaks of a schedule', () => {
  // Every 14 days from Monday 2025-01-06: the weeks of 01-13 and 01-27 have no due day.
  const fortnightly = interval(14, '2025-01-06');

  it('passes over an unmet week without any due day', () => {
    const checkins = [done('2025-01-06'), done('2025-01-20'), done('2025-02-03')];
    expect(stats({ plan: fortnightly, goal: weekly(1), createdOn: '2025-01-06', checkins, today: '2025-02-05' })).toMatchObject({
      currentStreak: 3,
      bestStreak: 3,
      streakUnit: 'week',
    });
    // Due every day, the weeks between are missed weeks.
    expect(stats({ goal: weekly(1), createdOn: '2025-01-06', checkins, today: '2025-02-05' })).toMatchObject({
      currentStreak: 1,
      bestStreak: 1,
    });
  });

  it('passes over an unmet week without any due day that has check-ins', () => {
    // 2 a week: the week of 01-13 has one done day (not due) and is not met, but asked for nothing.
    const checkins = [done('2025-01-06'), done('2025-01-08'), done('2025-01-15'), done('2025-01-20'), done('2025-01-22')];
    expect(stats({ plan: fortnightly, goal: weekly(2), createdOn: '2025-01-06', checkins, today: '2025-01-22' })).toMatchObject({
      currentStreak: 2,
      bestStreak: 2,
      totalDone: 5,
    });
  });

  it('stops at a week with a due day that is not met', () => {
    const checkins = [done('2025-01-06'), done('2025-02-03')];
    expect(stats({ plan: fortnightly, goal: weekly(1), createdOn: '2025-01-06', checkins, today: '2025-02-05' })).toMatchObject({
      currentStreak: 1,
      bestStreak: 1,
    });
  });

  it('counts a week without a due day when done days met it', () => {
    const checkins = [done('2025-01-06'), done('2025-01-15'), done('2025-01-20')];
    expect(stats({ plan: fortnightly, goal: weekly(1), createdOn: '2025-01-06', checkins, today: '2025-01-20' })).toMatchObject({
      currentStreak: 3,
      totalDone: 3,
      completionRate: 1, // 01-06 and 01-20: 01-15 is not due
    });
  });

  it('passes over a month before the startDate without check-ins; one met by check-ins before it still counts', () => {
    // Monthly goal 1 from 2025-03-01. February has no due day and no check-in: passed over. January
    // has no due day either, but a done check-in meets it (non-due days count toward a period).
    const monthly = { period: 'month' as const, target: 1 };
    const checkins = [done('2025-01-15'), done('2025-03-02')];
    expect(stats({ plan: plan({ type: 'daily' }, '2025-03-01'), goal: monthly, checkins, today: '2025-03-05' })).toMatchObject({
      currentStreak: 2,
      streakUnit: 'month',
    });
    // Due every day, February is a missed month.
    expect(stats({ goal: monthly, checkins, today: '2025-03-05' })).toMatchObject({ currentStreak: 1 });
    // Without the January check-in, the run starts in March.
    expect(
      stats({ plan: plan({ type: 'daily' }, '2025-03-01'), goal: monthly, checkins: checkins.slice(1), today: '2025-03-05' }),
    ).toMatchObject({
      currentStreak: 1,
      bestStreak: 1,
    });
  });
});

describe('the user’s day: dayStartHour 0 and 4 (the engine’s inputs)', () => {
  // Paris is UTC+1 in early March. The habit was created on Monday 2025-03-03 at 02:00 local, and
  // "now" is Tuesday 2025-03-11 at 02:30 local: with dayStartHour 4 both still belong to the day before.
  const timezone = 'Europe/Paris';
  const createdAt = new Date('2025-03-03T01:00:00Z');
  const now = new Date('2025-03-11T01:30:00Z');
  const days = (from: string, to: string) => {
    const list: Checkin[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) list.push(done(date));
    return list;
  };

  it('gives the creation day and today of each dayStartHour', () => {
    expect([userDayAt({ timezone, dayStartHour: 0 }, createdAt), userDayAt({ timezone, dayStartHour: 0 }, now)]).toEqual([
      '2025-03-03',
      '2025-03-11',
    ]);
    expect([userDayAt({ timezone, dayStartHour: 4 }, createdAt), userDayAt({ timezone, dayStartHour: 4 }, now)]).toEqual([
      '2025-03-02',
      '2025-03-10',
    ]);
  });

  const cases: { kind: string; plan: HabitPlan; checkins: Checkin[]; expected: Record<0 | 4, Record<string, number | null>> }[] = [
    {
      // Done 03-03 … 03-10. Hour 0: today is 03-11, not yet done. Hour 4: today is 03-10, done; the
      // window starts on 03-02, the creation day, missed.
      kind: 'daily',
      plan: EVERY_DAY,
      checkins: days('2025-03-03', '2025-03-10'),
      expected: {
        0: { currentStreak: 8, completionRate: 1, score: 0.3472 },
        4: { currentStreak: 8, completionRate: 0.8889, score: 0.3472 },
      },
    },
    {
      // Mon, Wed, Fri; done 03-03, 03-05, 03-07. Hour 0: Monday 03-10 was due and missed. Hour 4:
      // today is that Monday, still in progress; Sunday 03-02 is not due.
      kind: 'weekdays',
      plan: weekdays([1, 3, 5]),
      checkins: [done('2025-03-03'), done('2025-03-05'), done('2025-03-07')],
      expected: {
        0: { currentStreak: 0, completionRate: 0.75, score: 0.096 },
        4: { currentStreak: 3, completionRate: 1, score: 0.0994 },
      },
    },
    {
      // Every 2 days from Sunday 03-02 (03-04, 03-06, 03-08, 03-10); done 03-04, 03-06, 03-08. Hour 0:
      // 03-10 was due and missed. Hour 4: today is 03-10, in progress; 03-02 was due and missed.
      kind: 'interval',
      plan: interval(2, '2025-03-02'),
      checkins: [done('2025-03-04'), done('2025-03-06'), done('2025-03-08')],
      expected: {
        0: { currentStreak: 0, completionRate: 0.75, score: 0.103 },
        4: { currentStreak: 3, completionRate: 0.75, score: 0.1069 },
      },
    },
  ];

  it.each(cases.flatMap((testCase) => [0, 4].map((dayStartHour) => ({ ...testCase, dayStartHour: dayStartHour as 0 | 4 }))))(
    '$kind with dayStartHour $dayStartHour',
    ({ plan: habitPlan, checkins, expected, dayStartHour }) => {
      const clock = { timezone, dayStartHour };
      const result = computeStats({
        kind: 'boolean',
        goal: null,
        plan: habitPlan,
        createdOn: userDayAt(clock, createdAt),
        checkins,
        today: userDayAt(clock, now),
      });
      expect(result).toMatchObject(expected[dayStartHour]);
    },
  );
});

describe('dueCalendar', () => {
  const plans: HabitPlan[] = [
    EVERY_DAY,
    plan({ type: 'daily' }, '2024-02-29'),
    weekdays([1, 3, 5]),
    weekdays([7], '2021-01-01'),
    interval(2, '2024-02-28'),
    interval(3, '2020-12-31'),
    interval(7, '2026-01-01', '2019-12-30'),
    interval(365, '2024-02-29'),
  ];

  it.each(plans)('agrees with isDue on every day from 2019-12-25 to 2026-01-10 (%j)', (habitPlan) => {
    const calendar = dueCalendar(habitPlan);
    for (let date = '2019-12-25'; date <= '2026-01-10'; date = addDays(date, 1)) {
      if (calendar.isDue(toDayNumber(date)) !== isDue(habitPlan, date)) expect.fail(`${date}: ${JSON.stringify(habitPlan)}`);
    }
  });

  it('counts and finds due days in a range', () => {
    const calendar = dueCalendar(weekdays([1, 3, 5], '2025-03-05'));
    expect(calendar.countDue(toDayNumber('2025-03-03'), toDayNumber('2025-03-16'))).toBe(5); // 03-05, 07, 10, 12, 14
    expect(calendar.anyDue(toDayNumber('2025-03-01'), toDayNumber('2025-03-04'))).toBe(false);
    expect(calendar.anyDue(toDayNumber('2025-03-08'), toDayNumber('2025-03-09'))).toBe(false);
    expect(calendar.anyDue(toDayNumber('2025-03-08'), toDayNumber('2025-03-10'))).toBe(true);
    expect(calendar.anyDue(toDayNumber('2025-03-10'), toDayNumber('2025-03-09'))).toBe(false);
  });
});
