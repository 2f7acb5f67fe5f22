/**
 * The big database of `npm run bench:scale` (bench/scale.ts), built in SQL only: users, their
 * habits, goals and three years of check-ins, sessions with their refresh tokens and security
 * events, at 1,000,000 users by default (`--size` scales every table alike).
 *
 * Every value is a pure function of a row's number (hashint8extended as the random source), so the
 * tables are generated independently: a session names its user's id without reading "User", a
 * check-in its habit's. Loading is fast because nothing is maintained row by row: the loaded tables'
 * keys and indexes (and every foreign key touching them) are dropped first and built again after, in
 * bulk, from their own catalog definitions, and the sync triggers are off in the loading session
 * (`session_replication_role = replica`, superuser only). What the triggers would have written is
 * written by the inserts (see `CHANGE_BLOCK`). The catalog is compared before and after, so the
 * result has exactly the schema the migrations made; re-adding each foreign key checks every row.
 */
import pg from 'pg';

/** Full size: the issue's "at least 1M users, 3M sessions, 20M check-ins". */
export const FULL_USERS = 1_000_000;
/** `--size` by name, or a fraction of full size. */
export const NAMED_SIZES: Record<string, number> = { full: 1, medium: 0.1, small: 0.01, tiny: 0.001 };
/** Sessions per user, refresh tokens per session (1 to 3: the live one and those it rotated from). */
const SESSIONS_PER_USER = 3;
/** Sessions the cleanup may delete: expired in the last hour, or revoked more than 7 days ago. */
export const DEAD_SESSION_SHARE = 0.001;
/** Sessions revoked (signed out) within the last 7 days: kept, not yet the cleanup's. */
const REVOKED_SESSION_SHARE = 0.15;
/**
 * Check-ins per habit: most habits are tried for a day or two, some for weeks, a few for years
 * (capped by the user's age). About 4.2 per habit, 21 per user.
 */
const CHECKIN_SPANS = { longShare: 0.0025, mediumShare: 0.12 };
/**
 * The change feed (migration 20261204000000_sync_change_feed) numbers a user's changes in blocks of
 * 2^20, one block per transaction. The loaded history is numbered as if each user's items had been
 * written in one transaction (as POST /import writes them): all in the user's first block, whose
 * start is the counter ("SyncCounter".seq). Numbers leave gaps (habit k is k - 1, its goal 16 + k - 1,
 * its i-th check-in 32 + 16 i + k - 1), which the feed allows: unique per user and below the next
 * block is all it needs. Every item is at version 1, as never updated.
 */
const CHANGE_BLOCK = 1_048_576;

/** The tables loaded, in load order. */
const TABLES = ['User', 'SyncCounter', 'Habit', 'HabitGoal', 'HabitTracking', 'Session', 'RefreshToken', 'SecurityEvent'] as const;

/** `--size <fraction|name>` (default full; tiny with --smoke): the fraction of FULL_USERS to load. */
export function parseSize(argv: readonly string[], smoke: boolean): { name: string; label: string; fraction: number; users: number } {
  const at = argv.indexOf('--size');
  const given = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && given === undefined) throw new Error('--size needs a value: a fraction (0.01) or full, medium, small, tiny');
  const name = given ?? (smoke ? 'tiny' : 'full');
  const fraction = NAMED_SIZES[name] ?? Number(name);
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 10) {
    throw new Error(`--size ${name}: neither a fraction nor one of full, medium, small, tiny`);
  }
  const label = name in NAMED_SIZES ? `${name}, ${fraction} of full size` : `${fraction} of full size`;
  return { name, label, fraction, users: Math.max(100, Math.round(FULL_USERS * fraction)) };
}

// ---------------------------------------------------------------------------------------------
// SQL building blocks

/** A uniform number in [0, 1) from an integer SQL expression and a salt: the same in every load. */
const rnd = (key: string, salt: number): string =>
  `((hashint8extended((${key})::bigint, ${salt}) & 9007199254740991)::float8 / 9007199254740992)`;
/**
 * A version-4-shaped uuid made of a hash of `key` and `key` itself (its last 15 digits): unique per
 * `salt` (one per table) and deterministic, so that a child names its parent's id without reading it.
 * gen_random_uuid() costs 3 µs a row here (a read of /dev/urandom), this 0.5. Keys below 2^60.
 */
