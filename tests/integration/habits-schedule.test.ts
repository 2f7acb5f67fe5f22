/**
 * A habit's `schedule`, `startDate` and `reminders` (API.md, "Habits", "Schedules and the user's day",
 * "Reminders"): validation on POST and PATCH, defaults, the round trip, the interval anchor (set once,
 * from `startDate` or the user's current day, then fixed), client-id repeats, `version`, sync and export.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, type SignedUpUser } from '../helpers/factories.js';

interface HabitReply {
  id: string;
  name: string;
  schedule: { type: string; days?: number[]; every?: number; anchor?: string };
  startDate: string | null;
  reminders: { time: string; days?: number[] }[];
  version: number;
  updatedAt: string;
}

type Fields = Record<string, unknown>;

const ctx = useTestApp();

const send = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined && { payload: payload as object }) });

/** Every field a client can send that is invalid, with why. Each is a 400 on POST and on PATCH. */
const INVALID: [string, Fields][] = [
  // A field of another kind of schedule.
  ['days on a daily schedule', { schedule: { type: 'daily', days: [1] } }],
  ['every on a daily schedule', { schedule: { type: 'daily', every: 2 } }],
  ['anchor on a daily schedule', { schedule: { type: 'daily', anchor: '2026-01-01' } }],
  ['every on a weekdays schedule', { schedule: { type: 'weekdays', days: [1], every: 2 } }],
  ['anchor on a weekdays schedule', { schedule: { type: 'weekdays', days: [1], anchor: '2026-01-01' } }],
  ['days on an interval schedule', { schedule: { type: 'interval', every: 3, days: [1] } }],
  // A missing required field.
  ['weekdays without days', { schedule: { type: 'weekdays' } }],
  ['interval without every', { schedule: { type: 'interval' } }],
  ['interval with an anchor but without every', { schedule: { type: 'interval', anchor: '2026-01-01' } }],
  // Weekdays.
  ['weekdays with no day', { schedule: { type: 'weekdays', days: [] } }],
  ['weekday 0', { schedule: { type: 'weekdays', days: [0] } }],
  ['weekday 8', { schedule: { type: 'weekdays', days: [1, 8] } }],
  ['a weekday twice', { schedule: { type: 'weekdays', days: [1, 3, 1] } }],
  ['a fractional weekday', { schedule: { type: 'weekdays', days: [1.5] } }],
  ['a weekday as a string', { schedule: { type: 'weekdays', days: ['1'] } }],
  ['days null', { schedule: { type: 'weekdays', days: null } }],
  ['eight weekdays', { schedule: { type: 'weekdays', days: [1, 2, 3, 4, 5, 6, 7, 7] } }],
  // Interval.
  ['every 1', { schedule: { type: 'interval', every: 1 } }],
  ['every 0', { schedule: { type: 'interval', every: 0 } }],
  ['every -3', { schedule: { type: 'interval', every: -3 } }],
  ['every 366', { schedule: { type: 'interval', every: 366 } }],
  ['every 2.5', { schedule: { type: 'interval', every: 2.5 } }],
  ['every as a string', { schedule: { type: 'interval', every: '3' } }],
  ['anchor 1999-12-31', { schedule: { type: 'interval', every: 3, anchor: '1999-12-31' } }],
  ['anchor 3000-01-01', { schedule: { type: 'interval', every: 3, anchor: '3000-01-01' } }],
  ['anchor 2025-02-30', { schedule: { type: 'interval', every: 3, anchor: '2025-02-30' } }],
  ['anchor 2026-1-1', { schedule: { type: 'interval', every: 3, anchor: '2026-1-1' } }],
  ['anchor a timestamp', { schedule: { type: 'interval', every: 3, anchor: '2026-01-01T00:00:00Z' } }],
  ['anchor null', { schedule: { type: 'interval', every: 3, anchor: null } }],
  // The schedule itself.
  ['an unknown schedule type', { schedule: { type: 'monthly' } }],
  ['a schedule without type', { schedule: { days: [1] } }],
  ['a schedule as a string', { schedule: 'daily' }],
  ['schedule null', { schedule: null }],
  ['a schedule in an array', { schedule: [{ type: 'daily' }] }],
  // startDate.
  ['startDate 1999-12-31', { startDate: '1999-12-31' }],
  ['startDate 3000-01-01', { startDate: '3000-01-01' }],
  ['startDate 2025-02-30', { startDate: '2025-02-30' }],
  ['startDate 2026-13-01', { startDate: '2026-13-01' }],
  ['startDate 20260101', { startDate: '20260101' }],
  ['startDate a timestamp', { startDate: '2026-06-10T00:00:00Z' }],
  ['startDate empty', { startDate: '' }],
  ['startDate a number', { startDate: 20260101 }],
  // Reminders.
  ['six reminders', { reminders: ['06:00', '07:00', '08:00', '09:00', '10:00', '11:00'].map((time) => ({ time })) }],
  ['reminder time 24:00', { reminders: [{ time: '24:00' }] }],
  ['reminder time 7:30', { reminders: [{ time: '7:30' }] }],
  ['reminder time 07:60', { reminders: [{ time: '07:60' }] }],
  ['reminder time with seconds', { reminders: [{ time: '07:30:00' }] }],
  ['reminder time 0730', { reminders: [{ time: '0730' }] }],
  ['reminder without time', { reminders: [{ days: [1] }] }],
  ['reminder with no day', { reminders: [{ time: '07:30', days: [] }] }],
  ['reminder on weekday 0', { reminders: [{ time: '07:30', days: [0] }] }],
  ['reminder on weekday 8', { reminders: [{ time: '07:30', days: [8] }] }],
  ['reminder on a weekday twice', { reminders: [{ time: '07:30', days: [2, 2] }] }],
  ['reminders as an object', { reminders: { time: '07:30' } }],
  ['reminders null', { reminders: null }],
  ['a reminder null', { reminders: [null] }],
];

