/**
 * The user's day through HTTP (API.md, "Schedules and the user's day"): the latest allowed check-in
 * date, the default range of GET /habits/:id/tracking, GET /today and GET /habits/:id/stats without
 * `asOf` all follow `dayStartHour` in the user's timezone, DST changes included.
 *
 * The clock is faked (`Date` only) and each step signs in again at its instant, since an access token
 * lives 15 minutes of that clock. Every instant is worked out by hand from the zone's offset, written
 * next to it.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp } from '../helpers/factories.js';

interface Person {
  email: string;
  password: string;
  token: string;
  habitId: string;
}

const ctx = useTestApp();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const inject = (app: FastifyInstance, person: Person, method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url, headers: bearer(person.token), ...(payload && { payload }) });

/** Moves the clock to `instant` and signs the person in again there. */
async function at(person: Person, instant: string): Promise<void> {
  vi.setSystemTime(new Date(instant));
  person.token = (await logIn(ctx.app, person.email, person.password)).accessToken;
}

/** A user in `timezone` with `dayStartHour` and one habit, signed up at `instant`. */
async function person(instant: string, timezone: string, dayStartHour: number, habit: object = { name: 'Walk' }): Promise<Person> {
  vi.setSystemTime(new Date(instant));
  const user = await signUp(ctx.app, { timezone });
  const someone: Person = { email: user.email, password: user.password, token: user.accessToken, habitId: '' };
  if (dayStartHour !== 0) {
    const patched = await inject(ctx.app, someone, 'PATCH', '/auth/me', { dayStartHour });
    expect(patched.statusCode, patched.body).toBe(200);
  }
  const created = await ctx.app.inject({ method: 'POST', url: '/habits', headers: bearer(someone.token), payload: habit });
  expect(created.statusCode, created.body).toBe(201);
  someone.habitId = created.json<{ id: string }>().id;
  return someone;
}

/** The status of a check-in on `date`: 201/200 allowed, 400 beyond the user's today + 1 day. */
async function checkIn(someone: Person, date: string, payload: object = {}): Promise<number> {
  const response = await inject(ctx.app, someone, 'PUT', `/habits/${someone.habitId}/tracking/${date}`, payload);
  if (![200, 201, 400].includes(response.statusCode)) throw new Error(`${response.statusCode} ${response.body}`);
  return response.statusCode;
}

/** The latest date the user may check in on now: probes `candidates` (ascending) and returns the last one allowed. */
async function latestAllowed(someone: Person, candidates: string[]): Promise<string | undefined> {
  let latest: string | undefined;
  for (const date of candidates) {
    if ((await checkIn(someone, date)) === 400) break;
    latest = date;
  }
  return latest;
}