const uuidOf = (key: string, salt: number): string =>
  `encode(int8send((hashint8extended((${key})::bigint, ${salt}) & ~61440::bigint) | 16384) || int8send((${key})::bigint + (-9223372036854775808)::bigint), 'hex')::uuid`;
/** The key of a uuid made by `uuidOf`. */
const keyOf = (uuid: string): string => `(('x' || right(replace((${uuid})::text, '-', ''), 16))::bit(64)::bigint & 1152921504606846975)`;
/** uuidOf's salts, one per kind of row. */
const ID = { user: 1, habit: 2, goal: 3, checkin: 4, session: 5, token: 6, event: 7 };
/** One of `values`, picked by a uniform number. */
const pick = (values: readonly string[], uniform: string): string =>
  `(ARRAY[${values.map((value) => `'${value}'`).join(', ')}])[1 + floor(${uniform} * ${values.length})::int]`;

/**
 * $1 in every statement: the load's "now", UTC wall time (the columns' convention). Intervals are
 * written in hours: adding one with a day part to a timestamp takes a calendar conversion, 10 times
 * the cost (the same result for a timestamp without time zone).
 */
const NOW = '$1::timestamp';

/**
 * Users 1..$2: number, age in days (30 to 1,095: old enough for any session), creation time and
 * number of habits (0 to 10, 5 on average; users without one have nothing in the change feed).
 * `OFFSET 0` keeps PostgreSQL from copying a subquery's expressions into every use of its columns.
 */
const USERS_PLAN = `(SELECT n, age, ${NOW} - (age + ${rnd('n', 2)}) * interval '24 hours' AS created, floor(${rnd('n', 3)} * 11)::int AS habits
   FROM (SELECT n, 30 + floor(${rnd('n', 1)} * 1066)::int AS age FROM generate_series(1, $2::bigint) n OFFSET 0) numbered OFFSET 0)`;

/**
 * Every habit to load, with what its goal and check-ins derive from, in a temporary table (computed
 * once, not again for each check-in). A habit has `checkins` check-ins, one every 1, 1.25 or 2 days
 * (`gap`), the first `first_back` days before today and never before its user existed; 40 % of the
 * spans end today (habits still in use). Most habits are tried for a day or two, 12 % for weeks, a few
 * for years (CHECKIN_SPANS). It was created between its user and its first check-in.
 */
const PLAN_HABITS = `CREATE TEMPORARY TABLE scale_habit_plan AS
  SELECT hk, k, ${uuidOf('hk', ID.habit)} AS id, ${uuidOf('n', ID.user)} AS user_id, checkins, gap, first_back,
         u.created + (age - first_back) * ${rnd('hk', 6)} * interval '24 hours' AS created, ${rnd('hk', 18)} < 0.15 AS numeric
    FROM ${USERS_PLAN} u
    CROSS JOIN LATERAL generate_series(1, u.habits) k
    CROSS JOIN LATERAL (SELECT u.n * 16 + k AS hk OFFSET 0) h
    CROSS JOIN LATERAL (SELECT
      CASE WHEN ${rnd('hk', 1)} < ${CHECKIN_SPANS.longShare} THEN 365 + floor(${rnd('hk', 2)} * 732)
           WHEN ${rnd('hk', 1)} < ${CHECKIN_SPANS.longShare + CHECKIN_SPANS.mediumShare} THEN 10 + floor(${rnd('hk', 2)} * 21)
           ELSE floor(${rnd('hk', 2)} * 3) END::int AS wanted,
      CASE WHEN ${rnd('hk', 3)} < 0.5 THEN 0 WHEN ${rnd('hk', 3)} < 0.8 THEN 0.25 ELSE 1 END::float8 AS gap OFFSET 0) p
    CROSS JOIN LATERAL (SELECT least(wanted, floor(age / (1 + gap))::int + 1) AS checkins OFFSET 0) c
    CROSS JOIN LATERAL (SELECT greatest(checkins - 1, 0) + floor(greatest(checkins - 1, 0) * gap)::int AS span OFFSET 0) s
    CROSS JOIN LATERAL (SELECT span + CASE WHEN ${rnd('hk', 4)} < 0.4 THEN 0 ELSE floor(${rnd('hk', 5)} * (age - span + 1))::int END
      AS first_back OFFSET 0) f`;

