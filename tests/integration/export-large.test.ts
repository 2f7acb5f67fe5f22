/**
 * GET /export of a large account, on the real server process with `npm start`'s heap limits: the
 * export is streamed, so the process survives, its memory stays flat and both formats are complete.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportCheckin as Checkin } from '../../src/repositories/export.repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { uniqueEmail } from '../helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Half the old space `npm start` allows (package.json): streaming must hold under a tighter bound. */
const START_HEAP_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=3'];
const HABITS = 40;
const DAYS = 5_200;
/** How much the server's resident memory may grow while it sends the whole export. */
const MAX_RSS_GROWTH_MB = 30;
const SLOW_TEST_MS = 120_000;

interface ExportedHabit {
  id: string;
  name: string;
  goal: Record<string, unknown> | null;
  checkins: Checkin[];
  [field: string]: unknown;
}

interface ExportReply {
  exportedAt: string;
  user: Record<string, unknown>;
  habits: ExportedHabit[];
}

/** A `timestamp(3)` read as text (UTC wall time) → ISO 8601 with milliseconds and Z. */
const iso = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();

/** kB values of /proc/<pid>/status. */
function memoryKb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

interface Download {
  status: number;
  headers: Headers;
  body: string;
  seconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

/**
 * Downloads `url` and measures the server's resident memory meanwhile: VmHWM (the peak) is reset
 * first where the kernel allows it, and VmRSS is also sampled every 20 ms.
 */
async function downloadMeasured(server: ServerProcess, url: string, accessToken: string): Promise<Download> {
  const pid = server.child.pid!;
  const serverGone = (cause: unknown) => {
    const { exitCode, signalCode } = server.child;
    return new Error(`the server is gone (exit code ${exitCode}, signal ${signalCode}):\n${server.output().slice(-1500)}`, { cause });
  };
  if (server.child.exitCode !== null || server.child.signalCode !== null) throw serverGone(undefined);
  const before = memoryKb(pid).rss;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Without the reset, the sampled VmRSS alone gives the peak.
  }
  let peak = before;
  const sample = () => {
    try {
      peak = Math.max(peak, memoryKb(pid).rss);
    } catch {
      // The process is gone: the request fails and says so.
    }
  };
  const sampler = setInterval(sample, 20);
  const started = performance.now();
  try {
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
      body = await response.text();
    } catch (error) {
      await Promise.race([server.exited, new Promise((wait) => setTimeout(wait, 1000))]);
      throw serverGone(error);
    }
    const seconds = (performance.now() - started) / 1000;
    const after = memoryKb(pid);
    peak = Math.max(peak, after.rss, after.peak);
    return { status: response.status, headers: response.headers, body, seconds, rssBeforeMb: before / 1024, rssPeakMb: peak / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

describe('GET /export of an account with 208,000 check-ins, on a server with a 64 MB heap', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let server: ServerProcess;
  let baseUrl: string;
  let accessToken: string;
  let user: Record<string, unknown>;
  /** The database's contents, read independently of the export's SQL, in export order. */
  let expected: ExportedHabit[];

  const report = (format: string, download: Download) =>
    console.info(
      `export ${format}: ${(download.body.length / 1e6).toFixed(0)} M characters in ${download.seconds.toFixed(2)} s; ` +
        `server RSS ${download.rssBeforeMb.toFixed(1)} MB before, peak ${download.rssPeakMb.toFixed(1)} MB ` +
        `(+${(download.rssPeakMb - download.rssBeforeMb).toFixed(1)} MB)`,
    );

  const expectServerAlive = async () => {
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // A session time zone far from UTC: timestamps must come out as stored (UTC) all the same.
    await db.query(`ALTER DATABASE "${database.name}" SET "TimeZone" TO 'Pacific/Kiritimati'`);

    server = startServerProcess({ DATABASE_URL: database.url }, { nodeArgs: START_HEAP_FLAGS });
    baseUrl = await server.waitForListening();
    const signup = await fetch(`${baseUrl}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('exporter'), password: 'correct horse battery', name: 'Big "exporter"' }),
    });
    expect(signup.status).toBe(201);
    ({ accessToken, user } = (await signup.json()) as { accessToken: string; user: Record<string, unknown> });

    // Positions repeat and some creation times too, so the order falls back to createdAt, then id.
    await db.query(
      `INSERT INTO "Habit" (id, "userId", name, description, color, icon, kind, unit, position, archived, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1, format('Habit %s: "quoted", back\\slash, ünï ✓ 😀', i),
              CASE WHEN i % 4 <> 0 THEN left(repeat(E'A description, "with quotes"\\n\\t and ✓. ', 40), 1000) END,
              CASE WHEN i % 3 = 0 THEN '#a1b2c3' END, CASE WHEN i % 3 = 1 THEN 'book' END,
              (CASE WHEN i % 2 = 0 THEN 'numeric' ELSE 'boolean' END)::"HabitKind", CASE WHEN i % 2 = 0 THEN 'glasses' END,
              i % 7, i % 5 = 0,
              timestamp '2020-03-04 05:06:07.089' + (i % 3) * interval '1 day 1 ms',
              timestamp '2021-12-31 23:59:59.999' + i * interval '1 ms'
         FROM generate_series(1, $2::int) i`,
      [user.id, HABITS],
    );
    await db.query(
      `INSERT INTO "HabitGoal" (id, "habitId", period, target, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), id, 'week', 3, timestamp '2020-03-05 00:00:00.001', timestamp '2020-03-05 00:00:00.010'
         FROM "Habit" WHERE "userId" = $1 AND position % 2 = 0`,
      [user.id],
    );
    // 500-character notes (the longest the API accepts) with every character JSON and CSV escape.
    await db.query(
      `INSERT INTO "HabitTracking" (id, "habitId", date, status, value, note, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), h.id, date '2000-01-01' + d,
              (CASE WHEN d % 11 = 0 THEN 'skipped' ELSE 'done' END)::"TrackingStatus", (d * 7) % 1000,
              CASE WHEN d % 13 = 0 THEN NULL WHEN d % 17 = 0 THEN ''
                   ELSE left(format('%s %s ', d, md5(h.id::text || d)) || repeat(E'she said "hi", back\\\\slash; ünï ✓ 😀\\r\\nnext\\tline\\x07 ', 20), 500) END,
              timestamp '2000-01-01 08:00:00.123' + d * interval '1 day', timestamp '2000-01-01 20:30:40.5' + d * interval '1 day 1 ms'
         FROM "Habit" h CROSS JOIN generate_series(0, $2::int - 1) d
        WHERE h."userId" = $1`,
      [user.id, DAYS],
    );
    // Someone else's data, which must not appear.
    await db.query(
      `WITH other AS (
         INSERT INTO "User" (id, email, password, "updatedAt") VALUES (gen_random_uuid(), $1, 'x', now()) RETURNING id
       ), habit AS (
         INSERT INTO "Habit" (id, "userId", name, "updatedAt") SELECT gen_random_uuid(), id, 'Not yours', now() FROM other RETURNING id
       )
       INSERT INTO "HabitTracking" (id, "habitId", date, note, "updatedAt") SELECT gen_random_uuid(), id, date '2001-01-01', 'not yours', now() FROM habit`,
      [uniqueEmail('other')],
    );

    const habits = await db.query<Record<string, unknown> & { id: string; name: string; createdAt: string; updatedAt: string }>(
      `SELECT id, name, description, color, icon, kind::text AS kind, unit, position, archived,
              schedule, "startDate"::text AS "startDate", reminders, version, "createdAt"::text AS "createdAt", "updatedAt"::text AS "updatedAt"
         FROM "Habit" WHERE "userId" = $1 ORDER BY position, "createdAt", id`,
      [user.id],
    );
    const goals = await db.query<{ id: string; habitId: string; period: string; target: number; createdAt: string; updatedAt: string }>(
      `SELECT g.id, g."habitId", g.period::text AS period, g.target, g.version, g."createdAt"::text AS "createdAt", g."updatedAt"::text AS "updatedAt"
         FROM "HabitGoal" g JOIN "Habit" h ON h.id = g."habitId" WHERE h."userId" = $1`,
      [user.id],
    );
    const checkins = await db.query<Checkin>(
      `SELECT t.id, t."habitId", t.date::text AS date, t.status::text AS status, t.value, t.note, t.version,
              t."createdAt"::text AS "createdAt", t."updatedAt"::text AS "updatedAt"
         FROM "HabitTracking" t JOIN "Habit" h ON h.id = t."habitId" WHERE h."userId" = $1 ORDER BY t."habitId", t.date`,
      [user.id],
    );
    const checkinsByHabit = new Map<string, Checkin[]>();
    for (const checkin of checkins.rows) {
      const list = checkinsByHabit.get(checkin.habitId) ?? [];
      if (list.length === 0) checkinsByHabit.set(checkin.habitId, list);
      list.push(checkin);
    }
    expected = habits.rows.map((habit) => {
      const goal = goals.rows.find((row) => row.habitId === habit.id);
      return {
        ...habit,
        createdAt: iso(habit.createdAt),
        updatedAt: iso(habit.updatedAt),
        goal: goal ? { ...goal, createdAt: iso(goal.createdAt), updatedAt: iso(goal.updatedAt) } : null,
        checkins: (checkinsByHabit.get(habit.id) ?? []).map((checkin) => ({
          ...checkin,
          createdAt: iso(checkin.createdAt),
          updatedAt: iso(checkin.updatedAt),
        })),
      };
    });
    expect(expected.flatMap((habit) => habit.checkins)).toHaveLength(HABITS * DAYS);
  }, SLOW_TEST_MS);

  afterAll(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await db.end();
    await database.drop();
  });

  it(
    'streams format=json: the process survives, its memory stays flat, and the document is complete and parses',
    async () => {
      const download = await downloadMeasured(server, `${baseUrl}/export?format=json`, accessToken);
      report('json', download);
      await expectServerAlive();
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toMatch(/^application\/json/);
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="habits-\d{4}-\d{2}-\d{2}\.json"$/);

      const document = JSON.parse(download.body) as ExportReply;
      expect(Object.keys(document)).toEqual(['exportedAt', 'user', 'habits']);
      expect(document.exportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(document.user).toEqual(user);
      expect(document.habits.map((habit) => habit.id)).toEqual(expected.map((habit) => habit.id));
      // Every value of every habit, goal and check-in, compared habit by habit.
      for (const [index, habit] of document.habits.entries()) {
        const { checkins, ...fields } = habit;
        const { checkins: expectedCheckins, ...expectedFields } = expected[index]!;
        expect(fields).toEqual(expectedFields);
        expect(checkins.length).toBe(expectedCheckins.length);
        const differing = checkins.findIndex((checkin, at) => JSON.stringify(checkin) !== JSON.stringify(expectedCheckins[at]));
        expect(differing === -1 ? null : [checkins[differing], expectedCheckins[differing]]).toBeNull();
      }
      expect(download.rssPeakMb - download.rssBeforeMb).toBeLessThan(MAX_RSS_GROWTH_MB);
    },
    SLOW_TEST_MS,
  );

  it(
    'streams format=csv: the process survives, its memory stays flat, and every check-in is one parsed row',
    async () => {
      const download = await downloadMeasured(server, `${baseUrl}/export?format=csv`, accessToken);
      report('csv', download);
      await expectServerAlive();
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="habits-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(download.body.endsWith('\r\n')).toBe(true);

      const [header, ...rows] = parse(download.body);
      expect(header).toEqual(['habit', 'date', 'status', 'value', 'note']);
      const expectedRows = expected.flatMap((habit) =>
        habit.checkins.map((checkin) => [habit.name, checkin.date, checkin.status, String(checkin.value), checkin.note ?? '']),
      );
      expect(rows).toHaveLength(HABITS * DAYS);
      const differing = rows.findIndex((row, at) => JSON.stringify(row) !== JSON.stringify(expectedRows[at]));
      expect(differing === -1 ? null : [rows[differing], expectedRows[differing]]).toBeNull();
      expect(download.rssPeakMb - download.rssBeforeMb).toBeLessThan(MAX_RSS_GROWTH_MB);
    },
    SLOW_TEST_MS,
  );
});
