/**
 * POST /sync (docs/api.md, "Offline-first sync"): a device's queued changes, applied one by one in
 * order, one result per change.
 *
 * - Each type × op is `applied` (an upsert with the item's new version), and shows in a GET of the
 *   item and in the next GET /sync.
 * - A bad change is `rejected` with exactly what its single-item route answers: the same input sent
 *   to that route by a twin user with the same data gives the same status and message. The good
 *   changes around it are still applied.
 * - With `baseVersion`, a change made on another version, or on an item that is gone (or was never
 *   there), is a `conflict` with the server's copy (null when there is none), and nothing changes.
 *   Without it the last write wins.
 * - Ownership comes first: another user's habit, goal or check-in is `rejected` as the route answers
 *   it (never a conflict that would show it), with or without baseVersion; nothing of A's changes.
 * - Batches of 1 to 500 changes; an unknown type or op is a 400 for the whole batch, and nothing of
 *   it is applied. A retried batch ends in the same state; two devices writing on the same version:
 *   one applied, the other a conflict with the first one's copy.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Change {
  type: 'habit' | 'goal' | 'checkin';
  op: 'upsert' | 'delete';
  id?: string;
  habitId?: string;
  date?: string;
  data?: unknown;
  baseVersion?: number;
}

interface Result {
  status: 'applied' | 'conflict' | 'rejected';
  version?: number;
  current?: Record<string, unknown> | null;
  error?: { statusCode: number; message: string };
}

interface Item {
  id: string;
  version: number;
  [field: string]: unknown;
}

interface Page {
  cursor: string;
  hasMore: boolean;
  habits: Item[];
  goals: Item[];
  checkins: Item[];
  deleted: { habits: string[]; goals: string[]; checkins: { habitId: string; date: string }[] };
}

const EMPTY_CHANGES = { habits: [], goals: [], checkins: [], deleted: { habits: [], goals: [], checkins: [] } };
const DAY = '2024-04-10';
const OTHER_DAY = '2024-04-11';

function call(app: FastifyInstance, user: SignedUpUser, method: Method, url: string, payload?: unknown) {
  return app.inject({ method, url, headers: bearer(user.accessToken), ...(payload !== undefined && { payload: payload as object }) });
}

async function expectStatus(response: LightMyRequestResponse | Promise<LightMyRequestResponse>, status: number) {
  const done = await response;
  expect(done.statusCode, `${done.statusCode} ${done.body}`).toBe(status);
  return done;
}

/** POST /sync: the reply (200), and its results. */
async function push(app: FastifyInstance, user: SignedUpUser, changes: Change[]) {
  const reply = await expectStatus(call(app, user, 'POST', '/sync', { changes }), 200);
  const body = reply.json<{ results: Result[] }>();
  expect(Object.keys(body), 'the reply has no cursor').toEqual(['results']);
  expect(body.results).toHaveLength(changes.length);
  return { reply, results: body.results };
}

/** Every page of GET /sync from `since` (none: a first sync), merged; and the cursor to keep. */
async function syncAll(app: FastifyInstance, user: SignedUpUser, since?: string): Promise<Page> {
  let cursor = since;
  let merged: Page | undefined;
  for (let call_ = 0; call_ < 100; call_ += 1) {
    const reply = await expectStatus(call(app, user, 'GET', `/sync?limit=1000${cursor === undefined ? '' : `&since=${cursor}`}`), 200);
    const page = reply.json<Page>();
    merged = merged
      ? {
          ...page,
          habits: [...merged.habits, ...page.habits],
          goals: [...merged.goals, ...page.goals],
          checkins: [...merged.checkins, ...page.checkins],
          deleted: {
            habits: [...merged.deleted.habits, ...page.deleted.habits],
            goals: [...merged.deleted.goals, ...page.deleted.goals],
            checkins: [...merged.deleted.checkins, ...page.deleted.checkins],
          },
        }
      : page;
    cursor = page.cursor;
    if (!page.hasMore) return merged;
  }
  throw new Error('GET /sync never stopped saying hasMore');
}

const cursorOf = async (app: FastifyInstance, user: SignedUpUser) => (await syncAll(app, user)).cursor;

/** The next sync from `cursor` lists exactly `expected` (and nothing else). */
async function expectNextSync(app: FastifyInstance, user: SignedUpUser, cursor: string, expected: Partial<Omit<Page, 'cursor'>>) {
  const page = await syncAll(app, user, cursor);
  expect(page).toEqual({ cursor: expect.any(String), hasMore: false, ...EMPTY_CHANGES, ...expected });
  return page;
}

/** A user with a boolean habit that has a weekly goal and a check-in on DAY. */
async function userWithHabit(app: FastifyInstance, name = 'Read') {
  const user = await signUp(app);
  const habit = (await expectStatus(call(app, user, 'POST', '/habits', { name }), 201)).json<Item>();
  await expectStatus(call(app, user, 'PUT', `/habits/${habit.id}/goal`, { period: 'week', target: 3 }), 201);
  await expectStatus(call(app, user, 'PUT', `/habits/${habit.id}/tracking/${DAY}`, { note: 'first' }), 201);
  return { user, habitId: habit.id };
}

/** What the user sees of a habit, its goal and its check-ins of April 2024 (404s included). */
async function stateOf(app: FastifyInstance, user: SignedUpUser, habitId: string) {
  const urls = [`/habits/${habitId}`, `/habits/${habitId}/goal`, `/habits/${habitId}/tracking?from=2024-04-01&to=2024-04-30`];
  const replies = await Promise.all(urls.map((url) => call(app, user, 'GET', url)));
  return Object.fromEntries(urls.map((url, index) => [url, { status: replies[index]!.statusCode, body: replies[index]!.body }]));
}