/** Check-in `i` of a planned habit: its number (a random source), its day, and when it was made (that day, or now). */
const CHECKIN_KEY = 'hk * 2048 + i';
const CHECKIN_DAY = `(${NOW}::date - first_back + i + floor(i * gap)::int)`;
const CHECKIN_AT = `least(${NOW}, ${CHECKIN_DAY} + (6 + ${rnd(CHECKIN_KEY, 4)} * 17) * interval '1 hour')`;

/**
 * When a session's token number `step` was issued: evenly from `since` to the session's last
 * refresh (the live token); step -1 is the expired first token.
 */
const tokenIssued = (step: string): string =>
  `CASE WHEN ${step} < 0 THEN s."createdAt" WHEN tokens = 1 THEN s."lastUsedAt"
        ELSE since + (s."lastUsedAt" - since) * ((${step})::float8 / (tokens - 1)) END`;
/**
 * Live sessions were last refreshed in the last 7 days (less 2 hours) and started in the last 29;
 * revoked ones were signed out in the last 7 days (kept for the user to see); DEAD_SESSION_SHARE
 * expired in the last hour or were revoked more than 7 days ago. Each ends 7 days after its last
 * refresh, or 30 days after it started (SESSION_MAX_DAYS) if sooner. One expression per column, a
 * CASE over the kinds (no subqueries: a LATERAL subquery costs 0.7 µs a row).
 */
function bySessionKind(column: (kind: { revoked: string; lastUsed: string; created: string }) => string): string {
  const [kind, r3, r4, r5] = [rnd('s', 102), rnd('s', 103), rnd('s', 104), rnd('s', 105)];
  const liveCreated = `(${NOW} - ${r3} * interval '696 hours')`;
  const liveFrom = `greatest(${liveCreated}, ${NOW} - interval '166 hours')`;
  const signedOut = (revoked: string) => {
    const lastUsed = `(${revoked} - ${r4} * interval '30 minutes')`;
    return { revoked, lastUsed, created: `(${lastUsed} - ${r3} * interval '480 hours')` };
  };
  const expiredLastUsed = `(${NOW} - interval '168 hours 1 minute' - ${r5} * interval '1 hour')`;
  const kinds = {
    expired: { revoked: 'NULL::timestamp', lastUsed: expiredLastUsed, created: `(${expiredLastUsed} - ${r3} * interval '480 hours')` },
    oldRevoked: signedOut(`(${NOW} - interval '168 hours 1 minute' - ${r5} * interval '1 hour')`),
    revoked: signedOut(`(${NOW} - interval '2 hours' - ${r5} * interval '164 hours')`),
    live: { revoked: 'NULL::timestamp', lastUsed: `(${liveFrom} + ${r4} * (${NOW} - ${liveFrom}))`, created: liveCreated },
  };
  return `CASE WHEN ${kind} < ${DEAD_SESSION_SHARE / 2} THEN ${column(kinds.expired)}
               WHEN ${kind} < ${DEAD_SESSION_SHARE} THEN ${column(kinds.oldRevoked)}
               WHEN ${kind} < ${DEAD_SESSION_SHARE + REVOKED_SESSION_SHARE} THEN ${column(kinds.revoked)}
               ELSE ${column(kinds.live)} END`;
}
/** A session row `s` the cleanup would delete (expired, or revoked more than 7 days ago). */
const DEAD_SESSION = `(s."expiresAt" < ${NOW} OR coalesce(s."revokedAt" < ${NOW} - interval '168 hours', false))`;
const HABIT_NAMES = [
  'Read',
  'Run',
  'Meditate',
  'Drink water',
  'Journal',
  'Stretch',
  'Walk 10k steps',
  'Sleep by 23:00',
  'No sugar',
  'Guitar',
];
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata'];
const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0',
  'HabitTracker/2.3 (iOS)',
];

