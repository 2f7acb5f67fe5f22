import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

interface HabitReply {
  id: string;
  name: string;
  archived: boolean;
}

interface CheckinReply {
  id: string;
  date: string;
  status: 'done' | 'skipped';
  value: number;
  note: string | null;
}

interface ExportReply {
  exportedAt: string;
  user: Record<string, unknown>;
  habits: (HabitReply & { goal: unknown; checkins: CheckinReply[] })[];
}

type Method = 'GET' | 'POST' | 'PUT';

/** Every key of every object in a JSON value. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...allKeys(inner)]);
  }
  return [];
}

describe('GET /export', () => {
  const ctx = useTestApp();
  let owner: SignedUpUser;
  let other: SignedUpUser;
  /** What the API answered when the data was written, by habit name. */
  const written = new Map<string, { habit: HabitReply; goal: unknown; checkins: CheckinReply[] }>();

  const request = (method: Method, url: string, payload?: unknown, token = owner.accessToken) =>
    ctx.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined && { payload: payload as object }) });

  const seedHabit = async (
    fields: Record<string, unknown>,
    goal: { period: string; target: number } | null,
    checkins: [string, Record<string, unknown>][],
    token = owner.accessToken,
  ) => {
    const created = await request('POST', '/habits', fields, token);
    expect(created.statusCode).toBe(201);
    const habit = created.json<HabitReply>();
    let goalReply: unknown = null;
    if (goal) {
      const response = await request('PUT', `/habits/${habit.id}/goal`, goal, token);
      expect(response.statusCode).toBe(201);
      goalReply = response.json();
    }
    const checkinReplies: CheckinReply[] = [];
    for (const [date, body] of checkins) {
      const response = await request('PUT', `/habits/${habit.id}/tracking/${date}`, body, token);
      expect(response.statusCode, response.body).toBe(201);
      checkinReplies.push(response.json<CheckinReply>());
    }
    checkinReplies.sort((a, b) => a.date.localeCompare(b.date));
    return { habit, goal: goalReply, checkins: checkinReplies };
  };

  beforeAll(async () => {
    owner = await signUp(ctx.app, { name: 'Exporter', timezone: 'Europe/Berlin' });
    other = await signUp(ctx.app, { name: 'Someone else' });

    written.set(
      'Read, write',
      await seedHabit({ name: 'Read, write', position: 0, color: '#112233' }, { period: 'week', target: 3 }, [
        ['2025-01-07', { note: 'she said "hi"' }],
        ['2025-01-06', { note: 'comma, inside' }],
        ['2025-01-08', { note: 'line one\nline two' }],
        ['2025-01-09', { status: 'skipped', note: 'crlf one\r\ncrlf two' }],
        ['2025-01-10', {}],
      ]),
    );
    written.set(
      'Water',
      await seedHabit({ name: 'Water', kind: 'numeric', unit: 'glasses', position: 1 }, { period: 'day', target: 8 }, [
        ['2025-01-06', { value: 8, note: '"quoted", and, commas\r\nand "more" "' }],
        ['2025-01-07', { value: 0, note: '' }],
      ]),
    );
    written.set(
      'Old habit',
      await seedHabit({ name: 'Old habit', position: 2, archived: true }, null, [['2024-12-31', { note: 'archived' }]]),
    );
    written.set('No check-ins', await seedHabit({ name: 'No check-ins', position: 3 }, null, []));
    await seedHabit({ name: 'Secret' }, null, [['2025-01-06', { note: 'not yours' }]], other.accessToken);
  });

  describe('format=json (the default)', () => {
    it('answers an attachment with the user, and every habit (archived too) with its goal and check-ins', async () => {
      const before = Date.now();
      const response = await request('GET', '/export');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.json"$/);

      const body = response.json<ExportReply>();
      expect(Object.keys(body).sort()).toEqual(['exportedAt', 'habits', 'user']);
      expect(body.exportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(body.exportedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(body.user).toEqual(owner.user);
      expect(body.habits).toEqual([...written.values()].map(({ habit, goal, checkins }) => ({ ...habit, goal, checkins })));
    });

    it('is the same with format=json', async () => {
      const response = await request('GET', '/export?format=json');
      expect(response.statusCode).toBe(200);
      expect(response.json<ExportReply>().habits.map((habit) => habit.name)).toEqual([...written.keys()]);
    });

    it('never contains a password, a hash or a token', async () => {
      const response = await request('GET', '/export');
      expect(response.body).not.toContain(owner.password);
      expect(response.body).not.toMatch(/\$2[aby]\$/);
      expect(response.body).not.toContain(owner.refreshToken);
      const keys = allKeys(response.json()).map((key) => key.toLowerCase());
      expect(keys.filter((key) => /password|hash|token|secret/.test(key))).toEqual([]);
    });

    it('holds only the caller’s data', async () => {
      const response = await request('GET', '/export', undefined, other.accessToken);
      const body = response.json<ExportReply>();
      expect(body.user).toEqual(other.user);
      expect(body.habits.map((habit) => habit.name)).toEqual(['Secret']);
    });
  });

  describe('format=csv', () => {
    it('answers text/csv as an attachment, starting with the header', async () => {
      const response = await request('GET', '/export?format=csv');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"$/);
      expect(response.body).toMatch(/^habit,date,status,value,note\r?\n/);
    });

    it('round-trips commas, quotes and line breaks (LF and CRLF) through a CSV parser', async () => {
      const response = await request('GET', '/export?format=csv');
      const [header, ...rows] = parse(response.body);
      expect(header).toEqual(['habit', 'date', 'status', 'value', 'note']);

      // What was stored, as the JSON export (and the check-in replies) tell it.
      const stored = (await request('GET', '/export')).json<ExportReply>();
      const expected = stored.habits.flatMap((habit) =>
        habit.checkins.map((checkin) => [habit.name, checkin.date, checkin.status, String(checkin.value), checkin.note ?? '']),
      );
      expect(expected).toHaveLength(8);
      const byHabitAndDate = (a: string[], b: string[]) => `${a[0]}\u0000${a[1]}`.localeCompare(`${b[0]}\u0000${b[1]}`);
      expect([...rows].sort(byHabitAndDate)).toEqual([...expected].sort(byHabitAndDate));

      // And what was sent is what was stored: CR LF inside a note survives.
      expect(rows).toContainEqual(['Read, write', '2025-01-09', 'skipped', '1', 'crlf one\r\ncrlf two']);
      expect(rows).toContainEqual(['Water', '2025-01-06', 'done', '8', '"quoted", and, commas\r\nand "more" "']);
      expect(rows).toContainEqual(['Read, write', '2025-01-07', 'done', '1', 'she said "hi"']);
      expect(rows).toContainEqual(['Read, write', '2025-01-08', 'done', '1', 'line one\nline two']);
    });

    it('is only the header for a user without check-ins', async () => {
      const empty = await signUp(ctx.app);
      const response = await request('GET', '/export?format=csv', undefined, empty.accessToken);
      expect(response.statusCode).toBe(200);
      expect(parse(response.body)).toEqual([['habit', 'date', 'status', 'value', 'note']]);
    });
  });

  it('answers 400 for an unknown format', async () => {
    const response = await request('GET', '/export?format=xml');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers 401 without a token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/export' })).statusCode).toBe(401);
  });
});