describe('habit schedules, start dates and reminders', () => {
  let user: SignedUpUser;
  beforeAll(async () => {
    user = await signUp(ctx.app);
  });

  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => send(user.accessToken, method, url, payload);
  const create = async (fields: Fields) => {
    const response = await request('POST', '/habits', fields);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<HabitReply>();
  };
  const get = async (id: string) => {
    const response = await request('GET', `/habits/${id}`);
    expect(response.statusCode).toBe(200);
    return response.json<HabitReply>();
  };
  const patch = async (id: string, fields: Fields) => {
    const response = await request('PATCH', `/habits/${id}`, fields);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<HabitReply>();
  };

  describe('defaults and the round trip', () => {
    it('gives a habit that sets none of them a daily schedule, no start date and no reminders', async () => {
      const habit = await create({ name: 'Plain' });
      expect(habit).toMatchObject({ schedule: { type: 'daily' }, startDate: null, reminders: [] });
      expect(habit.schedule).toEqual({ type: 'daily' });
      expect(await get(habit.id)).toMatchObject({ schedule: { type: 'daily' }, startDate: null, reminders: [] });
    });

    it('returns what was written, in POST’s reply, GET /habits/:id and GET /habits', async () => {
      const fields = {
        name: 'Gym',
        schedule: { type: 'weekdays', days: [1, 3, 5] },
        startDate: '2026-01-05',
        reminders: [{ time: '07:30' }, { time: '18:00', days: [1, 5] }],
      };
      const habit = await create(fields);
      expect(habit).toMatchObject({ ...fields, version: 1 });
      expect(await get(habit.id)).toEqual(habit);
      const list = (await request('GET', '/habits?archived=all&limit=100')).json<HabitReply[]>();
      expect(list.find(({ id }) => id === habit.id)).toEqual(habit);
    });

    it('returns the weekdays sorted, on POST and on PATCH', async () => {
      const habit = await create({ name: 'Weekends first', schedule: { type: 'weekdays', days: [7, 6, 2] } });
      expect(habit.schedule).toEqual({ type: 'weekdays', days: [2, 6, 7] });
      expect((await get(habit.id)).schedule).toEqual({ type: 'weekdays', days: [2, 6, 7] });
      const patched = await patch(habit.id, { schedule: { type: 'weekdays', days: [5, 4, 1, 3] } });
      expect(patched.schedule).toEqual({ type: 'weekdays', days: [1, 3, 4, 5] });
      expect((await get(habit.id)).schedule).toEqual({ type: 'weekdays', days: [1, 3, 4, 5] });
    });

    it('accepts the edges: every 2 and 365, anchors and start dates 2000-01-01 and 2999-12-31, all seven weekdays, five reminders', async () => {
      const accepted: Fields[] = [
        { schedule: { type: 'interval', every: 2, anchor: '2000-01-01' } },
        { schedule: { type: 'interval', every: 365, anchor: '2999-12-31' } },
        { schedule: { type: 'weekdays', days: [1, 2, 3, 4, 5, 6, 7] } },
        { startDate: '2000-01-01' },
        { startDate: '2999-12-31' },
        { startDate: '2024-02-29' },
        { startDate: null },
        { reminders: ['00:00', '06:15', '12:00', '19:45', '23:59'].map((time) => ({ time })) },
        { reminders: [{ time: '08:00', days: [1, 2, 3, 4, 5, 6, 7] }] },
        { reminders: [] },
      ];
      for (const [n, fields] of accepted.entries()) {
        const habit = await create({ name: `Edge ${n}`, ...fields });
        expect(habit, JSON.stringify(fields)).toMatchObject(fields);
        expect(await get(habit.id)).toEqual(habit);
      }
    });

    it('keeps an interval’s explicit anchor, and anchors one without it at its startDate', async () => {
      const explicit = await create({
        name: 'Plants',
        schedule: { type: 'interval', every: 3, anchor: '2026-02-01' },
        startDate: '2026-01-01',
      });
      expect(explicit.schedule).toEqual({ type: 'interval', every: 3, anchor: '2026-02-01' });
      const fromStart = await create({ name: 'Sheets', schedule: { type: 'interval', every: 7 }, startDate: '2026-03-02' });
      expect(fromStart.schedule).toEqual({ type: 'interval', every: 7, anchor: '2026-03-02' });
      expect((await get(fromStart.id)).schedule).toEqual({ type: 'interval', every: 7, anchor: '2026-03-02' });
    });

    it('never stores an unknown field inside a schedule or a reminder', async () => {
      const response = await request('POST', '/habits', {
        name: 'Extra fields',
        schedule: { type: 'weekdays', days: [2], colour: 'red' },
        reminders: [{ time: '09:00', sound: 'bell' }],
      });
      expect([201, 400]).toContain(response.statusCode);
      if (response.statusCode === 201) {
        const habit = response.json<HabitReply>();
        expect(habit.schedule).toEqual({ type: 'weekdays', days: [2] });
        expect(habit.reminders).toEqual([{ time: '09:00' }]);
        expect(await get(habit.id)).toEqual(habit);
      }
    });
  });

  describe('POST with an invalid field', () => {
    it.each(INVALID)('answers 400 for %s and creates nothing', async (label, fields) => {
      const name = `Invalid: ${label}`;
      const response = await request('POST', '/habits', { name, ...fields });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const list = (await request('GET', '/habits?archived=all&limit=100')).json<HabitReply[]>();
      expect(list.map((habit) => habit.name)).not.toContain(name);
      expect(await ctx.app.prisma.habit.count({ where: { name } })).toBe(0);
    });
  });

  describe('PATCH with an invalid field', () => {
    let original: HabitReply;
    beforeAll(async () => {
      original = await create({
        name: 'Unchanged',
        schedule: { type: 'weekdays', days: [2, 4] },
        startDate: '2026-02-02',
        reminders: [{ time: '06:45', days: [2] }],
      });
    });

    it.each(INVALID)('answers 400 for %s and changes nothing', async (_label, fields) => {
      const response = await request('PATCH', `/habits/${original.id}`, { name: 'Renamed', ...fields });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await get(original.id)).toEqual(original);
    });
  });

  describe('PATCH', () => {
    it('changes each field alone, leaves the others, and raises version each time', async () => {
      let habit = await create({
        name: 'Patched',
        schedule: { type: 'weekdays', days: [1] },
        startDate: '2026-01-01',
        reminders: [{ time: '07:00' }],
      });
      const versions = [habit.version];
      const steps: [Fields, Partial<HabitReply>][] = [
        [{ schedule: { type: 'weekdays', days: [2, 1] } }, { schedule: { type: 'weekdays', days: [1, 2] } }],
        [{ startDate: '2026-02-01' }, { startDate: '2026-02-01' }],
        [{ reminders: [{ time: '21:30', days: [7] }] }, { reminders: [{ time: '21:30', days: [7] }] }],
        [{ schedule: { type: 'daily' } }, { schedule: { type: 'daily' } }],
        [{ startDate: null }, { startDate: null }],
        [{ reminders: [] }, { reminders: [] }],
      ];
      for (const [fields, expected] of steps) {
        const before = habit;
        habit = await patch(habit.id, fields);
        expect(habit, JSON.stringify(fields)).toEqual({ ...before, ...expected, version: habit.version, updatedAt: habit.updatedAt });
        expect(habit.version).toBeGreaterThan(versions.at(-1)!);
        versions.push(habit.version);
        expect(await get(habit.id)).toEqual(habit);
      }
    });

    it('leaves the schedule, start date and reminders alone when it changes another field', async () => {
      const habit = await create({
        name: 'Other field',
        schedule: { type: 'interval', every: 4, anchor: '2026-03-03' },
        startDate: '2026-03-01',
        reminders: [{ time: '10:10' }],
      });
      const patched = await patch(habit.id, { name: 'Other field, renamed' });
      expect(patched).toMatchObject({ schedule: habit.schedule, startDate: habit.startDate, reminders: habit.reminders });
    });

    it('anchors a habit made interval at its startDate (the stored one, or one sent with it)', async () => {
      const stored = await create({ name: 'Made interval', startDate: '2026-04-04' });
      expect((await patch(stored.id, { schedule: { type: 'interval', every: 3 } })).schedule).toEqual({
        type: 'interval',
        every: 3,
        anchor: '2026-04-04',
      });
      const sent = await create({ name: 'Made interval with a start', startDate: '2026-04-04' });
      expect((await patch(sent.id, { schedule: { type: 'interval', every: 3 }, startDate: '2026-05-05' })).schedule).toEqual({
        type: 'interval',
        every: 3,
        anchor: '2026-05-05',
      });
    });

    it('keeps the anchor once set: a later schedule without anchor, or a new startDate, does not move it; an explicit anchor does', async () => {
      const habit = await create({ name: 'Fixed anchor', schedule: { type: 'interval', every: 3 }, startDate: '2026-04-10' });
      expect(habit.schedule.anchor).toBe('2026-04-10');
      expect((await patch(habit.id, { startDate: '2026-06-01' })).schedule).toEqual({ type: 'interval', every: 3, anchor: '2026-04-10' });
      expect((await patch(habit.id, { schedule: { type: 'interval', every: 5 } })).schedule).toEqual({
        type: 'interval',
        every: 5,
        anchor: '2026-04-10',
      });
      expect((await patch(habit.id, { schedule: { type: 'interval', every: 5 }, startDate: '2026-07-01' })).schedule).toEqual({
        type: 'interval',
        every: 5,
        anchor: '2026-04-10',
      });
      expect((await patch(habit.id, { schedule: { type: 'interval', every: 5, anchor: '2026-08-08' } })).schedule).toEqual({
        type: 'interval',
        every: 5,
        anchor: '2026-08-08',
      });
      expect((await get(habit.id)).schedule).toEqual({ type: 'interval', every: 5, anchor: '2026-08-08' });
    });

    it('answers 404 for another user’s habit, changing nothing', async () => {
      const habit = await create({ name: 'Mine', schedule: { type: 'weekdays', days: [3] } });
      const stranger = await signUp(ctx.app);
      const response = await send(stranger.accessToken, 'PATCH', `/habits/${habit.id}`, { schedule: { type: 'interval', every: 2 } });
      expect(response.statusCode).toBe(404);
      expect(await get(habit.id)).toEqual(habit);
    });
  });

  describe('client-generated ids', () => {
    it('answers a repeat of the same POST with 200 and the habit unchanged', async () => {
      const fields = {
        id: randomUUID(),
        name: 'Offline gym',
        schedule: { type: 'weekdays', days: [5, 1] },
        startDate: '2026-01-05',
        reminders: [{ time: '07:00', days: [5, 1] }, { time: '19:00' }],
      };
      const created = await request('POST', '/habits', fields);
      expect(created.statusCode, created.body).toBe(201);
      const repeated = await request('POST', '/habits', fields);
      expect(repeated.statusCode, repeated.body).toBe(200);
      expect(repeated.json()).toEqual(created.json());
      expect(repeated.json<HabitReply>().version).toBe(1);
    });

    it('answers a repeat of an interval sent without anchor with 200 and the anchor it was given', async () => {
      const withStart = { id: randomUUID(), name: 'Offline plants', schedule: { type: 'interval', every: 3 }, startDate: '2026-02-02' };
      const created = await request('POST', '/habits', withStart);
      expect(created.statusCode).toBe(201);
      const repeated = await request('POST', '/habits', withStart);
      expect(repeated.statusCode, repeated.body).toBe(200);
      expect(repeated.json()).toEqual(created.json());

      const withoutStart = { id: randomUUID(), name: 'Offline sheets', schedule: { type: 'interval', every: 7 } };
      const first = await request('POST', '/habits', withoutStart);
      expect(first.statusCode).toBe(201);
      const again = await request('POST', '/habits', withoutStart);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual(first.json());
    });

    it.each<[string, Fields]>([
      ['another schedule', { schedule: { type: 'weekdays', days: [1, 2] } }],
      ['another startDate', { startDate: '2026-01-06' }],
      ['no startDate', { startDate: null }],
      ['another reminder', { reminders: [{ time: '07:01' }] }],
      ['no reminders', { reminders: [] }],
      ['an interval anchored elsewhere', { schedule: { type: 'interval', every: 3, anchor: '2026-01-06' } }],
    ])('answers 409 for the same id with %s, changing nothing', async (_label, changed) => {
      const fields = {
        id: randomUUID(),
        name: `Conflicting ${randomUUID()}`,
        schedule: { type: 'weekdays', days: [1] },
        startDate: '2026-01-05',
        reminders: [{ time: '07:00' }],
      };
      const created = await request('POST', '/habits', fields);
      expect(created.statusCode).toBe(201);
      const conflict = await request('POST', '/habits', { ...fields, ...changed });
      expect(conflict.statusCode, conflict.body).toBe(409);
      expect(conflict.json()).toMatchObject({ message: 'Id already in use' });
      expect(await get(fields.id)).toEqual(created.json());
    });
  });

  describe('GET /sync and GET /export', () => {
    it('carry the schedule, start date and reminders as GET /habits/:id returns them', async () => {
      const syncer = await signUp(ctx.app);
      const token = syncer.accessToken;
      const bodies = [
        {
          name: 'Synced weekly',
          schedule: { type: 'weekdays', days: [6, 2] },
          startDate: '2026-01-01',
          reminders: [{ time: '08:00', days: [2] }],
        },
        { name: 'Synced interval', schedule: { type: 'interval', every: 10, anchor: '2026-05-05' }, reminders: [{ time: '20:15' }] },
        { name: 'Synced plain' },
      ];
      const habits: HabitReply[] = [];
      for (const body of bodies) {
        const response = await send(token, 'POST', '/habits', body);
        expect(response.statusCode).toBe(201);
        habits.push(response.json<HabitReply>());
      }
      const pick = ({ id, schedule, startDate, reminders }: HabitReply) => ({ id, schedule, startDate, reminders });
      const byId = (list: HabitReply[]) => [...list].sort((a, b) => a.id.localeCompare(b.id)).map(pick);

      const sync = await send(token, 'GET', '/sync');
      expect(sync.statusCode).toBe(200);
      expect(byId(sync.json<{ habits: HabitReply[] }>().habits)).toEqual(byId(habits));

      const { cursor } = sync.json<{ cursor: string }>();
      const patched = await send(token, 'PATCH', `/habits/${habits[2]!.id}`, { startDate: '2026-09-09' });
      expect(patched.statusCode).toBe(200);
      const changes = await send(token, 'GET', `/sync?since=${encodeURIComponent(cursor)}`);
      expect(changes.json<{ habits: HabitReply[] }>().habits.map(pick)).toEqual([pick(patched.json<HabitReply>())]);
      habits[2] = patched.json<HabitReply>();

      const exported = await send(token, 'GET', '/export?format=json');
      expect(exported.statusCode).toBe(200);
      expect(byId(exported.json<{ habits: HabitReply[] }>().habits)).toEqual(byId(habits));
    });
  });
});

