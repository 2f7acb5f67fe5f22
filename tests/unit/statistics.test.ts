import { describe, expect, it } from 'vitest';
import {
  computeStats,
  currentPeriodProgress,
  type Checkin,
  type Goal,
  type HabitKind,
  type StatsInput,
} from '../../src/services/statistics.js';
import { addDays, toDayNumber } from '../../src/utils/dates.js';

function done(date: string, value = 1): Checkin {
  return { date, status: 'done', value };
}

function skip(date: string, value = 1): Checkin {
  return { date, status: 'skipped', value };
}

/** `done` check-ins on every day from `from` to `to` inclusive. */
function doneEveryDay(from: string, to: string): Checkin[] {
  const days: Checkin[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) days.push(done(date));
  return days;
}

function stats(overrides: Partial<StatsInput> & Pick<StatsInput, 'today'>) {
  return computeStats({ kind: 'boolean', goal: null, createdOn: '2020-01-01', checkins: [], ...overrides });
}

const weekly = (target: number): Goal => ({ period: 'week', target });
const monthly = (target: number): Goal => ({ period: 'month', target });
const daily = (target: number): Goal => ({ period: 'day', target });

describe('computeStats: the contract worked examples', () => {
  it('counts today when done and passes over a skipped day', () => {
    const result = stats({
      checkins: [done('2025-03-06'), skip('2025-03-07'), done('2025-03-08'), done('2025-03-09')],
      today: '2025-03-09',
    });
    expect(result.currentStreak).toBe(3);
    expect(result.bestStreak).toBe(3);
    expect(result.streakUnit).toBe('day');
  });

  it('counts from yesterday while today is not yet done', () => {
    const result = stats({ checkins: [done('2025-03-07'), done('2025-03-08')], today: '2025-03-09' });
    expect(result.currentStreak).toBe(2);
  });

  it('counts weeks for a weekly goal, the week in progress not breaking the streak', () => {
    const result = stats({
      goal: weekly(3),
      checkins: [done('2025-01-06'), done('2025-01-08'), done('2025-01-10'), done('2025-01-13')],
      today: '2025-01-15',
    });
    expect(result.currentStreak).toBe(1);
    expect(result.streakUnit).toBe('week');
    expect(result.period).toEqual({ start: '2025-01-13', end: '2025-01-19', progress: 1, target: 3, met: false });
  });
});

describe('computeStats: daily streaks', () => {
  it('reports a best streak longer in the past than the current one', () => {
    const result = stats({
      checkins: [...doneEveryDay('2025-03-01', '2025-03-05'), done('2025-03-07'), done('2025-03-08')],
      today: '2025-03-09',
    });
    expect(result.currentStreak).toBe(2);
    expect(result.bestStreak).toBe(5);
  });

  it('lets a best run pass over a skipped day without counting it', () => {
    const result = stats({
      checkins: [
        ...doneEveryDay('2025-02-01', '2025-02-03'),
        skip('2025-02-04'),
        done('2025-02-05'),
        done('2025-02-06'),
        done('2025-02-08'),
      ],
      today: '2025-02-08',
    });
    expect(result.bestStreak).toBe(5);
    expect(result.currentStreak).toBe(1);
  });

  it('passes over a skipped today and counts from yesterday', () => {
    const result = stats({ checkins: [done('2025-03-07'), done('2025-03-08'), skip('2025-03-09')], today: '2025-03-09' });
    expect(result.currentStreak).toBe(2);
  });

  it('stops at a day without any check-in', () => {
    const result = stats({ checkins: [done('2025-03-06'), done('2025-03-08')], today: '2025-03-09' });
    expect(result.currentStreak).toBe(1);
    expect(result.bestStreak).toBe(1);
  });

  it('has no streak when the last done day is before yesterday', () => {
    const result = stats({ checkins: doneEveryDay('2025-03-01', '2025-03-07'), today: '2025-03-09' });
    expect(result.currentStreak).toBe(0);
    expect(result.bestStreak).toBe(7);
  });

  it('counts numeric days at the daily target and stops at a day below it', () => {
    const checkins = [done('2025-03-01', 5), done('2025-03-02', 7), done('2025-03-03', 4), done('2025-03-04', 5), done('2025-03-05', 6)];
    const result = stats({ kind: 'numeric', goal: daily(5), checkins, today: '2025-03-05' });
    expect(result.currentStreak).toBe(2);
    expect(result.bestStreak).toBe(2);
    expect(result.totalDone).toBe(4);
    expect(result.period).toEqual({ start: '2025-03-05', end: '2025-03-05', progress: 6, target: 5, met: true });
  });

  it('does not let a numeric today below the target break the streak', () => {
    const checkins = [done('2025-03-04', 5), done('2025-03-05', 6), done('2025-03-06', 3)];
    const result = stats({ kind: 'numeric', goal: daily(5), checkins, today: '2025-03-06' });
    expect(result.currentStreak).toBe(2);
    expect(result.period).toEqual({ start: '2025-03-06', end: '2025-03-06', progress: 3, target: 5, met: false });
  });
});

