/**
 * Offline-first sync on top of the typed client (api-client.ts): the app reads and writes a local
 * copy of the user's habits, goals and check-ins, with or without a network, and `sync()` catches up
 * with the server (docs/api.md, "Offline-first sync"; docs/clients.md, "Working offline").
 *
 * What the device keeps (a `SyncStore`: in memory here, SQLite in a real app):
 * - the **server copy**: every item as this device last saw it on the server;
 * - the **outbox**: the local changes the server has not accepted yet, in the order they were made,
 *   in the form POST /sync takes them;
 * - the **cursor** of the last GET /sync page applied to the server copy.
 * What the app shows is the server copy with the outbox applied on top (`snapshot()`).
 *
 * - A local write (`createHabit`, `updateHabit`, `checkIn`, …) only adds to the outbox: the app sees
 *   it at once, and no request is made. Each change carries `baseVersion`, the version of the server
 *   copy it was made on (none for a new item; a new habit gets its id here, a random UUID). While a
 *   change waits, later changes of the same item are merged into it: one waiting change per item,
 *   which keeps the version of the first.
 * - `push()` sends the outbox with POST /sync, at most 500 changes a request, and settles each result:
 *   - `applied`: the server copy takes the change and the item's new version;
 *   - `conflict` (the item changed or was deleted on the server since `baseVersion`): **the server
 *     wins**. The server copy takes `current` (or loses the item when `current` is null), the local
 *     change is dropped and handed to `onConflict`, which may apply it again on top (see
 *     docs/clients.md for a field-level merge);
 *   - `rejected` (the route's 400, 404 or 409, e.g. a habit name already taken): the change is
 *     dropped and handed to `onRejected`; the item shows its server copy again. A delete of an item
 *     already gone (404) counts as done.
 * - `pull()` applies the GET /sync pages after the stored cursor to the server copy, storing each
 *   page's cursor with its changes. Without a cursor, or when the server answers 410 (the cursor is
 *   older than the deletions it keeps), it fetches everything again and replaces the server copy
 *   (the outbox stays: those changes are still to be sent).
 * - `sync()` = push, then pull. The reply to a push has no cursor, on purpose: the pull brings the
 *   other devices' changes since the last pull, and this device's own, in their server form.
 *
 * Failures are safe to retry. A push that fails (no network, a 5xx) keeps the outbox; send it again
 * later. If its reply was lost after the server applied it, the changes come back as `conflict`
 * with `current` equal to this device's own write: `push()` recognises those and counts them as
 * applied. A pull that fails keeps the last cursor.
 *
 * `lastWriteWins: true` sends no `baseVersion`: every change overwrites the server's copy, and there
 * are no conflicts (an edit of a deleted habit is then `rejected` with 404).
 *
 * Run one sync at a time (concurrent `sync()` calls share one run); local writes may happen at any
 * time, also during a sync (they go with the next push). Goals and check-ins are addressed by their
 * habit (and day): the `id` the server gives them is '' until they come back from GET /sync.
 *
 * To use it in an app, copy this file with api-client.ts and schema.d.ts, and implement `SyncStore`
 * over your database.
 */
import type { ApiClient } from './api-client.js';
import type { paths } from './schema.js';

type SyncPage = paths['/sync']['get']['responses'][200]['content']['application/json'];
type ChangeResult = paths['/sync']['post']['responses'][200]['content']['application/json']['results'][number];

export type Habit = SyncPage['habits'][number];
export type Goal = SyncPage['goals'][number];
export type Checkin = SyncPage['checkins'][number];
/** The fields of a new habit (POST /habits without `id`). */
export type NewHabit = Omit<paths['/habits']['post']['requestBody']['content']['application/json'], 'id'>;
/** Changed fields of a habit (PATCH /habits/:id). */
export type HabitChanges = paths['/habits/{id}']['patch']['requestBody']['content']['application/json'];
/** A goal (PUT /habits/:id/goal). */
export type GoalFields = paths['/habits/{id}/goal']['put']['requestBody']['content']['application/json'];
/** A check-in (PUT /habits/:id/tracking/:date: replaces it whole; left-out fields take their defaults). */
export type CheckinFields = paths['/habits/{id}/tracking/{date}']['put']['requestBody']['content']['application/json'];

/** An item of the local copy, by its type. */
export type Item = { type: 'habit'; value: Habit } | { type: 'goal'; value: Goal } | { type: 'checkin'; value: Checkin };