/** The load, statement by statement. */
const LOAD_STEPS: { step: string; sql: string }[] = [
  {
    step: 'insert User',
    sql: `INSERT INTO "User" (id, email, password, name, timezone, "dayStartHour", "emailVerifiedAt", "createdAt", "updatedAt")
      SELECT ${uuidOf('n', ID.user)}, 'scale-user-' || n || '@example.com', $3,
             CASE WHEN ${rnd('n', 4)} < 0.6 THEN 'Scale user ' || n END, ${pick(TIME_ZONES, rnd('n', 5))},
             CASE WHEN ${rnd('n', 6)} < 0.9 THEN 0 ELSE 1 + floor(${rnd('n', 7)} * 5)::int END,
             CASE WHEN ${rnd('n', 8)} < 0.8 THEN created + interval '7 minutes' END, created, created
        FROM ${USERS_PLAN} u`,
  },
  {
    step: 'insert SyncCounter',
    sql: `INSERT INTO "SyncCounter" ("userId", seq, floor) SELECT ${uuidOf('n', ID.user)}, ${CHANGE_BLOCK}, 0 FROM ${USERS_PLAN} u WHERE habits > 0`,
  },
  { step: 'plan the habits (a temporary table)', sql: PLAN_HABITS },
  {
    step: 'insert Habit',
    sql: `INSERT INTO "Habit" (id, "userId", name, description, color, icon, kind, unit, position, archived, schedule, "startDate",
                                 reminders, version, "changeSeq", "createdAt", "updatedAt")
      SELECT id, user_id, (ARRAY['${HABIT_NAMES.join("', '")}'])[k],
             CASE WHEN ${rnd('hk', 7)} < 0.2 THEN 'A little every day' END,
             CASE WHEN ${rnd('hk', 8)} < 0.5 THEN ${pick(['#22aa88', '#3366cc', '#ee7733', '#aa44bb'], rnd('hk', 9))} END,
             CASE WHEN ${rnd('hk', 10)} < 0.5 THEN ${pick(['book', 'run', 'water', 'moon'], rnd('hk', 11))} END,
             CASE WHEN numeric THEN 'numeric' ELSE 'boolean' END::"HabitKind",
             CASE WHEN numeric THEN ${pick(['pages', 'glasses', 'minutes', 'km'], rnd('hk', 12))} END,
             k - 1, ${rnd('hk', 13)} < 0.1,
             CASE WHEN ${rnd('hk', 14)} < 0.75 THEN '{"type": "daily"}'::jsonb
                  WHEN ${rnd('hk', 14)} < 0.9 THEN '{"type": "weekdays", "days": [1, 3, 5]}'::jsonb
                  ELSE jsonb_build_object('type', 'interval', 'every', 2 + floor(${rnd('hk', 15)} * 6)::int, 'anchor', to_char(created, 'YYYY-MM-DD')) END,
             CASE WHEN ${rnd('hk', 16)} < 0.05 THEN created::date END,
             CASE WHEN ${rnd('hk', 17)} < 0.3 THEN '[{"time": "07:30"}]'::jsonb ELSE '[]'::jsonb END,
             1, ${CHANGE_BLOCK} + k - 1, created, created
        FROM scale_habit_plan`,
  },
  {
    step: 'insert HabitGoal',
    sql: `INSERT INTO "HabitGoal" (id, "habitId", period, target, version, "changeSeq", "createdAt", "updatedAt")
      SELECT ${uuidOf('hk', ID.goal)}, id, period::"GoalPeriod",
             CASE period WHEN 'day' THEN 1 WHEN 'week' THEN 3 + floor(${rnd('hk', 20)} * 5)::int ELSE 10 + floor(${rnd('hk', 20)} * 21)::int END,
             1, ${CHANGE_BLOCK} + 16 + k - 1, created + interval '1 minute', created + interval '1 minute'
        FROM scale_habit_plan CROSS JOIN LATERAL (SELECT ${pick(['day', 'week', 'month'], rnd('hk', 21))} AS period OFFSET 0) p
       WHERE ${rnd('hk', 19)} < 0.3`,
  },
  {
    step: 'insert HabitTracking',
    sql: `INSERT INTO "HabitTracking" (id, "habitId", date, status, value, note, version, "changeSeq", "createdAt", "updatedAt")
      SELECT ${uuidOf(CHECKIN_KEY, ID.checkin)}, id, ${CHECKIN_DAY},
             CASE WHEN ${rnd(CHECKIN_KEY, 1)} < 0.04 THEN 'skipped' ELSE 'done' END::"TrackingStatus",
             CASE WHEN numeric THEN 1 + floor(${rnd(CHECKIN_KEY, 2)} * 30)::int ELSE 1 END,
             CASE WHEN ${rnd(CHECKIN_KEY, 3)} < 0.02 THEN 'Felt good' END,
             1, ${CHANGE_BLOCK} + 32 + 16 * i + k - 1, ${CHECKIN_AT}, ${CHECKIN_AT}
        FROM scale_habit_plan CROSS JOIN LATERAL generate_series(0, checkins - 1) i`,
  },
  { step: 'drop the plan', sql: 'DROP TABLE scale_habit_plan' },
  {
    step: 'insert Session',
    sql: `INSERT INTO "Session" (id, "userId", "createdAt", "lastUsedAt", "expiresAt", "revokedAt", "userAgent", ip, aal)
      SELECT ${uuidOf('s', ID.session)}, ${uuidOf(`1 + floor(${rnd('s', 101)} * $2::bigint)`, ID.user)},
             ${bySessionKind((kind) => kind.created)}, ${bySessionKind((kind) => kind.lastUsed)},
             ${bySessionKind((kind) => `least(${kind.lastUsed} + interval '168 hours', ${kind.created} + interval '720 hours')`)},
             ${bySessionKind((kind) => kind.revoked)}, ${pick(USER_AGENTS, rnd('s', 106))}, '203.0.113.' || (1 + floor(${rnd('s', 107)} * 254))::int, 1
        FROM generate_series(1, $2::bigint * ${SESSIONS_PER_USER}) s`,
  },
  /*
   * Each session's refresh tokens: 1 to 3 issued since it started or since 7 days ago (older ones
   * have expired and been cleaned up), the last one live (it ends with the session), each earlier one
   * rotated into the next. Also, for 0.1 % of the live sessions older than 8 days, one token that
   * expired (issued at the session's start): the cleanup's expired tokens.
   */
  {
    step: 'insert RefreshToken',
    sql: `INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt", "rotatedAt", "successorId", "revokedAt", "createdAt")
      SELECT ${uuidOf('key + j', ID.token)}, encode(sha256(convert_to('scale-refresh-' || (key + j), 'UTF8')), 'hex'), s.id, s."userId",
             least(${tokenIssued('j')} + interval '168 hours', s."createdAt" + interval '720 hours'),
             CASE WHEN j < tokens - 1 THEN ${tokenIssued('j + 1')} END, CASE WHEN j < tokens - 1 THEN ${uuidOf('key + j + 1', ID.token)} END,
             s."revokedAt", ${tokenIssued('j')}
        FROM "Session" s
        CROSS JOIN LATERAL (SELECT ${keyOf('s.id')} * 4 + 1 AS key OFFSET 0) k
        CROSS JOIN LATERAL (SELECT 1 + floor(${rnd('key', 1)} * 3)::int AS tokens,
            CASE WHEN ${DEAD_SESSION} THEN s."createdAt" ELSE greatest(s."createdAt", ${NOW} - interval '167 hours') END AS since,
            NOT ${DEAD_SESSION} AND s."revokedAt" IS NULL AND s."createdAt" < ${NOW} - interval '192 hours' AND ${rnd('key', 2)} < 0.001
              AS expired_first OFFSET 0) t
        CROSS JOIN LATERAL generate_series(CASE WHEN expired_first THEN -1 ELSE 0 END, tokens - 1) j`,
  },
  /* A login event for every session, a logout for every revoked one (all within the 90 days kept). */
  {
    step: 'insert SecurityEvent',
    sql: `INSERT INTO "SecurityEvent" (id, "userId", type, "createdAt", ip, "userAgent", "sessionId")
      SELECT ${uuidOf(`${keyOf('id')} * 2`, ID.event)}, "userId", 'login'::"SecurityEventType", "createdAt", ip, "userAgent", id FROM "Session"
      UNION ALL
      SELECT ${uuidOf(`${keyOf('id')} * 2 + 1`, ID.event)}, "userId", 'logout'::"SecurityEventType", "revokedAt", ip, "userAgent", id FROM "Session" WHERE "revokedAt" IS NOT NULL`,
  },
];