describe('computeStats: weekly and monthly streaks', () => {
  const numericWeeks = [
    done('2024-12-30', 50),
    done('2024-12-31', 49), // week of 12-30: 99, not met
    done('2025-01-06', 30),
    done('2025-01-07', 0),
    done('2025-01-08', 70), // week of 01-06: 100, met
    done('2025-01-13', 110), // week of 01-13: met
    done('2025-01-20', 20),
    skip('2025-01-21', 500), // skipped values never count
  ];

  it('sums the values of a numeric weekly goal', () => {
    const result = stats({ kind: 'numeric', goal: weekly(100), checkins: numericWeeks, today: '2025-01-22' });
    expect(result.currentStreak).toBe(2);
    expect(result.bestStreak).toBe(2);
    expect(result.period).toEqual({ start: '2025-01-20', end: '2025-01-26', progress: 20, target: 100, met: false });
    // Days by the day rule: a done value ≥ 1 (not 01-07's 0, not the skipped 01-21).
    expect(result.totalDone).toBe(6);
  });

  it('counts the current week once its numeric target is reached', () => {
    const checkins = [...numericWeeks, done('2025-01-22', 80)];
    const result = stats({ kind: 'numeric', goal: weekly(100), checkins, today: '2025-01-22' });
    expect(result.currentStreak).toBe(3);
    expect(result.bestStreak).toBe(3);
    expect(result.period).toMatchObject({ progress: 100, met: true });
  });

  it('counts the current week when it is already met', () => {
    const checkins = [done('2025-01-06'), done('2025-01-07'), done('2025-01-13'), done('2025-01-14')];
    const result = stats({ goal: weekly(2), checkins, today: '2025-01-14' });
    expect(result.currentStreak).toBe(2);
    expect(result.bestStreak).toBe(2);
    expect(result.period).toEqual({ start: '2025-01-13', end: '2025-01-19', progress: 2, target: 2, met: true });
  });

  it('passes over a week whose check-ins are all skipped', () => {
    const checkins = [
      done('2025-01-06'),
      done('2025-01-07'),
      skip('2025-01-13'),
      skip('2025-01-14'),
      done('2025-01-20'),
      done('2025-01-22'),
    ];
    const result = stats({ goal: weekly(2), checkins, today: '2025-01-29' });
    expect(result.currentStreak).toBe(2);
    expect(result.bestStreak).toBe(2);
  });

  it('stops at a week without any check-in', () => {
    const checkins = [done('2025-01-06'), done('2025-01-07'), done('2025-01-20'), done('2025-01-22')];
    const result = stats({ goal: weekly(2), checkins, today: '2025-01-29' });
    expect(result.currentStreak).toBe(1);
    expect(result.bestStreak).toBe(1);
  });

  it('stops at an unmet week that mixes done and skipped days', () => {
    const checkins = [
      done('2025-01-06'),
      done('2025-01-07'),
      done('2025-01-13'),
      skip('2025-01-14'),
      done('2025-01-20'),
      done('2025-01-22'),
    ];
    const result = stats({ goal: weekly(2), checkins, today: '2025-01-29' });
    expect(result.currentStreak).toBe(1);
  });

  it('handles an ISO week spanning a year boundary', () => {
    const checkins = [
      done('2024-12-23'),
      done('2024-12-24'),
      done('2024-12-25'),
      done('2024-12-30'),
      done('2024-12-31'),
      done('2025-01-02'),
    ];
    const sunday = stats({ goal: weekly(3), checkins, today: '2025-01-05' });
    expect(sunday.period).toEqual({ start: '2024-12-30', end: '2025-01-05', progress: 3, target: 3, met: true });
    expect(sunday.currentStreak).toBe(2);

    const nextMonday = stats({ goal: weekly(3), checkins, today: '2025-01-06' });
    expect(nextMonday.period).toEqual({ start: '2025-01-06', end: '2025-01-12', progress: 0, target: 3, met: false });
    expect(nextMonday.currentStreak).toBe(2);

    const newYear = stats({ goal: weekly(3), checkins: checkins.slice(0, 5), today: '2025-01-01' });
    expect(newYear.period).toEqual({ start: '2024-12-30', end: '2025-01-05', progress: 2, target: 3, met: false });
    expect(newYear.currentStreak).toBe(1);
  });

  describe('a boolean monthly goal across months of different lengths', () => {
    const checkins = [
      ...doneEveryDay('2023-12-01', '2023-12-28'), // 28 of 29: not met
      ...doneEveryDay('2024-01-01', '2024-01-31'),
      ...doneEveryDay('2024-02-01', '2024-02-29'), // leap year: 29 days
      ...doneEveryDay('2024-03-01', '2024-03-29'),
      ...doneEveryDay('2024-04-01', '2024-04-10'),
    ];

    it('counts the months that reached the target', () => {
      const result = stats({ goal: monthly(29), checkins, today: '2024-04-10' });
      expect(result.streakUnit).toBe('month');
      expect(result.currentStreak).toBe(3);
      expect(result.bestStreak).toBe(3);
      expect(result.period).toEqual({ start: '2024-04-01', end: '2024-04-30', progress: 10, target: 29, met: false });
    });

    it('counts a leap February met on its last day', () => {
      const result = stats({ goal: monthly(29), checkins, today: '2024-02-29' });
      expect(result.currentStreak).toBe(2);
      expect(result.bestStreak).toBe(2);
      expect(result.period).toEqual({ start: '2024-02-01', end: '2024-02-29', progress: 29, target: 29, met: true });
    });

    it('cannot meet 29 days in a 28-day February', () => {
      const result = stats({
        goal: monthly(29),
        checkins: [...doneEveryDay('2025-01-01', '2025-01-31'), ...doneEveryDay('2025-02-01', '2025-02-28')],
        today: '2025-03-05',
      });
      expect(result.currentStreak).toBe(0);
      expect(result.bestStreak).toBe(1);
      expect(currentPeriodProgress('boolean', monthly(29), [], '2025-02-10')).toEqual({
        start: '2025-02-01',
        end: '2025-02-28',
        progress: 0,
        target: 29,
        met: false,
      });
    });

    it('links December to the next January and stops at a month without check-ins', () => {
      const linked = stats({ goal: monthly(1), checkins: [done('2023-12-15'), done('2024-01-15')], today: '2024-01-20' });
      expect(linked.currentStreak).toBe(2);
      const gap = stats({ goal: monthly(1), checkins: [done('2023-11-15'), done('2024-01-15')], today: '2024-01-20' });
      expect(gap.currentStreak).toBe(1);
      expect(gap.bestStreak).toBe(1);
    });
  });
});