/** The interval anchor from the user's current day, with the clock faked (`Date` only). */
describe('the anchor of an interval sent without one, and no startDate', () => {
  interface Person {
    email: string;
    password: string;
    token: string;
  }

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Moves the clock and signs in again there (an access token lives 15 minutes of that clock). */
  const at = async (someone: Person, instant: string) => {
    vi.setSystemTime(new Date(instant));
    someone.token = (await logIn(ctx.app, someone.email, someone.password)).accessToken;
  };

  /** Europe/Berlin, dayStartHour 4, signed up at `instant`. */
  const berliner = async (instant: string): Promise<Person> => {
    vi.setSystemTime(new Date(instant));
    const user = await signUp(ctx.app, { timezone: 'Europe/Berlin' });
    const someone = { email: user.email, password: user.password, token: user.accessToken };
    expect((await send(someone.token, 'PATCH', '/auth/me', { dayStartHour: 4 })).statusCode).toBe(200);
    return someone;
  };

  const post = async (someone: Person, fields: Fields, status = 201) => {
    const response = await send(someone.token, 'POST', '/habits', fields);
    expect(response.statusCode, response.body).toBe(status);
    return response.json<HabitReply>();
  };
  const patch = async (someone: Person, id: string, fields: Fields) => {
    const response = await send(someone.token, 'PATCH', `/habits/${id}`, fields);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<HabitReply>();
  };
  const get = async (someone: Person, id: string) => (await send(someone.token, 'GET', `/habits/${id}`)).json<HabitReply>();

  it('is the user’s day of creation: 03:00 CEST on the 10th with dayStartHour 4 is the 9th; 04:00 the 10th', async () => {
    // 2026-06-10T01:00Z = 03:00 CEST (+02:00): the user's day is 06-09.
    const someone = await berliner('2026-06-10T01:00:00.000Z');
    expect((await post(someone, { name: 'Early', schedule: { type: 'interval', every: 3 } })).schedule).toEqual({
      type: 'interval',
      every: 3,
      anchor: '2026-06-09',
    });
    // 01:59:59.999Z = 03:59:59.999 CEST: still 06-09.
    await at(someone, '2026-06-10T01:59:59.999Z');
    expect((await post(someone, { name: 'Just before', schedule: { type: 'interval', every: 3 } })).schedule.anchor).toBe('2026-06-09');
    // 02:00Z = 04:00 CEST: 06-10.
    await at(someone, '2026-06-10T02:00:00.000Z');
    expect((await post(someone, { name: 'On time', schedule: { type: 'interval', every: 3 } })).schedule.anchor).toBe('2026-06-10');
  });

  it('is the user’s day of the PATCH that made it an interval habit, then fixed across PATCHes, days, a timezone and a dayStartHour change', async () => {
    const someone = await berliner('2026-06-10T01:00:00.000Z');
    const habit = await post(someone, { name: 'Becomes interval', schedule: { type: 'weekdays', days: [1] } });
    // Made interval at 03:00 CEST on 06-10: the user's 06-09.
    const made = await patch(someone, habit.id, { schedule: { type: 'interval', every: 3 } });
    expect(made.schedule).toEqual({ type: 'interval', every: 3, anchor: '2026-06-09' });
    expect(made.version).toBeGreaterThan(habit.version);

    // Ten days later: a new interval length without anchor keeps 06-09.
    await at(someone, '2026-06-20T10:00:00.000Z');
    expect((await patch(someone, habit.id, { schedule: { type: 'interval', every: 5 } })).schedule).toEqual({
      type: 'interval',
      every: 5,
      anchor: '2026-06-09',
    });
    expect((await patch(someone, habit.id, { name: 'Still interval' })).schedule.anchor).toBe('2026-06-09');

    // A move to Kiritimati (+14) and to dayStartHour 0 moves nothing.
    expect((await send(someone.token, 'PATCH', '/auth/me', { timezone: 'Pacific/Kiritimati', dayStartHour: 0 })).statusCode).toBe(200);
    expect((await get(someone, habit.id)).schedule).toEqual({ type: 'interval', every: 5, anchor: '2026-06-09' });
    expect((await patch(someone, habit.id, { schedule: { type: 'interval', every: 6 } })).schedule.anchor).toBe('2026-06-09');

    // Made weekdays, then interval again: a new anchor, the user's day of that PATCH. 2026-06-20T10:00Z is
    // 00:00 on the 21st in Kiritimati: the 21st with dayStartHour 0.
    await patch(someone, habit.id, { schedule: { type: 'weekdays', days: [2] } });
    expect((await patch(someone, habit.id, { schedule: { type: 'interval', every: 6 } })).schedule).toEqual({
      type: 'interval',
      every: 6,
      anchor: '2026-06-21',
    });
  });

  it('is kept by a client-id repeat of the POST on a later day (an offline client retrying)', async () => {
    const someone = await berliner('2026-06-10T01:00:00.000Z');
    const fields = { id: randomUUID(), name: 'Retried offline', schedule: { type: 'interval', every: 3 } };
    const created = await post(someone, fields);
    expect(created.schedule.anchor).toBe('2026-06-09');
    // Same user day (03:30 CEST): the same.
    await at(someone, '2026-06-10T01:30:00.000Z');
    expect(await post(someone, fields, 200)).toEqual(created);
    // The next user day (04:00 CEST): still the same POST, still the same habit.
    await at(someone, '2026-06-10T02:00:00.000Z');
    const repeated = await send(someone.token, 'POST', '/habits', fields);
    expect(repeated.statusCode, repeated.body).toBe(200);
    expect(repeated.json()).toEqual(created);
  });
});