// ---------------------------------------------------------------------------------------------
// Loading

/** A key, an index or a foreign key of the loaded tables, as the catalog defines it. */
interface SchemaItem {
  kind: 'index' | 'key' | 'foreign key';
  table: string;
  name: string;
  definition: string;
}

const quotedTables = TABLES.map((table) => `"${table}"`);

/**
 * The keys (primary, unique) and indexes of the loaded tables, and every foreign key from or to
 * them (a key cannot be dropped while a foreign key depends on it), in the order they are built.
 */
async function schemaOf(client: pg.Client): Promise<SchemaItem[]> {
  const { rows } = await client.query<SchemaItem>(
    `SELECT CASE contype WHEN 'f' THEN 'foreign key' ELSE 'key' END AS kind, conrelid::regclass::text AS table,
            quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype IN ('p', 'u', 'f') AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))
     UNION ALL
     SELECT 'index', indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid)
       FROM pg_index i
      WHERE indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY 1 DESC, 2, 3`,
    [quotedTables],
  );
  return rows;
}

const dropStatement = ({ kind, table, name }: SchemaItem): string =>
  kind === 'index' ? `DROP INDEX ${name}` : `ALTER TABLE ${table} DROP CONSTRAINT ${name}`;
const createStatement = ({ kind, table, name, definition }: SchemaItem): string =>
  kind === 'index' ? definition : `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition}`;

