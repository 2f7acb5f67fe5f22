/**
 * The habit strength `score` (API.md, "Schedules and the user's day"; Loop Habit Tracker's): every
 * expected value below is worked out by hand in its comment, from
 *
 *   m = 0.5^(√f / 13), and for each due, non-skipped day: score = score·m + c·(1 − m),
 *
 * starting from 0 on the first counted day, T leaving it unchanged while not satisfied.
 *
 * The multipliers used:
 * - daily (f = 1): √1/13 = 0.0769231, m = 0.5^0.0769231 = e^(−0.693147 × 0.0769231) = e^(−0.0533190)
 *   = 0.948078, 1 − m = 0.051922; m² = 0.898851, m³ = 0.852180, m⁷ = 0.688505;
 * - f = 3/7 (weekdays Mon/Wed/Fri, or a weekly goal of 3): √0.428571 = 0.654654, /13 = 0.0503580,
 *   m = e^(−0.693147 × 0.0503580) = e^(−0.0349055) = 0.965697, 1 − m = 0.034303; m³ = 0.900580;
 * - f = 1/3 (every 3 days): √0.333333 = 0.577350, /13 = 0.0444116, m = e^(−0.0307837) = 0.969685,
 *   1 − m = 0.030315, m² = 0.940289.
 */
import { describe, expect, it } from 'vitest';
import type { HabitPlan } from '../../src/services/schedule.js';
import { computeStats, type Checkin, type StatsInput } from '../../src/services/statistics.js';
import { addDays } from '../../src/utils/dates.js';

function done(date: string, value = 1): Checkin {
  return { date, status: 'done', value };
}

function skip(date: string): Checkin {
  return { date, status: 'skipped', value: 1 };
}

function score(overrides: Partial<StatsInput> & Pick<StatsInput, 'today'>): number {
  return computeStats({ kind: 'boolean', goal: null, createdOn: '2025-03-01', checkins: [], ...overrides }).score;
}

describe('score: a daily habit (f = 1, m = 0.948078)', () => {
  it('is 0 without any done day', () => {
    expect(score({ today: '2025-03-01' })).toBe(0);
    expect(score({ today: '2025-03-10' })).toBe(0);
  });

  it('is 1 − m after one done day', () => {
    // 0·m + 1·(1 − m) = 0.051922
    expect(score({ checkins: [done('2025-03-01')], today: '2025-03-01' })).toBe(0.0519);
  });

  it('is 1 − m³ after three done days in a row', () => {
    // s1 = 0.051922; s2 = 0.051922·0.948078 + 0.051922 = 0.101149; s3 = 0.101149·0.948078 + 0.051922
    // = 0.147820 (= 1 − m³ = 1 − 0.852180)
    const checkins = [done('2025-03-01'), done('2025-03-02'), done('2025-03-03')];
    expect(score({ checkins, today: '2025-03-03' })).toBe(0.1478);
  });

  it('leaves an unsatisfied today out, and counts it as missed once it is past', () => {
    const checkins = [done('2025-03-01'), done('2025-03-02')];
    // T = 03-03, not yet done: 1 − m² = 1 − 0.898851 = 0.101149
    expect(score({ checkins, today: '2025-03-03' })).toBe(0.1011);
    // T = 03-04: 03-03 is now a missed day: 0.101149·0.948078 = 0.095897; T unchanged
    expect(score({ checkins, today: '2025-03-04' })).toBe(0.0959);
  });

  it('leaves a skipped day unchanged, where a missed day decays it', () => {
    // Skipped 03-02: two updates, 1 − m² = 0.101149
    expect(score({ checkins: [done('2025-03-01'), skip('2025-03-02'), done('2025-03-03')], today: '2025-03-03' })).toBe(0.1011);
    // Missed 03-02: 0.051922 → 0.051922·0.948078 = 0.049226 → 0.049226·0.948078 + 0.051922 = 0.098593
    expect(score({ checkins: [done('2025-03-01'), done('2025-03-03')], today: '2025-03-03' })).toBe(0.0986);
  });

  it('starts at the first check-in when it is before the creation day, else at the creation day', () => {
    // Created 03-05, done 03-01 … 03-03, T = 03-03: 1 − m³ as above.
    expect(
      score({ createdOn: '2025-03-05', checkins: [done('2025-03-01'), done('2025-03-02'), done('2025-03-03')], today: '2025-03-03' }),
    ).toBe(0.1478);
    // Created 03-01, done 03-03 only, T = 03-03: two missed days keep 0, then 1 − m = 0.051922.
    expect(score({ createdOn: '2025-03-01', checkins: [done('2025-03-03')], today: '2025-03-03' })).toBe(0.0519);
  });

  it('starts at a startDate after the creation day', () => {
    const checkins = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'].map((date) =>
      done(date),
    );
    const from05: HabitPlan = { schedule: { type: 'daily' }, startDate: '2025-03-05' };
    // From 03-05: three done days, 1 − m³ = 0.147820.
    expect(score({ plan: from05, checkins, today: '2025-03-07' })).toBe(0.1478);
    // Without it, seven: 1 − m⁷ = 1 − 0.688505 = 0.311495.
    expect(score({ checkins, today: '2025-03-07' })).toBe(0.3115);
  });

  it('judges a numeric daily goal’s days by the target', () => {
    // Target 8: 03-01 (8) and 03-02 (10) satisfied, 03-03 (5) not, 03-04 (8) satisfied.
    // 0.051922 → 0.101149 → 0.101149·m = 0.095897 → 0.095897·m + 0.051922 = 0.142840
    const checkins = [done('2025-03-01', 8), done('2025-03-02', 10), done('2025-03-03', 5), done('2025-03-04', 8)];
    expect(score({ kind: 'numeric', goal: { period: 'day', target: 8 }, checkins, today: '2025-03-04' })).toBe(0.1428);
  });

  it('approaches 1 and never exceeds it', () => {
    const year: Checkin[] = [];
    for (let date = '2024-01-01'; date <= '2024-12-31'; date = addDays(date, 1)) year.push(done(date));
    // 1 − m^366 = 1 − 0.5^(366/13) = 1 − 0.5^28.15 = 1 − 3.3·10⁻⁹
    expect(score({ createdOn: '2024-01-01', checkins: year, today: '2024-12-31' })).toBe(1);
    // 1 − m^30 = 1 − 0.5^(30/13) = 1 − 0.5^2.30769 = 1 − 0.201983 = 0.798017
    expect(score({ createdOn: '2024-01-01', checkins: year.slice(0, 30), today: '2024-01-30' })).toBe(0.798);
  });
});

