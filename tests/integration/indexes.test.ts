import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';

const someId = '00000000-0000-4000-8000-000000000000';

/**
 * Every list and lookup query can be answered from an index. Test tables are tiny, so sequential
 * scans are switched off: the planner then shows the index it would use on a large table.
 */
describe('indexes', () => {
  const ctx = useTestApp();

  async function plan(sql: string): Promise<string> {
    const rows = await ctx.app.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`);
    });
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  it.each([
    [
      'GET /habits',
      `SELECT * FROM "Habit" WHERE "userId" = '${someId}' AND archived = false ORDER BY position, "createdAt", id LIMIT 50`,
      'Habit_userId_archived_position_createdAt_idx',
    ],
    [
      'GET /habits?archived=all',
      `SELECT * FROM "Habit" WHERE "userId" = '${someId}' ORDER BY position, "createdAt" LIMIT 50`,
      'Habit_userId',
    ],
    [
      'check-ins of a habit by date range',
      `SELECT * FROM "HabitTracking" WHERE "habitId" = '${someId}' AND date BETWEEN '2026-01-01' AND '2026-01-31' ORDER BY date`,
      // Either index on (habitId, date): the unique key, or the covering one.
      'Index Scan using "HabitTracking_habitId_date_',
    ],
    [
      'the check-ins of statistics and /today (day, status, value)',
      `SELECT date, status, value FROM "HabitTracking" WHERE "habitId" = '${someId}' AND date <= '2026-01-31' ORDER BY date`,
      'Index Only Scan using "HabitTracking_habitId_date_status_value_idx"',
    ],
    ['the goal of a habit', `SELECT * FROM "HabitGoal" WHERE "habitId" = '${someId}'`, 'HabitGoal_habitId_key'],
    ['GET /auth/sessions', `SELECT * FROM "Session" WHERE "userId" = '${someId}' AND "revokedAt" IS NULL`, 'Session_userId_idx'],
    ['a refresh token by its hash', `SELECT * FROM "RefreshToken" WHERE "tokenHash" = 'x'`, 'RefreshToken_tokenHash_key'],
    ['the refresh tokens of a session', `SELECT * FROM "RefreshToken" WHERE "sessionId" = '${someId}'`, 'RefreshToken_sessionId_idx'],
    ['login by email', `SELECT * FROM "User" WHERE email = 'a@example.com'`, 'User_email_key'],
    ['expired refresh tokens (cleanup)', `SELECT id FROM "RefreshToken" WHERE "expiresAt" < now() LIMIT 500`, 'RefreshToken_expiresAt_idx'],
  ])('%s uses an index', async (_query, sql, index) => {
    expect(await plan(sql)).toContain(index);
  });

  it('runs a session-cleanup batch as two index range scans, whatever share of the table is dead', async () => {
    // The statement of SessionsRepository.deleteDead, as EXPLAIN shows it without deleting anything.
    const batch = await plan(
      `SELECT id FROM (
         (SELECT id FROM "Session" WHERE "expiresAt" < now() LIMIT 1000)
         UNION
         (SELECT id FROM "Session" WHERE "revokedAt" < now() LIMIT 1000)
       ) dead LIMIT 1000`,
    );
    expect(batch).toContain('Session_expiresAt_idx');
    expect(batch).toContain('Session_revokedAt_idx');
    expect(batch).not.toContain('Seq Scan');
  });
});