const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('POST /sync', () => {
  const ctx = useTestApp();

  describe('applies each type × op', () => {
    interface Row {
      name: string;
      change: (habitId: string, newId: string) => Change;
      /** The item's URL, to GET after the change (a delete: 404). */
      item: (habitId: string, newId: string) => string;
      /** The upsert's version; undefined for a delete. */
      version?: number;
      /** The only change the next GET /sync lists. */
      expected: (habitId: string, newId: string) => Partial<Page>;
      /** What the GET of the item shows (upserts). */
      fields?: Record<string, unknown>;
    }
    const rows: Row[] = [
      {
        name: 'habit upsert of a new id: created with that id (POST /habits)',
        change: (_habitId, newId) => ({
          type: 'habit',
          op: 'upsert',
          id: newId,
          data: { name: 'Water', kind: 'numeric', unit: 'glasses', color: '#22AA88' },
        }),
        item: (_habitId, newId) => `/habits/${newId}`,
        version: 1,
        fields: { name: 'Water', kind: 'numeric', unit: 'glasses', color: '#22aa88', archived: false },
        expected: (_habitId, newId) => ({ habits: [expect.objectContaining({ id: newId, name: 'Water', version: 1 })] }),
      },
      {
        name: 'habit upsert of an existing id: its fields in data changed (PATCH /habits/:id)',
        change: (habitId) => ({ type: 'habit', op: 'upsert', id: habitId, data: { name: 'Read more', archived: true } }),
        item: (habitId) => `/habits/${habitId}`,
        version: 2,
        fields: { name: 'Read more', archived: true, kind: 'boolean' },
        expected: (habitId) => ({ habits: [expect.objectContaining({ id: habitId, name: 'Read more', archived: true, version: 2 })] }),
      },
      {
        name: 'habit delete (with its goal and check-ins)',
        change: (habitId) => ({ type: 'habit', op: 'delete', id: habitId }),
        item: (habitId) => `/habits/${habitId}`,
        expected: (habitId) => ({ deleted: { habits: [habitId], goals: [], checkins: [] } }),
      },
      {
        name: 'goal upsert: replaced (PUT /habits/:id/goal)',
        change: (habitId) => ({ type: 'goal', op: 'upsert', habitId, data: { period: 'month', target: 20 } }),
        item: (habitId) => `/habits/${habitId}/goal`,
        version: 2,
        fields: { period: 'month', target: 20 },
        expected: (habitId) => ({ goals: [expect.objectContaining({ habitId, period: 'month', target: 20, version: 2 })] }),
      },
      {
        name: 'goal delete',
        change: (habitId) => ({ type: 'goal', op: 'delete', habitId }),
        item: (habitId) => `/habits/${habitId}/goal`,
        expected: (habitId) => ({ deleted: { habits: [], goals: [habitId], checkins: [] } }),
      },
      {
        name: 'check-in upsert of a new day: created (PUT /habits/:id/tracking/:date)',
        change: (habitId) => ({ type: 'checkin', op: 'upsert', habitId, date: OTHER_DAY, data: { status: 'skipped', note: 'rain' } }),
        item: (habitId) => `/habits/${habitId}/tracking/${OTHER_DAY}`,
        version: 1,
        fields: { date: OTHER_DAY, status: 'skipped', note: 'rain', value: 1 },
        expected: (habitId) => ({
          checkins: [expect.objectContaining({ habitId, date: OTHER_DAY, status: 'skipped', note: 'rain', version: 1 })],
        }),
      },
      {
        name: 'check-in upsert of an existing day: replaced',
        change: (habitId) => ({ type: 'checkin', op: 'upsert', habitId, date: DAY, data: { note: 'second' } }),
        item: (habitId) => `/habits/${habitId}/tracking/${DAY}`,
        version: 2,
        fields: { date: DAY, status: 'done', note: 'second' },
        expected: (habitId) => ({ checkins: [expect.objectContaining({ habitId, date: DAY, note: 'second', version: 2 })] }),
      },
      {
        name: 'check-in upsert without data: the PUT’s defaults',
        change: (habitId) => ({ type: 'checkin', op: 'upsert', habitId, date: OTHER_DAY }),
        item: (habitId) => `/habits/${habitId}/tracking/${OTHER_DAY}`,
        version: 1,
        fields: { date: OTHER_DAY, status: 'done', value: 1, note: null },
        expected: (habitId) => ({ checkins: [expect.objectContaining({ habitId, date: OTHER_DAY, status: 'done', version: 1 })] }),
      },
      {
        name: 'check-in delete',
        change: (habitId) => ({ type: 'checkin', op: 'delete', habitId, date: DAY }),
        item: (habitId) => `/habits/${habitId}/tracking/${DAY}`,
        expected: (habitId) => ({ deleted: { habits: [], goals: [], checkins: [{ habitId, date: DAY }] } }),
      },
    ];

    it.each(rows)('$name', async (row) => {
      const app = ctx.app;
      const { user, habitId } = await userWithHabit(app);
      const newId = randomUUID();
      const cursor = await cursorOf(app, user);

      const { results } = await push(app, user, [row.change(habitId, newId)]);
      expect(results).toEqual([row.version === undefined ? { status: 'applied' } : { status: 'applied', version: row.version }]);

      const item = await call(app, user, 'GET', row.item(habitId, newId));
      if (row.version === undefined) {
        expect(item.statusCode, item.body).toBe(404);
      } else {
        expect(item.statusCode, item.body).toBe(200);
        expect(item.json<Item>()).toMatchObject({ ...row.fields, version: row.version });
      }
      const page = await expectNextSync(app, user, cursor, row.expected(habitId, newId));
      // Once: nothing more after it.
      await expectNextSync(app, user, page.cursor, {});
    });

    it('applies the changes of a batch in order: a habit created by one change takes the goal and check-in of the next', async () => {
      const app = ctx.app;
      const user = await signUp(app);
      const id = randomUUID();
      const cursor = await cursorOf(app, user);
      const { results } = await push(app, user, [
        { type: 'habit', op: 'upsert', id, data: { name: 'Stretch' } },
        { type: 'goal', op: 'upsert', habitId: id, data: { period: 'week', target: 5 } },
        { type: 'checkin', op: 'upsert', habitId: id, date: DAY, data: {} },
        { type: 'habit', op: 'upsert', id, data: { description: 'every morning' } },
        { type: 'checkin', op: 'upsert', habitId: id, date: DAY, data: { note: 'sore' } },
      ]);
      expect(results).toEqual([
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 2 },
        { status: 'applied', version: 2 },
      ]);
      await expectNextSync(app, user, cursor, {
        habits: [expect.objectContaining({ id, name: 'Stretch', description: 'every morning', version: 2 })],
        goals: [expect.objectContaining({ habitId: id, period: 'week', target: 5, version: 1 })],
        checkins: [expect.objectContaining({ habitId: id, date: DAY, note: 'sore', version: 2 })],
      });
    });

    it('leaves the habit’s version alone when its goal or a check-in changes', async () => {
      const app = ctx.app;
      const { user, habitId } = await userWithHabit(app);
      const before = (await call(app, user, 'GET', `/habits/${habitId}`)).json<Item>();
      await push(app, user, [
        { type: 'goal', op: 'upsert', habitId, data: { period: 'day', target: 1 } },
        { type: 'checkin', op: 'upsert', habitId, date: OTHER_DAY },
        { type: 'checkin', op: 'delete', habitId, date: DAY },
        { type: 'goal', op: 'delete', habitId },
      ]);
      expect((await call(app, user, 'GET', `/habits/${habitId}`)).json<Item>()).toEqual(before);
    });
  });

  describe('rejects a bad change exactly as its single-item route answers, and still applies the others', () => {
    /**
     * The same data for two users: `pusher` sends the batch, `twin` sends each bad change to its
     * route. Each user has a boolean habit "Read" (a check-in on DAY, no goal) and a habit "Taken".
     */
    interface Twin {
      user: SignedUpUser;
      readId: string;
    }
    const twinOf = async (app: FastifyInstance): Promise<Twin> => {
      const user = await signUp(app);
      const { id: readId } = (await expectStatus(call(app, user, 'POST', '/habits', { name: 'Read' }), 201)).json<Item>();
      await expectStatus(call(app, user, 'PUT', `/habits/${readId}/tracking/${DAY}`, {}), 201);
      await expectStatus(call(app, user, 'POST', '/habits', { name: 'Taken' }), 201);
      return { user, readId };
    };

    interface Case {
      name: string;
      change: (twin: Twin, newId: string) => Change;
      /** The same input to the single-item route. */
      route: (twin: Twin, newId: string) => { method: Method; url: string; payload?: object };
      status: number;
      message: string | RegExp;
    }
    const future = daysFromToday(5);
    const cases: Case[] = [
      {
        name: 'a new habit with an empty name',
        change: (_twin, id) => ({ type: 'habit', op: 'upsert', id, data: { name: '' } }),
        route: (_twin, id) => ({ method: 'POST', url: '/habits', payload: { id, name: '' } }),
        status: 400,
        message: 'body/name must NOT have fewer than 1 characters',
      },
      {
        name: 'a new habit without a name',
        change: (_twin, id) => ({ type: 'habit', op: 'upsert', id, data: { color: '#000000' } }),
        route: (_twin, id) => ({ method: 'POST', url: '/habits', payload: { id, color: '#000000' } }),
        status: 400,
        message: "body must have required property 'name'",
      },
      {
        name: 'a bad colour on an existing habit',
        change: ({ readId }) => ({ type: 'habit', op: 'upsert', id: readId, data: { color: 'red' } }),
        route: ({ readId }) => ({ method: 'PATCH', url: `/habits/${readId}`, payload: { color: 'red' } }),
        status: 400,
        message: /^body\/color must match pattern/,
      },
      {
        name: 'a name of the wrong type',
        change: ({ readId }) => ({ type: 'habit', op: 'upsert', id: readId, data: { name: { nested: ['junk'] } } }),
        route: ({ readId }) => ({ method: 'PATCH', url: `/habits/${readId}`, payload: { name: { nested: ['junk'] } } }),
        status: 400,
        message: 'body/name must be string',
      },
      {
        name: 'data that is not an object',
        change: ({ readId }) => ({ type: 'goal', op: 'upsert', habitId: readId, data: 'week' }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/goal`, payload: [] }),
        status: 400,
        message: 'body must be object',
      },
      {
        name: 'a goal target too high for a boolean habit',
        change: ({ readId }) => ({ type: 'goal', op: 'upsert', habitId: readId, data: { period: 'day', target: 2 } }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/goal`, payload: { period: 'day', target: 2 } }),
        status: 400,
        message: /^target must be at most 1 for a boolean habit/,
      },
      {
        name: 'a goal without a period',
        change: ({ readId }) => ({ type: 'goal', op: 'upsert', habitId: readId, data: { target: 1 } }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/goal`, payload: { target: 1 } }),
        status: 400,
        message: "body must have required property 'period'",
      },
      {
        name: 'a check-in before 2000-01-01',
        change: ({ readId }) => ({ type: 'checkin', op: 'upsert', habitId: readId, date: '1999-12-31', data: {} }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/tracking/1999-12-31`, payload: {} }),
        status: 400,
        message: /^date must be between 2000-01-01 and /,
      },
      {
        name: 'a check-in after the user’s today + 1 day',
        change: ({ readId }) => ({ type: 'checkin', op: 'upsert', habitId: readId, date: future, data: {} }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/tracking/${future}`, payload: {} }),
        status: 400,
        message: /^date must be between 2000-01-01 and /,
      },
      {
        name: 'a check-in value out of range',
        change: ({ readId }) => ({ type: 'checkin', op: 'upsert', habitId: readId, date: DAY, data: { value: -1 } }),
        route: ({ readId }) => ({ method: 'PUT', url: `/habits/${readId}/tracking/${DAY}`, payload: { value: -1 } }),
        status: 400,
        message: 'body/value must be >= 0',
      },
      {
        name: 'an impossible date',
        change: ({ readId }) => ({ type: 'checkin', op: 'delete', habitId: readId, date: '2025-02-30' }),
        route: ({ readId }) => ({ method: 'DELETE', url: `/habits/${readId}/tracking/2025-02-30` }),
        status: 400,
        message: 'params/date must match format "date"',
      },
      {
        name: 'a malformed habit id (upsert)',
        change: () => ({ type: 'habit', op: 'upsert', id: 'not-a-uuid', data: { name: 'x' } }),
        route: () => ({ method: 'PATCH', url: '/habits/not-a-uuid', payload: { name: 'x' } }),
        status: 400,
        message: /^params\/id must match /,
      },
      {
        name: 'a malformed habit id (delete)',
        change: () => ({ type: 'habit', op: 'delete', id: '3f2b8c1e6a4d4e0f9b7a1c2d3e4f5a6b' }),
        route: () => ({ method: 'DELETE', url: '/habits/3f2b8c1e6a4d4e0f9b7a1c2d3e4f5a6b' }),
        status: 400,
        message: /^params\/id must match /,
      },
      {
        name: 'a malformed habitId of a goal',
        change: () => ({ type: 'goal', op: 'upsert', habitId: 'urn:uuid:3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b', data: {} }),
        route: () => ({ method: 'PUT', url: '/habits/urn:uuid:3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b/goal', payload: {} }),
        status: 400,
        message: /^params\/id must match /,
      },
      {
        name: 'the name of another habit of the user',
        change: (_twin, id) => ({ type: 'habit', op: 'upsert', id, data: { name: 'Taken' } }),
        route: (_twin, id) => ({ method: 'POST', url: '/habits', payload: { id, name: 'Taken' } }),
        status: 409,
        message: 'You already have a habit with this name',
      },
      {
        name: 'renaming a habit to the name of another',
        change: ({ readId }) => ({ type: 'habit', op: 'upsert', id: readId, data: { name: 'Taken' } }),
        route: ({ readId }) => ({ method: 'PATCH', url: `/habits/${readId}`, payload: { name: 'Taken' } }),
        status: 409,
        message: 'You already have a habit with this name',
      },
      {
        name: 'changing the kind of a habit with check-ins',
        change: ({ readId }) => ({ type: 'habit', op: 'upsert', id: readId, data: { kind: 'numeric' } }),
        route: ({ readId }) => ({ method: 'PATCH', url: `/habits/${readId}`, payload: { kind: 'numeric' } }),
        status: 409,
        message: "A habit's kind cannot change once it has check-ins",
      },
      {
        name: 'deleting a habit that does not exist',
        change: (_twin, id) => ({ type: 'habit', op: 'delete', id }),
        route: (_twin, id) => ({ method: 'DELETE', url: `/habits/${id}` }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: 'a goal of a habit that does not exist',
        change: (_twin, id) => ({ type: 'goal', op: 'upsert', habitId: id, data: { period: 'day', target: 1 } }),
        route: (_twin, id) => ({ method: 'PUT', url: `/habits/${id}/goal`, payload: { period: 'day', target: 1 } }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: 'a check-in of a habit that does not exist',
        change: (_twin, id) => ({ type: 'checkin', op: 'upsert', habitId: id, date: DAY, data: {} }),
        route: (_twin, id) => ({ method: 'PUT', url: `/habits/${id}/tracking/${DAY}`, payload: {} }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: 'deleting the goal of a habit that does not exist',
        change: (_twin, id) => ({ type: 'goal', op: 'delete', habitId: id }),
        route: (_twin, id) => ({ method: 'DELETE', url: `/habits/${id}/goal` }),
        status: 404,
        message: 'Goal not found',
      },
      {
        name: 'deleting a check-in of a habit that does not exist',
        change: (_twin, id) => ({ type: 'checkin', op: 'delete', habitId: id, date: DAY }),
        route: (_twin, id) => ({ method: 'DELETE', url: `/habits/${id}/tracking/${DAY}` }),
        status: 404,
        message: 'Check-in not found',
      },
      {
        name: 'deleting a goal that does not exist',
        change: ({ readId }) => ({ type: 'goal', op: 'delete', habitId: readId }),
        route: ({ readId }) => ({ method: 'DELETE', url: `/habits/${readId}/goal` }),
        status: 404,
        message: 'Goal not found',
      },
      {
        name: 'deleting a check-in that does not exist',
        change: ({ readId }) => ({ type: 'checkin', op: 'delete', habitId: readId, date: OTHER_DAY }),
        route: ({ readId }) => ({ method: 'DELETE', url: `/habits/${readId}/tracking/${OTHER_DAY}` }),
        status: 404,
        message: 'Check-in not found',
      },
    ];
    /** Changes the routes cannot express (an address left out): 400 naming what is missing. */
    const unaddressed: { name: string; change: Change; message: string }[] = [
      { name: 'a habit change without id', change: { type: 'habit', op: 'upsert', data: { name: 'x' } }, message: "'id'" },
      { name: 'a habit delete without id', change: { type: 'habit', op: 'delete' }, message: "'id'" },
      { name: 'a goal change without habitId', change: { type: 'goal', op: 'delete' }, message: "'id'" },
      { name: 'a check-in change without date', change: { type: 'checkin', op: 'upsert', habitId: randomUUID() }, message: "'date'" },
      { name: 'a check-in change without habitId', change: { type: 'checkin', op: 'delete', date: DAY }, message: "'id'" },
    ];

    const ids = new Map<string, string>();
    let pusher: Twin;
    let twin: Twin;
    let results: Result[];
    let good: { habitId: string; results: Result[] };
    let pusherCursor: string;
    let pusherBefore: Awaited<ReturnType<typeof stateOf>>;

    beforeAll(async () => {
      const app = ctx.app;
      pusher = await twinOf(app);
      twin = await twinOf(app);
      for (const { name } of cases) ids.set(name, randomUUID());
      pusherCursor = await cursorOf(app, pusher.user);
      pusherBefore = await stateOf(app, pusher.user, pusher.readId);
      // Good changes between the bad ones: a new habit, its goal, a check-in, then a change of Read
      // that the bad ones around it do not stop.
      const goodId = randomUUID();
      const goodChanges: Change[] = [
        { type: 'habit', op: 'upsert', id: goodId, data: { name: 'Good one', kind: 'numeric' } },
        { type: 'goal', op: 'upsert', habitId: goodId, data: { period: 'day', target: 8 } },
        { type: 'checkin', op: 'upsert', habitId: goodId, date: DAY, data: { value: 3 } },
        { type: 'checkin', op: 'upsert', habitId: goodId, date: today(), data: { value: 1 } },
      ];
      const badChanges = [...cases.map(({ name, change }) => change(pusher, ids.get(name)!)), ...unaddressed.map(({ change }) => change)];
      // Interleaved: good, bad, bad, …, good, bad, …
      const batch: Change[] = [];
      const goodAt: number[] = [];
      const every = Math.ceil(badChanges.length / goodChanges.length);
      badChanges.forEach((change, index) => {
        if (index % every === 0 && goodChanges.length > 0) {
          goodAt.push(batch.length);
          batch.push(goodChanges.shift()!);
        }
        batch.push(change);
      });
      for (const change of goodChanges) {
        goodAt.push(batch.length);
        batch.push(change);
      }
      const all = (await push(app, pusher.user, batch)).results;
      results = all.filter((_result, index) => !goodAt.includes(index));
      good = { habitId: goodId, results: goodAt.map((index) => all[index]!) };
    });

    it.each(cases)('$name → $status, as its route answers', async ({ name, route, status, message }) => {
      const single = route(twin, ids.get(name)!);
      const answer = await call(ctx.app, twin.user, single.method, single.url, single.payload);
      expect(answer.statusCode, answer.body).toBe(status);
      const { statusCode, message: routeMessage } = answer.json<{ statusCode: number; message: string }>();
      expect(routeMessage).toMatch(message);
      const result = results[cases.findIndex((each) => each.name === name)]!;
      expect(result).toEqual({ status: 'rejected', error: { statusCode, message: routeMessage } });
    });

    it.each(unaddressed)('$name → 400 naming the missing address', ({ name, message }) => {
      const result = results[cases.length + unaddressed.findIndex((each) => each.name === name)]!;
      expect(result).toEqual({ status: 'rejected', error: { statusCode: 400, message: expect.stringContaining(message) } });
      expect(result.error!.message).toMatch(/^params must have required property/);
    });

    it('applies the good changes between them', async () => {
      const app = ctx.app;
      expect(good.results).toEqual([
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
      ]);
      const page = await syncAll(app, pusher.user, pusherCursor);
      expect(page.habits).toEqual([expect.objectContaining({ id: good.habitId, name: 'Good one', kind: 'numeric', version: 1 })]);
      expect(page.goals).toEqual([expect.objectContaining({ habitId: good.habitId, target: 8 })]);
      expect(page.checkins.map((checkin) => [checkin.habitId, checkin.date, checkin.value])).toEqual([
        [good.habitId, DAY, 3],
        [good.habitId, today(), 1],
      ]);
      expect(page.deleted).toEqual({ habits: [], goals: [], checkins: [] });
    });

    it('changes nothing through the bad ones: Read is as it was, and no habit was made with their ids', async () => {
      const app = ctx.app;
      expect(await stateOf(app, pusher.user, pusher.readId)).toEqual(pusherBefore);
      for (const id of ids.values()) expect((await call(app, pusher.user, 'GET', `/habits/${id}`)).statusCode).toBe(404);
      const names = (await call(app, pusher.user, 'GET', '/habits?archived=all')).json<Item[]>().map((habit) => habit.name);
      expect(names.sort()).toEqual(['Good one', 'Read', 'Taken']);
    });
  });

  describe('baseVersion', () => {
    interface Target {
      type: Change['type'];
      /** The change's address for the fixture's habit. */
      address: (habitId: string) => Pick<Change, 'id' | 'habitId' | 'date'>;
      url: (habitId: string) => string;
      /** A write through its route that moves the item to a new version. */
      touch: (habitId: string) => { method: Method; url: string; payload: object };
      data: object;
    }
    const targets: Target[] = [
      {
        type: 'habit',
        address: (habitId) => ({ id: habitId }),
        url: (habitId) => `/habits/${habitId}`,
        touch: (habitId) => ({ method: 'PATCH', url: `/habits/${habitId}`, payload: { description: 'touched' } }),
        data: { name: 'From the device' },
      },
      {
        type: 'goal',
        address: (habitId) => ({ habitId }),
        url: (habitId) => `/habits/${habitId}/goal`,
        touch: (habitId) => ({ method: 'PUT', url: `/habits/${habitId}/goal`, payload: { period: 'week', target: 4 } }),
        data: { period: 'week', target: 6 },
      },
      {
        type: 'checkin',
        address: (habitId) => ({ habitId, date: DAY }),
        url: (habitId) => `/habits/${habitId}/tracking/${DAY}`,
        touch: (habitId) => ({ method: 'PUT', url: `/habits/${habitId}/tracking/${DAY}`, payload: { note: 'touched' } }),
        data: { note: 'from the device' },
      },
    ];
    const targetOps = targets.flatMap((target) => (['upsert', 'delete'] as const).map((op) => ({ ...target, op })));

    it.each(targetOps)('$type $op on the current version: applied', async ({ type, op, address, url, data }) => {
      const app = ctx.app;
      const { user, habitId } = await userWithHabit(app);
      const current = (await call(app, user, 'GET', url(habitId))).json<Item>();
      const { results } = await push(app, user, [{ type, op, ...address(habitId), baseVersion: current.version, data }]);
      expect(results).toEqual([op === 'upsert' ? { status: 'applied', version: current.version + 1 } : { status: 'applied' }]);
      const after = await call(app, user, 'GET', url(habitId));
      if (op === 'delete') expect(after.statusCode).toBe(404);
      else expect(after.json<Item>()).toMatchObject({ ...data, version: current.version + 1 });
    });

    it.each(targetOps)('$type $op on a stale version: conflict with the server’s copy, nothing changed', async (target) => {
      const app = ctx.app;
      const { type, op, address, url, touch, data } = target;
      const { user, habitId } = await userWithHabit(app);
      const stale = (await call(app, user, 'GET', url(habitId))).json<Item>().version;
      const write = touch(habitId);
      await expectStatus(call(app, user, write.method, write.url, write.payload), 200);
      const server = await call(app, user, 'GET', url(habitId));
      const before = await stateOf(app, user, habitId);
      const cursor = await cursorOf(app, user);

      for (const baseVersion of [stale, stale + 5]) {
        const { results } = await push(app, user, [{ type, op, ...address(habitId), baseVersion, data }]);
        expect(results).toEqual([{ status: 'conflict', current: server.json() }]);
      }
      expect(await stateOf(app, user, habitId)).toEqual(before);
      await expectNextSync(app, user, cursor, {});
    });

    it.each(targetOps)('$type $op on an item that is gone: conflict with current null, nothing made again', async (target) => {
      const app = ctx.app;
      const { type, op, address, url, data } = target;
      const { user, habitId } = await userWithHabit(app);
      const version = (await call(app, user, 'GET', url(habitId))).json<Item>().version;
      // The item gone (a habit's goal and check-in go with it; it stays for the others).
      await expectStatus(call(app, user, 'DELETE', url(habitId)), 204);
      const before = await stateOf(app, user, habitId);
      const cursor = await cursorOf(app, user);

      const { results } = await push(app, user, [{ type, op, ...address(habitId), baseVersion: version, data }]);
      expect(results).toEqual([{ status: 'conflict', current: null }]);
      expect((await call(app, user, 'GET', url(habitId))).statusCode).toBe(404);
      expect(await stateOf(app, user, habitId)).toEqual(before);
      await expectNextSync(app, user, cursor, {});
    });

    it.each(targets.filter((target) => target.type !== 'habit'))(
      '$type upsert with a baseVersion for an item never there: conflict null, not created',
      async ({ type }) => {
        const app = ctx.app;
        const user = await signUp(app);
        const { id: habitId } = (await expectStatus(call(app, user, 'POST', '/habits', { name: 'Bare' }), 201)).json<Item>();
        const cursor = await cursorOf(app, user);
        const address = type === 'goal' ? { habitId } : { habitId, date: DAY };
        const data = type === 'goal' ? { period: 'day', target: 1 } : {};
        const { results } = await push(app, user, [
          { type, op: 'upsert', ...address, baseVersion: 1, data },
          { type, op: 'delete', ...address, baseVersion: 1 },
        ]);
        expect(results).toEqual([
          { status: 'conflict', current: null },
          { status: 'conflict', current: null },
        ]);
        const url = type === 'goal' ? `/habits/${habitId}/goal` : `/habits/${habitId}/tracking/${DAY}`;
        expect((await call(app, user, 'GET', url)).statusCode).toBe(404);
        await expectNextSync(app, user, cursor, {});
      },
    );

    it('habit upsert with a baseVersion for an id never used: conflict null, no habit made', async () => {
      const app = ctx.app;
      const user = await signUp(app);
      const id = randomUUID();
      const { results } = await push(app, user, [
        { type: 'habit', op: 'upsert', id, baseVersion: 1, data: { name: 'Never' } },
        { type: 'habit', op: 'delete', id, baseVersion: 1 },
      ]);
      expect(results).toEqual([
        { status: 'conflict', current: null },
        { status: 'conflict', current: null },
      ]);
      expect((await call(app, user, 'GET', `/habits/${id}`)).statusCode).toBe(404);
    });

    it('without baseVersion, the last write wins: each device’s change is applied over the one before', async () => {
      const app = ctx.app;
      const { user, habitId } = await userWithHabit(app);
      // Another device moved everything on meanwhile.
      await expectStatus(call(app, user, 'PATCH', `/habits/${habitId}`, { name: 'Elsewhere' }), 200);
      await expectStatus(call(app, user, 'PUT', `/habits/${habitId}/goal`, { period: 'week', target: 2 }), 200);
      await expectStatus(call(app, user, 'PUT', `/habits/${habitId}/tracking/${DAY}`, { note: 'elsewhere' }), 200);

      const first = await push(app, user, [
        { type: 'habit', op: 'upsert', id: habitId, data: { name: 'Device 1' } },
        { type: 'goal', op: 'upsert', habitId, data: { period: 'week', target: 5 } },
        { type: 'checkin', op: 'upsert', habitId, date: DAY, data: { note: 'device 1' } },
      ]);
      expect(first.results).toEqual([
        { status: 'applied', version: 3 },
        { status: 'applied', version: 3 },
        { status: 'applied', version: 3 },
      ]);
      const second = await push(app, user, [
        { type: 'habit', op: 'upsert', id: habitId, data: { name: 'Device 2' } },
        { type: 'goal', op: 'upsert', habitId, data: { period: 'week', target: 6 } },
        { type: 'checkin', op: 'upsert', habitId, date: DAY, data: { note: 'device 2' } },
      ]);
      expect(second.results).toEqual([
        { status: 'applied', version: 4 },
        { status: 'applied', version: 4 },
        { status: 'applied', version: 4 },
      ]);
      expect((await call(app, user, 'GET', `/habits/${habitId}`)).json()).toMatchObject({ name: 'Device 2', version: 4 });
      expect((await call(app, user, 'GET', `/habits/${habitId}/goal`)).json()).toMatchObject({ target: 6, version: 4 });
      expect((await call(app, user, 'GET', `/habits/${habitId}/tracking/${DAY}`)).json()).toMatchObject({ note: 'device 2', version: 4 });
    });

    it.each(targets)(
      'two devices writing the same $type on the same version: one applied, the other a conflict with its copy',
      async ({ type, address, url, data }) => {
        const app = ctx.app;
        const { user, habitId } = await userWithHabit(app);
        const base = (await call(app, user, 'GET', url(habitId))).json<Item>().version;
        const dataOf = (device: number) =>
          type === 'habit'
            ? { name: `Device ${device}` }
            : type === 'goal'
              ? { period: 'week', target: device + 3 }
              : { ...data, note: `device ${device}` };
        const devices = [1, 2, 3, 4];
        // At the same time: the version is checked by the write's own statement.
        const replies = await Promise.all(
          devices.map((device) => push(app, user, [{ type, op: 'upsert', ...address(habitId), baseVersion: base, data: dataOf(device) }])),
        );
        const results = replies.map(({ results: [result] }) => result!);
        const applied = results.filter((result) => result.status === 'applied');
        expect(applied).toEqual([{ status: 'applied', version: base + 1 }]);
        const server = (await call(app, user, 'GET', url(habitId))).json<Item>();
        expect(server.version).toBe(base + 1);
        const winner = devices[results.indexOf(applied[0]!)]!;
        expect(server).toMatchObject(dataOf(winner));
        for (const result of results.filter((each) => each.status !== 'applied')) {
          expect(result).toEqual({ status: 'conflict', current: server });
        }

        // The losers, one after the other from their own version: the first is a conflict too.
        const loser = devices.find((device) => device !== winner)!;
        const late = await push(app, user, [{ type, op: 'upsert', ...address(habitId), baseVersion: base, data: dataOf(loser) }]);
        expect(late.results).toEqual([{ status: 'conflict', current: server }]);
        // Rebased on the server's version, it is applied.
        const rebased = await push(app, user, [
          { type, op: 'upsert', ...address(habitId), baseVersion: server.version, data: dataOf(loser) },
        ]);
        expect(rebased.results).toEqual([{ status: 'applied', version: base + 2 }]);
      },
    );
  });

  describe('another user’s items', () => {
    const SECRET_NAME = 'A’s secret habit';
    const SECRET_NOTE = 'A’s secret note';
    let a: SignedUpUser;
    let b: SignedUpUser;
    let aHabitId: string;
    let aVersions: { habit: number; goal: number; checkin: number };
    let aCursor: string;
    let aBefore: Awaited<ReturnType<typeof stateOf>>;

    beforeAll(async () => {
      const app = ctx.app;
      a = await signUp(app);
      b = await signUp(app);
      aHabitId = (await expectStatus(call(app, a, 'POST', '/habits', { name: SECRET_NAME }), 201)).json<Item>().id;
      await expectStatus(call(app, a, 'PUT', `/habits/${aHabitId}/goal`, { period: 'week', target: 3 }), 201);
      await expectStatus(call(app, a, 'PUT', `/habits/${aHabitId}/tracking/${DAY}`, { note: SECRET_NOTE }), 201);
      // B has a habit of its own with that name: the reply must still not show A's.
      await expectStatus(call(app, b, 'POST', '/habits', { name: 'B’s habit' }), 201);
      const version = async (url: string) => (await call(app, a, 'GET', url)).json<Item>().version;
      aVersions = {
        habit: await version(`/habits/${aHabitId}`),
        goal: await version(`/habits/${aHabitId}/goal`),
        checkin: await version(`/habits/${aHabitId}/tracking/${DAY}`),
      };
      aCursor = await cursorOf(app, a);
      aBefore = await stateOf(app, a, aHabitId);
    });

    interface OwnershipRow {
      name: string;
      change: () => Change;
      /** B sending the same to the single-item route. */
      route: () => { method: Method; url: string; payload?: object };
      status: number;
      /** What POST /sync answers. */
      message: string;
    }
    const baseVersions: [string, (kind: 'habit' | 'goal' | 'checkin') => number | undefined][] = [
      ['without baseVersion', () => undefined],
      ['with A’s current version', (kind) => aVersions[kind]],
      ['with another version', (kind) => aVersions[kind] + 7],
    ];
    const rows: OwnershipRow[] = baseVersions.flatMap(([label, baseVersion]) => [
      {
        name: `habit upsert ${label}`,
        change: () => ({ type: 'habit', op: 'upsert', id: aHabitId, baseVersion: baseVersion('habit'), data: { name: 'Hijacked by B' } }),
        route: () => ({ method: 'POST', url: '/habits', payload: { id: aHabitId, name: 'Hijacked by B' } }),
        status: 409,
        message: 'Id already in use',
      },
      {
        name: `habit delete ${label}`,
        change: () => ({ type: 'habit', op: 'delete', id: aHabitId, baseVersion: baseVersion('habit') }),
        route: () => ({ method: 'DELETE', url: `/habits/${aHabitId}` }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: `goal upsert ${label}`,
        change: () => ({
          type: 'goal',
          op: 'upsert',
          habitId: aHabitId,
          baseVersion: baseVersion('goal'),
          data: { period: 'day', target: 1 },
        }),
        route: () => ({ method: 'PUT', url: `/habits/${aHabitId}/goal`, payload: { period: 'day', target: 1 } }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: `goal delete ${label}`,
        change: () => ({ type: 'goal', op: 'delete', habitId: aHabitId, baseVersion: baseVersion('goal') }),
        route: () => ({ method: 'DELETE', url: `/habits/${aHabitId}/goal` }),
        status: 404,
        message: 'Goal not found',
      },
      {
        name: `check-in upsert ${label}`,
        change: () => ({
          type: 'checkin',
          op: 'upsert',
          habitId: aHabitId,
          date: DAY,
          baseVersion: baseVersion('checkin'),
          data: { note: 'written by B', status: 'skipped' },
        }),
        route: () => ({ method: 'PUT', url: `/habits/${aHabitId}/tracking/${DAY}`, payload: { note: 'written by B', status: 'skipped' } }),
        status: 404,
        message: 'Habit not found',
      },
      {
        name: `check-in delete ${label}`,
        change: () => ({ type: 'checkin', op: 'delete', habitId: aHabitId, date: DAY, baseVersion: baseVersion('checkin') }),
        route: () => ({ method: 'DELETE', url: `/habits/${aHabitId}/tracking/${DAY}` }),
        status: 404,
        message: 'Check-in not found',
      },
    ]);

    const expectNothingOfA = (body: string) => {
      expect(body).not.toContain(SECRET_NAME);
      expect(body).not.toContain(SECRET_NOTE);
      expect(body).not.toContain(aHabitId);
      expect(body).not.toContain(a.user.id);
    };

    it.each(rows)('$name → rejected as the route answers B, never a conflict', async ({ change, route, status, message }) => {
      const app = ctx.app;
      const single = route();
      const answer = await call(app, b, single.method, single.url, single.payload);
      expect(answer.json()).toEqual({ statusCode: status, error: expect.any(String), message });
      // The same answer as for a habit nobody has: nothing tells B that A's exists.
      const nobodys = change();
      for (const field of ['id', 'habitId'] as const) if (nobodys[field]) nobodys[field] = randomUUID();
      delete nobodys.baseVersion;
      if (!(nobodys.type === 'habit' && nobodys.op === 'upsert')) {
        expect((await push(app, b, [nobodys])).results).toEqual([{ status: 'rejected', error: { statusCode: status, message } }]);
      }

      const { reply, results } = await push(app, b, [change()]);
      expect(results).toEqual([{ status: 'rejected', error: { statusCode: status, message } }]);
      expectNothingOfA(reply.body);
      // Spelled in capitals (the same uuid to PostgreSQL), it is still A's habit.
      const shouted = change();
      for (const field of ['id', 'habitId'] as const) if (shouted[field]) shouted[field] = shouted[field].toUpperCase();
      const again = await push(app, b, [shouted]);
      expect(again.results).toEqual([{ status: 'rejected', error: { statusCode: status, message } }]);
      expectNothingOfA(again.reply.body);
    });

    it('all of them in one batch: every result rejected, nothing of A’s in the reply', async () => {
      const { reply, results } = await push(
        ctx.app,
        b,
        rows.map(({ change }) => change()),
      );
      expect(results.map((result) => result.status)).toEqual(rows.map(() => 'rejected'));
      expectNothingOfA(reply.body);
    });

    it('leaves A’s habit, goal, check-in and feed as they were', async () => {
      const app = ctx.app;
      expect(await stateOf(app, a, aHabitId)).toEqual(aBefore);
      // Not even a version moved: A's feed has nothing after A's cursor.
      await expectNextSync(app, a, aCursor, {});
      // And B got no habit under A's id or A's name.
      const bHabits = (await call(app, b, 'GET', '/habits?archived=all')).json<Item[]>();
      expect(bHabits.map((habit) => habit.name)).toEqual(['B’s habit']);
    });
  });

  describe('the batch', () => {
    it('answers 400 for no changes, and for more than 500, applying none of them', async () => {
      const app = ctx.app;
      const user = await signUp(app);
      const cursor = await cursorOf(app, user);
      for (const payload of [{ changes: [] }, {}, { changes: {} }, { changes: 'x' }, [], { changes: [null] }]) {
        await expectStatus(call(app, user, 'POST', '/sync', payload), 400);
      }
      const tooMany = Array.from({ length: 501 }, (_, index): Change => ({
        type: 'habit',
        op: 'upsert',
        id: randomUUID(),
        data: { name: `Habit ${index}` },
      }));
      const refused = await expectStatus(call(app, user, 'POST', '/sync', { changes: tooMany }), 400);
      expect(refused.json<{ message: string }>().message).toBe('body/changes must NOT have more than 500 items');
      await expectNextSync(app, user, cursor, {});
    });

    it('takes 500 changes, with 500 results in order', async () => {
      const app = ctx.app;
      const user = await signUp(app);
      const { id: habitId } = (await expectStatus(call(app, user, 'POST', '/habits', { name: 'Daily' }), 201)).json<Item>();
      const cursor = await cursorOf(app, user);
      // Cheap changes: deletes of check-ins that are not there (each its route's 404), then one upsert last.
      const start = Date.parse('2022-01-01T00:00:00Z');
      const dates = Array.from({ length: 500 }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
      const changes: Change[] = dates.map((date) => ({ type: 'checkin', op: 'delete', habitId, date }));
      changes[499] = { type: 'checkin', op: 'upsert', habitId, date: dates[499]! };
      const { results } = await push(app, user, changes);
      expect(results.slice(0, 499)).toEqual(
        dates.slice(0, 499).map(() => ({ status: 'rejected', error: { statusCode: 404, message: 'Check-in not found' } })),
      );
      expect(results[499]).toEqual({ status: 'applied', version: 1 });
      await expectNextSync(app, user, cursor, { checkins: [expect.objectContaining({ habitId, date: dates[499], version: 1 })] });
    }, 60_000);

    it.each([
      ['an unknown type', { type: 'note', op: 'upsert', id: randomUUID(), data: {} }],
      ['an unknown op', { type: 'habit', op: 'patch', id: randomUUID(), data: { name: 'x' } }],
      ['no type', { op: 'delete', id: randomUUID() }],
      ['no op', { type: 'habit', id: randomUUID(), data: { name: 'x' } }],
      ['a baseVersion of 0', { type: 'habit', op: 'delete', id: randomUUID(), baseVersion: 0 }],
      ['a baseVersion that is a string', { type: 'habit', op: 'delete', id: randomUUID(), baseVersion: '1' }],
      ['a baseVersion beyond a 32-bit integer', { type: 'habit', op: 'delete', id: randomUUID(), baseVersion: 2 ** 31 }],
      ['an id that is not a string', { type: 'habit', op: 'delete', id: 42 }],
      ['a change that is not an object', 'habit'],
    ])('answers 400 for the whole batch with %s, applying none of it', async (_label, bad) => {
      const app = ctx.app;
      const user = await signUp(app);
      const cursor = await cursorOf(app, user);
      const id = randomUUID();
      const changes = [{ type: 'habit', op: 'upsert', id, data: { name: 'Before the bad one' } }, bad];
      const reply = await expectStatus(call(app, user, 'POST', '/sync', { changes }), 400);
      expect(reply.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/^body\/changes\/1/) });
      expect((await call(app, user, 'GET', `/habits/${id}`)).statusCode).toBe(404);
      await expectNextSync(app, user, cursor, {});
    });

    it('ends in the same state when a batch without baseVersion is sent again (a retry after a lost reply)', async () => {
      const app = ctx.app;
      const { user, habitId } = await userWithHabit(app);
      await expectStatus(call(app, user, 'PUT', `/habits/${habitId}/tracking/${OTHER_DAY}`, {}), 201);
      const newId = randomUUID();
      const batch: Change[] = [
        { type: 'habit', op: 'upsert', id: newId, data: { name: 'Made offline', color: '#112233' } },
        { type: 'goal', op: 'upsert', habitId: newId, data: { period: 'month', target: 10 } },
        { type: 'checkin', op: 'upsert', habitId: newId, date: DAY, data: { note: 'offline' } },
        { type: 'habit', op: 'upsert', id: habitId, data: { name: 'Renamed offline', position: 3 } },
        { type: 'goal', op: 'upsert', habitId, data: { period: 'day', target: 1 } },
        { type: 'checkin', op: 'upsert', habitId, date: DAY, data: { status: 'skipped' } },
        { type: 'checkin', op: 'delete', habitId, date: OTHER_DAY },
      ];
      const first = await push(app, user, batch);
      expect(first.results.map((result) => result.status)).toEqual(batch.map(() => 'applied'));
      /** The user's items without what a repeated write may move (version, updatedAt). */
      const state = async () => {
        const page = await syncAll(app, user);
        const strip = (items: Item[]) =>
          items
            .map((item) => Object.fromEntries(Object.entries(item).filter(([field]) => field !== 'version' && field !== 'updatedAt')))
            .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
        return { habits: strip(page.habits), goals: strip(page.goals), checkins: strip(page.checkins) };
      };
      const afterFirst = await state();

      const second = await push(app, user, batch);
      // The upserts are applied again; the delete finds nothing left to delete (its route's 404).
      expect(second.results.slice(0, -1).map((result) => result.status)).toEqual(batch.slice(0, -1).map(() => 'applied'));
      expect(second.results.at(-1)).toEqual({ status: 'rejected', error: { statusCode: 404, message: 'Check-in not found' } });
      expect(await state()).toEqual(afterFirst);
      expect(afterFirst.habits.map((habit) => habit.name).sort()).toEqual(['Made offline', 'Renamed offline']);
    });

    /**
     * The route's body validator leaves what PostgreSQL cannot store to each change's own validators:
     * one change whose `data` holds a NUL (even under a key its route would drop) or 1e400 is that
     * change's 400 (or applied without the dropped key, as POST /habits answers 201), never the batch's.
     */
    it('checks what PostgreSQL cannot store per change: a NUL in one change’s data rejects that change only', async () => {
      const app = ctx.app;
      const user = await signUp(app);
      const [nulName, nulJunk, good] = [randomUUID(), randomUUID(), randomUUID()];
      const single = await call(app, user, 'POST', '/habits', { name: 'a\u0000b' });
      const reply = await call(app, user, 'POST', '/sync', {
        changes: [
          { type: 'habit', op: 'upsert', id: nulName, data: { name: 'a\u0000b' } },
          { type: 'habit', op: 'upsert', id: nulJunk, data: { name: 'Junk dropped', junk: 'a\u0000b' } },
          { type: 'habit', op: 'upsert', id: good, data: { name: 'Good' } },
        ],
      });
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json<{ results: Result[] }>().results).toEqual([
        { status: 'rejected', error: { statusCode: 400, message: single.json<{ message: string }>().message } },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
      ]);
    });
  });

  it('answers 401 without a valid access token, and applies nothing', async () => {
    const app = ctx.app;
    const user = await signUp(app);
    const cursor = await cursorOf(app, user);
    const id = randomUUID();
    const payload = { changes: [{ type: 'habit', op: 'upsert', id, data: { name: 'Anonymous' } }] };
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${user.refreshToken}` }]) {
      const reply = await app.inject({ method: 'POST', url: '/sync', headers, payload });
      expect(reply.statusCode, reply.body).toBe(401);
    }
    expect((await call(app, user, 'GET', `/habits/${id}`)).statusCode).toBe(404);
    await expectNextSync(app, user, cursor, {});
  });
});