describe('computeStats: without check-ins', () => {
  it('has no streak and no completion rate for a habit created today', () => {
    expect(stats({ createdOn: '2025-03-10', today: '2025-03-10' })).toEqual({
      currentStreak: 0,
      bestStreak: 0,
      streakUnit: 'day',
      completionRate: null,
      totalDone: 0,
      score: 0,
      period: { start: '2025-03-10', end: '2025-03-10', progress: 0, target: 1, met: false },
    });
  });

  it('has a completion rate of 0 for a habit created days ago', () => {
    expect(stats({ createdOn: '2025-03-05', today: '2025-03-10' }).completionRate).toBe(0);
    expect(stats({ createdOn: '2024-01-01', today: '2025-03-10' }).completionRate).toBe(0);
  });
});

describe('computeStats: completion rate and totals', () => {
  // Window of 2025-03-10: 02-09 … 03-10, i.e. 29 days before today.
  const checkins = [
    done('2025-02-01'), // before the window
    done('2025-02-09'),
    skip('2025-02-10'),
    done('2025-02-11'),
    done('2025-02-12'),
    skip('2025-02-13'),
  ];

  it('leaves skipped days and an unfinished today out', () => {
    const result = stats({ createdOn: '2025-01-01', checkins, today: '2025-03-10' });
    expect(result.completionRate).toBe(0.1111); // 3 / (29 − 2)
    expect(result.totalDone).toBe(4);
  });

  it('counts today once it is satisfied', () => {
    const result = stats({ createdOn: '2025-01-01', checkins: [...checkins, done('2025-03-10')], today: '2025-03-10' });
    expect(result.completionRate).toBe(0.1429); // 4 / 28
    expect(result.totalDone).toBe(5);
  });

  it('leaves a skipped today out', () => {
    const result = stats({ createdOn: '2025-01-01', checkins: [...checkins, skip('2025-03-10')], today: '2025-03-10' });
    expect(result.completionRate).toBe(0.1111);
  });

  it('starts at the first check-in when it is before the creation day', () => {
    const result = stats({ createdOn: '2025-03-08', checkins: [done('2025-03-05')], today: '2025-03-10' });
    expect(result.completionRate).toBe(0.2); // 1 / 5 (03-05 … 03-09)
  });

  it('starts at the creation day when it is before the first check-in', () => {
    const result = stats({ createdOn: '2025-03-07', checkins: [done('2025-03-08')], today: '2025-03-10' });
    expect(result.completionRate).toBe(0.3333); // 1 / 3 (03-07 … 03-09)
  });

  it('judges days by the daily target for a numeric daily goal', () => {
    const result = stats({
      kind: 'numeric',
      goal: daily(5),
      createdOn: '2025-03-08',
      checkins: [done('2025-03-08', 4), done('2025-03-09', 5), done('2025-03-10', 2)],
      today: '2025-03-10',
    });
    expect(result.completionRate).toBe(0.5); // 03-09 of 03-08, 03-09; today not yet satisfied
    expect(result.totalDone).toBe(1);
  });

  it('judges days as done with a value of at least 1 for a numeric weekly goal', () => {
    const result = stats({
      kind: 'numeric',
      goal: weekly(100),
      createdOn: '2025-03-08',
      checkins: [done('2025-03-08', 0), done('2025-03-09', 1), done('2025-03-10', 3)],
      today: '2025-03-10',
    });
    expect(result.completionRate).toBe(0.6667); // 03-09, 03-10 of 03-08, 03-09, 03-10
    expect(result.totalDone).toBe(2);
  });
});

