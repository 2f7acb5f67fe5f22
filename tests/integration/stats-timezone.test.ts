/**
 * GET /habits/:id/stats reads the habit's creation time in hand-written SQL on the pool: on a
 * database connection whose TimeZone is not UTC, it must still be read as the UTC it is stored in.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

describe('GET /habits/:id/stats on a database connection whose TimeZone is not UTC', () => {
  // UTC+14: a creation time read in the session's zone instead of UTC would be 14 hours off.
  const ctx = useTestApp({}, { sessionTimeZone: 'Pacific/Kiritimati' });

  it('starts a habit created at 05:00 UTC on that UTC day, not the day before', async () => {
    const owner = await signUp(ctx.app, { timezone: 'UTC' });
    const headers = bearer(owner.accessToken);
    const created = await ctx.app.inject({ method: 'POST', url: '/habits', headers, payload: { name: 'Created early' } });
    const habit = created.json<{ id: string }>();
    await ctx.app.prisma.habit.update({ where: { id: habit.id }, data: { createdAt: new Date('2025-03-01T05:00:00.000Z') } });
    for (const date of ['2025-03-01', '2025-03-02']) {
      const checkin = await ctx.app.inject({ method: 'PUT', url: `/habits/${habit.id}/tracking/${date}`, headers, payload: {} });
      expect(checkin.statusCode).toBe(201);
    }

    const stats = await ctx.app.inject({ method: 'GET', url: `/habits/${habit.id}/stats?asOf=2025-03-02`, headers });
    expect(stats.statusCode).toBe(200);
    // Two eligible days, both done; a first day of 02-28 would make it 2 of 3.
    expect(stats.json<{ completionRate: number | null }>().completionRate).toBe(1);
  });
});
