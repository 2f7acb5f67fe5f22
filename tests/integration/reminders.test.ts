/**
 * GET /reminders (API.md, "Reminders") through HTTP on a real database: the range's defaults and
 * rules, which habits and days fire (archived, schedules, startDate, `days`), `done`, the user's day
 * with dayStartHour, DST in several zones (each expected instant checked against the runtime's own
 * IANA data with Intl.DateTimeFormat, independently of the app's Temporal), a change of time zone,
 * ownership, and the number of SQL statements.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';
import { startStatementCounter, type StatementCounter } from '../helpers/statement-counter.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Occurrence {
  habitId: string;
  at: string;
  localDate: string;
  localTime: string;
  done: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The local wall-clock time of an instant in a zone, `YYYY-MM-DD HH:MM`, from the runtime's Intl. */
function wallClock(instant: string | number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((each) => each.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

const plus = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

describe('GET /reminders', () => {
  const ctx = useTestApp();

  const request = (method: Method, url: string, token: string | undefined, payload?: object, app: FastifyInstance = ctx.app) =>
    app.inject({ method, url, headers: token === undefined ? {} : bearer(token), ...(payload !== undefined && { payload }) });

  const user = async (fields: { timezone?: string; dayStartHour?: number } = {}): Promise<SignedUpUser> => {
    const { dayStartHour, ...signup } = fields;
    const created = await signUp(ctx.app, signup);
    if (dayStartHour !== undefined) {
      const patched = await request('PATCH', '/auth/me', created.accessToken, { dayStartHour });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    return created;
  };

  const createHabit = async (token: string, fields: Record<string, unknown>): Promise<string> => {
    const response = await request('POST', '/habits', token, { name: `Habit ${Math.random()}`, ...fields });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };

  const reminders = async (token: string, query: string, app?: FastifyInstance): Promise<Occurrence[]> => {
    const response = await request('GET', `/reminders${query}`, token, undefined, app);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Occurrence[]>();
  };

  const range = (from: string, to: string) => `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  it('requires an access token', async () => {
    const response = await request('GET', '/reminders', undefined);
    expect(response.statusCode).toBe(401);
  });

  it('answers an empty array for a user without reminders', async () => {
    const { accessToken } = await user();
    await createHabit(accessToken, {});
    expect(await reminders(accessToken, '')).toEqual([]);
  });

  describe('the range', () => {
    let token: string;
    let habitId: string;
    beforeAll(async () => {
      token = (await user()).accessToken;
      // UTC, every 6 hours: any 24 hours hold exactly four.
      habitId = await createHabit(token, { reminders: ['00:00', '06:00', '12:00', '18:00'].map((time) => ({ time })) });
    });

    it('defaults to the 24 hours from now', async () => {
      const now = Date.now();
      vi.useFakeTimers({ toFake: ['Date'], now });
      try {
        const list = await reminders(token, '');
        // The next occurrence of each time at or after now, in UTC.
        const expected = ['00:00', '06:00', '12:00', '18:00']
          .map((time) => {
            const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T${time}:00Z`);
            return today >= now ? today : today + DAY_MS;
          })
          .sort((x, y) => x - y)
          .map((at) => new Date(at).toISOString());
        expect(list.map((each) => each.at)).toEqual(expected);
        expect(list.every((each) => each.habitId === habitId)).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });

    it('defaults `to` to 24 hours after `from`, `from` inclusive and `to` exclusive', async () => {
      const list = await reminders(token, '?from=2026-02-02T06:00:00Z');
      expect(list.map((each) => each.at)).toEqual([
        '2026-02-02T06:00:00.000Z',
        '2026-02-02T12:00:00.000Z',
        '2026-02-02T18:00:00.000Z',
        '2026-02-03T00:00:00.000Z',
      ]);
    });

    it('defaults `from` to 24 hours before `to` when only `to` is given', async () => {
      const list = await reminders(token, '?to=2026-02-03T06:00:00Z');
      expect(list.map((each) => each.at)).toEqual([
        '2026-02-02T06:00:00.000Z',
        '2026-02-02T12:00:00.000Z',
        '2026-02-02T18:00:00.000Z',
        '2026-02-03T00:00:00.000Z',
      ]);
    });

    it('takes instants with an offset', async () => {
      const list = await reminders(token, range('2026-02-02T07:00:00+01:00', '2026-02-02T13:30:00+01:00'));
      expect(list.map((each) => each.at)).toEqual(['2026-02-02T06:00:00.000Z', '2026-02-02T12:00:00.000Z']);
    });

    it('answers up to 7 days', async () => {
      expect(await reminders(token, range('2026-02-02T00:00:00Z', '2026-02-09T00:00:00Z'))).toHaveLength(28);
    });

    it.each([
      ['`to` equal to `from`', range('2026-02-02T00:00:00Z', '2026-02-02T00:00:00Z'), /to must be later than from/],
      ['`to` before `from`', range('2026-02-02T00:00:00Z', '2026-02-01T00:00:00Z'), /to must be later than from/],
      ['`to` before `from` by its offset', range('2026-02-02T00:00:00Z', '2026-02-02T01:00:00+02:00'), /to must be later than from/],
      ['more than 7 days', range('2026-02-02T00:00:00Z', '2026-02-09T00:00:01Z'), /at most 7 days/],
      ['a day without a time', '?from=2026-02-02', /from/],
      ['no offset', '?from=2026-02-02T00:00:00', /from/],
      ['an impossible day', '?from=2026-02-30T00:00:00Z', /from/],
      ['a word', '?to=tomorrow', /to/],
      ['a year out of range', '?from=1899-12-31T00:00:00Z', /from/],
      ['too many fraction digits', '?from=2026-02-02T00:00:00.0000000001Z', /from must be an ISO 8601 instant/],
    ])('answers 400 for %s', async (_label, query, message) => {
      const response = await request('GET', `/reminders${query}`, token);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    });
  });

  describe('which habits and days fire', () => {
    // Monday 2026-01-05 to Sunday 2026-01-11, UTC.
    const week = range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z');
    let token: string;
    beforeAll(async () => {
      token = (await user()).accessToken;
    });

    const daysOf = async (habitId: string) =>
      (await reminders(token, week)).filter((each) => each.habitId === habitId).map((each) => `${each.localDate} ${each.localTime}`);

    it('leaves out archived habits', async () => {
      const archived = await createHabit(token, { reminders: [{ time: '08:00' }], archived: true });
      expect(await daysOf(archived)).toEqual([]);
      const unarchived = await createHabit(token, { reminders: [{ time: '08:00' }] });
      expect(await daysOf(unarchived)).toHaveLength(7);
      expect((await request('PATCH', `/habits/${unarchived}`, token, { archived: true })).statusCode).toBe(200);
      expect(await daysOf(unarchived)).toEqual([]);
    });

    it('fires a weekdays habit on its days only', async () => {
      const habitId = await createHabit(token, { reminders: [{ time: '08:00' }], schedule: { type: 'weekdays', days: [1, 3, 5] } });
      expect(await daysOf(habitId)).toEqual(['2026-01-05 08:00', '2026-01-07 08:00', '2026-01-09 08:00']);
    });

    it('fires an interval habit on its anchor and every N days around it', async () => {
      const habitId = await createHabit(token, {
        reminders: [{ time: '08:00' }],
        schedule: { type: 'interval', every: 3, anchor: '2026-01-10' },
      });
      expect(await daysOf(habitId)).toEqual(['2026-01-07 08:00', '2026-01-10 08:00']);
    });

    it('fires nothing before the startDate', async () => {
      const habitId = await createHabit(token, { reminders: [{ time: '08:00' }], startDate: '2026-01-10' });
      expect(await daysOf(habitId)).toEqual(['2026-01-10 08:00', '2026-01-11 08:00']);
    });

    it('fires a reminder with `days` on those weekdays only, beside the habit’s other reminders', async () => {
      const habitId = await createHabit(token, {
        reminders: [{ time: '07:00', days: [6, 7] }, { time: '09:00' }],
        schedule: { type: 'weekdays', days: [5, 6] },
      });
      expect(await daysOf(habitId)).toEqual(['2026-01-09 09:00', '2026-01-10 07:00', '2026-01-10 09:00']);
    });

    it('sorts by instant, then habit id', async () => {
      const list = await reminders(token, week);
      const keys = list.map((each) => [each.at, each.habitId]);
      expect(keys).toEqual([...keys].sort(([a1, h1], [a2, h2]) => a1!.localeCompare(a2!) || h1!.localeCompare(h2!)));
    });
  });

  describe('done', () => {
    it('is true for the reminders of a day satisfied by a check-in', async () => {
      const { accessToken } = await user();
      const boolean = await createHabit(accessToken, { reminders: [{ time: '08:00' }, { time: '20:00' }] });
      const numeric = await createHabit(accessToken, { kind: 'numeric', reminders: [{ time: '09:00' }] });
      expect((await request('PUT', `/habits/${numeric}/goal`, accessToken, { period: 'day', target: 5 })).statusCode).toBe(201);
      for (const [habitId, date, body] of [
        [boolean, '2026-01-05', {}],
        [boolean, '2026-01-06', { status: 'skipped' }],
        [numeric, '2026-01-05', { value: 4 }],
        [numeric, '2026-01-06', { value: 5 }],
      ] as const) {
        const response = await request('PUT', `/habits/${habitId}/tracking/${date}`, accessToken, body);
        expect(response.statusCode, response.body).toBe(201);
      }
      const list = await reminders(accessToken, range('2026-01-05T00:00:00Z', '2026-01-08T00:00:00Z'));
      const done = (habitId: string) =>
        list.filter((each) => each.habitId === habitId).map((each) => [each.localDate, each.localTime, each.done]);
      expect(done(boolean)).toEqual([
        ['2026-01-05', '08:00', true],
        ['2026-01-05', '20:00', true],
        ['2026-01-06', '08:00', false],
        ['2026-01-06', '20:00', false],
        ['2026-01-07', '08:00', false],
        ['2026-01-07', '20:00', false],
      ]);
      expect(done(numeric)).toEqual([
        ['2026-01-05', '09:00', false],
        ['2026-01-06', '09:00', true],
        ['2026-01-07', '09:00', false],
      ]);
    });
  });

  describe('the user’s day (dayStartHour 4, Europe/Berlin: UTC+1 in January)', () => {
    it('a 01:00 reminder belongs to the day that started the evening before: Monday’s fires on Tuesday’s date', async () => {
      const { accessToken } = await user({ timezone: 'Europe/Berlin', dayStartHour: 4 });
      // Due on Mondays only: Monday 2026-01-05 runs from Monday 04:00 to Tuesday 04:00 local.
      const habitId = await createHabit(accessToken, {
        reminders: [{ time: '01:00' }, { time: '22:00' }],
        schedule: { type: 'weekdays', days: [1] },
      });
      expect((await request('PUT', `/habits/${habitId}/tracking/2026-01-05`, accessToken, {})).statusCode).toBe(201);
      const list = await reminders(accessToken, range('2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z'));
      expect(list).toEqual([
        { habitId, at: '2026-01-05T21:00:00.000Z', localDate: '2026-01-05', localTime: '22:00', done: true },
        { habitId, at: '2026-01-06T00:00:00.000Z', localDate: '2026-01-05', localTime: '01:00', done: true },
      ]);
      // Monday's 01:00 is Tuesday 01:00 on the wall; Sunday's (Monday 01:00 on the wall) is not listed: Sunday is not due.
      expect(wallClock('2026-01-06T00:00:00Z', 'Europe/Berlin')).toBe('2026-01-06 01:00');
    });
  });

  describe('DST', () => {
    /**
     * One reminder at `time` on a daily habit of a user in `zone` (dayStartHour 0), on the day
     * `date`. `at` is checked against Intl: for a skipped time, its wall time is `time` + the gap and
     * the wall time `gap` earlier is `time` − the gap (no wall time `time` exists); for a repeated
     * time, the wall time at `at` and `gap` later are both `time` (the first of the two), and `gap`
     * earlier is `time` − the gap.
     */
    const cases = [
      // 02:00 CET → 03:00 CEST
      {
        zone: 'Europe/Berlin',
        date: '2026-03-29',
        time: '02:30',
        change: 'skipped',
        gapMinutes: 60,
        at: '2026-03-29T01:30:00.000Z',
        wall: '2026-03-29 03:30',
        before: '2026-03-29 01:30',
      },
      // 03:00 CEST → 02:00 CET
      {
        zone: 'Europe/Berlin',
        date: '2026-10-25',
        time: '02:30',
        change: 'repeated',
        gapMinutes: 60,
        at: '2026-10-25T00:30:00.000Z',
        wall: '2026-10-25 02:30',
        before: '2026-10-25 01:30',
      },
      // 02:00 EST → 03:00 EDT
      {
        zone: 'America/New_York',
        date: '2026-03-08',
        time: '02:30',
        change: 'skipped',
        gapMinutes: 60,
        at: '2026-03-08T07:30:00.000Z',
        wall: '2026-03-08 03:30',
        before: '2026-03-08 01:30',
      },
      // 02:00 EDT → 01:00 EST
      {
        zone: 'America/New_York',
        date: '2026-11-01',
        time: '01:30',
        change: 'repeated',
        gapMinutes: 60,
        at: '2026-11-01T05:30:00.000Z',
        wall: '2026-11-01 01:30',
        before: '2026-11-01 00:30',
      },
      // 02:00 +10:30 → 02:30 +11:00 (a 30-minute change)
      {
        zone: 'Australia/Lord_Howe',
        date: '2026-10-04',
        time: '02:15',
        change: 'skipped',
        gapMinutes: 30,
        at: '2026-10-03T15:45:00.000Z',
        wall: '2026-10-04 02:45',
        before: '2026-10-04 01:45',
      },
      // 02:00 +11:00 → 01:30 +10:30
      {
        zone: 'Australia/Lord_Howe',
        date: '2026-04-05',
        time: '01:45',
        change: 'repeated',
        gapMinutes: 30,
        at: '2026-04-04T14:45:00.000Z',
        wall: '2026-04-05 01:45',
        before: '2026-04-05 01:15',
      },
      // Southern hemisphere, at midnight: 00:00 −04 → 01:00 −03
      {
        zone: 'America/Santiago',
        date: '2026-09-06',
        time: '00:30',
        change: 'skipped',
        gapMinutes: 60,
        at: '2026-09-06T04:30:00.000Z',
        wall: '2026-09-06 01:30',
        before: '2026-09-05 23:30',
      },
      // 24:00 −03 → 23:00 −04 (the day before)
      {
        zone: 'America/Santiago',
        date: '2026-04-04',
        time: '23:30',
        change: 'repeated',
        gapMinutes: 60,
        at: '2026-04-05T02:30:00.000Z',
        wall: '2026-04-04 23:30',
        before: '2026-04-04 22:30',
      },
      // 02:00 AEST → 03:00 AEDT
      {
        zone: 'Australia/Sydney',
        date: '2026-10-04',
        time: '02:30',
        change: 'skipped',
        gapMinutes: 60,
        at: '2026-10-03T16:30:00.000Z',
        wall: '2026-10-04 03:30',
        before: '2026-10-04 01:30',
      },
      // 03:00 AEDT → 02:00 AEST
      {
        zone: 'Australia/Sydney',
        date: '2026-04-05',
        time: '02:30',
        change: 'repeated',
        gapMinutes: 60,
        at: '2026-04-04T15:30:00.000Z',
        wall: '2026-04-05 02:30',
        before: '2026-04-05 01:30',
      },
    ] as const;

    const given: { zone: string; date: string; time: string; at: string }[] = [];
    afterAll(() => {
      console.log(
        `GET /reminders across DST:\n${given.map((row) => `  ${row.zone.padEnd(20)} ${row.date} ${row.time} → ${row.at}`).join('\n')}`,
      );
    });

    it.each(cases)('$zone $date $time ($change) fires once, at $at', async ({ zone, date, time, change, gapMinutes, at, wall, before }) => {
      // The expectation, from Intl's IANA data.
      const gap = gapMinutes * 60_000;
      expect(wallClock(at, zone)).toBe(wall);
      expect(wallClock(Date.parse(at) - gap, zone)).toBe(before);
      if (change === 'repeated') {
        expect(wall.endsWith(time)).toBe(true);
        expect(wallClock(Date.parse(at) + gap, zone)).toBe(wall);
      } else {
        expect(wall.endsWith(time)).toBe(false);
      }

      const { accessToken } = await user({ timezone: zone });
      const habitId = await createHabit(accessToken, { reminders: [{ time }] });
      // Three days around the date, in UTC: wide enough for any zone.
      const list = await reminders(accessToken, range(plus(`${date}T00:00:00Z`, -DAY_MS), plus(`${date}T00:00:00Z`, 2 * DAY_MS)));
      const onDate = list.filter((each) => each.localDate === date);
      expect(onDate).toEqual([{ habitId, at, localDate: date, localTime: time, done: false }]);
      given.push({ zone, date, time, at: onDate[0]!.at });
    });
  });

  it('follows a change of time zone and of dayStartHour', async () => {
    const { accessToken } = await user({ timezone: 'Europe/Berlin' });
    const habitId = await createHabit(accessToken, { reminders: [{ time: '08:00' }] });
    const day = range('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z');
    expect(await reminders(accessToken, day)).toEqual([
      { habitId, at: '2026-01-05T07:00:00.000Z', localDate: '2026-01-05', localTime: '08:00', done: false },
    ]);

    expect((await request('PATCH', '/auth/me', accessToken, { timezone: 'America/New_York' })).statusCode).toBe(200);
    // 08:00 EST = 13:00Z
    expect(await reminders(accessToken, day)).toEqual([
      { habitId, at: '2026-01-05T13:00:00.000Z', localDate: '2026-01-05', localTime: '08:00', done: false },
    ]);

    expect((await request('PATCH', '/auth/me', accessToken, { dayStartHour: 9 })).statusCode).toBe(200);
    // 08:00 is now before the day starts: it is the previous day's, on the same instant.
    expect(await reminders(accessToken, day)).toEqual([
      { habitId, at: '2026-01-05T13:00:00.000Z', localDate: '2026-01-04', localTime: '08:00', done: false },
    ]);
  });

  it('never lists another user’s habits', async () => {
    const owner = await user();
    const other = await user();
    const ownerHabit = await createHabit(owner.accessToken, { reminders: [{ time: '08:00' }] });
    const otherHabit = await createHabit(other.accessToken, { reminders: [{ time: '08:00' }] });
    const day = range('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z');
    expect((await reminders(owner.accessToken, day)).map((each) => each.habitId)).toEqual([ownerHabit]);
    expect((await reminders(other.accessToken, day)).map((each) => each.habitId)).toEqual([otherHabit]);
  });

  describe('SQL statements', () => {
    let counter: StatementCounter;
    let proxied: FastifyInstance;
    beforeAll(async () => {
      counter = await startStatementCounter(ctx.database.url);
      proxied = await buildApp(testConfig(counter.url));
      await proxied.ready();
    });
    afterAll(async () => {
      await proxied.close();
      await counter.close();
    });

    it('loads 20 habits × 3 reminders over 7 days in one statement', async () => {
      const { accessToken } = await user();
      for (let i = 0; i < 20; i += 1) {
        const habitId = await createHabit(accessToken, { reminders: [{ time: '08:00' }, { time: '12:30' }, { time: '21:15' }] });
        if (i % 2 === 0)
          expect((await request('PUT', `/habits/${habitId}/goal`, accessToken, { period: 'week', target: 3 })).statusCode).toBe(201);
        expect((await request('PUT', `/habits/${habitId}/tracking/2026-01-06`, accessToken, {})).statusCode).toBe(201);
      }
      const url = `/reminders${range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z')}`;
      // The second of two identical requests (the first warms connections and the 2 s session
      // cache); the clock stands still in between, so a slow machine cannot expire the cache.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      try {
        expect((await request('GET', url, accessToken, undefined, proxied)).statusCode).toBe(200);
        counter.reset();
        const response = await request('GET', url, accessToken, undefined, proxied);
        const statements = counter.statements;
        expect(response.statusCode, response.body).toBe(200);
        const list = response.json<Occurrence[]>();
        expect(list).toHaveLength(20 * 3 * 7);
        expect(list.filter((each) => each.done)).toHaveLength(20 * 3);
        console.log(`GET /reminders statements for 20 habits × 3 reminders × 7 days: ${statements}`);
        expect(statements).toBe(1);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