/** How POST /sync addresses an item: a habit by `id`, a goal by `habitId`, a check-in by `habitId` and `date`. */
export type ItemRef =
  { type: 'habit'; id: string } | { type: 'goal'; habitId: string } | { type: 'checkin'; habitId: string; date: string };

/** A local change, exactly as POST /sync takes it. */
export type Change = { baseVersion?: number } & (
  | { type: 'habit'; op: 'upsert'; id: string; data: HabitChanges }
  | { type: 'habit'; op: 'delete'; id: string }
  | { type: 'goal'; op: 'upsert'; habitId: string; data: GoalFields }
  | { type: 'goal'; op: 'delete'; habitId: string }
  | { type: 'checkin'; op: 'upsert'; habitId: string; date: string; data: CheckinFields }
  | { type: 'checkin'; op: 'delete'; habitId: string; date: string }
);

/** A change in the outbox: `seq` orders the outbox, `at` is when it was made (the local `updatedAt`). */
export interface QueuedChange {
  seq: number;
  at: string;
  change: Change;
}

/** What the app shows: every habit, goal and check-in. */
export interface Snapshot {
  habits: Habit[];
  goals: Goal[];
  checkins: Checkin[];
}

/**
 * Where the engine keeps its data. Any method may be async. With SQLite: a table per item type, one
 * for the outbox and one row for the cursor; make each method one transaction, and declare no
 * foreign key from goals and check-ins to habits (a page may bring a check-in before its habit).
 */
export interface SyncStore {
  /** The server copy of one item. */
  get(ref: ItemRef): Promise<Item | undefined> | Item | undefined;
  /** The whole server copy. */
  all(): Promise<Item[]> | Item[];
  /**
   * In one transaction: removes items (removing a habit removes its goal and check-ins), saves items
   * (replacing the one with the same address) and, when given, the cursor.
   */
  write(changes: { remove?: ItemRef[]; put?: Item[]; cursor?: string }): Promise<void> | void;
  /** Replaces the whole server copy and the cursor (a sync from scratch). */
  replaceAll(items: Item[], cursor: string): Promise<void> | void;
  cursor(): Promise<string | undefined> | string | undefined;
  /** The outbox, in `seq` order. */
  outbox(): Promise<QueuedChange[]> | QueuedChange[];
  setOutbox(changes: QueuedChange[]): Promise<void> | void;
}

/** The address of an item, as a string key. */
export function keyOf(ref: ItemRef): string {
  if (ref.type === 'habit') return `habit/${ref.id}`;
  if (ref.type === 'goal') return `goal/${ref.habitId}`;
  return `checkin/${ref.habitId}/${ref.date}`;
}

export function refOf(item: Item): ItemRef {
  if (item.type === 'habit') return { type: 'habit', id: item.value.id };
  if (item.type === 'goal') return { type: 'goal', habitId: item.value.habitId };
  return { type: 'checkin', habitId: item.value.habitId, date: item.value.date };
}

/** Whether `item` is the habit `habitId` or belongs to it. */
const ofHabit = (item: Item, habitId: string): boolean => (item.type === 'habit' ? item.value.id : item.value.habitId) === habitId;

/** Removes the item at `ref` from `items`, and a habit's goal and check-ins with it. */
function removeFrom(items: Map<string, Item>, ref: ItemRef): void {
  if (ref.type !== 'habit') {
    items.delete(keyOf(ref));
    return;
  }
  for (const [key, item] of items) if (ofHabit(item, ref.id)) items.delete(key);
}

/** A SyncStore in memory: for tests and as a model of the semantics a database-backed one needs. */
export class MemorySyncStore implements SyncStore {
  private items = new Map<string, Item>();
  private savedCursor: string | undefined;
  private queued: QueuedChange[] = [];

  get(ref: ItemRef): Item | undefined {
    return structuredClone(this.items.get(keyOf(ref)));
  }
  all(): Item[] {
    return structuredClone([...this.items.values()]);
  }
  write({ remove = [], put = [], cursor }: { remove?: ItemRef[]; put?: Item[]; cursor?: string }): void {
    for (const ref of remove) removeFrom(this.items, ref);
    for (const item of put) this.items.set(keyOf(refOf(item)), structuredClone(item));
    if (cursor !== undefined) this.savedCursor = cursor;
  }
  replaceAll(items: Item[], cursor: string): void {
    this.items = new Map(items.map((item) => [keyOf(refOf(item)), structuredClone(item)]));
    this.savedCursor = cursor;
  }
  cursor(): string | undefined {
    return this.savedCursor;
  }
  outbox(): QueuedChange[] {
    return structuredClone(this.queued);
  }
  setOutbox(changes: QueuedChange[]): void {
    this.queued = structuredClone(changes);
  }
}

