/**
 * GET /sync (docs/api.md, "Offline-first sync"): a first sync pages through every current item; an
 * incremental one lists exactly what changed or was deleted after the cursor, in full current form
 * (a habit's deletion stands for its goal and check-ins). Every writing route outside /auth (those
 * under /habits, POST /sync) shows up in the feed, and so does every type × op of POST /sync: the
 * route table is checked against the routes the app registers (and its POST /sync rows against the
 * change schema's types and ops), so a new writing route or kind of change without a row fails this
 * file. Cursors are opaque:
 * malformed → 400, beyond the caller's changes or older than the kept deletions → 410. Users never
 * see each other's changes.
 *
 * The key test (issue 16): no change is ever skipped, even when two writes commit in the opposite
 * order to their start. A raw transaction writes a check-in of user A and stays open; an HTTP write
 * of another check-in of A must then wait for A's change counter, so a sync in between sees neither
 * and the next sync sees both. A control runs the same scenario on a database where the change
 * number comes from a naive global sequence (and the cursor is the highest number visible): there
 * the later write commits first, the sync in between moves the cursor past the held change, and the
 * held change is never delivered. That is what the first test guards against.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Static, TLiteral, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncChange, type SyncPage } from '../../src/schemas/sync.schema.js';
import { deleteDeadSessions } from '../../src/services/session-cleanup.service.js';
import { buildTestApp, useTestApp, type TestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

type Page = Static<typeof SyncPage>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const BLOCK = 2 ** 20;
const WRITING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const cursorFor = (changeNumber: number) => Buffer.from(`v1:${changeNumber}`).toString('base64url');
/** The change number inside a cursor (for the printed sequences; clients treat it as opaque). */
const numberOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString('latin1').replace(/^v1:/, ''));

function request(app: FastifyInstance, user: SignedUpUser, method: Method, url: string, payload?: object) {
  return app.inject({ method, url, headers: bearer(user.accessToken), ...(payload && { payload }) });
}

async function expectStatus(response: LightMyRequestResponse | Promise<LightMyRequestResponse>, status: number) {
  const done = await response;
  expect(done.statusCode, `${done.statusCode} ${done.body}`).toBe(status);
  return done;
}

async function syncOnce(app: FastifyInstance, user: SignedUpUser, since?: string, limit?: number): Promise<Page> {
  const query = new URLSearchParams();
  if (since !== undefined) query.set('since', since);
  if (limit !== undefined) query.set('limit', String(limit));
  const response = await expectStatus(request(app, user, 'GET', `/sync?${query.toString()}`), 200);
  return response.json<Page>();
}

const itemCount = (page: Page) =>
  page.habits.length +
  page.goals.length +
  page.checkins.length +
  page.deleted.habits.length +
  page.deleted.goals.length +
  page.deleted.checkins.length;

/** Every page from `since` (none: a first sync) while `hasMore`: the pages, and the cursor to keep. */
async function syncAll(app: FastifyInstance, user: SignedUpUser, since?: string, limit?: number) {
  const pages: Page[] = [];
  let cursor = since;
  for (let call = 0; call < 100; call += 1) {
    const page = await syncOnce(app, user, cursor, limit);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) {
      const all = {
        habits: pages.flatMap((each) => each.habits),
        goals: pages.flatMap((each) => each.goals),
        checkins: pages.flatMap((each) => each.checkins),
        deleted: {
          habits: pages.flatMap((each) => each.deleted.habits),
          goals: pages.flatMap((each) => each.deleted.goals),
          checkins: pages.flatMap((each) => each.deleted.checkins),
        },
      };
      return { pages, cursor: page.cursor, ...all };
    }
  }
  throw new Error('GET /sync never stopped saying hasMore');
}

async function currentCursor(app: FastifyInstance, user: SignedUpUser): Promise<string> {
  return (await syncAll(app, user)).cursor;
}

async function createHabit(app: FastifyInstance, user: SignedUpUser, name: string, kind: 'boolean' | 'numeric' = 'boolean') {
  return (await expectStatus(request(app, user, 'POST', '/habits', { name, kind }), 201)).json<{ id: string; version: number }>();
}

const checkinKey = (checkin: { habitId: string; date: string }) => `${checkin.habitId}/${checkin.date}`;

