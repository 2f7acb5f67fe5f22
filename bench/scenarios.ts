/**
 * What `npm run bench` (bench/suite.ts) and `npm run bench:scale` (bench/scale.ts) both run: the
 * seeding through the API (and the SQL history of a sync user), the request builders of each
 * scenario, the sync client, and the measuring helpers (RSS sampled during a run, runs alternating
 * between servers). Shared so that the two benchmarks send exactly the same requests.
 */
import type autocannon from 'autocannon';
import { addDays } from '../src/utils/dates.js';
import {
  callApi,
  highest,
  inParallel,
  percentile,
  runLoad,
  sampleRss,
  summarise,
  withDatabaseClient,
  type BenchUser,
  type Load,
  type ServerProcess,
} from './lib.js';
import type { Measurement } from './report.js';

/** Habits of the reader (read, checkin) and of each sync user. */
export const HABITS = 20;
/** The checkin scenario cycles over this many days back. */
export const CHECKIN_DAYS = 300;
/** Connections of each autocannon scenario. */
export const CONNECTIONS = { read: 50, login: 8, stormRead: 10, refresh: 10, checkin: 20, stats: 10, today: 10, reminders: 10 };
/** The reminders of each of the long sync user's habits (GET /reminders over 7 days: issue 17). */
export const REMINDER_TIMES = ['07:30', '12:00', '21:15'];
/** Check-in changes before each incremental sync. */
export const SYNC_CHANGES = 10;

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
/** Today in UTC: the bench users' day (time zone UTC, the day starting at midnight). */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