describe('score: schedules', () => {
  it('walks only the due days of a weekdays habit (Mon, Wed, Fri: f = 3/7, m = 0.965697)', () => {
    // Created Monday 2025-03-03; done Mon 03-03, Wed 03-05, Fri 03-07; T = Sunday 03-09.
    // s = 0.034303 → 0.034303·m + 0.034303 = 0.067429 → 0.067429·m + 0.034303 = 0.099420 (= 1 − m³);
    // Tue, Thu, Sat and Sun leave it unchanged.
    const plan: HabitPlan = { schedule: { type: 'weekdays', days: [1, 3, 5] }, startDate: null };
    const checkins = [done('2025-03-03'), done('2025-03-05'), done('2025-03-07')];
    expect(score({ plan, createdOn: '2025-03-03', checkins, today: '2025-03-09' })).toBe(0.0994);
    // A done Tuesday changes nothing; a missed Monday 03-10 (T = Tue 03-11) decays it: 0.099420·m = 0.096010.
    expect(
      score({
        plan,
        createdOn: '2025-03-03',
        checkins: [...checkins.slice(0, 1), done('2025-03-04'), ...checkins.slice(1)],
        today: '2025-03-09',
      }),
    ).toBe(0.0994);
    expect(score({ plan, createdOn: '2025-03-03', checkins, today: '2025-03-11' })).toBe(0.096);
  });

  it('walks only the due days of an interval habit (every 3 days: f = 1/3, m = 0.969685)', () => {
    // Anchor 03-01: due 03-01, 03-04, 03-07. Done 03-01 and 03-07, missed 03-04, T = 03-08.
    // s = 0.030315 → 0.030315·m = 0.029396 → 0.029396·m + 0.030315 = 0.058820
    const plan: HabitPlan = { schedule: { type: 'interval', every: 3, anchor: '2025-03-01' }, startDate: null };
    expect(score({ plan, checkins: [done('2025-03-01'), done('2025-03-07')], today: '2025-03-08' })).toBe(0.0588);
  });

  it('uses f = target/7 for a weekly goal (3 a week: m = 0.965697), every day being due', () => {
    // Created Mon 2025-01-06; done 01-06, 01-08, 01-10; T = Fri 01-10.
    // 0.034303 → ·m = 0.033126 → ·m + 0.034303 = 0.066293 → ·m = 0.064019 → ·m + 0.034303 = 0.096127
    const checkins = [done('2025-01-06'), done('2025-01-08'), done('2025-01-10')];
    expect(score({ goal: { period: 'week', target: 3 }, createdOn: '2025-01-06', checkins, today: '2025-01-10' })).toBe(0.0961);
  });

  it('uses f = target/30 for a monthly goal, times the schedule’s share of due days', () => {
    // Monthly 15 on a Mon/Wed/Fri schedule: f = 15/30 · 3/7 = 3/14 = 0.214286, √f = 0.462910,
    // /13 = 0.0356085, m = e^(−0.693147 × 0.0356085) = e^(−0.0246819) = 0.975620, 1 − m = 0.024380.
    // Done Mon 03-03 and Wed 03-05 (T): 0.024380 → 0.024380·m + 0.024380 = 0.048166
    const plan: HabitPlan = { schedule: { type: 'weekdays', days: [1, 3, 5] }, startDate: null };
    expect(
      score({
        plan,
        goal: { period: 'month', target: 15 },
        createdOn: '2025-03-03',
        checkins: [done('2025-03-03'), done('2025-03-05')],
        today: '2025-03-05',
      }),
    ).toBe(0.0482);
  });

  it('satisfies a numeric weekly goal’s day with any done value of at least 1', () => {
    // Weekly 7 (f = 1, m = 0.948078): 03-01 (value 0) is a miss, 03-02 (value 2) is satisfied.
    // 0 → 0 → 0.051922
    const checkins = [done('2025-03-01', 0), done('2025-03-02', 2)];
    expect(score({ kind: 'numeric', goal: { period: 'week', target: 7 }, checkins, today: '2025-03-02' })).toBe(0.0519);
  });

  it('is 0 while a startDate is in the future', () => {
    const plan: HabitPlan = { schedule: { type: 'daily' }, startDate: '2025-04-01' };
    expect(score({ plan, checkins: [done('2025-03-01'), done('2025-03-02')], today: '2025-03-02' })).toBe(0);
  });
});
