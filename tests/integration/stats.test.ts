import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';
import { startStatementCounter, type StatementCounter } from '../helpers/statement-counter.js';

interface HabitReply {
  id: string;
  name: string;
  kind: string;
  archived: boolean;
  schedule: { type: string; days?: number[]; every?: number; anchor?: string };
  startDate: string | null;
}

interface CheckinReply {
  id: string;
  habitId: string;
  date: string;
  status: 'done' | 'skipped';
  value: number;
  note: string | null;
}

interface StatsReply {
  currentStreak: number;
  bestStreak: number;
  streakUnit: 'day' | 'week' | 'month';
  completionRate: number | null;
  totalDone: number;
  score: number;
  period: { start: string; end: string; progress: number; target: number; met: boolean };
}

interface TodayItemReply {
  habit: HabitReply;
  goal: { id: string; period: string; target: number } | null;
  checkin: CheckinReply | null;
  progress: number;
  due: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// Calendar arithmetic for the test's own expectations (independent of src/utils/dates.ts).
const DAY_MS = 86_400_000;

function localToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
function isoWeekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

describe('statistics, check-ins and the home screen', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  beforeAll(async () => {
    user = await signUp(ctx.app);
  });

  const request = (method: Method, url: string, payload?: unknown, token = user.accessToken, app: FastifyInstance = ctx.app) =>
    app.inject({ method, url, headers: bearer(token), ...(payload !== undefined && { payload: payload as object }) });

  const createHabit = async (fields: Record<string, unknown>, token = user.accessToken) => {
    const response = await request('POST', '/habits', fields, token);
    expect(response.statusCode).toBe(201);
    return response.json<HabitReply>();
  };

  const setGoal = async (habitId: string, goal: { period: string; target: number }, token = user.accessToken) => {
    const response = await request('PUT', `/habits/${habitId}/goal`, goal, token);
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; period: string; target: number }>();
  };

  const checkIn = async (habitId: string, date: string, body: Record<string, unknown> = {}, token = user.accessToken) => {
    const response = await request('PUT', `/habits/${habitId}/tracking/${date}`, body, token);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CheckinReply>();
  };