const trackedDates = async (someone: Person, query = '') => {
  const response = await inject(ctx.app, someone, 'GET', `/habits/${someone.habitId}/tracking${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ date: string }[]>().map(({ date }) => date);
};

describe('the latest allowed check-in date is the user’s today + 1 day', () => {
  it('with dayStartHour 4, 02:30 on the 10th allows the 10th (the user is still on the 9th); 04:00 allows the 11th', async () => {
    // Europe/Berlin in June: CEST, +02:00. 02:30 CEST = 00:30Z; 03:59:59.999 = 01:59:59.999Z; 04:00 = 02:00Z.
    const someone = await person('2026-06-10T00:30:00.000Z', 'Europe/Berlin', 4);
    expect(await checkIn(someone, '2026-06-11')).toBe(400);
    expect(await checkIn(someone, '2026-06-10')).toBe(201);

    await at(someone, '2026-06-10T01:59:59.999Z');
    expect(await checkIn(someone, '2026-06-11')).toBe(400);

    await at(someone, '2026-06-10T02:00:00.000Z');
    expect(await checkIn(someone, '2026-06-11')).toBe(201);
    expect(await checkIn(someone, '2026-06-12')).toBe(400);
  });

  it('with dayStartHour 0 at the same instant, the 11th is already allowed', async () => {
    // 02:30 CEST on the 10th: the user's day is the 10th.
    const someone = await person('2026-06-10T00:30:00.000Z', 'Europe/Berlin', 0);
    expect(await checkIn(someone, '2026-06-11')).toBe(201);
    expect(await checkIn(someone, '2026-06-12')).toBe(400);
  });

  it('follows a change of dayStartHour at once', async () => {
    // 02:30 UTC on the 10th: with dayStartHour 0 the 10th (latest 11th), with 3 the 9th (latest 10th).
    const someone = await person('2026-06-10T02:30:00.000Z', 'UTC', 0);
    expect(await latestAllowed(someone, ['2026-06-10', '2026-06-11', '2026-06-12'])).toBe('2026-06-11');
    expect((await inject(ctx.app, someone, 'PATCH', '/auth/me', { dayStartHour: 3 })).statusCode).toBe(200);
    expect(await checkIn(someone, '2026-06-11')).toBe(400);
  });

  // 02:30 and 04:00 local on 2026-06-10, by hand:
  it.each([
    // zone, offset in June, 02:30 local, 04:00 local
    ['UTC', '+00:00', '2026-06-10T02:30:00.000Z', '2026-06-10T04:00:00.000Z'],
    ['Europe/Berlin', '+02:00', '2026-06-10T00:30:00.000Z', '2026-06-10T02:00:00.000Z'],
    ['America/New_York', '−04:00', '2026-06-10T06:30:00.000Z', '2026-06-10T08:00:00.000Z'],
    ['Asia/Kolkata', '+05:30', '2026-06-09T21:00:00.000Z', '2026-06-09T22:30:00.000Z'],
    ['Pacific/Kiritimati', '+14:00', '2026-06-09T12:30:00.000Z', '2026-06-09T14:00:00.000Z'],
    ['Pacific/Pago_Pago', '−11:00', '2026-06-10T13:30:00.000Z', '2026-06-10T15:00:00.000Z'],
    ['Australia/Lord_Howe', '+10:30 (winter)', '2026-06-09T16:00:00.000Z', '2026-06-09T17:30:00.000Z'],
  ])('%s (%s), dayStartHour 4: the 10th at 02:30 local, the 11th at 04:00 local', async (timezone, _offset, half2, four) => {
    const candidates = ['2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'];
    const someone = await person(half2, timezone, 4);
    expect(await latestAllowed(someone, candidates)).toBe('2026-06-10');
    await at(someone, new Date(new Date(four).getTime() - 1).toISOString());
    expect(await latestAllowed(someone, candidates)).toBe('2026-06-10');
    await at(someone, four);
    expect(await latestAllowed(someone, candidates)).toBe('2026-06-11');
  });

  describe('on the DST change days', () => {
    const MARCH = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31'];
    const OCTOBER = ['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27'];

    it('Europe/Berlin spring forward (2026-03-29, 02:00–03:00 skipped), dayStartHour 3: the 29th starts at 03:00 CEST = 01:00Z', async () => {
      // 00:59:59.999Z = 01:59:59.999 CET: the user's day is the 28th.
      const someone = await person('2026-03-29T00:59:59.999Z', 'Europe/Berlin', 3);
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-29');
      // 01:00Z = 03:00 CEST: the 29th.
      await at(someone, '2026-03-29T01:00:00.000Z');
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-30');
    });

    it('Europe/Berlin spring forward, dayStartHour 2: the 29th starts at the same instant (02:00 does not exist)', async () => {
      const someone = await person('2026-03-29T00:59:59.999Z', 'Europe/Berlin', 2);
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-29');
      await at(someone, '2026-03-29T01:00:00.000Z');
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-30');
    });

    it('Europe/Berlin spring forward, dayStartHour 4: the 29th starts at 04:00 CEST = 02:00Z, not 4 elapsed hours after midnight', async () => {
      // 01:59:59.999Z = 03:59:59.999 CEST: still the 28th.
      const someone = await person('2026-03-29T01:59:59.999Z', 'Europe/Berlin', 4);
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-29');
      await at(someone, '2026-03-29T02:00:00.000Z');
      expect(await latestAllowed(someone, MARCH)).toBe('2026-03-30');
    });

    it('Europe/Berlin fall back (2026-10-25, 02:00–03:00 twice), dayStartHour 3: both passes are the 24th; 03:00 CET = 02:00Z starts the 25th', async () => {
      // 00:30Z = 02:30 CEST (first pass): the 24th.
      const someone = await person('2026-10-25T00:30:00.000Z', 'Europe/Berlin', 3);
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-25');
      // 01:30Z = 02:30 CET (second pass): still the 24th.
      await at(someone, '2026-10-25T01:30:00.000Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-25');
      // 01:59:59.999Z = 02:59:59.999 CET: still the 24th.
      await at(someone, '2026-10-25T01:59:59.999Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-25');
      await at(someone, '2026-10-25T02:00:00.000Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-26');
    });

    it('Europe/Berlin fall back, dayStartHour 2: the 25th starts at the first 02:00 (CEST) = 00:00Z and does not step back', async () => {
      // 23:59:59.999Z on the 24th = 01:59:59.999 CEST: the 24th.
      const someone = await person('2026-10-24T23:59:59.999Z', 'Europe/Berlin', 2);
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-25');
      await at(someone, '2026-10-25T00:00:00.000Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-26');
      // 01:00Z = 02:00 CET, the second 02:00: still the 25th.
      await at(someone, '2026-10-25T01:00:00.000Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-26');
    });

    it('Europe/Berlin fall back, dayStartHour 4: 03:30 CET = 02:30Z is still the 24th; 04:00 CET = 03:00Z the 25th', async () => {
      const someone = await person('2026-10-25T02:30:00.000Z', 'Europe/Berlin', 4);
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-25');
      await at(someone, '2026-10-25T03:00:00.000Z');
      expect(await latestAllowed(someone, OCTOBER)).toBe('2026-10-26');
    });

    it('America/New_York spring forward (2026-03-08), dayStartHour 2: the 8th starts at 03:00 EDT = 07:00Z', async () => {
      const days = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];
      // 06:59:59.999Z = 01:59:59.999 EST: the 7th.
      const someone = await person('2026-03-08T06:59:59.999Z', 'America/New_York', 2);
      expect(await latestAllowed(someone, days)).toBe('2026-03-08');
      await at(someone, '2026-03-08T07:00:00.000Z');
      expect(await latestAllowed(someone, days)).toBe('2026-03-09');
    });

    it('America/New_York fall back (2026-11-01), dayStartHour 2: 01:59:59.999 EST (second pass) is the 31st; 02:00 EST = 07:00Z the 1st', async () => {
      const days = ['2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03'];
      const someone = await person('2026-11-01T06:59:59.999Z', 'America/New_York', 2);
      expect(await latestAllowed(someone, days)).toBe('2026-11-01');
      await at(someone, '2026-11-01T07:00:00.000Z');
      expect(await latestAllowed(someone, days)).toBe('2026-11-02');
    });

    it('Australia/Lord_Howe spring forward (2026-10-04, 02:00–02:30 skipped), dayStartHour 2: the 4th starts at 02:30 LHDT = 15:30Z on the 3rd', async () => {
      const days = ['2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06'];
      // 15:29:59.999Z = 01:59:59.999 LHST (+10:30): the 3rd.
      const someone = await person('2026-10-03T15:29:59.999Z', 'Australia/Lord_Howe', 2);
      expect(await latestAllowed(someone, days)).toBe('2026-10-04');
      await at(someone, '2026-10-03T15:30:00.000Z');
      expect(await latestAllowed(someone, days)).toBe('2026-10-05');
    });
  });
});

describe('a user who changes timezone', () => {
  it('keeps every check-in on its calendar day, and the bound moves with the new zone', async () => {
    // 2026-06-10T12:00Z is 02:00 on the 11th in Kiritimati (+14) and 01:00 on the 10th in Pago Pago (−11).
    const someone = await person('2026-06-10T12:00:00.000Z', 'Pacific/Kiritimati', 0);
    for (const date of ['2026-06-01', '2026-06-10', '2026-06-11', '2026-06-12']) expect(await checkIn(someone, date)).toBe(201);
    expect(await checkIn(someone, '2026-06-13')).toBe(400);
    const range = '?from=2026-06-01&to=2026-06-30';
    const before = await trackedDates(someone, range);
    expect(before).toEqual(['2026-06-01', '2026-06-10', '2026-06-11', '2026-06-12']);

    const patched = await inject(ctx.app, someone, 'PATCH', '/auth/me', { timezone: 'Pacific/Pago_Pago' });
    expect(patched.statusCode, patched.body).toBe(200);

    expect(await trackedDates(someone, range)).toEqual(before);
    const one = await inject(ctx.app, someone, 'GET', `/habits/${someone.habitId}/tracking/2026-06-12`);
    expect(one.json()).toMatchObject({ date: '2026-06-12' });
    // In Pago Pago the user's today is the 10th: the 11th is the latest; the existing 12th stays.
    expect(await checkIn(someone, '2026-06-12')).toBe(400);
    expect(await checkIn(someone, '2026-06-11')).toBe(200);
    expect(await trackedDates(someone, range)).toEqual(before);

    // And back to Kiritimati: the 12th is allowed again, nothing moved.
    expect((await inject(ctx.app, someone, 'PATCH', '/auth/me', { timezone: 'Pacific/Kiritimati' })).statusCode).toBe(200);
    expect(await checkIn(someone, '2026-06-12')).toBe(200);
    expect(await trackedDates(someone, range)).toEqual(before);
  });

  it('sees the default tracking range end at the new zone’s today', async () => {
    const someone = await person('2026-06-10T12:00:00.000Z', 'Pacific/Kiritimati', 0);
    // Kiritimati's today is the 11th: the default range is 05-13 … 06-11.
    for (const date of ['2026-05-12', '2026-05-13', '2026-06-10', '2026-06-11', '2026-06-12'])
      expect(await checkIn(someone, date)).toBe(201);
    expect(await trackedDates(someone)).toEqual(['2026-05-13', '2026-06-10', '2026-06-11']);
    // Pago Pago's today is the 10th: 05-12 … 06-10.
    expect((await inject(ctx.app, someone, 'PATCH', '/auth/me', { timezone: 'Pacific/Pago_Pago' })).statusCode).toBe(200);
    expect(await trackedDates(someone)).toEqual(['2026-05-12', '2026-05-13', '2026-06-10']);
  });
});

describe('the default tracking range: the 30 days ending on the user’s today', () => {
  it('moves at dayStartHour, not at midnight', async () => {
    // UTC, dayStartHour 4: at 02:30Z on 06-10 the user's today is 06-09 (range 05-11 … 06-09).
    const someone = await person('2026-06-10T02:30:00.000Z', 'UTC', 4);
    for (const date of ['2026-05-10', '2026-05-11', '2026-05-12', '2026-06-09', '2026-06-10'])
      expect(await checkIn(someone, date)).toBe(201);
    expect(await trackedDates(someone)).toEqual(['2026-05-11', '2026-05-12', '2026-06-09']);
    // 04:00Z: today is 06-10 (range 05-12 … 06-10).
    await at(someone, '2026-06-10T04:00:00.000Z');
    expect(await trackedDates(someone)).toEqual(['2026-05-12', '2026-06-09', '2026-06-10']);
  });
});

describe('GET /today', () => {
  const todays = async (someone: Person) => {
    const response = await inject(ctx.app, someone, 'GET', '/today');
    expect(response.statusCode, response.body).toBe(200);
    const [item] = response.json<{ checkin: { date: string; note: string | null } | null; progress: number }[]>();
    return item!;
  };

  it('picks the check-in of the user’s day: until dayStartHour, yesterday’s', async () => {
    // Europe/Berlin (CEST +02:00), dayStartHour 4. 02:30 CEST on the 10th = 00:30Z: the user's day is the 9th.
    const someone = await person('2026-06-10T00:30:00.000Z', 'Europe/Berlin', 4);
    expect(await checkIn(someone, '2026-06-09', { note: 'ninth' })).toBe(201);
    expect(await checkIn(someone, '2026-06-10', { note: 'tenth' })).toBe(201);
    expect(await todays(someone)).toMatchObject({ checkin: { date: '2026-06-09', note: 'ninth' }, progress: 1 });

    // 03:59:59.999 CEST: still the 9th.
    await at(someone, '2026-06-10T01:59:59.999Z');
    expect((await todays(someone)).checkin).toMatchObject({ date: '2026-06-09' });

    // 04:00 CEST = 02:00Z: the 10th.
    await at(someone, '2026-06-10T02:00:00.000Z');
    expect(await todays(someone)).toMatchObject({ checkin: { date: '2026-06-10', note: 'tenth' }, progress: 1 });

    // 04:00 CEST on the 11th: no check-in yet.
    await at(someone, '2026-06-11T02:00:00.000Z');
    expect(await todays(someone)).toMatchObject({ checkin: null, progress: 0 });
  });

  it('on the spring-forward day in Berlin with dayStartHour 3: the 29th from 03:00 CEST = 01:00Z', async () => {
    const someone = await person('2026-03-29T00:59:59.999Z', 'Europe/Berlin', 3);
    expect(await checkIn(someone, '2026-03-28')).toBe(201);
    expect(await checkIn(someone, '2026-03-29')).toBe(201);
    expect((await todays(someone)).checkin).toMatchObject({ date: '2026-03-28' });
    await at(someone, '2026-03-29T01:00:00.000Z');
    expect((await todays(someone)).checkin).toMatchObject({ date: '2026-03-29' });
  });

  it('on the fall-back day in Berlin with dayStartHour 3: the second 02:30 is still the 24th', async () => {
    const someone = await person('2026-10-25T01:30:00.000Z', 'Europe/Berlin', 3);
    expect(await checkIn(someone, '2026-10-24')).toBe(201);
    expect(await checkIn(someone, '2026-10-25')).toBe(201);
    expect((await todays(someone)).checkin).toMatchObject({ date: '2026-10-24' });
    await at(someone, '2026-10-25T02:00:00.000Z');
    expect((await todays(someone)).checkin).toMatchObject({ date: '2026-10-25' });
  });
});

describe('GET /habits/:id/stats without asOf', () => {
  interface Stats {
    currentStreak: number;
    totalDone: number;
    completionRate: number | null;
  }
  const stats = async (someone: Person, query = '') => {
    const response = await inject(ctx.app, someone, 'GET', `/habits/${someone.habitId}/stats${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Stats>();
  };

  it('counts today’s check-in in the current streak only once the user’s day has started', async () => {
    // Berlin, dayStartHour 4; 03:00 CEST on the 10th = 01:00Z: the user's day (T) is the 9th.
    const someone = await person('2026-06-10T01:00:00.000Z', 'Europe/Berlin', 4);
    for (const date of ['2026-06-08', '2026-06-09', '2026-06-10']) expect(await checkIn(someone, date)).toBe(201);
    // T = 06-09: 06-08 and 06-09; the 10th is tomorrow.
    expect(await stats(someone)).toMatchObject({ currentStreak: 2 });
    // 04:00 CEST = 02:00Z: T = 06-10.
    await at(someone, '2026-06-10T02:00:00.000Z');
    expect(await stats(someone)).toMatchObject({ currentStreak: 3, totalDone: 3 });
  });

  it('keeps yesterday’s streak alive until dayStartHour the next morning', async () => {
    // UTC, dayStartHour 4: done 06-08 and 06-09. At 03:59:59.999Z on the 11th T is still the 10th, not
    // yet done: the streak counts from the 9th (2). At 04:00Z on the 11th, T = 11th, and the 10th broke it.
    const someone = await person('2026-06-10T12:00:00.000Z', 'UTC', 4);
    for (const date of ['2026-06-08', '2026-06-09']) expect(await checkIn(someone, date)).toBe(201);
    await at(someone, '2026-06-11T03:59:59.999Z');
    expect(await stats(someone)).toMatchObject({ currentStreak: 2 });
    await at(someone, '2026-06-11T04:00:00.000Z');
    expect(await stats(someone)).toMatchObject({ currentStreak: 0 });
  });

  it('starts the completion-rate window at the user’s day of creation', async () => {
    // Created at 03:00 CEST on 06-10 (01:00Z) with dayStartHour 4: created on the user's 06-09.
    const someone = await person('2026-06-10T01:00:00.000Z', 'Europe/Berlin', 4);
    await ctx.app.prisma.habit.update({ where: { id: someone.habitId }, data: { createdAt: new Date('2026-06-10T01:00:00.000Z') } });
    // T = 06-10 (not done, so left out): the only eligible day is 06-09, not done → 0. Created on the
    // calendar day 06-10, there would be no eligible day (null).
    expect(await stats(someone, '?asOf=2026-06-10')).toMatchObject({ completionRate: 0 });
    // Without asOf, at 03:00 CEST T is 06-09 itself, left out while not done: no eligible day.
    expect(await stats(someone)).toMatchObject({ completionRate: null });
  });
});