describe('GET /sync', () => {
  const ctx = useTestApp();

  it('pages a first sync through every current item, then lists each later change once, in its current form', async () => {
    const app = ctx.app;
    const user = await signUp(app);
    // 3 habits, 2 goals, 5 check-ins: 10 items of every kind.
    const habits = [
      await createHabit(app, user, 'Read'),
      await createHabit(app, user, 'Run'),
      await createHabit(app, user, 'Water', 'numeric'),
    ];
    const [read, run, water] = habits.map((habit) => habit.id) as [string, string, string];
    await expectStatus(request(app, user, 'PUT', `/habits/${read}/goal`, { period: 'week', target: 5 }), 201);
    await expectStatus(request(app, user, 'PUT', `/habits/${water}/goal`, { period: 'day', target: 8 }), 201);
    const checkinKeys: string[] = [];
    for (const [habitId, date] of [
      [read, '2024-03-01'],
      [read, '2024-03-02'],
      [read, '2024-03-03'],
      [run, '2024-03-01'],
      [water, '2024-03-01'],
    ] as const) {
      await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/${date}`, { value: 2 }), 201);
      checkinKeys.push(`${habitId}/${date}`);
    }

    const first = await syncAll(app, user, undefined, 3);
    expect(first.pages.map((page) => page.hasMore)).toEqual([true, true, true, false]);
    expect(first.pages.map(itemCount)).toEqual([3, 3, 3, 1]);
    expect(first.habits.map((habit) => habit.id).sort()).toEqual([read, run, water].sort());
    expect(first.goals.map((goal) => goal.habitId).sort()).toEqual([read, water].sort());
    expect(first.checkins.map(checkinKey).sort()).toEqual([...checkinKeys].sort());
    expect(first.deleted).toEqual({ habits: [], goals: [], checkins: [] });
    for (const habit of first.habits) expect(habit).toMatchObject({ version: 1, createdAt: expect.any(String) });
    expect(first.checkins.every((checkin) => checkin.version === 1 && checkin.value === 2)).toBe(true);
    // One page with room for everything gives the same items and the same cursor.
    const whole = await syncOnce(app, user, undefined, 1000);
    expect(whole.hasMore).toBe(false);
    expect(whole.cursor).toBe(first.cursor);
    expect(itemCount(whole)).toBe(10);
    // Nothing changed since: an empty page that keeps the cursor.
    const nothing = await syncOnce(app, user, first.cursor);
    expect(nothing).toEqual({
      cursor: first.cursor,
      hasMore: false,
      habits: [],
      goals: [],
      checkins: [],
      deleted: { habits: [], goals: [], checkins: [] },
    });

    // A PATCH of a habit: that habit, in full, version 2.
    let cursor = first.cursor;
    await expectStatus(request(app, user, 'PATCH', `/habits/${run}`, { name: 'Run 5k' }), 200);
    let page = await syncOnce(app, user, cursor);
    expect(page.habits).toEqual([expect.objectContaining({ id: run, name: 'Run 5k', version: 2 })]);
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;

    // A goal PUT (created, then replaced): the goal only, never its habit, whose version stays.
    const habitVersion = async (id: string) => (await request(app, user, 'GET', `/habits/${id}`)).json<{ version: number }>().version;
    const runVersion = await habitVersion(run);
    await expectStatus(request(app, user, 'PUT', `/habits/${run}/goal`, { period: 'week', target: 3 }), 201);
    page = await syncOnce(app, user, cursor);
    expect(page.goals).toEqual([expect.objectContaining({ habitId: run, period: 'week', target: 3, version: 1 })]);
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;
    await expectStatus(request(app, user, 'PUT', `/habits/${run}/goal`, { period: 'week', target: 4 }), 200);
    page = await syncOnce(app, user, cursor);
    expect(page.goals).toEqual([expect.objectContaining({ habitId: run, target: 4, version: 2 })]);
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;
    expect(await habitVersion(run)).toBe(runVersion);

    // A goal DELETE: deleted.goals lists the habit's id.
    await expectStatus(request(app, user, 'DELETE', `/habits/${run}/goal`), 204);
    page = await syncOnce(app, user, cursor);
    expect(page.deleted).toEqual({ habits: [], goals: [run], checkins: [] });
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;

    // A check-in PUT: created (version 1), replaced (version 2); the habit is not listed, its version stays.
    await expectStatus(request(app, user, 'PUT', `/habits/${run}/tracking/2024-03-05`, { status: 'skipped' }), 201);
    page = await syncOnce(app, user, cursor);
    expect(page.checkins).toEqual([expect.objectContaining({ habitId: run, date: '2024-03-05', status: 'skipped', version: 1 })]);
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;
    await expectStatus(request(app, user, 'PUT', `/habits/${run}/tracking/2024-03-05`, { note: 'rain' }), 200);
    page = await syncOnce(app, user, cursor);
    expect(page.checkins).toEqual([
      expect.objectContaining({ habitId: run, date: '2024-03-05', status: 'done', note: 'rain', version: 2 }),
    ]);
    expect(itemCount(page)).toBe(1);
    cursor = page.cursor;
    expect(await habitVersion(run)).toBe(runVersion);

    // A check-in DELETE: deleted.checkins lists { habitId, date }.
    await expectStatus(request(app, user, 'DELETE', `/habits/${run}/tracking/2024-03-05`), 204);
    page = await syncOnce(app, user, cursor);
    expect(page.deleted).toEqual({ habits: [], goals: [], checkins: [{ habitId: run, date: '2024-03-05' }] });
    expect(itemCount(page)).toBe(1);
    const beforeRecreate = page.cursor;

    // Created again: listed in checkins (version 1 again), no longer in deleted, also from a cursor before the deletion.
    const beforeDelete = cursor;
    await expectStatus(request(app, user, 'PUT', `/habits/${run}/tracking/2024-03-05`, {}), 201);
    page = await syncOnce(app, user, beforeRecreate);
    expect(page.checkins).toEqual([expect.objectContaining({ habitId: run, date: '2024-03-05', version: 1 })]);
    expect(itemCount(page)).toBe(1);
    page = await syncOnce(app, user, beforeDelete);
    expect(page.checkins.map(checkinKey)).toEqual([`${run}/2024-03-05`]);
    expect(page.deleted).toEqual({ habits: [], goals: [], checkins: [] });
    cursor = page.cursor;

    // Deleting a habit lists only the habit: not its goal nor its check-ins, nor those deleted earlier.
    const beforeHabitGoes = cursor;
    await expectStatus(request(app, user, 'DELETE', `/habits/${read}/tracking/2024-03-01`), 204);
    await expectStatus(request(app, user, 'DELETE', `/habits/${water}/goal`), 204);
    page = await syncOnce(app, user, cursor);
    expect(page.deleted).toEqual({ habits: [], goals: [water], checkins: [{ habitId: read, date: '2024-03-01' }] });
    await expectStatus(request(app, user, 'DELETE', `/habits/${read}`), 204);
    await expectStatus(request(app, user, 'DELETE', `/habits/${water}`), 204);
    page = await syncOnce(app, user, beforeHabitGoes);
    expect(page.deleted.habits.sort()).toEqual([read, water].sort());
    expect(page.deleted.goals).toEqual([]);
    expect(page.deleted.checkins).toEqual([]);
    expect(itemCount(page)).toBe(2);

    // The state a client rebuilt from all of it is the server's.
    const state = await syncAll(app, user);
    expect(state.habits.map((habit) => [habit.id, habit.name, habit.version])).toEqual([[run, 'Run 5k', 2]]);
    expect(state.goals).toEqual([]);
    expect(state.checkins.map(checkinKey).sort()).toEqual([`${run}/2024-03-01`, `${run}/2024-03-05`]);
  });

  it('never names a current item among the deletions of a first sync’s later pages', async () => {
    const app = ctx.app;
    const user = await signUp(app);
    const habit = await createHabit(app, user, 'Stretch');
    for (const date of ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04']) {
      await expectStatus(request(app, user, 'PUT', `/habits/${habit.id}/tracking/${date}`, {}), 201);
    }
    await expectStatus(request(app, user, 'DELETE', `/habits/${habit.id}/tracking/2024-05-02`), 204);
    await expectStatus(request(app, user, 'PUT', `/habits/${habit.id}/tracking/2024-05-02`, {}), 201);
    await expectStatus(request(app, user, 'DELETE', `/habits/${habit.id}/tracking/2024-05-03`), 204);
    const gone = await createHabit(app, user, 'Gone');
    await expectStatus(request(app, user, 'DELETE', `/habits/${gone.id}`), 204);

    const first = await syncAll(app, user, undefined, 1);
    expect(first.pages[0]!.deleted).toEqual({ habits: [], goals: [], checkins: [] });
    expect(first.habits.map((each) => each.id)).toEqual([habit.id]);
    expect(first.checkins.map((each) => each.date).sort()).toEqual(['2024-05-01', '2024-05-02', '2024-05-04']);
    // Later pages carry `since`: they may list deletions, but only of items that are gone.
    const current = new Set(first.checkins.map(checkinKey));
    expect(first.deleted.checkins.filter((each) => current.has(checkinKey(each)))).toEqual([]);
    expect(first.deleted.habits).not.toContain(habit.id);
  });

  describe('every writing route outside /auth, and every change POST /sync applies, shows up in the next sync', () => {
    interface Fixture {
      user: SignedUpUser;
      habitId: string;
    }
    interface Row {
      method: Method;
      /** The route as registered. */
      route: string;
      /** POST /sync: the type and op of its one change (`applied`), each pair with a row. */
      change?: { type: string; op: string; what: string };
      status: number;
      send(app: FastifyInstance, fixture: Fixture): Promise<LightMyRequestResponse>;
      /** The only change the next sync lists. */
      expected(fixture: Fixture, reply: LightMyRequestResponse): Partial<Page>;
    }
    const DAY = '2024-04-10';
    /** The client-generated id of the habit that the POST /sync row creates (each row has a user of its own). */
    const PUSHED_HABIT_ID = randomUUID();
    /** A row of POST /sync with one change, which must be `applied`. */
    const pushRow = (
      change: { type: string; op: string; what: string },
      body: (fixture: Fixture) => object,
      expected: Row['expected'],
    ): Row => ({
      method: 'POST',
      route: '/sync',
      change,
      status: 200,
      send: (app, fixture) =>
        request(app, fixture.user, 'POST', '/sync', { changes: [{ type: change.type, op: change.op, ...body(fixture) }] }),
      expected,
    });
    const rows: Row[] = [
      {
        method: 'POST',
        route: '/habits',
        status: 201,
        send: (app, { user }) => request(app, user, 'POST', '/habits', { name: 'New one' }),
        expected: (_fixture, reply) => ({
          habits: [expect.objectContaining({ id: reply.json<{ id: string }>().id, name: 'New one', version: 1 })],
        }),
      },
      {
        method: 'PATCH',
        route: '/habits/:id',
        status: 200,
        send: (app, { user, habitId }) => request(app, user, 'PATCH', `/habits/${habitId}`, { archived: true }),
        expected: ({ habitId }) => ({ habits: [expect.objectContaining({ id: habitId, archived: true, version: 2 })] }),
      },
      {
        method: 'DELETE',
        route: '/habits/:id',
        status: 204,
        send: (app, { user, habitId }) => request(app, user, 'DELETE', `/habits/${habitId}`),
        expected: ({ habitId }) => ({ deleted: { habits: [habitId], goals: [], checkins: [] } }),
      },
      {
        method: 'PUT',
        route: '/habits/order',
        status: 200,
        send: (app, { user, habitId }) => request(app, user, 'PUT', '/habits/order', { ids: [habitId] }),
        expected: ({ habitId }) => ({ habits: [expect.objectContaining({ id: habitId, position: 0, version: 2 })] }),
      },
      {
        method: 'PUT',
        route: '/habits/:id/goal',
        status: 200,
        send: (app, { user, habitId }) => request(app, user, 'PUT', `/habits/${habitId}/goal`, { period: 'month', target: 20 }),
        expected: ({ habitId }) => ({ goals: [expect.objectContaining({ habitId, period: 'month', target: 20, version: 2 })] }),
      },
      {
        method: 'DELETE',
        route: '/habits/:id/goal',
        status: 204,
        send: (app, { user, habitId }) => request(app, user, 'DELETE', `/habits/${habitId}/goal`),
        expected: ({ habitId }) => ({ deleted: { habits: [], goals: [habitId], checkins: [] } }),
      },
      {
        method: 'PUT',
        route: '/habits/:id/tracking/:date',
        status: 200,
        send: (app, { user, habitId }) => request(app, user, 'PUT', `/habits/${habitId}/tracking/${DAY}`, { status: 'skipped' }),
        expected: ({ habitId }) => ({ checkins: [expect.objectContaining({ habitId, date: DAY, status: 'skipped', version: 2 })] }),
      },
      {
        method: 'DELETE',
        route: '/habits/:id/tracking/:date',
        status: 204,
        send: (app, { user, habitId }) => request(app, user, 'DELETE', `/habits/${habitId}/tracking/${DAY}`),
        expected: ({ habitId }) => ({ deleted: { habits: [], goals: [], checkins: [{ habitId, date: DAY }] } }),
      },
      {
        method: 'POST',
        route: '/import',
        status: 200,
        // "Table" merged (archived, its goal removed, its check-in of DAY replaced; 2024-04-11 untouched), and a new habit.
        send: (app, { user }) =>
          request(app, user, 'POST', '/import', {
            habits: [
              { name: 'Table', position: 3, archived: true, goal: null, checkins: [{ date: DAY, status: 'skipped' }] },
              { name: 'Imported', checkins: [{ date: DAY }] },
            ],
          }),
        // In the page's order, which is not the file's: the two of each, in any order.
        expected: ({ habitId }) => ({
          habits: expect.arrayContaining([
            expect.objectContaining({ id: habitId, archived: true, version: 2 }),
            expect.objectContaining({ name: 'Imported', version: 1 }),
          ]),
          checkins: expect.arrayContaining([
            expect.objectContaining({ habitId, date: DAY, status: 'skipped', version: 2 }),
            expect.objectContaining({ date: DAY, status: 'done', version: 1 }),
          ]),
          deleted: { habits: [], goals: [habitId], checkins: [] },
        }),
      },
      pushRow(
        { type: 'habit', op: 'upsert', what: 'a new id (created)' },
        () => ({ id: PUSHED_HABIT_ID, data: { name: 'Pushed' } }),
        () => ({ habits: [expect.objectContaining({ id: PUSHED_HABIT_ID, name: 'Pushed', version: 1 })] }),
      ),
      pushRow(
        { type: 'habit', op: 'upsert', what: 'an existing id (patched)' },
        ({ habitId }) => ({ id: habitId, data: { archived: true } }),
        ({ habitId }) => ({ habits: [expect.objectContaining({ id: habitId, archived: true, version: 2 })] }),
      ),
      pushRow(
        { type: 'habit', op: 'delete', what: 'with its goal and check-ins' },
        ({ habitId }) => ({ id: habitId, baseVersion: 1 }),
        ({ habitId }) => ({ deleted: { habits: [habitId], goals: [], checkins: [] } }),
      ),
      pushRow(
        { type: 'goal', op: 'upsert', what: 'replaced' },
        ({ habitId }) => ({ habitId, data: { period: 'month', target: 20 } }),
        ({ habitId }) => ({ goals: [expect.objectContaining({ habitId, period: 'month', target: 20, version: 2 })] }),
      ),
      pushRow(
        { type: 'goal', op: 'delete', what: 'its habit’s id in deleted.goals' },
        ({ habitId }) => ({ habitId }),
        ({ habitId }) => ({ deleted: { habits: [], goals: [habitId], checkins: [] } }),
      ),
      pushRow(
        { type: 'checkin', op: 'upsert', what: 'replaced, on its version' },
        ({ habitId }) => ({ habitId, date: DAY, baseVersion: 1, data: { status: 'skipped' } }),
        ({ habitId }) => ({ checkins: [expect.objectContaining({ habitId, date: DAY, status: 'skipped', version: 2 })] }),
      ),
      pushRow(
        { type: 'checkin', op: 'delete', what: 'its habitId and date in deleted.checkins' },
        ({ habitId }) => ({ habitId, date: DAY }),
        ({ habitId }) => ({ deleted: { habits: [], goals: [], checkins: [{ habitId, date: DAY }] } }),
      ),
    ];
    const named = rows.map((row) => ({
      ...row,
      name: row.change
        ? `${row.method} ${row.route}: ${row.change.type} ${row.change.op}, ${row.change.what}`
        : `${row.method} ${row.route}`,
    }));
    /**
     * The writing routes that may write habits, goals or check-ins: every one outside /auth (those under
     * /habits, POST /sync, and any new one, which then needs a row). DELETE /auth/me has its own test below.
     */
    const writesSyncedItems = ({ method, path }: { method: string; path: string }) =>
      WRITING_METHODS.has(method) && !path.startsWith('/auth/');

    it('has a row for every writing route the app registers outside /auth (/habits…, POST /sync), and none for a route it does not', () => {
      const registered = ctx.routes.filter(writesSyncedItems).map(({ method, path }) => `${method} ${path}`);
      expect(registered).toContain('POST /sync');
      const table = rows.map(({ method, route }) => `${method} ${route}`);
      expect(registered.length).toBeGreaterThan(0);
      expect(
        registered.filter((route) => !table.includes(route)),
        'add a row for each to this table',
      ).toEqual([]);
      expect(table.filter((route) => !registered.includes(route))).toEqual([]);
    });

    it('has a POST /sync row for every type and op a change may have', () => {
      const values = (schema: TSchema) => (schema.anyOf as TLiteral[]).map((literal) => String(literal.const));
      const pairs = values(SyncChange.properties.type).flatMap((type) => values(SyncChange.properties.op).map((op) => `${type} ${op}`));
      expect(pairs.length).toBeGreaterThanOrEqual(6);
      const covered = rows.flatMap(({ change }) => (change ? [`${change.type} ${change.op}`] : []));
      expect(
        pairs.filter((pair) => !covered.includes(pair)),
        'add a POST /sync row for each',
      ).toEqual([]);
    });

    // `%s` rather than `$name`, which vitest would cut at 40 characters.
    it.each(named.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
      const app = ctx.app;
      const user = await signUp(app);
      // At position 3, so that PUT /habits/order moves it.
      const { id: habitId } = (await expectStatus(request(app, user, 'POST', '/habits', { name: 'Table', position: 3 }), 201)).json<{
        id: string;
      }>();
      await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/goal`, { period: 'week', target: 2 }), 201);
      await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/${DAY}`, {}), 201);
      await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-04-11`, {}), 201);
      const cursor = await currentCursor(app, user);

      const fixture = { user, habitId };
      const reply = await expectStatus(row.send(app, fixture), row.status);
      if (row.change) {
        const results = reply.json<{ results: { status: string }[] }>().results;
        expect(results, reply.body).toEqual([expect.objectContaining({ status: 'applied' })]);
      }
      const page = await syncOnce(app, user, cursor);
      const empty = { habits: [], goals: [], checkins: [], deleted: { habits: [], goals: [], checkins: [] } };
      expect(page).toEqual({ cursor: expect.any(String), hasMore: false, ...empty, ...row.expected(fixture, reply) });
      expect(numberOf(page.cursor)).toBeGreaterThan(numberOf(cursor));
      // Once: the next sync from the new cursor is empty.
      expect(itemCount(await syncOnce(app, user, page.cursor))).toBe(0);
    });
  });

  it('still deletes an account (DELETE /auth/me) with its habits, goals, check-ins and feed', async () => {
    const app = ctx.app;
    const user = await signUp(app);
    const other = await signUp(app);
    const otherHabit = await createHabit(app, other, 'Other’s');
    const { id: habitId } = await createHabit(app, user, 'Doomed');
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1 }), 201);
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-02-01`, {}), 201);
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-02-02`, {}), 201);
    await expectStatus(request(app, user, 'DELETE', `/habits/${habitId}/tracking/2024-02-02`), 204);
    const second = await createHabit(app, user, 'Doomed too');
    await expectStatus(request(app, user, 'DELETE', `/habits/${second.id}`), 204);

    await expectStatus(request(app, user, 'DELETE', '/auth/me', { password: user.password }), 204);

    const db = new pg.Client({ connectionString: ctx.database.url });
    await db.connect();
    try {
      const counts = await db.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM "User" WHERE id = $1) AS users,
                (SELECT count(*)::int FROM "Habit" WHERE "userId" = $1) AS habits,
                (SELECT count(*)::int FROM "HabitTracking" WHERE "habitId" = $2) AS checkins,
                (SELECT count(*)::int FROM "HabitGoal" WHERE "habitId" = $2) AS goals,
                (SELECT count(*)::int FROM "SyncCounter" WHERE "userId" = $1) AS counters,
                (SELECT count(*)::int FROM "SyncDeletion" WHERE "userId" = $1) AS deletions`,
        [user.user.id, habitId],
      );
      expect(counts.rows[0]).toEqual({ users: 0, habits: 0, checkins: 0, goals: 0, counters: 0, deletions: 0 });
    } finally {
      await db.end();
    }
    // The other user's feed is untouched.
    const state = await syncAll(app, other);
    expect(state.habits.map((habit) => habit.id)).toEqual([otherHabit.id]);
    expect((await request(app, user, 'GET', '/sync')).statusCode).toBe(401);
  });

  describe('cursors and limits', () => {
    let user: SignedUpUser;
    let cursor: string;
    beforeAll(async () => {
      user = await signUp(ctx.app);
      const habit = await createHabit(ctx.app, user, 'Cursor');
      await expectStatus(request(ctx.app, user, 'PUT', `/habits/${habit.id}/tracking/2024-01-01`, {}), 201);
      cursor = await currentCursor(ctx.app, user);
    });

    it('answers 400 for a cursor this API did not hand out', async () => {
      const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('xx') ? 'yy' : 'xx'}`;
      const plain = (text: string) => Buffer.from(text).toString('base64url');
      for (const since of [
        'garbage!',
        'not a cursor',
        tampered,
        `${cursor}A`,
        `${cursor}==`,
        `${cursor}.`,
        plain('v1:abc'),
        plain('v1:'),
        plain('v1:-1'),
        plain('v1:01'),
        plain('v1:1.5'),
        plain(' v1:1'),
        plain('v2:1'),
        plain(String(numberOf(cursor))),
        plain('v1:99999999999999999'),
        plain('v1:9999999999999999'), // above Number.MAX_SAFE_INTEGER
        'x'.repeat(65),
      ]) {
        const response = await request(ctx.app, user, 'GET', `/sync?since=${encodeURIComponent(since)}`);
        expect(response.statusCode, `since=${since}: ${response.body}`).toBe(400);
      }
      expect((await request(ctx.app, user, 'GET', '/sync?since=')).statusCode).toBe(400);
    });

    it('answers 410 for a well-formed cursor beyond the caller’s changes', async () => {
      for (const since of [cursorFor(numberOf(cursor) + 1), cursorFor(numberOf(cursor) + BLOCK), cursorFor(Number.MAX_SAFE_INTEGER)]) {
        const response = await request(ctx.app, user, 'GET', `/sync?since=${since}`);
        expect(response.statusCode, response.body).toBe(410);
        expect(response.json()).toMatchObject({ statusCode: 410, message: expect.stringMatching(/sync again without since/) });
      }
      // 0 and the current cursor are fine.
      expect(itemCount(await syncOnce(ctx.app, user, cursorFor(0)))).toBe(2);
      expect(itemCount(await syncOnce(ctx.app, user, cursor))).toBe(0);
    });

    it('checks limit (1..1000) and the access token', async () => {
      for (const limit of ['0', '1001', 'x', '-1', '1.5']) {
        const response = await request(ctx.app, user, 'GET', `/sync?limit=${limit}`);
        expect(response.statusCode, `limit=${limit}`).toBe(400);
      }
      for (const limit of [1, 1000]) expect((await syncOnce(ctx.app, user, undefined, limit)).habits).toHaveLength(1);
      expect((await ctx.app.inject({ method: 'GET', url: '/sync' })).statusCode).toBe(401);
      expect(
        (await ctx.app.inject({ method: 'GET', url: `/sync?since=${cursor}`, headers: { authorization: 'Bearer nope' } })).statusCode,
      ).toBe(401);
    });
  });

  describe('isolation', () => {
    it('shows B none of A’s items or deletions, also with A’s cursors', async () => {
      const app = ctx.app;
      const a = await signUp(app);
      const b = await signUp(app);
      const aHabit = await createHabit(app, a, 'A');
      const aEarly = await currentCursor(app, a); // after A's first change only
      await expectStatus(request(app, a, 'PUT', `/habits/${aHabit.id}/goal`, { period: 'day', target: 1 }), 201);
      await expectStatus(request(app, a, 'PUT', `/habits/${aHabit.id}/tracking/2024-01-01`, {}), 201);
      await expectStatus(request(app, a, 'PUT', `/habits/${aHabit.id}/tracking/2024-01-02`, {}), 201);
      await expectStatus(request(app, a, 'DELETE', `/habits/${aHabit.id}/tracking/2024-01-02`), 204);
      const aGone = await createHabit(app, a, 'A gone');
      await expectStatus(request(app, a, 'DELETE', `/habits/${aGone.id}`), 204);

      const bHabit = await createHabit(app, b, 'B');
      await expectStatus(request(app, b, 'PUT', `/habits/${bHabit.id}/tracking/2024-01-01`, {}), 201);
      await expectStatus(request(app, b, 'PUT', `/habits/${bHabit.id}/tracking/2024-01-03`, {}), 201);
      await expectStatus(request(app, b, 'DELETE', `/habits/${bHabit.id}/tracking/2024-01-03`), 204);
      const aLate = await currentCursor(app, a);

      const onlyB = (page: Omit<Page, 'cursor' | 'hasMore'>) => {
        const aIds = [aHabit.id, aGone.id];
        expect(page.habits.map((habit) => habit.id)).toEqual(page.habits.length ? [bHabit.id] : []);
        expect(page.goals).toEqual([]);
        expect(page.checkins.every((checkin) => checkin.habitId === bHabit.id)).toBe(true);
        expect(page.deleted.habits.filter((id) => aIds.includes(id))).toEqual([]);
        expect(page.deleted.goals).toEqual([]);
        expect(page.deleted.checkins.every((checkin) => checkin.habitId === bHabit.id)).toBe(true);
      };
      const first = await syncAll(app, b, undefined, 2);
      onlyB(first);
      expect(first.checkins.map((checkin) => checkin.date)).toEqual(['2024-01-01']);
      const fromZero = await syncAll(app, b, cursorFor(0));
      onlyB(fromZero);
      expect(fromZero.deleted.checkins).toEqual([{ habitId: bHabit.id, date: '2024-01-03' }]);

      // A's early cursor is below B's counter: B gets B's changes after it, nothing of A's.
      const early = await syncAll(app, b, aEarly);
      onlyB(early);
      expect(itemCount(early.pages[0]!)).toBeGreaterThan(0);
      // A's late cursor is beyond B's changes: 410.
      expect(numberOf(aLate)).toBeGreaterThan(numberOf(first.cursor));
      expect((await request(app, b, 'GET', `/sync?since=${aLate}`)).statusCode).toBe(410);
      // And A still sees only A's.
      const aState = await syncAll(app, a);
      expect(aState.habits.map((habit) => habit.id)).toEqual([aHabit.id]);
      expect(aState.checkins.map(checkinKey)).toEqual([`${aHabit.id}/2024-01-01`]);
    });
  });
});