/** A local change the server answered `conflict` to: it was dropped, and the server's copy kept. */
export interface ConflictReport {
  change: Change;
  /** The server's copy now (also in `snapshot()`), or null when the item was deleted there. */
  current: Habit | Goal | Checkin | null;
}

/** A local change the server refused, as the single-item route would have (400, 404, 409): it was dropped. */
export interface RejectionReport {
  change: Change;
  error: { statusCode: number; message: string };
}

/** A request of a push or a pull that did not succeed (after the client's refresh-on-401). Nothing was lost: try again later. */
export class SyncError extends Error {
  constructor(
    request: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${request} answered ${status}`);
    this.name = 'SyncError';
  }
}

export interface SyncEngineOptions {
  /** A signed-in client (createApiClient). */
  api: ApiClient;
  /** Default: a MemorySyncStore. */
  store?: SyncStore;
  /** Called, after the push that met it, for each local change the server's copy won over. */
  onConflict?: (report: ConflictReport) => void | Promise<void>;
  /** Called, after the push that met it, for each local change the server refused. */
  onRejected?: (report: RejectionReport) => void | Promise<void>;
  /** Send no `baseVersion`: the last write wins, and no change is ever a conflict. Default false. */
  lastWriteWins?: boolean;
  /** Changes per POST /sync (1–500; default 500, the most the server takes). */
  batchSize?: number;
  /** Items per GET /sync page (1–1000; default the server's, 500). */
  pageSize?: number;
}

const MAX_BATCH = 500;

/** A new habit's fields, for those it is created without (docs/api.md, "Habits"). */
const habitDefaults = () => ({
  description: null,
  color: null,
  icon: null,
  kind: 'boolean' as const,
  unit: null,
  position: 0,
  archived: false,
  schedule: { type: 'daily' as const },
  startDate: null,
  reminders: [],
});

/**
 * The item an upsert makes of `existing` (undefined: none yet), as the server would make it but for
 * `version` (the one it was made on; 0 for a new item) and what only the server sets (the id of a
 * goal or check-in, an interval schedule's default anchor).
 */
function upserted(existing: Item | undefined, { change, at }: { change: Change & { op: 'upsert' }; at: string }): Item {
  const fresh = { id: '', version: 0, createdAt: at, updatedAt: at };
  if (change.type === 'habit') {
    const value = existing?.type === 'habit' ? existing.value : { ...fresh, id: change.id, name: '', ...habitDefaults() };
    return { type: 'habit', value: { ...value, ...change.data, updatedAt: at } };
  }
  if (change.type === 'goal') {
    const value = existing?.type === 'goal' ? existing.value : { ...fresh, habitId: change.habitId };
    return { type: 'goal', value: { ...value, ...change.data, updatedAt: at } };
  }
  const value = existing?.type === 'checkin' ? existing.value : { ...fresh, habitId: change.habitId, date: change.date };
  // A check-in PUT replaces it whole: a field left out takes its default.
  const { status = 'done', value: amount = 1, note = null } = change.data;
  return { type: 'checkin', value: { ...value, status, value: amount, note, updatedAt: at } };
}

/** Applies a change to a map of items (the outbox over the server copy; the server copy once the server applied it). */
function applyTo(items: Map<string, Item>, { change, at }: QueuedChange, version?: number): void {
  if (change.op === 'delete') {
    removeFrom(items, change);
    return;
  }
  const item = upserted(items.get(keyOf(change)), { change, at });
  if (version !== undefined) item.value.version = version;
  items.set(keyOf(change), item);
}

/** Whether `stored` has every value of `sent` (objects compared field by field, arrays item by item). */
function holds(stored: unknown, sent: unknown): boolean {
  if (Array.isArray(sent)) return Array.isArray(stored) && stored.length === sent.length && sent.every((each, i) => holds(stored[i], each));
  if (typeof sent !== 'object' || sent === null) return stored === sent;
  if (typeof stored !== 'object' || stored === null) return false;
  return Object.entries(sent).every(([field, value]) => holds((stored as Record<string, unknown>)[field], value));
}

/**
 * Whether the server's `current` copy is what `change` makes: this device's own write coming back
 * (a batch sent again after its reply was lost), or another device's identical one.
 */
function isOwnWrite(change: Change, current: ConflictReport['current']): boolean {
  if (change.op === 'delete') return current === null;
  if (current === null) return false;
  if (change.type !== 'checkin') return holds(current, change.data);
  const { status, value, note } = upserted(undefined, { change, at: '' }).value as Checkin;
  return holds(current, { status, value, note });
}

/** Sorted copies of ISO weekdays, which the server sorts. */
const sortedDays = <T extends { days?: number[] }>(withDays: T): T =>
  withDays.days ? { ...withDays, days: withDays.days.toSorted((a, b) => a - b) } : withDays;

/**
 * A habit's fields as the server stores them (name trimmed, colour lower-case, weekdays sorted), so
 * that the local copy shows what the server will, and no field set to undefined.
 */
function normalised(changes: HabitChanges): HabitChanges {
  const set = Object.fromEntries(Object.entries(changes as Record<string, unknown>).filter(([, value]) => value !== undefined));
  return {
    ...(set as HabitChanges),
    ...(changes.name !== undefined && { name: changes.name.trim() }),
    ...(typeof changes.color === 'string' && { color: changes.color.toLowerCase() }),
    ...(changes.schedule && { schedule: sortedDays(changes.schedule) }),
    ...(changes.reminders && { reminders: changes.reminders.map(sortedDays) }),
  };
}

const sameItem = (a: ItemRef, b: ItemRef): boolean => keyOf(a) === keyOf(b);

/** `change` made on `baseVersion` (none: on no version, a new item, or the last write wins). */
function withBase(change: Change, baseVersion: number | undefined): Change {
  const rebased = { ...change, baseVersion };
  if (baseVersion === undefined) delete rebased.baseVersion;
  return rebased;
}

export class SyncEngine {
  private readonly api: ApiClient;
  private readonly store: SyncStore;
  private readonly options: SyncEngineOptions;
  /** Outbox changes up to this `seq` are being sent: a new change must not merge into them. */
  private sendingUpTo = 0;
  /** The last `seq` given: never given again while this engine runs, so a push never takes a change made after it started. */
  private lastSeq = 0;
  /** Local writes and the settling of a push, one at a time (each reads and rewrites the outbox). */
  private turn: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | undefined;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.api = options.api;
    this.store = options.store ?? new MemorySyncStore();
  }

  // ---- What the app shows --------------------------------------------------------------------

  /** Every habit, goal and check-in as the app should show them: the server copy with the outbox on top. */
  async snapshot(): Promise<Snapshot> {
    const items = new Map((await this.store.all()).map((item) => [keyOf(refOf(item)), item]));
    for (const change of await this.store.outbox()) applyTo(items, change);
    const snapshot: Snapshot = { habits: [], goals: [], checkins: [] };
    for (const item of items.values()) {
      if (item.type === 'habit') snapshot.habits.push(item.value);
      else if (item.type === 'goal') snapshot.goals.push(item.value);
      else snapshot.checkins.push(item.value);
    }
    snapshot.habits.sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    snapshot.goals.sort((a, b) => a.habitId.localeCompare(b.habitId));
    snapshot.checkins.sort((a, b) => a.habitId.localeCompare(b.habitId) || a.date.localeCompare(b.date));
    return snapshot;
  }

  /** The changes not accepted by the server yet (e.g. for a "3 changes not synced" badge). */
  async pending(): Promise<Change[]> {
    return (await this.store.outbox()).map((queued) => queued.change);
  }

  // ---- Local writes: shown at once, sent by the next push --------------------------------------

  /** Creates a habit with an id made here, and returns it as the app should show it. */
  async createHabit(fields: NewHabit): Promise<Habit> {
    const id = crypto.randomUUID();
    await this.enqueue({ type: 'habit', op: 'upsert', id, data: fields });
    const habit = (await this.snapshot()).habits.find((each) => each.id === id);
    if (!habit) throw new Error('the new habit is not in the snapshot');
    return habit;
  }

  updateHabit(id: string, changes: HabitChanges): Promise<void> {
    return this.enqueue({ type: 'habit', op: 'upsert', id, data: changes });
  }

  /** Deletes the habit with its goal and check-ins (their waiting changes are dropped: the server deletes them too). */
  deleteHabit(id: string): Promise<void> {
    return this.enqueue({ type: 'habit', op: 'delete', id });
  }

  setGoal(habitId: string, goal: GoalFields): Promise<void> {
    return this.enqueue({ type: 'goal', op: 'upsert', habitId, data: goal });
  }

  deleteGoal(habitId: string): Promise<void> {
    return this.enqueue({ type: 'goal', op: 'delete', habitId });
  }

  /** Creates or replaces the check-in of `date` (YYYY-MM-DD, the user's calendar day). */
  checkIn(habitId: string, date: string, fields: CheckinFields = {}): Promise<void> {
    return this.enqueue({ type: 'checkin', op: 'upsert', habitId, date, data: fields });
  }

  deleteCheckin(habitId: string, date: string): Promise<void> {
    return this.enqueue({ type: 'checkin', op: 'delete', habitId, date });
  }

  // ---- Sync ------------------------------------------------------------------------------------

  /** Push, then pull. Concurrent calls share one run. Rejects with a SyncError (or fetch's error offline); nothing is lost. */
  sync(): Promise<void> {
    this.running ??= (async () => {
      await this.push();
      await this.pull();
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Sends the outbox (as it is when called) with POST /sync, batch after batch, and settles each result. */
  async push(): Promise<void> {
    const batchSize = Math.min(this.options.batchSize ?? MAX_BATCH, MAX_BATCH);
    const last = (await this.store.outbox()).at(-1)?.seq ?? 0;
    for (;;) {
      const batch = await this.exclusive(async () => {
        const ready = (await this.store.outbox()).filter((queued) => queued.seq <= last).slice(0, batchSize);
        this.sendingUpTo = ready.at(-1)?.seq ?? 0;
        return ready;
      });
      if (batch.length === 0) return;
      let results: ChangeResult[];
      try {
        const { data, error, response } = await this.api.POST('/sync', { body: { changes: batch.map((queued) => queued.change) } });
        if (!data) throw new SyncError('POST /sync', response.status, error);
        results = data.results;
      } catch (error) {
        this.sendingUpTo = 0; // The batch stays in the outbox, open to new changes again.
        throw error;
      }
      const reports = await this.exclusive(() => this.settle(batch, results));
      // After the outbox and the server copy are saved, so that a callback may write again.
      for (const report of reports) {
        if ('error' in report) await this.options.onRejected?.(report);
        else await this.options.onConflict?.(report);
      }
    }
  }

  /** Applies the GET /sync pages after the stored cursor to the server copy; without a cursor, or on 410, fetches everything again. */
  async pull(): Promise<void> {
    let since = await this.store.cursor();
    if (since === undefined) return this.pullEverything();
    for (;;) {
      const page = await this.page(since);
      // 410: the cursor is older than the deletions the server keeps (30 days): start from scratch.
      if (page === 'gone') return this.pullEverything();
      await this.store.write({ ...changesOf(page), cursor: page.cursor });
      if (!page.hasMore) return;
      since = page.cursor;
    }
  }

  // ---- Inside --------------------------------------------------------------------------------

  /** Runs `work` after every local write or settling started before it. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Adds a local change to the outbox, merged into the item's waiting change if there is one. */
  private enqueue(local: Change): Promise<void> {
    const change = local.type === 'habit' && local.op === 'upsert' ? { ...local, data: normalised(local.data) } : local;
    return this.exclusive(async () => {
      const outbox = await this.store.outbox();
      const at = new Date().toISOString();
      const waiting = outbox.findIndex((queued) => queued.seq > this.sendingUpTo && sameItem(queued.change, change));
      let next: QueuedChange[];
      if (waiting >= 0) {
        // One waiting change per item, merged in place (a habit's fields add up; anything else
        // replaces it), keeping the version the first was made on.
        const before = outbox[waiting]!;
        const merged =
          before.change.type === 'habit' && before.change.op === 'upsert' && change.type === 'habit' && change.op === 'upsert'
            ? { ...change, data: { ...before.change.data, ...change.data } }
            : change;
        next = outbox.with(waiting, { seq: before.seq, at, change: withBase(merged, before.change.baseVersion) });
      } else {
        const base = this.options.lastWriteWins ? undefined : await this.store.get(change);
        this.lastSeq = Math.max(this.lastSeq, outbox.at(-1)?.seq ?? 0) + 1;
        next = [...outbox, { seq: this.lastSeq, at, change: withBase(change, base?.value.version) }];
      }
      // A deleted habit's goal and check-ins go with it on the server: their waiting changes would only be refused.
      if (change.type === 'habit' && change.op === 'delete') {
        next = next.filter(({ seq, change: queued }) => queued.type === 'habit' || queued.habitId !== change.id || seq <= this.sendingUpTo);
      }
      await this.store.setOutbox(next);
    });
  }

  /** Settles a sent batch: the server copy and the outbox take its results; returns what to report. */
  private async settle(batch: QueuedChange[], results: ChangeResult[]): Promise<(ConflictReport | RejectionReport)[]> {
    let outbox = (await this.store.outbox()).filter((queued) => !batch.some((sent) => sent.seq === queued.seq));
    const reports: (ConflictReport | RejectionReport)[] = [];
    /** Changes made meanwhile on the version `sent` was made on now build on the server's new one. */
    const rebase = ({ change: sent }: QueuedChange, version: number | undefined) => {
      outbox = outbox.map((queued) =>
        sameItem(queued.change, sent) && queued.change.baseVersion === sent.baseVersion && !this.options.lastWriteWins
          ? { ...queued, change: withBase(queued.change, version) }
          : queued,
      );
    };
    for (const [index, sent] of batch.entries()) {
      const { change } = sent;
      const result = results[index];
      if (!result) throw new Error(`POST /sync answered ${results.length} results for ${batch.length} changes`);
      if (result.status === 'applied') {
        const items = new Map<string, Item>();
        const existing = await this.store.get(change);
        if (existing) items.set(keyOf(change), existing);
        applyTo(items, sent, result.version);
        const item = items.get(keyOf(change));
        await this.store.write(item ? { put: [item] } : { remove: [change] });
        rebase(sent, result.version);
      } else if (result.status === 'conflict') {
        const current = result.current ?? null;
        await this.store.write(current ? { put: [{ type: change.type, value: current } as Item] } : { remove: [change] });
        // This device's own write coming back (a batch sent again after its reply was lost) is applied.
        if (isOwnWrite(change, current)) rebase(sent, current?.version);
        else reports.push({ change, current });
      } else {
        const error = result.error ?? { statusCode: 0, message: 'rejected' };
        // Deleting what is already gone is done: a repeated delete, or one of an item deleted elsewhere.
        if (change.op === 'delete' && error.statusCode === 404) await this.store.write({ remove: [change] });
        else reports.push({ change, error });
      }
    }
    await this.store.setOutbox(outbox);
    this.sendingUpTo = 0;
    return reports;
  }

  /** Every item, from scratch, built aside and swapped in whole: a failure half-way keeps the old copy and cursor. */
  private async pullEverything(): Promise<void> {
    const fresh = new MemorySyncStore();
    let since: string | undefined;
    for (;;) {
      const page = await this.page(since);
      // Not expected: the server serves every page of a sync from scratch, however old its cursors.
      if (page === 'gone') throw new SyncError('GET /sync', 410, undefined);
      // Pages after the first may list deletions: apply them as in any pull.
      fresh.write({ ...changesOf(page), cursor: page.cursor });
      if (!page.hasMore) break;
      since = page.cursor;
    }
    await this.store.replaceAll(fresh.all(), fresh.cursor()!);
  }

  private async page(since: string | undefined): Promise<SyncPage | 'gone'> {
    const query = { ...(since !== undefined && { since }), ...(this.options.pageSize !== undefined && { limit: this.options.pageSize }) };
    const { data, error, response } = await this.api.GET('/sync', { params: { query } });
    if (response.status === 410 && since !== undefined) return 'gone';
    if (!data) throw new SyncError('GET /sync', response.status, error);
    return data;
  }
}

/** A page's changes in the form SyncStore.write takes. */
function changesOf(page: SyncPage): { remove: ItemRef[]; put: Item[] } {
  return {
    remove: [
      ...page.deleted.habits.map((id): ItemRef => ({ type: 'habit', id })),
      ...page.deleted.goals.map((habitId): ItemRef => ({ type: 'goal', habitId })),
      ...page.deleted.checkins.map(({ habitId, date }): ItemRef => ({ type: 'checkin', habitId, date })),
    ],
    put: [
      ...page.habits.map((value): Item => ({ type: 'habit', value })),
      ...page.goals.map((value): Item => ({ type: 'goal', value })),
      ...page.checkins.map((value): Item => ({ type: 'checkin', value })),
    ],
  };
}