/** One line of the load report: a table's rows, or a step's time. */
export interface LoadStep {
  step: string;
  rows?: number;
  seconds: number;
}

/** The highest `$n` in `sql`: how many of the load's parameters it takes. */
const parameterCount = (sql: string): number => Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));

/**
 * Fills the (migrated, empty) database at `databaseUrl` with `users` users and everything that
 * belongs to them, as of `now`; every row's password is `passwordHash`. Returns each step's time.
 */
export async function loadScaleDatabase(
  databaseUrl: string,
  { users, now, passwordHash }: { users: number; now: Date; passwordHash: string },
  log: (message: string) => void,
): Promise<LoadStep[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const steps: LoadStep[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>, rows?: (result: T) => number): Promise<T> => {
    const startedAt = performance.now();
    const result = await work();
    const done: LoadStep = { step, seconds: (performance.now() - startedAt) / 1000, ...(rows && { rows: rows(result) }) };
    steps.push(done);
    log(`  ${step}: ${done.rows === undefined ? '' : `${done.rows.toLocaleString('en-US')} rows, `}${done.seconds.toFixed(1)} s`);
    return result;
  };
  try {
    // The sync triggers off in this session only (the server's sessions keep them); superuser only.
    await client.query(`SET session_replication_role = replica`);
    // Index builds and foreign-key checks sort and hash millions of rows.
    await client.query(`SET maintenance_work_mem = '1GB'`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SET synchronous_commit = off`);
    const schema = await schemaOf(client);
    await timed('drop keys, indexes and foreign keys', async () => {
      for (const item of [...schema].reverse()) await client.query(dropStatement(item));
    });
    const parameters = [now.toISOString(), users, passwordHash];
    for (const { step, sql } of LOAD_STEPS) {
      await timed(
        step,
        () => client.query(sql, parameters.slice(0, parameterCount(sql))),
        (result) => result.rowCount ?? 0,
      );
    }
    for (const table of quotedTables) {
      const items = schema.filter((item) => item.kind !== 'foreign key' && item.table === table);
      await timed(`keys and indexes of ${table} (${items.length})`, async () => {
        for (const item of items) await client.query(createStatement(item));
      });
    }
    const foreignKeys = schema.filter((item) => item.kind === 'foreign key');
    await timed(`foreign keys, every row checked (${foreignKeys.length})`, async () => {
      for (const item of foreignKeys) await client.query(createStatement(item));
    });
    const rebuilt = await schemaOf(client);
    if (JSON.stringify(rebuilt) !== JSON.stringify(schema)) {
      throw new Error(`the rebuilt keys and indexes differ from the migrations':\n${JSON.stringify({ schema, rebuilt }, null, 1)}`);
    }
    // Autovacuum may be off (it is on the development machine): statistics and the visibility map now.
    await timed('VACUUM ANALYZE', async () => {
      for (const table of quotedTables) await client.query(`VACUUM (ANALYZE) ${table}`);
    });
    // The load's dirty pages written now, not by a checkpoint in the middle of a scenario.
    await timed('CHECKPOINT', () => client.query('CHECKPOINT'));
    return steps;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Sizes, and the cleanup's dead rows

export interface DatabaseSize {
  bytes: number;
  tables: { table: string; rows: number; bytes: number; indexBytes: number }[];
}

/** pg_database_size, and each loaded table's rows (counted) and size with its indexes. */
export async function databaseSize(client: pg.Client): Promise<DatabaseSize> {
  const tables = [];
  for (const table of quotedTables) {
    const { rows } = await client.query<{ rows: string; bytes: string; indexBytes: string }>(
      `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_total_relation_size($1::regclass) AS bytes, pg_indexes_size($1::regclass) AS "indexBytes"`,
      [table],
    );
    const row = rows[0]!;
    tables.push({ table: table.slice(1, -1), rows: Number(row.rows), bytes: Number(row.bytes), indexBytes: Number(row.indexBytes) });
  }
  const { rows: database } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  return { bytes: Number(database[0]!.bytes), tables: tables.sort((a, b) => b.bytes - a.bytes) };
}

export interface DeadRows {
  sessions: number;
  /** Sessions expired at `now` or revoked more than 7 days before it: what the cleanup deletes. */
  deadSessions: number;
  /** Refresh tokens expired at `now` (those of dead sessions included). */
  expiredTokens: number;
}

const REVOKED_RETENTION = `interval '168 hours'`;

/** What the cleanup would delete at `now`; the dead rows are counted through the cleanup's own indexes. */
export async function deadRows(client: pg.Client, now: Date): Promise<DeadRows> {
  const { rows } = await client.query<Record<keyof DeadRows, string>>(
    `SELECT (SELECT count(*) FROM "Session") AS sessions,
            (SELECT count(*) FROM (SELECT id FROM "Session" WHERE "expiresAt" < $1::timestamp
                                   UNION SELECT id FROM "Session" WHERE "revokedAt" < $1::timestamp - ${REVOKED_RETENTION}) dead) AS "deadSessions",
            (SELECT count(*) FROM "RefreshToken" WHERE "expiresAt" < $1::timestamp) AS "expiredTokens"`,
    [now.toISOString()],
  );
  const row = rows[0]!;
  return { sessions: Number(row.sessions), deadSessions: Number(row.deadSessions), expiredTokens: Number(row.expiredTokens) };
}

/**
 * Makes `count` more of the loaded users' live sessions dead, picked at random: each expired half
 * an hour ago, and every other one also revoked 7 days and an hour ago (as the loaded dead ones).
 * Sessions started after `loadedAt` (the bench's own users') are left alone.
 */
export async function killSessions(client: pg.Client, now: Date, loadedAt: Date, count: number): Promise<number> {
  if (count <= 0) return 0;
  const { rows } = await client.query<{ sessions: string }>('SELECT count(*) AS sessions FROM "Session"');
  const percent = Math.min(100, (300 * count) / Math.max(1, Number(rows[0]!.sessions)));
  const result = await client.query(
    `UPDATE "Session" s
        SET "expiresAt" = $1::timestamp - interval '30 minutes',
            "revokedAt" = CASE WHEN picked.n % 2 = 0 THEN $1::timestamp - ${REVOKED_RETENTION} - interval '1 hour' END
       FROM (SELECT id, row_number() OVER () AS n FROM "Session" TABLESAMPLE BERNOULLI (${percent})
              WHERE "revokedAt" IS NULL AND "expiresAt" > $1::timestamp AND "createdAt" < $2::timestamp LIMIT $3) picked
      WHERE s.id = picked.id`,
    [now.toISOString(), loadedAt.toISOString(), count],
  );
  return result.rowCount ?? 0;
}