  const stats = async (habitId: string, asOf?: string, token = user.accessToken) => {
    const response = await request('GET', `/habits/${habitId}/stats${asOf ? `?asOf=${asOf}` : ''}`, undefined, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<StatsReply>();
  };

  describe('GET /habits/:id/stats: the contract’s worked examples', () => {
    it('counts done 03-06, skipped 03-07, done 03-08 and 03-09 as a 3-day streak on 03-09', async () => {
      const habit = await createHabit({ name: 'Example 1' });
      await checkIn(habit.id, '2025-03-06');
      await checkIn(habit.id, '2025-03-07', { status: 'skipped' });
      await checkIn(habit.id, '2025-03-08');
      await checkIn(habit.id, '2025-03-09');

      expect(await stats(habit.id, '2025-03-09')).toEqual({
        currentStreak: 3,
        bestStreak: 3,
        streakUnit: 'day',
        completionRate: 1,
        totalDone: 3,
        // Daily, m = 0.5^(1/13) = 0.948078: three done days (the skipped one leaves it as it is), 1 − m³.
        score: 0.1478,
        period: { start: '2025-03-09', end: '2025-03-09', progress: 1, target: 1, met: true },
      });
    });

    it('counts done 03-07 and 03-08 as a 2-day streak on 03-09, which is still in progress', async () => {
      const habit = await createHabit({ name: 'Example 2' });
      await checkIn(habit.id, '2025-03-07');
      await checkIn(habit.id, '2025-03-08');

      expect(await stats(habit.id, '2025-03-09')).toEqual({
        currentStreak: 2,
        bestStreak: 2,
        streakUnit: 'day',
        completionRate: 1,
        totalDone: 2,
        // 1 − m² = 1 − 0.898851: today, not yet done, leaves it unchanged.
        score: 0.1011,
        period: { start: '2025-03-09', end: '2025-03-09', progress: 0, target: 1, met: false },
      });
    });

    it('counts a met week followed by the week in progress as a 1-week streak', async () => {
      const habit = await createHabit({ name: 'Example 3' });
      await setGoal(habit.id, { period: 'week', target: 3 });
      for (const date of ['2025-01-06', '2025-01-08', '2025-01-10', '2025-01-13']) await checkIn(habit.id, date);

      const result = await stats(habit.id, '2025-01-15');
      // f = 3/7, m = 0.965697; done, missed, done, missed, done, missed, missed, done, missed, and today
      // not yet done: 0.034303·(m⁸ + m⁶ + m⁴ + m) = 0.034303 × 3.402783 = 0.116727.
      expect(result).toMatchObject({ currentStreak: 1, bestStreak: 1, streakUnit: 'week', totalDone: 4, score: 0.1167 });
      expect(result.period).toEqual({ start: '2025-01-13', end: '2025-01-19', progress: 1, target: 3, met: false });
    });
  });

  describe('GET /habits/:id/stats: numeric habits', () => {
    it('satisfies a day of a daily-goal numeric habit only when the value reaches the target', async () => {
      const habit = await createHabit({ name: 'Water', kind: 'numeric', unit: 'glasses' });
      await setGoal(habit.id, { period: 'day', target: 8 });
      await checkIn(habit.id, '2025-03-01', { value: 8 });
      await checkIn(habit.id, '2025-03-02', { value: 10 });
      await checkIn(habit.id, '2025-03-03', { value: 5 });
      await checkIn(habit.id, '2025-03-04', { value: 8 });

      expect(await stats(habit.id, '2025-03-04')).toEqual({
        currentStreak: 1,
        bestStreak: 2,
        streakUnit: 'day',
        completionRate: 0.75,
        totalDone: 3,
        // Satisfied, satisfied, missed, satisfied (m = 0.948078): 0.051922·(m³ + m² + 1) = 0.142840.
        score: 0.1428,
        period: { start: '2025-03-04', end: '2025-03-04', progress: 8, target: 8, met: true },
      });
      // 03-03 (5 < 8) is not satisfied yet, so the count starts at 03-02.
      expect(await stats(habit.id, '2025-03-03')).toEqual({
        currentStreak: 2,
        bestStreak: 2,
        streakUnit: 'day',
        completionRate: 1,
        totalDone: 2,
        score: 0.1011, // 1 − m²
        period: { start: '2025-03-03', end: '2025-03-03', progress: 5, target: 8, met: false },
      });
    });

    it('sums a numeric habit’s values per month for a monthly goal', async () => {
      const habit = await createHabit({ name: 'Pages', kind: 'numeric', unit: 'pages' });
      await setGoal(habit.id, { period: 'month', target: 100 });
      await checkIn(habit.id, '2024-12-10', { value: 40 });
      await checkIn(habit.id, '2025-01-05', { value: 60 });
      await checkIn(habit.id, '2025-01-20', { value: 50 });
      await checkIn(habit.id, '2025-02-03', { value: 30 });

      const inProgress = await stats(habit.id, '2025-02-10');
      expect(inProgress).toEqual({
        currentStreak: 1,
        bestStreak: 1,
        streakUnit: 'month',
        completionRate: expect.closeTo(2 / 29, 4),
        totalDone: 4,
        // f = 100/30: m = 0.5^(√3.333333/13) = 0.907241. Every day from 12-10 to 02-09 is due; the four
        // done days are followed by 61, 35, 20 and 6 of them: 0.092759·(m⁶¹ + m³⁵ + m²⁰ + m⁶) = 0.068280.
        score: 0.0683,
        period: { start: '2025-02-01', end: '2025-02-28', progress: 30, target: 100, met: false },
      });

      await checkIn(habit.id, '2025-02-08', { value: 70 });
      const met = await stats(habit.id, '2025-02-10');
      expect(met).toMatchObject({ currentStreak: 2, bestStreak: 2, streakUnit: 'month' });
      expect(met.period).toEqual({ start: '2025-02-01', end: '2025-02-28', progress: 100, target: 100, met: true });
    });

    it('answers exactly the contract’s fields', async () => {
      const habit = await createHabit({ name: 'Shape', kind: 'numeric' });
      await checkIn(habit.id, '2025-05-01', { value: 3 });
      const body = await stats(habit.id, '2025-05-02');
      expect(Object.keys(body).sort()).toEqual([
        'bestStreak',
        'completionRate',
        'currentStreak',
        'period',
        'score',
        'streakUnit',
        'totalDone',
      ]);
      expect(Object.keys(body.period).sort()).toEqual(['end', 'met', 'progress', 'start', 'target']);
    });
  });

  describe('GET /habits/:id/stats: validation', () => {
    let habitId: string;
    beforeAll(async () => {
      habitId = (await createHabit({ name: 'Validated' })).id;
    });

    it.each(['2025-02-30', 'garbage', '2025-2-3', '2025-13-01'])('answers 400 for asOf=%s', async (asOf) => {
      const response = await request('GET', `/habits/${habitId}/stats?asOf=${asOf}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('answers 404 for a habit that does not exist', async () => {
      const response = await request('GET', `/habits/${randomUUID()}/stats`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('answers 404 for another user’s habit', async () => {
      const other = await signUp(ctx.app);
      expect((await request('GET', `/habits/${habitId}/stats`, undefined, other.accessToken)).statusCode).toBe(404);
    });

    it('answers 400 for a malformed id', async () => {
      expect((await request('GET', '/habits/not-a-uuid/stats')).statusCode).toBe(400);
    });
  });

  describe('"today" is the user’s local date', () => {
    it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])('uses the local date in %s when asOf is missing', async (timezone) => {
      const local = await signUp(ctx.app, { timezone });
      const habit = await createHabit({ name: 'Local day' }, local.accessToken);
      const today = localToday(timezone);
      await checkIn(habit.id, today, {}, local.accessToken);

      const result = await stats(habit.id, undefined, local.accessToken);
      expect(result.currentStreak).toBe(1);
      // For a daily habit the current period is exactly T.
      expect(result.period).toEqual({ start: today, end: today, progress: 1, target: 1, met: true });
    });
  });

  describe('PUT /habits/:id/tracking/:date: which days may be checked in', () => {
    it('lets a UTC+14 user check in for their local today and tomorrow, but not the day after', async () => {
      const timezone = 'Pacific/Kiritimati';
      const kiritimati = await signUp(ctx.app, { timezone });
      const habit = await createHabit({ name: 'Ahead' }, kiritimati.accessToken);
      const today = localToday(timezone);
      // Local today is UTC today or UTC tomorrow: local today + 1 may be UTC today + 2.
      expect(today >= localToday('UTC')).toBe(true);
      await checkIn(habit.id, today, {}, kiritimati.accessToken);
      await checkIn(habit.id, addDays(today, 1), {}, kiritimati.accessToken);
      const tooLate = await request('PUT', `/habits/${habit.id}/tracking/${addDays(today, 2)}`, {}, kiritimati.accessToken);
      expect(tooLate.statusCode).toBe(400);
      expect(tooLate.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('refuses UTC today + 2 for a UTC−11 user, and accepts their local today + 1', async () => {
      const timezone = 'Pacific/Pago_Pago';
      const pagoPago = await signUp(ctx.app, { timezone });
      const habit = await createHabit({ name: 'Behind' }, pagoPago.accessToken);
      const utcPlus2 = addDays(localToday('UTC'), 2);
      expect((await request('PUT', `/habits/${habit.id}/tracking/${utcPlus2}`, {}, pagoPago.accessToken)).statusCode).toBe(400);
      await checkIn(habit.id, addDays(localToday(timezone), 1), {}, pagoPago.accessToken);
    });

    it.each([
      ['an impossible date', '2025-02-30'],
      ['a day before 2000-01-01', '1999-12-31'],
      ['a date that is not YYYY-MM-DD', '2025-3-1'],
    ])('answers 400 for %s', async (_case, date) => {
      const habit = await createHabit({ name: `Bad date ${date}` });
      expect((await request('PUT', `/habits/${habit.id}/tracking/${date}`, {})).statusCode).toBe(400);
    });

    it('accepts 2000-01-01', async () => {
      const habit = await createHabit({ name: 'Y2K' });
      await checkIn(habit.id, '2000-01-01');
    });

    it('creates (201), then replaces (200) the one check-in of a day', async () => {
      const habit = await createHabit({ name: 'Idempotent', kind: 'numeric' });
      const first = await request('PUT', `/habits/${habit.id}/tracking/2025-06-01`, { value: 2, note: 'first' });
      expect(first.statusCode).toBe(201);
      const second = await request('PUT', `/habits/${habit.id}/tracking/2025-06-01`, { value: 5, note: 'second' });
      expect(second.statusCode).toBe(200);
      expect(second.json()).toMatchObject({ id: first.json<CheckinReply>().id, date: '2025-06-01', value: 5, note: 'second' });

      const list = await request('GET', `/habits/${habit.id}/tracking?from=2025-06-01&to=2025-06-01`);
      expect(list.statusCode).toBe(200);
      expect(list.json<CheckinReply[]>()).toEqual([expect.objectContaining({ date: '2025-06-01', value: 5, note: 'second' })]);
    });

    it('deletes a check-in (204), then answers 404', async () => {
      const habit = await createHabit({ name: 'Deleted check-in' });
      await checkIn(habit.id, '2025-06-02');
      expect((await request('DELETE', `/habits/${habit.id}/tracking/2025-06-02`)).statusCode).toBe(204);
      expect((await request('DELETE', `/habits/${habit.id}/tracking/2025-06-02`)).statusCode).toBe(404);
      expect((await request('GET', `/habits/${habit.id}/tracking?from=2025-06-01&to=2025-06-30`)).json()).toEqual([]);
    });
  });

  describe('GET /habits/:id/tracking: ranges', () => {
    let habitId: string;
    beforeAll(async () => {
      habitId = (await createHabit({ name: 'Ranges' })).id;
    });
    const list = (query: string) => request('GET', `/habits/${habitId}/tracking${query}`);

    it('answers 400 when from is after to', async () => {
      expect((await list('?from=2025-01-02&to=2025-01-01')).statusCode).toBe(400);
    });

    it('accepts 366 days and refuses 367', async () => {
      expect((await list('?from=2024-01-01&to=2024-12-31')).statusCode).toBe(200);
      expect((await list('?from=2024-01-01&to=2025-01-01')).statusCode).toBe(400);
    });

    it('returns the inclusive range, by date', async () => {
      for (const date of ['2025-04-03', '2025-04-01', '2025-04-02', '2025-04-04']) await checkIn(habitId, date);
      const response = await list('?from=2025-04-01&to=2025-04-03');
      expect(response.json<CheckinReply[]>().map((checkin) => checkin.date)).toEqual(['2025-04-01', '2025-04-02', '2025-04-03']);
    });

    it('returns only the last 30 days by default', async () => {
      const habit = await createHabit({ name: 'Default range' });
      const today = localToday('UTC');
      for (const date of [addDays(today, -30), addDays(today, -29), today, addDays(today, 1)]) await checkIn(habit.id, date);
      const response = await request('GET', `/habits/${habit.id}/tracking`);
      expect(response.statusCode).toBe(200);
      expect(response.json<CheckinReply[]>().map((checkin) => checkin.date)).toEqual([addDays(today, -29), today]);
    });
  });

  describe('GET /today', () => {
    it('lists every active habit with its goal, today’s check-in and the current period’s progress', async () => {
      const timezone = 'Asia/Tokyo';
      const owner = await signUp(ctx.app, { timezone });
      const today = localToday(timezone);
      const monday = addDays(today, -isoWeekday(today));
      // Days of the current ISO week, up to today (only today when today is a Monday).
      const thisWeek = monday === today ? [today] : [monday, today];

      const read = await createHabit({ name: 'Read', position: 0 }, owner.accessToken);
      await checkIn(read.id, addDays(today, -1), {}, owner.accessToken);

      const gym = await createHabit({ name: 'Gym', position: 1 }, owner.accessToken);
      const gymGoal = await setGoal(gym.id, { period: 'week', target: 3 }, owner.accessToken);
      await checkIn(gym.id, addDays(monday, -1), {}, owner.accessToken); // last week's Sunday: not this period
      const checkins = [];
      for (const date of thisWeek) checkins.push(await checkIn(gym.id, date, { note: `gym ${date}` }, owner.accessToken));

      const archived = await createHabit({ name: 'Old', position: 2, archived: true }, owner.accessToken);
      await checkIn(archived.id, today, {}, owner.accessToken);
      // Someone else's habit never shows.
      await createHabit({ name: 'Not yours' });

      const response = await request('GET', '/today', undefined, owner.accessToken);
      expect(response.statusCode).toBe(200);
      expect(response.json<TodayItemReply[]>()).toEqual([
        { habit: read, goal: null, checkin: null, progress: 0, due: true },
        { habit: gym, goal: gymGoal, checkin: checkins.at(-1), progress: thisWeek.length, due: true },
      ]);
    });

    it('answers an empty array for a user without habits', async () => {
      const empty = await signUp(ctx.app);
      const response = await request('GET', '/today', undefined, empty.accessToken);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual([]);
    });
  });

  describe('schedules, startDate and the user’s day', () => {
    const today = async (token: string) => {
      const response = await request('GET', '/today', undefined, token);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<TodayItemReply[]>().map(({ habit, due }) => [habit.name, due]);
    };

    it('scores a Mon/Wed/Fri habit on its due days only, and passes over the others in its streak', async () => {
      const habit = await createHabit({ name: 'Gym MWF', schedule: { type: 'weekdays', days: [1, 3, 5] } });
      // Monday 2025-03-03, Tuesday 03-04 (not due), Wednesday 03-05, Friday 03-07; today Sunday 03-09.
      for (const date of ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-07']) await checkIn(habit.id, date);

      expect(await stats(habit.id, '2025-03-09')).toEqual({
        currentStreak: 3,
        bestStreak: 3,
        streakUnit: 'day',
        completionRate: 1,
        totalDone: 4,
        // f = 3/7, m = 0.5^(0.654654/13) = 0.965697: three due days done, 1 − m³ = 1 − 0.900580.
        score: 0.0994,
        period: { start: '2025-03-09', end: '2025-03-09', progress: 0, target: 1, met: false },
      });
    });

    it('starts the window and the score at the startDate', async () => {
      const habit = await createHabit({ name: 'From the 5th', startDate: '2025-03-05' });
      for (const date of ['2025-03-01', '2025-03-02', '2025-03-05', '2025-03-06', '2025-03-07']) await checkIn(habit.id, date);
      expect(await stats(habit.id, '2025-03-07')).toMatchObject({
        currentStreak: 3,
        bestStreak: 3,
        completionRate: 1,
        totalDone: 5,
        score: 0.1478,
      });
    });

    describe('for a user whose day starts at 04:00 (UTC), on Tuesday 2025-03-11', () => {
      let owner: SignedUpUser;
      let mondays: HabitReply;
      const at = (instant: string) => vi.setSystemTime(new Date(instant));
      // Still Monday for this user, then Tuesday: both within the 15 minutes of the access token.
      const MONDAY_0359 = '2025-03-11T03:59:00Z';
      const TUESDAY_0400 = '2025-03-11T04:00:00Z';

      beforeAll(async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        try {
          // Signed up in the faked time, so its tokens and session are valid in it.
          at('2025-03-11T03:50:00Z');
          owner = await signUp(ctx.app, { timezone: 'UTC' });
          const patched = await request('PATCH', '/auth/me', { dayStartHour: 4 }, owner.accessToken);
          expect(patched.statusCode, patched.body).toBe(200);
          mondays = await createHabit({ name: 'Mondays', position: 0, schedule: { type: 'weekdays', days: [1] } }, owner.accessToken);
          await createHabit({ name: 'Tuesdays', position: 1, schedule: { type: 'weekdays', days: [2] } }, owner.accessToken);
          await createHabit({ name: 'From the 20th', position: 2, startDate: '2025-03-20' }, owner.accessToken);
          await createHabit({ name: 'Every day', position: 3 }, owner.accessToken);
          await checkIn(mondays.id, '2025-03-03', {}, owner.accessToken);
          await checkIn(mondays.id, '2025-03-10', {}, owner.accessToken);
        } finally {
          vi.useRealTimers();
        }
      });

      const inFakedTime = async <T>(instant: string, run: () => Promise<T>): Promise<T> => {
        vi.useFakeTimers({ toFake: ['Date'] });
        try {
          at(instant);
          return await run();
        } finally {
          vi.useRealTimers();
        }
      };

      it('lists every active habit on /today, due or not: at 03:59 it is still Monday', async () => {
        expect(await inFakedTime(MONDAY_0359, () => today(owner.accessToken))).toEqual([
          ['Mondays', true],
          ['Tuesdays', false],
          ['From the 20th', false],
          ['Every day', true],
        ]);
      });

      it('turns to Tuesday at 04:00', async () => {
        expect(await inFakedTime(TUESDAY_0400, () => today(owner.accessToken))).toEqual([
          ['Mondays', false],
          ['Tuesdays', true],
          ['From the 20th', false],
          ['Every day', true],
        ]);
      });

      it('computes the stats without asOf for the user’s day', async () => {
        // Monday 03-10 is today and done: 2 Mondays, today included; 1 − m² with f = 1/7.
        const monday = await inFakedTime(MONDAY_0359, () => stats(mondays.id, undefined, owner.accessToken));
        expect(monday).toMatchObject({ currentStreak: 2, completionRate: 1, totalDone: 2 });
        expect(monday.period).toEqual({ start: '2025-03-10', end: '2025-03-10', progress: 1, target: 1, met: true });
        // On Tuesday, which is not due, the same streak and score; today's period is Tuesday's.
        const tuesday = await inFakedTime(TUESDAY_0400, () => stats(mondays.id, undefined, owner.accessToken));
        expect(tuesday).toMatchObject({ currentStreak: 2, completionRate: 1, totalDone: 2, score: monday.score });
        expect(tuesday.period).toEqual({ start: '2025-03-11', end: '2025-03-11', progress: 0, target: 1, met: false });
        // f = 1/7: √0.142857 = 0.377964, /13 = 0.0290742, m = e^(−0.0201527) = 0.980049; 1 − m² = 0.039504.
        expect(monday.score).toBe(0.0395);
      });

      it('counts nothing due before a future startDate', async () => {
        const habits = await inFakedTime(MONDAY_0359, async () => {
          const response = await request('GET', '/today', undefined, owner.accessToken);
          return response.json<TodayItemReply[]>();
        });
        const later = habits.find(({ habit }) => habit.name === 'From the 20th')!;
        expect(later.habit.startDate).toBe('2025-03-20');
        const result = await inFakedTime(MONDAY_0359, async () => {
          await checkIn(later.habit.id, '2025-03-10', {}, owner.accessToken);
          return stats(later.habit.id, undefined, owner.accessToken);
        });
        expect(result).toMatchObject({
          currentStreak: 0,
          bestStreak: 0,
          completionRate: null,
          totalDone: 1,
          score: 0,
        });
      });
    });
  });

  describe('constant number of SQL statements', () => {
    let counter: StatementCounter;
    let proxied: FastifyInstance;
    beforeAll(async () => {
      counter = await startStatementCounter(ctx.database.url);
      proxied = await buildApp(testConfig(counter.url));
      await proxied.ready();
      // Its job queue's workers poll the database every second: stopped, they cannot add a statement
      // to a measured request.
      await proxied.jobQueue.stop(5_000);
    });
    afterAll(async () => {
      await proxied.close();
      await counter.close();
    });

    /**
     * Statements of the second of two identical requests (the first warms connections and the 2 s
     * session cache). The clock stands still in between, so a slow machine cannot expire the cache.
     */
    const measure = async (url: string, token: string, write?: { method: 'PUT'; body: object; status: [number, number] }) => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      try {
        counter.reset();
        const first = await request(write?.method ?? 'GET', url, write?.body, token, proxied);
        expect(first.statusCode, first.body).toBe(write?.status[0] ?? 200);
        const warmUp = counter.statements;
        counter.reset();
        const response = await request(write?.method ?? 'GET', url, write?.body, token, proxied);
        const statements = counter.statements;
        expect(response.statusCode, response.body).toBe(write?.status[1] ?? 200);
        return { warmUp, statements, body: response.body };
      } finally {
        vi.useRealTimers();
      }
    };

    it('GET /today costs the same for 1 habit and for 20', async () => {
      const few = await signUp(ctx.app);
      const many = await signUp(ctx.app);
      const today = localToday('UTC');
      const single = await createHabit({ name: 'Only one' }, few.accessToken);
      await checkIn(single.id, today, {}, few.accessToken);
      for (let i = 0; i < 20; i += 1) {
        const habit = await createHabit({ name: `Habit ${i}`, position: i }, many.accessToken);
        if (i % 2 === 0) await setGoal(habit.id, { period: 'week', target: 3 }, many.accessToken);
        await checkIn(habit.id, today, {}, many.accessToken);
        await checkIn(habit.id, addDays(today, -1), {}, many.accessToken);
      }

      const one = await measure('/today', few.accessToken);
      const twenty = await measure('/today', many.accessToken);
      expect(JSON.parse(one.body)).toHaveLength(1);
      expect(JSON.parse(twenty.body)).toHaveLength(20);
      console.log(
        `GET /today statements (warm-up, measured): 1 habit → ${one.warmUp}, ${one.statements}; 20 habits → ${twenty.warmUp}, ${twenty.statements}`,
      );
      expect(twenty.statements).toBe(one.statements);
      // The user's day, their habits, goals and check-ins: one statement.
      expect(one.statements).toBe(1);
    });

    it('PUT /habits/:id/tracking/:date is one statement, creating or replacing', async () => {
      const habit = await createHabit({ name: 'Written in one statement' });
      const today = localToday('UTC');
      const created = await measure(`/habits/${habit.id}/tracking/${today}`, user.accessToken, {
        method: 'PUT',
        body: { note: 'first' },
        status: [201, 200],
      });
      console.log(`PUT check-in statements (create, replace): ${created.warmUp}, ${created.statements}`);
      expect(JSON.parse(created.body)).toMatchObject({ date: today, note: 'first', version: 2 });
      expect(created.statements).toBe(1);
      // A refusal takes a second statement, to find out which rule refused.
      const late = await request('PUT', `/habits/${habit.id}/tracking/${addDays(today, 2)}`, {}, user.accessToken, proxied);
      expect(late.statusCode).toBe(400);
    });

    it('GET /habits/:id/stats costs the same for 3 check-ins and for 400', async () => {
      const small = await createHabit({ name: 'Three check-ins' });
      for (const date of ['2025-01-01', '2025-01-02', '2025-01-03']) await checkIn(small.id, date);
      const large = await createHabit({ name: 'Four hundred check-ins' });
      await ctx.app.prisma.habitTracking.createMany({
        data: Array.from({ length: 400 }, (_, i) => ({ habitId: large.id, date: new Date(Date.UTC(2024, 0, 1) + i * DAY_MS) })),
      });
      const lastDay = addDays('2024-01-01', 399);

      const three = await measure(`/habits/${small.id}/stats?asOf=2025-01-03`, user.accessToken);
      const fourHundred = await measure(`/habits/${large.id}/stats?asOf=${lastDay}`, user.accessToken);
      expect(JSON.parse(three.body)).toMatchObject({ currentStreak: 3, totalDone: 3 });
      expect(JSON.parse(fourHundred.body)).toMatchObject({ currentStreak: 400, bestStreak: 400, totalDone: 400, completionRate: 1 });
      console.log(
        `GET /habits/:id/stats statements (warm-up, measured): 3 check-ins → ${three.warmUp}, ${three.statements}; 400 → ${fourHundred.warmUp}, ${fourHundred.statements}`,
      );
      expect(fourHundred.statements).toBe(three.statements);
      expect(three.statements).toBe(1);
    });
  });
});
