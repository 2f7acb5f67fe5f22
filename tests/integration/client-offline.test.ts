/**
 * The offline queue of the typed client (examples/client/offline-sync.ts) against the real app,
 * listening on a port: two devices of one user (two SyncEngines, each signed in with its own
 * session) change things offline, where no request leaves them, and then sync with POST /sync and
 * GET /sync. The policy is the example's: on a conflict the server's copy wins and the local change
 * is reported (an onConflict that applies it again gives a field-level merge). Whatever happened,
 * both devices end with the server's state as a full GET /sync gives it. Also: a reply lost after
 * the server applied a batch (the batch sent again counts as applied), and a cursor older than the
 * deletions the server keeps (410: a sync from scratch replaces the local copy).
 */
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../examples/client/api-client.js';
import {
  SyncEngine,
  type ConflictReport,
  type RejectionReport,
  type Snapshot,
  type SyncEngineOptions,
} from '../../examples/client/offline-sync.js';
import type { paths } from '../../examples/client/schema.js';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

type SyncPage = paths['/sync']['get']['responses'][200]['content']['application/json'];

interface Device {
  /** The device's typed client, signed in. */
  api: ApiClient;
  engine: SyncEngine;
  /** `online: false` makes every request fail as fetch does without a network; `loseReplies` drops replies after the server answered. */
  network: { online: boolean; loseReplies: boolean };
  /** Every request that reached the server: `METHOD /path?query → status`, a cursor shown as `…`. */
  sent: string[];
  conflicts: ConflictReport[];
  rejected: RejectionReport[];
}

/** The same order for the engine's snapshot and the server's state. */
function sorted({ habits, goals, checkins }: Snapshot): Snapshot {
  return {
    habits: habits.toSorted((a, b) => a.id.localeCompare(b.id)),
    goals: goals.toSorted((a, b) => a.habitId.localeCompare(b.habitId)),
    checkins: checkins.toSorted((a, b) => a.habitId.localeCompare(b.habitId) || a.date.localeCompare(b.date)),
  };
}