function idOf(body: unknown): string {
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`expected an object with an id, got ${JSON.stringify(body)}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Seeding, through the API

export async function createHabits(baseUrl: string, user: BenchUser, count: number): Promise<string[]> {
  return inParallel(count, 4, async (position) => {
    const body = { name: `Bench habit ${position + 1}`, position };
    return idOf(await callApi(baseUrl, { method: 'POST', path: '/habits', token: user.accessToken, body }, 201));
  });
}

/** A habit of `user` done on each of the `days` days ending today (UTC); its id. */
export async function habitWithDailyCheckins(baseUrl: string, user: BenchUser, days: number): Promise<string> {
  const [habitId] = await createHabits(baseUrl, user, 1);
  const today = todayUtc();
  await inParallel(days, 8, (back) =>
    callApi(
      baseUrl,
      { method: 'PUT', path: `/habits/${habitId!}/tracking/${addDays(today, -back)}`, token: user.accessToken, body: {} },
      201,
    ),
  );
  const stats = (await callApi(baseUrl, { method: 'GET', path: `/habits/${habitId!}/stats`, token: user.accessToken }, 200)) as {
    totalDone?: unknown;
  };
  if (stats.totalDone !== days) throw new Error(`the stats habit has totalDone ${JSON.stringify(stats.totalDone)}, expected ${days}`);
  return habitId!;
}

/** `count` fresh sessions of `users` on `server`: their refresh tokens. */
export function refreshTokens(server: ServerProcess, users: readonly BenchUser[], count: number): Promise<string[]> {
  return inParallel(count, 2, async (index) => {
    const user = users[index % users.length]!;
    const body = await callApi(
      server.baseUrl,
      { method: 'POST', path: '/auth/login', body: { email: user.email, password: user.password } },
      200,
    );
    const token = (body as { refreshToken?: unknown }).refreshToken;
    if (typeof token !== 'string') throw new Error('login returned no refresh token');
    return token;
  });
}

/** A user with HABITS habits made through the API, each done on each of the `days` days ending today. */
export interface SyncUser {
  user: BenchUser;
  habitIds: string[];
  days: number;
}

/**
 * The check-ins are inserted by one SQL statement (tens of thousands through HTTP would take minutes),
 * a day at a time as a user would check in; the database's triggers number them in the change feed
 * exactly as they number the API's writes. Then ANALYZE, as autovacuum would, so that the planner
 * sees the table as it is rather than as autovacuum finds it in the middle of a scenario.
 */
export async function seedSyncUser(baseUrl: string, databaseUrl: string, user: BenchUser, days: number): Promise<SyncUser> {
  const habitIds = await createHabits(baseUrl, user, HABITS);
  await withDatabaseClient(databaseUrl, async (client) => {
    await client.query(
      `INSERT INTO "HabitTracking" (id, "habitId", date, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), habit.id, $2::date - back, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM generate_series($3::integer - 1, 0, -1) AS back, unnest($1::uuid[]) WITH ORDINALITY AS habit(id, position)
        ORDER BY back DESC, habit.position`,
      [habitIds, todayUtc(), days],
    );
    await client.query('ANALYZE "Habit", "HabitTracking"');
  });
  return { user, habitIds, days };
}

/** REMINDER_TIMES on each of the sync user's habits, through the API (PATCH). */
export async function addReminders(baseUrl: string, { user, habitIds }: SyncUser): Promise<void> {
  for (const habitId of habitIds) {
    const reminders = REMINDER_TIMES.map((time) => ({ time }));
    await callApi(baseUrl, { method: 'PATCH', path: `/habits/${habitId}`, token: user.accessToken, body: { reminders } }, 200);
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Logins round-robin over `users` (each connection walks the list in order). */
export const loginRequests = (users: readonly BenchUser[]): autocannon.Request[] =>
  users.map((user) => ({
    method: 'POST',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  }));

/**
 * Refreshes that follow rotation chains: each request presents a token no request has presented
 * before, and each 200's new refresh token goes back on the stack. autocannon builds a connection's
 * next request right after recording its response, so with as many chains as connections each
 * connection keeps presenting the token its own last response returned. A lost chain (a non-200)
 * leaves its connection with an empty stack: it then sends a token the server refuses, and the
 * run's non2xx count shows it.
 */
export function refreshRequests(chains: string[]): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/auth/refresh',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ refreshToken: chains.pop() ?? 'chain-lost' }) }),
      onResponse: (status, body) => {
        if (status === 200) chains.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
      },
    },
  ];
}

/**
 * The refresh scenario on `server`: a warm-up run (discarded) and the measured run, each on fresh
 * chains, since requests cut off at the end of a run take their chain with them.
 */
export async function refreshLoad(
  server: ServerProcess,
  users: readonly BenchUser[],
  { warmupS, durationS }: { warmupS: number; durationS: number },
): Promise<Load> {
  if (warmupS > 0) {
    const chains = await refreshTokens(server, users, CONNECTIONS.refresh);
    await runLoad({ url: server.baseUrl, connections: CONNECTIONS.refresh, duration: warmupS, requests: refreshRequests(chains) });
  }
  const chains = await refreshTokens(server, users, CONNECTIONS.refresh);
  return runLoad({ url: server.baseUrl, connections: CONNECTIONS.refresh, duration: durationS, requests: refreshRequests(chains) });
}

/** Who writes a check-in: a user's access token and one of their habits. */
export interface CheckinWriter {
  accessToken: string;
  habitId: string;
}

/** Each of `habitIds` of one user, as writers. */
export const habitsOf = (user: BenchUser, habitIds: readonly string[]): CheckinWriter[] =>
  habitIds.map((habitId) => ({ accessToken: user.accessToken, habitId }));

/**
 * PUT /habits/:id/tracking/:date with `{}`: request n is writer n mod writers' count, and the day
 * goes one back each time the writers wrap, over the last CHECKIN_DAYS days; once that cycle wraps,
 * every check-in replaces an existing one. The cycle goes on across the runs of one request list.
 */
export function checkinRequests(writers: readonly CheckinWriter[]): autocannon.Request[] {
  const today = todayUtc();
  let next = 0;
  return [
    {
      method: 'PUT',
      body: '{}',
      setupRequest: (request) => {
        const n = next++;
        const { accessToken, habitId } = writers[n % writers.length]!;
        const day = addDays(today, -(Math.floor(n / writers.length) % CHECKIN_DAYS));
        const headers = { ...request.headers, 'content-type': 'application/json', ...bearer(accessToken) };
        return { ...request, headers, path: `/habits/${habitId}/tracking/${day}` };
      },
    },
  ];
}

/** GET /reminders over the next 7 days, from now. */
export function remindersUrl(baseUrl: string): string {
  // One clock reading: two could be a millisecond apart, a range over 7 days, and every request a 400.
  const now = Date.now();
  const week = { from: new Date(now).toISOString(), to: new Date(now + 7 * 86_400_000).toISOString() };
  return `${baseUrl}/reminders?from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}`;
}

// ---------------------------------------------------------------------------------------------
// The sync client: one request at a time, each timed

interface SyncCheckin {
  habitId: string;
  date: string;
}

interface SyncPage {
  cursor: string;
  hasMore: boolean;
  habits: unknown[];
  goals: unknown[];
  checkins: SyncCheckin[];
  deleted: { habits: unknown[]; goals: unknown[]; checkins: SyncCheckin[] };
}

const itemsOf = (page: SyncPage): number =>
  page.habits.length +
  page.goals.length +
  page.checkins.length +
  page.deleted.habits.length +
  page.deleted.goals.length +
  page.deleted.checkins.length;

/** GET /sync (from `since`, at the default limit), timed until its body is read; it must be a 200. */
async function timedSync(baseUrl: string, token: string, since?: string): Promise<{ page: SyncPage; ms: number }> {
  const url = `${baseUrl}/sync${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`;
  const startedAt = performance.now();
  const response = await fetch(url, { headers: bearer(token) });
  const body = await response.text();
  const ms = performance.now() - startedAt;
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`);
  return { page: JSON.parse(body) as SyncPage, ms };
}