describe('GET /sync after the deletions it lists are cleaned up', () => {
  const ctx = useTestApp();

  it('answers 410 for a cursor older than the kept deletions (30 days), and serves newer ones', async () => {
    const app = ctx.app;
    const user = await signUp(app);
    const keeper = await signUp(app);
    const { id: habitId } = await createHabit(app, user, 'Floor');
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1 }), 201);
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-06-01`, {}), 201);
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-06-02`, {}), 201);
    const beforeDeletions = await currentCursor(app, user);
    await expectStatus(request(app, user, 'DELETE', `/habits/${habitId}/tracking/2024-06-01`), 204);
    await expectStatus(request(app, user, 'DELETE', `/habits/${habitId}/goal`), 204);
    const afterDeletions = await currentCursor(app, user);
    await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/2024-06-03`, {}), 201);
    const keeperCursor = await currentCursor(app, keeper); // a user without changes: cursor 0

    const day = 86_400_000;
    // 29 days on, nothing is cleaned and the old cursor still works.
    expect((await deleteDeadSessions(app, { now: new Date(Date.now() + 29 * day) })).syncDeletions).toBe(0);
    expect((await syncOnce(app, user, beforeDeletions)).deleted).toEqual({
      habits: [],
      goals: [habitId],
      checkins: [{ habitId, date: '2024-06-01' }],
    });

    expect((await deleteDeadSessions(app, { now: new Date(Date.now() + 31 * day) })).syncDeletions).toBe(2);
    const gone = await request(app, user, 'GET', `/sync?since=${beforeDeletions}`);
    expect(gone.statusCode, gone.body).toBe(410);
    expect(gone.json()).toMatchObject({ statusCode: 410, message: expect.stringMatching(/older than the deletions kept/) });
    // A cursor at or after the last cleaned deletion is still complete.
    const page = await syncOnce(app, user, afterDeletions);
    expect(page.checkins.map((checkin) => checkin.date)).toEqual(['2024-06-03']);
    expect(page.deleted).toEqual({ habits: [], goals: [], checkins: [] });
    // A first sync always works, also page by page: its later pages' cursors start below the floor,
    // but the deletions it needs are only those after its first page's snapshot.
    expect((await syncAll(app, user)).checkins.map((checkin) => checkin.date).sort()).toEqual(['2024-06-02', '2024-06-03']);
    const paged = await syncAll(app, user, undefined, 1);
    expect(paged.pages.length).toBe(3);
    expect(paged.habits.map((habit) => habit.id)).toEqual([habitId]);
    expect(paged.checkins.map((checkin) => checkin.date).sort()).toEqual(['2024-06-02', '2024-06-03']);
    expect(itemCount(await syncOnce(app, keeper, keeperCursor))).toBe(0);
  });
});

/**
 * Two check-ins of one user: a raw transaction (held open) updates the first, then an HTTP PUT
 * writes the second; a sync runs while both are pending, the raw one commits, the HTTP one ends, and
 * the client syncs again from the cursor it was given.
 */
interface Observed {
  /** The client's cursor before the scenario. */
  start: number;
  /** The change numbers the two writes took, in the order they started. */
  held: number;
  http: number;
  /** Whether the HTTP write waited for the held transaction (else it committed first). */
  blocked: boolean;
  /** The sync in between: what it listed, and its cursor. */
  between: { checkins: string[]; cursor: number };
  /** The next sync, from the cursor the one in between gave. */
  after: { checkins: string[]; cursor: number };
  /** Every check-in write the client received, as `date v<version>`. */
  delivered: string[];
}

const HELD_DAY = '2024-07-01';
const HTTP_DAY = '2024-07-02';

/** The HTTP write's state, polled until it waits on a lock held by `heldPid` or has finished. */
async function blockedOrDone(raw: pg.Client, heldPid: number, isDone: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (isDone()) return false;
    const { rows } = await raw.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1 = ANY (pg_blocking_pids(pid))`,
      [heldPid],
    );
    if (rows.length > 0) return true;
    await sleep(5);
  }
  throw new Error('the HTTP write neither finished nor waited on the held transaction');
}