describe('examples/client/offline-sync.ts', () => {
  const ctx = useTestApp();
  let baseUrl: string;

  beforeAll(async () => {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  });

  /** A device of `user`: the typed client, signed in with a session of its own, and a SyncEngine over it. */
  async function device(
    user: SignedUpUser,
    options: Omit<Partial<SyncEngineOptions>, 'api' | 'onConflict'> & {
      /** Called after the report is recorded, with the device's engine. */
      onConflict?: (report: ConflictReport, engine: SyncEngine) => Promise<void>;
    } = {},
  ): Promise<Device> {
    const network = { online: true, loseReplies: false };
    const sent: string[] = [];
    const fetch = async (request: Request): Promise<Response> => {
      if (!network.online) throw new TypeError('fetch failed (offline)');
      const { pathname, search } = new URL(request.url);
      const response = await globalThis.fetch(request);
      sent.push(`${request.method} ${pathname}${search.replace(/since=[^&]+/, 'since=…')} → ${response.status}`);
      if (network.loseReplies) {
        await response.body?.cancel();
        throw new TypeError('fetch failed (the reply was lost)');
      }
      return response;
    };
    const api = createApiClient({ baseUrl, fetch });
    expect((await api.login(user.email, user.password)).response.status).toBe(200);
    const conflicts: ConflictReport[] = [];
    const rejected: RejectionReport[] = [];
    const { onConflict, ...rest } = options;
    const engine: SyncEngine = new SyncEngine({
      api,
      ...rest,
      onConflict: async (report) => {
        conflicts.push(report);
        await onConflict?.(report, engine);
      },
      onRejected: (report) => {
        rejected.push(report);
      },
    });
    sent.length = 0;
    return { api, engine, network, sent, conflicts, rejected };
  }

  /** The user's items on the server: a full GET /sync. */
  async function serverState(user: SignedUpUser): Promise<Snapshot> {
    const response = await ctx.app.inject({ method: 'GET', url: '/sync?limit=1000', headers: bearer(user.accessToken) });
    expect(response.statusCode, response.body).toBe(200);
    const { habits, goals, checkins, hasMore } = response.json<SyncPage>();
    expect(hasMore).toBe(false);
    return sorted({ habits, goals, checkins });
  }

  /** Both devices show exactly the server's state, and have nothing left to send. */
  async function expectInSync(user: SignedUpUser, ...devices: Device[]): Promise<Snapshot> {
    const server = await serverState(user);
    for (const each of devices) {
      expect(sorted(await each.engine.snapshot())).toEqual(server);
      expect(await each.engine.pending()).toEqual([]);
    }
    return server;
  }

  function goOffline(...devices: Device[]): void {
    for (const each of devices) each.network.online = false;
  }

  function goOnline(...devices: Device[]): void {
    for (const each of devices) each.network.online = true;
  }

  /** A user with a phone and a tablet that both have the habit `Read`, synced. */
  async function twoDevicesWithAHabit(options: Parameters<typeof device>[1] = {}) {
    const user = await signUp(ctx.app);
    const phone = await device(user);
    const tablet = await device(user, options);
    const habit = await phone.engine.createHabit({ name: 'Read', color: '#3366FF' });
    await phone.engine.sync();
    await tablet.engine.sync();
    phone.sent.length = 0;
    tablet.sent.length = 0;
    return { user, phone, tablet, id: habit.id };
  }

  it('edits made offline show at once, send nothing, and a sync attempted offline keeps them', async () => {
    const { phone, id } = await twoDevicesWithAHabit();
    goOffline(phone);

    await phone.engine.updateHabit(id, { name: '  Read 20 pages ' });
    await phone.engine.checkIn(id, '2024-06-01');

    const shown = await phone.engine.snapshot();
    expect(shown.habits).toEqual([expect.objectContaining({ id, name: 'Read 20 pages', color: '#3366ff', version: 1 })]);
    expect(shown.checkins).toEqual([expect.objectContaining({ habitId: id, date: '2024-06-01', status: 'done', value: 1, note: null })]);
    await expect(phone.engine.sync()).rejects.toThrow('fetch failed (offline)');
    expect(phone.sent).toEqual([]);
    expect(await phone.engine.pending()).toEqual([
      { type: 'habit', op: 'upsert', id, data: { name: 'Read 20 pages' }, baseVersion: 1 },
      { type: 'checkin', op: 'upsert', habitId: id, date: '2024-06-01', data: {} },
    ]);
  });

  it('the same habit edited offline on two devices: the second to sync gets a conflict, the server’s copy wins, and both end equal to the server', async () => {
    const { user, phone, tablet, id } = await twoDevicesWithAHabit();
    goOffline(phone, tablet);
    await phone.engine.updateHabit(id, { name: 'Read 20 pages' });
    await tablet.engine.updateHabit(id, { color: '#22AA88' });
    expect((await tablet.engine.snapshot()).habits[0]).toMatchObject({ name: 'Read', color: '#22aa88' });

    goOnline(phone, tablet);
    await phone.engine.sync();
    await tablet.engine.sync();
    await phone.engine.sync();

    expect(phone.conflicts).toEqual([]);
    expect(tablet.conflicts).toEqual([
      {
        change: { type: 'habit', op: 'upsert', id, data: { color: '#22aa88' }, baseVersion: 1 },
        current: expect.objectContaining({ id, name: 'Read 20 pages', color: '#3366ff', version: 2 }),
      },
    ]);
    expect(tablet.sent).toEqual(['POST /sync → 200', 'GET /sync?since=… → 200']);
    const server = await expectInSync(user, phone, tablet);
    expect(server.habits).toEqual([expect.objectContaining({ name: 'Read 20 pages', color: '#3366ff', version: 2 })]);
  });

  it('an onConflict that applies the local change again merges by field: the fields this device changed win, the others keep the server’s', async () => {
    const { user, phone, tablet, id } = await twoDevicesWithAHabit({
      // The field-level merge of docs/clients.md.
      onConflict: async ({ change, current }, engine) => {
        if (change.type === 'habit' && change.op === 'upsert' && current) await engine.updateHabit(change.id, change.data);
      },
    });
    goOffline(phone, tablet);
    await phone.engine.updateHabit(id, { name: 'Read 20 pages' });
    await tablet.engine.updateHabit(id, { color: '#22AA88' });
    goOnline(phone, tablet);
    await phone.engine.sync();

    await tablet.engine.sync();

    expect(tablet.conflicts).toHaveLength(1);
    // Applied again on the server's copy, to go with the next sync.
    expect(await tablet.engine.pending()).toEqual([{ type: 'habit', op: 'upsert', id, data: { color: '#22aa88' }, baseVersion: 2 }]);
    expect((await tablet.engine.snapshot()).habits[0]).toMatchObject({ name: 'Read 20 pages', color: '#22aa88' });
    await tablet.engine.sync();
    await phone.engine.sync();
    expect(tablet.conflicts).toHaveLength(1);
    const server = await expectInSync(user, phone, tablet);
    expect(server.habits).toEqual([expect.objectContaining({ name: 'Read 20 pages', color: '#22aa88', version: 3 })]);
  });

  it('check-ins made offline on both devices, on different days, all reach both devices', async () => {
    const user = await signUp(ctx.app);
    // Small pages, so that a pull takes several.
    const phone = await device(user, { pageSize: 2 });
    const tablet = await device(user, { pageSize: 2 });
    const { id } = await phone.engine.createHabit({ name: 'Water', kind: 'numeric', unit: 'glasses' });
    await phone.engine.sync();
    await tablet.engine.sync();
    goOffline(phone, tablet);

    await phone.engine.checkIn(id, '2024-06-01', { value: 8 });
    await phone.engine.checkIn(id, '2024-06-02', { value: 6, note: 'hot day' });
    await tablet.engine.checkIn(id, '2024-06-03', { value: 7 });
    await tablet.engine.checkIn(id, '2024-06-04', { status: 'skipped' });
    await tablet.engine.setGoal(id, { period: 'day', target: 8 });
    goOnline(phone, tablet);
    await phone.engine.sync();
    await tablet.engine.sync();
    await phone.engine.sync();

    const server = await expectInSync(user, phone, tablet);
    expect(server.checkins.map(({ date, status, value, note }) => ({ date, status, value, note }))).toEqual([
      { date: '2024-06-01', status: 'done', value: 8, note: null },
      { date: '2024-06-02', status: 'done', value: 6, note: 'hot day' },
      { date: '2024-06-03', status: 'done', value: 7, note: null },
      { date: '2024-06-04', status: 'skipped', value: 1, note: null },
    ]);
    expect(server.goals).toEqual([expect.objectContaining({ habitId: id, period: 'day', target: 8 })]);
    expect([...phone.conflicts, ...tablet.conflicts, ...phone.rejected, ...tablet.rejected]).toEqual([]);
  });

  it('a habit deleted on one device disappears from the other, with its goal and check-ins', async () => {
    const { user, phone, tablet, id } = await twoDevicesWithAHabit();
    await tablet.engine.setGoal(id, { period: 'week', target: 3 });
    await tablet.engine.checkIn(id, '2024-06-01');
    await tablet.engine.sync();
    await phone.engine.sync();
    expect((await phone.engine.snapshot()).checkins).toHaveLength(1);
    goOffline(phone);

    await phone.engine.deleteHabit(id);
    expect(await phone.engine.snapshot()).toEqual({ habits: [], goals: [], checkins: [] });
    goOnline(phone);
    await phone.engine.sync();
    await tablet.engine.sync();

    expect(await tablet.engine.snapshot()).toEqual({ habits: [], goals: [], checkins: [] });
    expect(await expectInSync(user, phone, tablet)).toEqual({ habits: [], goals: [], checkins: [] });
  });

  it('an offline edit of a habit deleted elsewhere is a conflict with current null, and its new check-in is rejected: the habit is gone', async () => {
    const { user, phone, tablet, id } = await twoDevicesWithAHabit();
    goOffline(phone, tablet);
    await phone.engine.deleteHabit(id);
    await tablet.engine.updateHabit(id, { name: 'Read more' });
    await tablet.engine.checkIn(id, '2024-06-01');
    goOnline(phone, tablet);
    await phone.engine.sync();

    await tablet.engine.sync();

    expect(tablet.conflicts).toEqual([
      { change: { type: 'habit', op: 'upsert', id, data: { name: 'Read more' }, baseVersion: 1 }, current: null },
    ]);
    expect(tablet.rejected).toEqual([
      {
        change: { type: 'checkin', op: 'upsert', habitId: id, date: '2024-06-01', data: {} },
        error: { statusCode: 404, message: 'Habit not found' },
      },
    ]);
    expect(await expectInSync(user, phone, tablet)).toEqual({ habits: [], goals: [], checkins: [] });
  });

  it('a batch whose reply was lost is sent again: the changes it applied come back as the device’s own writes, not as conflicts', async () => {
    const { user, phone, id } = await twoDevicesWithAHabit();
    // Days out of order: the server sorts them, and the change is still recognised as the device's own.
    await phone.engine.updateHabit(id, { name: 'Read 20 pages', schedule: { type: 'weekdays', days: [5, 1, 3] } });
    await phone.engine.deleteGoal(id); // none: a delete of what is not there counts as done
    await phone.engine.checkIn(id, '2024-06-01', { note: 'ch. 3' });
    phone.network.loseReplies = true;
    await expect(phone.engine.push()).rejects.toThrow('fetch failed (the reply was lost)');
    phone.network.loseReplies = false;
    expect(await phone.engine.pending()).toHaveLength(3);

    await phone.engine.sync();

    expect(phone.sent).toEqual(['POST /sync → 200', 'POST /sync → 200', 'GET /sync?since=… → 200']);
    expect([...phone.conflicts, ...phone.rejected]).toEqual([]);
    const server = await expectInSync(user, phone);
    // Written once: the second send found version 2, its own write, and changed nothing.
    expect(server.habits).toEqual([
      expect.objectContaining({ name: 'Read 20 pages', schedule: { type: 'weekdays', days: [1, 3, 5] }, version: 2 }),
    ]);
    expect(server.checkins).toEqual([expect.objectContaining({ date: '2024-06-01', note: 'ch. 3' })]);
  });

  it('waiting changes of one item merge into one, and the outbox goes in batches of batchSize', async () => {
    const user = await signUp(ctx.app);
    const phone = await device(user, { batchSize: 2 });
    goOffline(phone);

    const { id } = await phone.engine.createHabit({ name: 'Run' });
    await phone.engine.updateHabit(id, { kind: 'numeric', unit: 'km' });
    await phone.engine.checkIn(id, '2024-06-01', { value: 5 });
    await phone.engine.checkIn(id, '2024-06-01', { value: 6 });
    await phone.engine.checkIn(id, '2024-06-02', { value: 4 });
    await phone.engine.setGoal(id, { period: 'week', target: 20 });
    await phone.engine.deleteCheckin(id, '2024-06-02');

    expect(await phone.engine.pending()).toEqual([
      { type: 'habit', op: 'upsert', id, data: { name: 'Run', kind: 'numeric', unit: 'km' } },
      { type: 'checkin', op: 'upsert', habitId: id, date: '2024-06-01', data: { value: 6 } },
      { type: 'checkin', op: 'delete', habitId: id, date: '2024-06-02' },
      { type: 'goal', op: 'upsert', habitId: id, data: { period: 'week', target: 20 } },
    ]);
    goOnline(phone);
    await phone.engine.sync();

    expect(phone.sent).toEqual(['POST /sync → 200', 'POST /sync → 200', 'GET /sync → 200']);
    const server = await expectInSync(user, phone);
    expect(server.habits).toEqual([expect.objectContaining({ id, name: 'Run', kind: 'numeric', unit: 'km', version: 1 })]);
    expect(server.checkins).toEqual([expect.objectContaining({ date: '2024-06-01', value: 6 })]);
  });

  it('a cursor older than the deletions the server keeps (410) leads to a sync from scratch that replaces the local copy', async () => {
    const { user, phone, tablet, id } = await twoDevicesWithAHabit();
    await phone.engine.checkIn(id, '2024-06-01');
    await phone.engine.checkIn(id, '2024-06-02');
    await phone.engine.sync();
    await tablet.engine.sync();
    expect((await tablet.engine.snapshot()).checkins).toHaveLength(2);
    await phone.engine.deleteCheckin(id, '2024-06-01');
    await phone.engine.sync();
    // The cleanup, as if its 30 days had passed: the deletion after the tablet's cursor is gone.
    expect(await ctx.app.syncRepository.deleteExpired(new Date(Date.now() + 60_000), 1000)).toBeGreaterThan(0);
    goOffline(tablet);
    await tablet.engine.checkIn(id, '2024-06-03');
    goOnline(tablet);
    tablet.sent.length = 0;

    await tablet.engine.sync();

    expect(tablet.sent).toEqual(['POST /sync → 200', 'GET /sync?since=… → 410', 'GET /sync → 200']);
    const server = await expectInSync(user, tablet);
    expect(server.checkins.map((checkin) => checkin.date)).toEqual(['2024-06-02', '2024-06-03']);
    // The new cursor works.
    await tablet.engine.sync();
    expect(tablet.sent.slice(3)).toEqual(['GET /sync?since=… → 200']);
  });

  it('POST /sync answers the example of docs/api.md: one result per change, in order', async () => {
    const user = await signUp(ctx.app);
    const { api } = await device(user);
    const read = (await api.POST('/habits', { body: { name: 'Read', color: '#3366FF' } })).data!;
    // Changed on another device: version 2.
    await api.PATCH('/habits/{id}', { params: { path: { id: read.id } }, body: { description: 'ch. 1 to 3' } });
    const water = (await api.POST('/habits', { body: { name: 'Water' } })).data!;
    const day = { params: { path: { id: read.id, date: '2024-06-01' } }, body: {} };
    await api.PUT('/habits/{id}/tracking/{date}', day);
    expect((await api.PUT('/habits/{id}/tracking/{date}', day)).data?.version).toBe(2);
    const stretch = crypto.randomUUID();

    const { data, response } = await api.POST('/sync', {
      body: {
        changes: [
          { type: 'habit', op: 'upsert', id: stretch, data: { name: 'Stretch' } },
          { type: 'goal', op: 'upsert', habitId: stretch, data: { period: 'week', target: 3 } },
          { type: 'checkin', op: 'upsert', habitId: stretch, date: '2024-06-03', data: { note: '10 min' } },
          { type: 'habit', op: 'upsert', id: read.id, data: { color: '#22aa88' }, baseVersion: 1 },
          { type: 'habit', op: 'upsert', id: water.id, data: { name: 'Read' } },
          { type: 'checkin', op: 'delete', habitId: read.id, date: '2024-06-01', baseVersion: 2 },
        ],
      },
    });

    expect(response.status).toBe(200);
    expect(data).toEqual({
      results: [
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'applied', version: 1 },
        { status: 'conflict', current: expect.objectContaining({ id: read.id, name: 'Read', color: '#3366ff', version: 2 }) },
        { status: 'rejected', error: { statusCode: 409, message: 'You already have a habit with this name' } },
        { status: 'applied' },
      ],
    });
  });

  it('If-Match through the typed client (docs/api.md): the ETag of a GET allows one write, and the spent tag is a 412', async () => {
    const user = await signUp(ctx.app);
    const { api } = await device(user);
    const { id } = (await api.POST('/habits', { body: { name: 'Read' } })).data!;
    const etag = (await api.GET('/habits/{id}', { params: { path: { id } } })).response.headers.get('etag')!;

    const first = await api.PATCH('/habits/{id}', { params: { path: { id }, header: { 'if-match': etag } }, body: { archived: true } });
    const second = await api.PATCH('/habits/{id}', { params: { path: { id }, header: { 'if-match': etag } }, body: { archived: false } });

    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('etag')).not.toBe(etag);
    expect(second.response.status).toBe(412);
    expect(second.error?.message).toBe('The item has changed since you read it (If-Match does not match its ETag): nothing was changed');
    expect((await api.GET('/habits/{id}', { params: { path: { id } } })).data?.archived).toBe(true);
  });
});
