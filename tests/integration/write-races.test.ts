/**
 * Writes of one item racing each other. A check-in PUT (INSERT … ON CONFLICT) takes its owner's change
 * counter before the item's row, a DELETE or a conditional UPDATE the row first: PostgreSQL may break
 * such a deadlock by aborting one of them. The loser must get a 503 to retry (nothing written), never
 * a 500, and what the API then shows must agree with itself.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

const DAY = '2025-05-05';
const ROUNDS = 25;

describe('concurrent writes of one check-in', () => {
  const ctx = useTestApp();

  it('answer each with its route’s statuses or a 503, never a 500, and leave a consistent item', async () => {
    const user = await signUp(ctx.app);
    const headers = bearer(user.accessToken);
    const habit = (await ctx.app.inject({ method: 'POST', url: '/habits', headers, payload: { name: 'Raced' } })).json<{ id: string }>();
    const url = `/habits/${habit.id}/tracking/${DAY}`;
    const seen = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const current = await ctx.app.inject({ method: 'GET', url, headers });
      const etag = current.statusCode === 200 ? String(current.headers.etag) : '"1-0"';
      const replies = await Promise.all([
        ctx.app.inject({ method: 'PUT', url, headers, payload: { note: `a${round}` } }),
        ctx.app.inject({ method: 'DELETE', url, headers }),
        ctx.app.inject({ method: 'PUT', url, headers: { ...headers, 'if-match': etag }, payload: { note: `b${round}` } }),
        ctx.app.inject({ method: 'PUT', url, headers, payload: { note: `c${round}`, status: 'skipped' } }),
      ]);
      for (const reply of replies) {
        expect([200, 201, 204, 404, 412, 503], reply.body).toContain(reply.statusCode);
        seen.set(reply.statusCode, (seen.get(reply.statusCode) ?? 0) + 1);
      }
      const after = await ctx.app.inject({ method: 'GET', url, headers });
      expect([200, 404]).toContain(after.statusCode);
      const listed = await ctx.app.inject({ method: 'GET', url: `/habits/${habit.id}/tracking?from=${DAY}&to=${DAY}`, headers });
      expect(listed.json<unknown[]>().length).toBe(after.statusCode === 200 ? 1 : 0);
    }
    console.log(`statuses over ${ROUNDS} rounds of 4 racing writes: ${JSON.stringify(Object.fromEntries(seen))}`);
  });
});