async function outOfOrderCommits(testApp: Pick<TestApp, 'app' | 'database'>, user: SignedUpUser, habitId: string): Promise<Observed> {
  const { app } = testApp;
  await expectStatus(request(app, user, 'PUT', `/habits/${habitId}/tracking/${HELD_DAY}`, { note: 'first' }), 201);
  const start = await currentCursor(app, user);

  const raw = new pg.Client({ connectionString: testApp.database.url });
  await raw.connect();
  const probe = new pg.Client({ connectionString: testApp.database.url });
  await probe.connect();
  try {
    const heldPid = (await raw.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await raw.query('BEGIN');
    const held = await raw.query<{ changeSeq: string; version: number }>(
      `UPDATE "HabitTracking" SET note = 'held', "updatedAt" = now()
        WHERE "habitId" = $1 AND date = $2::date RETURNING "changeSeq", version`,
      [habitId, HELD_DAY],
    );
    expect(held.rows).toHaveLength(1);

    let done = false;
    const pending = request(app, user, 'PUT', `/habits/${habitId}/tracking/${HTTP_DAY}`, { note: 'second' }).then((response) => {
      done = true;
      return response;
    });
    const blocked = await blockedOrDone(probe, heldPid, () => done);
    if (blocked) {
      // Still waiting after a while, not just slow to start.
      const first = await Promise.race([pending.then(() => 'finished'), sleep(150).then(() => 'pending')]);
      expect(first).toBe('pending');
    } else {
      expect((await pending).statusCode).toBe(201);
    }

    const between = await syncOnce(app, user, start);
    if (blocked) expect(done).toBe(false);
    await raw.query('COMMIT');
    const written = await pending;
    expect(written.statusCode, written.body).toBe(201);

    const after = await syncOnce(app, user, between.cursor);
    const { rows } = await probe.query<{ date: string; changeSeq: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, "changeSeq" FROM "HabitTracking" WHERE "habitId" = $1 AND date IN ($2::date, $3::date)`,
      [habitId, HELD_DAY, HTTP_DAY],
    );
    const numberAt = (date: string) => Number(rows.find((row) => row.date === date)!.changeSeq);
    const describePage = (page: Page) => page.checkins.map((checkin) => `${checkin.date} v${checkin.version} ${checkin.note ?? ''}`.trim());
    return {
      start: numberOf(start),
      held: numberAt(HELD_DAY),
      http: numberAt(HTTP_DAY),
      blocked,
      between: { checkins: describePage(between), cursor: numberOf(between.cursor) },
      after: { checkins: describePage(after), cursor: numberOf(after.cursor) },
      delivered: [...between.checkins, ...after.checkins].map((checkin) => `${checkin.date} v${checkin.version}`),
    };
  } finally {
    await raw.query('ROLLBACK').catch(() => undefined);
    await raw.end();
    await probe.end();
  }
}

describe('no change is ever skipped when two writes commit in the opposite order to their start', () => {
  const observed: { perUserCounter?: Observed; naiveSequence?: Observed } = {};
  afterAll(() => {
    console.log(
      `GET /sync out-of-order commits (change numbers; a cursor is the number it stands for):\n${JSON.stringify(observed, null, 2)}`,
    );
  });

  describe('with the per-user counter', () => {
    const ctx = useTestApp();

    it('makes the second write wait for the first: a sync in between sees neither, the next one both', async () => {
      const user = await signUp(ctx.app);
      const bystander = await signUp(ctx.app);
      const { id: habitId } = await createHabit(ctx.app, user, 'Held');
      const seen = await outOfOrderCommits(ctx, user, habitId);
      observed.perUserCounter = seen;

      expect(seen.blocked).toBe(true);
      expect(seen.between).toEqual({ checkins: [], cursor: seen.start });
      expect(seen.after.checkins).toEqual([`${HELD_DAY} v2 held`, `${HTTP_DAY} v1 second`]);
      expect(seen.delivered).toEqual([`${HELD_DAY} v2`, `${HTTP_DAY} v1`]);
      // Numbers in commit order: the held write's, then the HTTP one's, both after the start cursor.
      expect(seen.start).toBeLessThan(seen.held);
      expect(seen.held).toBeLessThan(seen.http);
      expect(seen.after.cursor).toBeGreaterThanOrEqual(seen.http);
      // Only the same user's writes wait: another user's is not held up by the open transaction.
      const { id: otherHabit } = await createHabit(ctx.app, bystander, 'Free');
      const raw = new pg.Client({ connectionString: ctx.database.url });
      await raw.connect();
      try {
        await raw.query('BEGIN');
        await raw.query(`UPDATE "HabitTracking" SET note = 'held again' WHERE "habitId" = $1 AND date = $2::date`, [habitId, HELD_DAY]);
        const free = request(ctx.app, bystander, 'PUT', `/habits/${otherHabit}/tracking/${HTTP_DAY}`, {});
        expect((await Promise.race([free, sleep(3_000).then(() => undefined)]))?.statusCode).toBe(201);
      } finally {
        await raw.query('ROLLBACK');
        await raw.end();
      }
    });
  });

  describe('control: a naive global sequence', () => {
    let testApp: TestApp | undefined;
    beforeAll(async () => {
      testApp = await buildTestApp();
      const db = new pg.Client({ connectionString: testApp.database.url });
      await db.connect();
      try {
        // One number from a global sequence per change, no lock; the cursor a page hands out is the
        // highest number the reader can see (what "after n" means with a sequence or a timestamp).
        // The repository reads "SyncCounter" (seq: the start of the last block, BLOCK numbers long):
        // a view stands in for it, so src/ runs unchanged.
        await db.query(`
          CREATE SEQUENCE naive_seq;
          CREATE OR REPLACE FUNCTION sync_next_seq(owner uuid) RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('naive_seq') $$;
          ALTER TABLE "SyncCounter" RENAME TO "SyncCounterUnused";
          CREATE VIEW "SyncCounter" AS
            SELECT u.id AS "userId", (m.seen - ${BLOCK - 1})::bigint AS seq, 0::bigint AS floor
              FROM "User" u, LATERAL (
                SELECT coalesce(max(n), 0) AS seen FROM (
                  SELECT "changeSeq" FROM "Habit" WHERE "userId" = u.id
                  UNION ALL SELECT g."changeSeq" FROM "HabitGoal" g JOIN "Habit" h ON h.id = g."habitId" WHERE h."userId" = u.id
                  UNION ALL SELECT t."changeSeq" FROM "HabitTracking" t JOIN "Habit" h ON h.id = t."habitId" WHERE h."userId" = u.id
                  UNION ALL SELECT "changeSeq" FROM "SyncDeletion" WHERE "userId" = u.id
                ) AS numbers (n)
              ) AS m;
        `);
      } finally {
        await db.end();
      }
    });
    afterAll(async () => {
      await testApp?.close();
    });

    it('lets the later write commit first, and the held change is never delivered', async () => {
      const naive = testApp!;
      const user = await signUp(naive.app);
      const { id: habitId } = await createHabit(naive.app, user, 'Held');
      const seen = await outOfOrderCommits(naive, user, habitId);
      observed.naiveSequence = seen;

      expect(seen.blocked).toBe(false);
      expect(seen.held).toBeLessThan(seen.http);
      // The sync in between saw the later write and moved the cursor past the held one's number…
      expect(seen.between).toEqual({ checkins: [`${HTTP_DAY} v1 second`], cursor: seen.http });
      expect(seen.held).toBeLessThan(seen.between.cursor);
      // …so the next sync, after the held one committed, does not list it: skipped for good.
      expect(seen.after.checkins).toEqual([]);
      expect(seen.delivered).toEqual([`${HTTP_DAY} v1`]);
      // Yet it is there: only a sync from scratch finds it.
      const state = await syncAll(naive.app, user);
      expect(state.checkins.map((checkin) => `${checkin.date} v${checkin.version}`).sort()).toEqual([`${HELD_DAY} v2`, `${HTTP_DAY} v1`]);
    });
  });
});
