/**
 * `npm run bench:habits`: throughput and latency of the habit routes clients call most, on this
 * machine: the habit list, the statistics of a habit with three years of daily check-ins, the home
 * screen (GET /today) and check-ins, about half of which replace an existing one.
 *
 * Like bench:auth, it runs the real server as its own process against a throwaway database and drops
 * everything at the end (bench/lib.ts). Users, habits, goals and this week's check-ins are created
 * through the API; the three years of check-ins, and the existing check-ins that the check-in run
 * replaces, are inserted with SQL.
 */
import type autocannon from 'autocannon';
import { addDays, startOfIsoWeek, todayIn } from '../src/utils/dates.js';
import {
  callApi,
  createBenchDatabase,
  describeMachine,
  elapsedLogger,
  jsonLine,
  loadAverage,
  printRunFooter,
  measure,
  ms,
  printTable,
  randomSecrets,
  runBench,
  signUpUsers,
  startServer,
  summarise,
  withDatabaseClient,
  type BenchUser,
  type ScenarioResult,
} from './lib.js';

const TIMING = { warmupS: 2, durationS: 10 };
const HABITS = 20;
/** Goals of the first habits (boolean habits: days done per period). */
const GOALS = [
  { period: 'day', target: 1 },
  { period: 'week', target: 3 },
  { period: 'week', target: 5 },
  { period: 'month', target: 10 },
  { period: 'month', target: 20 },
] as const;
/** The first habits are checked in on this week's days, at most the last few of them. */
const HABITS_CHECKED_IN_THIS_WEEK = 10;
const MAX_DAYS_CHECKED_IN_THIS_WEEK = 3;
const STATS_DAYS = 1096;
const STATS_P50_TARGET_MS = 20;
const CHECKIN_DAYS = 300;
const CONNECTIONS = { list: 50, statsParallel: 10, today: 10, checkin: 20 };

// ---------------------------------------------------------------------------------------------
// Seeding

function idOf(body: unknown): string {
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`expected an object with an id, got ${JSON.stringify(body)}`);
  return id;
}

async function createHabits(baseUrl: string, user: BenchUser, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let position = 0; position < count; position++) {
    const body = { name: `Bench habit ${position + 1}`, position };
    ids.push(idOf(await callApi(baseUrl, { method: 'POST', path: '/habits', token: user.accessToken, body }, 201)));
  }
  return ids;
}

/** Goals on the first habits and check-ins on the last days of this week; the number of check-ins. */
async function seedHomeScreen(baseUrl: string, user: BenchUser, habitIds: readonly string[], today: string): Promise<number> {
  const token = user.accessToken;
  for (const [index, goal] of GOALS.entries()) {
    await callApi(baseUrl, { method: 'PUT', path: `/habits/${habitIds[index]!}/goal`, token, body: goal }, 201);
  }
  const monday = startOfIsoWeek(today);
  const recent = addDays(today, 1 - MAX_DAYS_CHECKED_IN_THIS_WEEK);
  const firstDay = monday > recent ? monday : recent;
  let checkins = 0;
  for (const habitId of habitIds.slice(0, HABITS_CHECKED_IN_THIS_WEEK)) {
    for (let day = firstDay; day <= today; day = addDays(day, 1)) {
      await callApi(baseUrl, { method: 'PUT', path: `/habits/${habitId}/tracking/${day}`, token, body: {} }, 201);
      checkins++;
    }
  }
  return checkins;
}

/**
 * `done` check-ins straight into the database, for each habit on every `step`-th day of the `days`
 * days ending `lastDay` (days already checked in are left alone); the number inserted.
 */