describe('dayStartHour on the user', () => {
  it('is 0 at signup and shows in GET /auth/me after a PATCH', async () => {
    vi.setSystemTime(new Date('2026-06-10T12:00:00.000Z'));
    const user = await signUp(ctx.app);
    expect(user.user).toMatchObject({ dayStartHour: 0 });
    const headers = bearer(user.accessToken);
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers })).json()).toMatchObject({ dayStartHour: 0 });

    const patched = await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers, payload: { dayStartHour: 4 } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ dayStartHour: 4, timezone: 'UTC' });
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers })).json()).toMatchObject({ dayStartHour: 4 });

    // A PATCH of another field leaves it.
    await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers, payload: { timezone: 'Asia/Kolkata' } });
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers })).json()).toMatchObject({
      dayStartHour: 4,
      timezone: 'Asia/Kolkata',
    });
  });

  it.each([0, 23])('accepts %i', async (dayStartHour) => {
    vi.setSystemTime(new Date('2026-06-10T12:00:00.000Z'));
    const user = await signUp(ctx.app);
    const headers = bearer(user.accessToken);
    const patched = await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers, payload: { dayStartHour: 7 } });
    expect(patched.statusCode).toBe(200);
    const response = await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers, payload: { dayStartHour } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ dayStartHour });
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers })).json()).toMatchObject({ dayStartHour });
  });

  it.each([
    ['-1', -1],
    ['24', 24],
    ['1.5', 1.5],
    ['"4"', '4'],
    ['null', null],
    ['true', true],
    ['1e400', '1e400'],
  ])('answers 400 for %s and changes nothing', async (_label, dayStartHour) => {
    vi.setSystemTime(new Date('2026-06-10T12:00:00.000Z'));
    const user = await signUp(ctx.app);
    const headers = bearer(user.accessToken);
    expect((await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers, payload: { dayStartHour: 5 } })).statusCode).toBe(200);
    const payload = dayStartHour === '1e400' ? '{"dayStartHour":1e400,"name":"Changed"}' : { dayStartHour, name: 'Changed' };
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      headers: { ...headers, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers })).json()).toMatchObject({ dayStartHour: 5, name: null });
  });
});