/** A full sync, page by page: each page's time, and the last cursor. It must hold every habit and check-in. */
export async function fullSync(baseUrl: string, { user, days }: SyncUser): Promise<{ pageMs: number[]; cursor: string }> {
  const pageMs: number[] = [];
  let items = 0;
  let page: SyncPage | undefined;
  do {
    const timed = await timedSync(baseUrl, user.accessToken, page?.cursor);
    page = timed.page;
    pageMs.push(timed.ms);
    items += itemsOf(page);
  } while (page.hasMore);
  const expected = HABITS * (1 + days);
  if (items !== expected) throw new Error(`a full sync of ${days} days of history returned ${items} items, expected ${expected}`);
  return { pageMs, cursor: page.cursor };
}

/**
 * SYNC_CHANGES changes through the API, then GET /sync?since=`cursor`, timed: it must return exactly
 * those changes. Even iterations uncheck the first habits' check-ins of one day (DELETE), odd ones check
 * them again (PUT `{}`, a creation), a day further back every two iterations. (Not a PUT that replaces a
 * check-in: each such PUT now costs the server a new PostgreSQL connection, see bench/README.md.)
 * Its time, and the next cursor.
 */
export async function changeThenSync(baseUrl: string, { user, habitIds, days }: SyncUser, cursor: string, iteration: number) {
  const day = addDays(todayUtc(), -(Math.floor(iteration / 2) % days));
  const uncheck = iteration % 2 === 0;
  const changed = habitIds.slice(0, SYNC_CHANGES);
  await inParallel(changed.length, changed.length, (n) => {
    const path = `/habits/${changed[n]!}/tracking/${day}`;
    const token = user.accessToken;
    return callApi(baseUrl, uncheck ? { method: 'DELETE', path, token } : { method: 'PUT', path, token, body: {} }, uncheck ? 204 : 201);
  });
  const { page, ms } = await timedSync(baseUrl, user.accessToken, cursor);
  const keys = (checkins: readonly SyncCheckin[]): string =>
    checkins
      .map((checkin) => `${checkin.habitId} ${checkin.date}`)
      .sort()
      .join();
  if (
    page.hasMore ||
    itemsOf(page) !== changed.length ||
    keys(uncheck ? page.deleted.checkins : page.checkins) !== keys(changed.map((habitId) => ({ habitId, date: day })))
  ) {
    throw new Error(
      `an incremental sync after ${changed.length} check-in changes on ${day} returned ${JSON.stringify(page).slice(0, 500)}`,
    );
  }
  return { ms, cursor: page.cursor };
}

export function median(values: readonly number[]): number {
  const ascending = [...values].sort((a, b) => a - b);
  return percentile(ascending, 50);
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** `load` on `server` with its peak RSS sampled throughout. */
export async function withRss(server: ServerProcess, load: () => Promise<Load>): Promise<{ load: Load; peakRssMb: number }> {
  const sampler = sampleRss(server.pid);
  try {
    return { load: await load(), peakRssMb: sampler.stop() };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

/** One Load of several runs: their counts added, their latencies pooled. */
export function merged(loads: readonly Load[]): Load {
  const [first, ...rest] = loads;
  if (!first) throw new Error('no runs to merge');
  const sum = (pick: (load: Load) => number): number => loads.reduce((total, load) => total + pick(load), 0);
  return {
    result: {
      ...first.result,
      duration: sum((l) => l.result.duration),
      errors: sum((l) => l.result.errors),
      non2xx: sum((l) => l.result.non2xx),
    },
    latencies: rest.reduce((all, load) => all.concat(load.latencies), first.latencies),
  };
}

/** One scenario's part of `inTurns`: its name, its server, one run, and facts for its JSON line. */
export interface Turn {
  name: string;
  server: ServerProcess;
  load: () => Promise<Load>;
  extra?: Record<string, number>;
}

/**
 * Each of `turns` in order, `rounds` times; one measurement per turn, its runs merged. Taking turns
 * puts the runs seconds apart, so that a change in the machine's background load hits them alike.
 * `mirrored`: every other round in the opposite order (A B B A), so that a load that grows or shrinks
 * steadily favours none, nor does going first.
 */
export async function inTurns(turns: readonly Turn[], rounds: number, { mirrored = false } = {}): Promise<Measurement[]> {
  const runs = turns.map(() => ({ loads: [] as Load[], peaks: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    const order = [...turns.entries()];
    if (mirrored && round % 2 === 1) order.reverse();
    for (const [index, turn] of order) {
      const { load: result, peakRssMb } = await withRss(turn.server, turn.load);
      runs[index]!.loads.push(result);
      runs[index]!.peaks.push(peakRssMb);
    }
  }
  return turns.map((turn, index) => ({
    server: turn.server.name,
    peakRssMb: highest(runs[index]!.peaks),
    extra: turn.extra ?? {},
    ...summarise(turn.name, merged(runs[index]!.loads)),
  }));
}

/** `load` on each server in turn (`inTurns`): one measurement per server. */
export const alternating = (
  name: string,
  servers: readonly ServerProcess[],
  rounds: number,
  load: (server: ServerProcess) => Promise<Load>,
  options: { mirrored?: boolean } = {},
): Promise<Measurement[]> =>
  inTurns(
    servers.map((server) => ({ name, server, load: () => load(server) })),
    rounds,
    options,
  );