async function insertCheckins(
  databaseUrl: string,
  habitIds: readonly string[],
  { lastDay, days, step }: { lastDay: string; days: number; step: number },
): Promise<number> {
  return withDatabaseClient(databaseUrl, async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO "HabitTracking" ("id", "habitId", "date", "status", "value", "note", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), habit, $2::date - back, 'done'::"TrackingStatus", 1, NULL, now(), now()
       FROM unnest($1::uuid[]) AS habit, generate_series(0, $3::int - 1, $4::int) AS back
       ON CONFLICT ("habitId", "date") DO NOTHING`,
      [habitIds, lastDay, days, step],
    );
    // A production database has planner statistics; a fresh one gets them only from autovacuum.
    await client.query('ANALYZE');
    return rowCount ?? 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Checks: each scenario measures what it claims to

async function checkSeeding(
  baseUrl: string,
  user: BenchUser,
  statsUser: BenchUser,
  statsHabitId: string,
  expectedCheckinsToday: number,
): Promise<string[]> {
  const get = (path: string, token: string): Promise<unknown> => callApi(baseUrl, { method: 'GET', path, token }, 200);
  const habits = (await get('/habits', user.accessToken)) as unknown[];
  if (habits.length !== HABITS) throw new Error(`GET /habits returned ${habits.length} habits, expected ${HABITS}`);

  const stats = (await get(`/habits/${statsHabitId}/stats`, statsUser.accessToken)) as { totalDone?: unknown; currentStreak?: unknown };
  if (stats.totalDone !== STATS_DAYS || stats.currentStreak !== STATS_DAYS) {
    throw new Error(`stats of the 3-year habit: expected totalDone and currentStreak ${STATS_DAYS}, got ${JSON.stringify(stats)}`);
  }

  const today = (await get('/today', user.accessToken)) as { goal: unknown; checkin: unknown; progress: number }[];
  const withGoal = today.filter((item) => item.goal !== null).length;
  const checkedIn = today.filter((item) => item.checkin !== null).length;
  if (today.length !== HABITS || withGoal !== GOALS.length || checkedIn !== expectedCheckinsToday) {
    throw new Error(`GET /today: ${today.length} items, ${withGoal} with a goal, ${checkedIn} checked in today`);
  }
  return [
    `GET /habits: ${habits.length} habits`,
    `GET /habits/:id/stats (3 years): ${JSON.stringify(stats)}`,
    `GET /today: ${today.length} items, ${withGoal} with a goal, ${checkedIn} checked in today, ` +
      `progress ${today.map((item) => item.progress).join(',')}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * PUT /habits/:id/tracking/:date with `{}`. Every request, of whichever connection, takes the next
 * (habit, day) pair: habits cycle fastest, then the day goes one back, over the last CHECKIN_DAYS
 * days. Requests in flight at once therefore hit different habits, and after the first
 * HABITS × CHECKIN_DAYS requests every check-in replaces an existing one.
 */
function checkinRequest(habitIds: readonly string[], today: string): autocannon.Request {
  let next = 0;
  return {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    setupRequest: (request) => {
      const n = next++;
      const habitId = habitIds[n % habitIds.length]!;
      const day = addDays(today, -(Math.floor(n / habitIds.length) % CHECKIN_DAYS));
      return { ...request, path: `/habits/${habitId}/tracking/${day}` };
    },
  };
}

/** `200: 1234, 201: 56`: the replies of a run by status code. */
function statusCounts(result: autocannon.Result): string {
  return Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${status}: ${String(count ?? 0)}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const log = elapsedLogger();
  console.log(describeMachine());
  console.log('load generator and server share these CPUs');
  // Anything else running on the machine skews every number below: say how busy it was.
  console.log(`load average before: ${loadAverage()}`);

  const { url: databaseUrl, postgresVersion } = await createBenchDatabase('bench_habits');
  log(`database ${new URL(databaseUrl).pathname.slice(1)} migrated (PostgreSQL ${postgresVersion})`);

  const server = await startServer(databaseUrl, randomSecrets());
  log(`server ready at ${server.baseUrl} (NODE_ENV=production, BCRYPT_ROUNDS=10)`);

  // Two users (time zone UTC): one with the 20 habits, one with the 3-year habit, so that the list,
  // /today and the check-ins see exactly 20 habits.
  const [user, statsUser] = await signUpUsers(server.baseUrl, 2);
  if (!user || !statsUser) throw new Error('the users were not signed up');
  const today = todayIn('UTC');
  const habitIds = await createHabits(server.baseUrl, user, HABITS);
  const checkinsThisWeek = await seedHomeScreen(server.baseUrl, user, habitIds, today);
  log(`${HABITS} habits, ${GOALS.length} goals and ${checkinsThisWeek} check-ins this week (today is ${today}, UTC)`);
  const [statsHabitId] = await createHabits(server.baseUrl, statsUser, 1);
  if (!statsHabitId) throw new Error('the 3-year habit was not created');
  const inserted = await insertCheckins(databaseUrl, [statsHabitId], { lastDay: today, days: STATS_DAYS, step: 1 });
  log(`${inserted} daily check-ins ending ${today} inserted with SQL, then ANALYZE`);
  for (const line of await checkSeeding(server.baseUrl, user, statsUser, statsHabitId, HABITS_CHECKED_IN_THIS_WEEK)) {
    log(`check: ${line}`);
  }

  const results: ScenarioResult[] = [];
  const statusLines: string[] = [];
  const run = async (scenario: string, options: autocannon.Options): Promise<autocannon.Result> => {
    const load = await measure(options, TIMING);
    results.push(summarise(scenario, load));
    statusLines.push(`${scenario}: ${statusCounts(load.result)}`);
    log(`${scenario} done`);
    return load.result;
  };
  const as = (owner: BenchUser): Record<string, string> => ({ authorization: `Bearer ${owner.accessToken}` });

  await run('habits-list', { url: `${server.baseUrl}/habits`, connections: CONNECTIONS.list, headers: as(user) });
  const statsUrl = `${server.baseUrl}/habits/${statsHabitId}/stats`;
  await run('stats-3y', { url: statsUrl, connections: 1, headers: as(statsUser) });
  await run('stats-3y-parallel', { url: statsUrl, connections: CONNECTIONS.statsParallel, headers: as(statsUser) });
  await run('today', { url: `${server.baseUrl}/today`, connections: CONNECTIONS.today, headers: as(user) });
  // Every other day already checked in: half the check-ins replace one from the start, all of them
  // once the cycle over HABITS × CHECKIN_DAYS wraps.
  const everyOtherDay = await insertCheckins(databaseUrl, habitIds, { lastDay: today, days: CHECKIN_DAYS, step: 2 });
  log(`${everyOtherDay} check-ins on every other day of the last ${CHECKIN_DAYS} inserted with SQL, then ANALYZE`);
  const checkin = await run('checkin', {
    url: server.baseUrl,
    connections: CONNECTIONS.checkin,
    headers: as(user),
    requests: [checkinRequest(habitIds, today)],
  });

  const stats = results.find((result) => result.scenario === 'stats-3y');
  if (!stats) throw new Error('no stats-3y result');
  const statsTargetMet = stats.p50 < STATS_P50_TARGET_MS;
  const created = checkin.statusCodeStats?.['201']?.count ?? 0;
  const replaced = checkin.statusCodeStats?.['200']?.count ?? 0;

  console.log('');
  printTable(results);
  console.log('');
  console.log(`each run: ${TIMING.warmupS} s warm-up (discarded), then ${TIMING.durationS} s measured`);
  console.log(
    `stats-3y p50: ${ms(stats.p50)} ms (1 connection, ${STATS_DAYS} daily check-ins): ` +
      `${statsTargetMet ? 'under' : 'NOT under'} the ${STATS_P50_TARGET_MS} ms target`,
  );
  console.log(
    `checkin (measured run): ${created} created, ${replaced} replaced, cycling over ${HABITS} habits × the last ${CHECKIN_DAYS} days`,
  );
  console.log(`replies by status code (measured runs): ${statusLines.join('; ')}`);
  console.log('');
  for (const result of results) {
    const extra: Record<string, number | string | boolean> = { connections: result.connections };
    if (result === stats) Object.assign(extra, { p50_target_ms: STATS_P50_TARGET_MS, p50_target_met: statsTargetMet, days: STATS_DAYS });
    if (result.scenario === 'checkin') Object.assign(extra, { created, replaced });
    console.log(jsonLine(result, extra));
  }
  printRunFooter(server, postgresVersion);
  log('done');
}

await runBench(main);
