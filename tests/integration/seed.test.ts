/** `npm run db:seed` (src/scripts/seed-demo.ts) as a real process, then the API on what it wrote. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { addDays } from '../../src/utils/dates.js';
import { userToday } from '../../src/utils/user-day.js';
import { testConfig } from '../helpers/app.js';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, logIn } from '../helpers/factories.js';
import { runProcess } from '../helpers/run-process.js';

const UNREACHABLE_DATABASE = 'postgresql://postgres@127.0.0.1:1/none';

/** Every variable the script reads is given, so a developer's .env cannot change the run. */
function seed(databaseUrl: string, env: Record<string, string> = {}, args: string[] = []) {
  return runProcess(process.execPath, ['--import', 'tsx', 'src/scripts/seed-demo.ts', ...args], {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    BCRYPT_ROUNDS: '4',
    ...env,
  });
}

function printedCredentials(stdout: string): { email: string; password: string } {
  const email = /^ {2}email: +(\S+)$/m.exec(stdout)?.[1];
  const password = /^ {2}password: +(\S+)$/m.exec(stdout)?.[1];
  if (!email || !password) throw new Error(`no credentials in the output:\n${stdout}`);
  return { email, password };
}

interface ExportedHabit {
  name: string;
  archived: boolean;
  checkins: { date: string; status: string; value: number; note: string | null }[];
}

describe('npm run db:seed', () => {
  let database: TestDatabase | undefined;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Logs in with the printed credentials and returns the account's export. */
  async function exportAs(stdout: string) {
    const { email, password } = printedCredentials(stdout);
    const { accessToken } = await logIn(app!, email, password);
    const response = await app!.inject({ url: '/export', headers: bearer(accessToken) });
    expect(response.statusCode).toBe(200);
    return { accessToken, habits: response.json<{ habits: ExportedHabit[] }>().habits };
  }

  it('creates the demo account with 90 days of data, and a second run re-creates it the same', async () => {
    const first = await seed(database!.url);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(printedCredentials(first.stdout)).toEqual({ email: 'demo@example.com', password: 'demo-password' });
    app = await buildApp(testConfig(database!.url));
    const before = await exportAs(first.stdout);

    const second = await seed(database!.url);
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
    const { accessToken, habits } = await exportAs(second.stdout);

    // Replaced, not added to: the same habits and the same check-ins, once.
    const checkinsOf = (list: ExportedHabit[]) =>
      list.map(({ name, checkins }) => ({
        name,
        checkins: checkins.map(({ date, status, value, note }) => ({ date, status, value, note })),
      }));
    expect(checkinsOf(habits)).toEqual(checkinsOf(before.habits));
    expect(habits.map(({ name, archived }) => ({ name, archived }))).toEqual([
      { name: 'Drink water', archived: false },
      { name: 'Read 20 pages', archived: false },
      { name: 'Run', archived: false },
      { name: 'Meditate', archived: false },
      { name: 'Floss', archived: true },
    ]);
    const today = userToday({ timezone: 'UTC', dayStartHour: 0 });
    const days = new Set(habits.flatMap(({ checkins }) => checkins.map(({ date }) => date)));
    expect(days.size).toBe(90);
    expect([...days].sort().at(0)).toBe(addDays(today, -89));
    expect([...days].sort().at(-1)).toBe(today);
    const checkins = habits.flatMap(({ checkins }) => checkins);
    expect(second.stdout).toContain(`${checkins.length} check-ins from ${addDays(today, -89)} to ${today}\n`);
    expect(new Set(checkins.map(({ status }) => status))).toEqual(new Set(['done', 'skipped']));
    expect(checkins.some(({ note }) => note !== null)).toBe(true);

    // The home screen and the statistics have something to show.
    const todayItems = (await app.inject({ url: '/today', headers: bearer(accessToken) })).json<
      { habit: { name: string }; checkin: unknown; progress: number }[]
    >();
    expect(todayItems.map(({ habit }) => habit.name)).toEqual(['Drink water', 'Read 20 pages', 'Run', 'Meditate']);
    expect(todayItems.filter(({ checkin }) => checkin !== null).length).toBeGreaterThan(0);
    const active = (await app.inject({ url: '/habits', headers: bearer(accessToken) })).json<{ id: string; name: string }[]>();
    for (const habit of active) {
      const stats = (await app.inject({ url: `/habits/${habit.id}/stats`, headers: bearer(accessToken) })).json<{
        totalDone: number;
        bestStreak: number;
      }>();
      expect({ habit: habit.name, someDone: stats.totalDone > 0, someStreak: stats.bestStreak > 0 }).toEqual({
        habit: habit.name,
        someDone: true,
        someStreak: true,
      });
    }
    const reading = active.find(({ name }) => name === 'Read 20 pages')!;
    const readingStats = (await app.inject({ url: `/habits/${reading.id}/stats`, headers: bearer(accessToken) })).json<{
      currentStreak: number;
    }>();
    expect(readingStats.currentStreak).toBeGreaterThanOrEqual(14);
  });

  it('refuses NODE_ENV=production before it opens the database', async () => {
    const { code, stdout, stderr } = await seed(UNREACHABLE_DATABASE, { NODE_ENV: 'production' });

    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('Refusing to seed: NODE_ENV is production');
    expect(stderr).toContain('npm run db:seed -- --allow-production');
  });

  it('seeds under NODE_ENV=production when given --allow-production', async () => {
    const { code, stdout, stderr } = await seed(database!.url, { NODE_ENV: 'production' }, ['--allow-production']);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('Demo account ready');
  });

  it('refuses a database whose migrations are not applied, and says what to run', async () => {
    const empty = await createEmptyDatabase();
    try {
      const { code, stdout, stderr } = await seed(empty.url);

      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toMatch(/^Could not seed: The database is missing migrations .+: run `npm run db:deploy` first\n$/);
    } finally {
      await empty.drop();
    }
  });
});