describe('computeStats: check-ins after today', () => {
  it('ignores them for streaks, totals and the completion rate', () => {
    const checkins = [...doneEveryDay('2025-03-01', '2025-03-03'), done('2025-03-05')];
    const result = stats({ createdOn: '2025-03-01', checkins, today: '2025-03-04' });
    expect(result).toMatchObject({ currentStreak: 3, bestStreak: 3, totalDone: 3, completionRate: 1 });
    expect(result.period).toMatchObject({ progress: 0, met: false });
  });

  it('ignores them in the current period', () => {
    const result = stats({ goal: weekly(2), checkins: [done('2025-01-13'), done('2025-01-15')], today: '2025-01-14' });
    expect(result.period).toEqual({ start: '2025-01-13', end: '2025-01-19', progress: 1, target: 2, met: false });
    expect(result.currentStreak).toBe(0);
  });

  it('does not start the completion window at a future check-in', () => {
    const result = stats({ createdOn: '2025-03-10', checkins: [done('2025-03-11')], today: '2025-03-10' });
    expect(result.completionRate).toBeNull();
    expect(result.totalDone).toBe(0);
  });
});

describe('period of the current day, week or month', () => {
  it('reports a daily period with its met flag', () => {
    expect(stats({ checkins: [done('2025-03-10')], today: '2025-03-10' }).period).toEqual({
      start: '2025-03-10',
      end: '2025-03-10',
      progress: 1,
      target: 1,
      met: true,
    });
    expect(stats({ checkins: [done('2025-03-09'), skip('2025-03-10')], today: '2025-03-10' }).period).toMatchObject({
      progress: 0,
      met: false,
    });
  });

  it('reports a weekly period from Monday to Sunday', () => {
    const result = stats({ goal: weekly(2), checkins: [done('2025-03-09'), done('2025-03-10'), done('2025-03-12')], today: '2025-03-16' });
    expect(result.period).toEqual({ start: '2025-03-10', end: '2025-03-16', progress: 2, target: 2, met: true });
  });

  it('reports a monthly numeric period from its first to its last day', () => {
    const result = stats({
      kind: 'numeric',
      goal: monthly(50),
      checkins: [done('2025-03-31', 40), done('2025-04-01', 30), skip('2025-04-02', 30), done('2025-04-03', 15)],
      today: '2025-04-03',
    });
    expect(result.period).toEqual({ start: '2025-04-01', end: '2025-04-30', progress: 45, target: 50, met: false });
  });

  it('gives currentPeriodProgress the same period as computeStats', () => {
    const cases: { kind: HabitKind; goal: Goal | null; checkins: Checkin[]; today: string }[] = [
      { kind: 'boolean', goal: null, checkins: [done('2025-03-09'), done('2025-03-10')], today: '2025-03-10' },
      { kind: 'numeric', goal: daily(5), checkins: [done('2025-03-10', 3)], today: '2025-03-10' },
      {
        kind: 'boolean',
        goal: weekly(3),
        checkins: [done('2024-12-30'), skip('2025-01-01'), done('2025-01-02'), done('2025-01-06')],
        today: '2025-01-04',
      },
      { kind: 'numeric', goal: monthly(100), checkins: [done('2024-02-01', 60), done('2024-02-29', 40)], today: '2024-02-29' },
      { kind: 'boolean', goal: monthly(5), checkins: [], today: '2024-02-15' },
    ];
    for (const { kind, goal, checkins, today } of cases) {
      expect(currentPeriodProgress(kind, goal, checkins, today)).toEqual(
        computeStats({ kind, goal, createdOn: '2024-01-01', checkins, today }).period,
      );
    }
  });
});

