import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

/** Dates a client sends never reach PostgreSQL or date arithmetic outside what both represent. */
describe('calendar dates in paths and query strings', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  let habitId: string;
  beforeAll(async () => {
    user = await signUp(ctx.app);
    const habit = await ctx.app.inject({ method: 'POST', url: '/habits', headers: bearer(user.accessToken), payload: { name: 'Dates' } });
    habitId = habit.json<{ id: string }>().id;
  });

  const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(user.accessToken) });

  it.each([
    'tracking?from=0000-01-01&to=0000-12-31',
    'tracking?from=1899-12-31',
    'tracking?from=9999-12-01',
    'tracking?to=2025-02-30',
    'tracking?from=2025-13-01',
    'stats?asOf=0000-01-01',
    'stats?asOf=9999-12-31',
    'stats?asOf=2025-02-29',
    'stats?asOf=yesterday',
  ])('answers 400 for %s', async (query) => {
    const response = await get(`/habits/${habitId}/${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it.each(['tracking?from=2999-12-31', 'tracking?from=1900-01-01&to=1900-12-31', 'stats?asOf=1900-01-01', 'stats?asOf=2024-02-29'])(
    'answers 200 at the edges: %s',
    async (query) => {
      expect((await get(`/habits/${habitId}/${query}`)).statusCode).toBe(200);
    },
  );

  it('answers 400 for a check-in on an impossible or out-of-range day', async () => {
    for (const date of ['2025-02-30', '0000-01-01', '1999-12-31', '20250101']) {
      const response = await ctx.app.inject({
        method: 'PUT',
        url: `/habits/${habitId}/tracking/${date}`,
        headers: bearer(user.accessToken),
        payload: {},
      });
      expect(response.statusCode).toBe(400);
    }
  });
});