describe('computeStats: three years of daily check-ins', () => {
  // 2022 + 2023 + 2024 (a leap year) = 365 + 365 + 366 days.
  const threeYears = doneEveryDay('2022-01-01', '2024-12-31');

  it('counts every day', () => {
    expect(threeYears).toHaveLength(1096);
    expect(stats({ createdOn: '2022-01-01', checkins: threeYears, today: '2024-12-31' })).toEqual({
      currentStreak: 1096,
      bestStreak: 1096,
      streakUnit: 'day',
      completionRate: 1,
      totalDone: 1096,
      // 1 − 0.5^(1096/13) = 1 − 5·10⁻²⁶, rounded to 4 decimals.
      score: 1,
      period: { start: '2024-12-31', end: '2024-12-31', progress: 1, target: 1, met: true },
    });
  });

  it('counts every full week, the partial first week not met', () => {
    // Saturday 2022-01-01 is in a 2-day week; full weeks run from Monday 2022-01-03 to Sunday 2024-12-29.
    const fullWeeks = (toDayNumber('2024-12-29') - toDayNumber('2022-01-03') + 1) / 7;
    expect(fullWeeks).toBe(156);
    const result = stats({ goal: weekly(7), checkins: threeYears, today: '2024-12-31' });
    expect(result).toMatchObject({ currentStreak: 156, bestStreak: 156, streakUnit: 'week' });
    expect(result.period).toEqual({ start: '2024-12-30', end: '2025-01-05', progress: 2, target: 7, met: false });
  });

  it('counts every month, the last one already met', () => {
    const result = stats({ goal: monthly(28), checkins: threeYears, today: '2024-12-31' });
    expect(result).toMatchObject({ currentStreak: 36, bestStreak: 36, streakUnit: 'month' });
  });

  it('keeps the best run when a day in the middle is missing', () => {
    const withGap = threeYears.filter((checkin) => checkin.date !== '2024-06-30');
    const result = stats({ createdOn: '2022-01-01', checkins: withGap, today: '2024-12-31' });
    // 2022-01-01 … 2024-06-29 is 365 + 365 + 181 days; 2024-07-01 … 2024-12-31 is 184.
    expect(result).toMatchObject({ currentStreak: 184, bestStreak: 911, totalDone: 1095 });
  });
});

describe('computeStats: input checks', () => {
  it('rejects a today that is not a calendar day', () => {
    expect(() => stats({ today: '2025-02-30' })).toThrow(RangeError);
  });
});
