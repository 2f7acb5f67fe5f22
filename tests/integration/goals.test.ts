import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

describe('goals', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  beforeAll(async () => {
    user = await signUp(ctx.app);
  });

  const request = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(user.accessToken), ...(payload && { payload }) });
  const createHabit = async (kind: 'boolean' | 'numeric', name: string) =>
    (await request('POST', '/habits', { name, kind })).json<{ id: string }>().id;

  it('is 404 until set, 201 when created, 200 when replaced, 204 when deleted, then 404', async () => {
    const habitId = await createHabit('boolean', 'Meditate');
    expect((await request('GET', `/habits/${habitId}/goal`)).statusCode).toBe(404);

    const created = await request('PUT', `/habits/${habitId}/goal`, { period: 'week', target: 5 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(String),
      habitId,
      period: 'week',
      target: 5,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const replaced = await request('PUT', `/habits/${habitId}/goal`, { period: 'month', target: 20 });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: created.json<{ id: string }>().id, period: 'month', target: 20, version: 2 });
    expect((await request('GET', `/habits/${habitId}/goal`)).json()).toMatchObject({ period: 'month', target: 20 });

    expect((await request('DELETE', `/habits/${habitId}/goal`)).statusCode).toBe(204);
    expect((await request('GET', `/habits/${habitId}/goal`)).statusCode).toBe(404);
    expect((await request('DELETE', `/habits/${habitId}/goal`)).statusCode).toBe(404);
  });

  it('keeps one goal per habit when set concurrently', async () => {
    const habitId = await createHabit('numeric', 'Steps');
    const responses = await Promise.all(
      [1, 2, 3, 4].map((n) => request('PUT', `/habits/${habitId}/goal`, { period: 'day', target: n * 1000 })),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(await ctx.app.prisma.habitGoal.count({ where: { habitId } })).toBe(1);
  });

  it.each([
    ['day', 1],
    ['week', 7],
    ['month', 31],
  ])('caps a boolean habit’s %s target at %i days', async (period, max) => {
    const habitId = await createHabit('boolean', `Cap ${period}`);
    expect((await request('PUT', `/habits/${habitId}/goal`, { period, target: max })).statusCode).toBe(201);
    const tooMany = await request('PUT', `/habits/${habitId}/goal`, { period, target: max + 1 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ message: string }>().message).toContain(`at most ${max}`);
  });

  it('allows a numeric habit up to 1,000,000 per period', async () => {
    const habitId = await createHabit('numeric', 'Water ml');
    expect((await request('PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1_000_000 })).statusCode).toBe(201);
    expect((await request('PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1_000_001 })).statusCode).toBe(400);
  });

  it.each([
    ['a zero target', { period: 'day', target: 0 }],
    ['a fractional target', { period: 'week', target: 2.5 }],
    ['a target given as a string', { period: 'week', target: '3' }],
    ['an unknown period', { period: 'year', target: 1 }],
    ['a missing period', { target: 1 }],
  ])('answers 400 for %s', async (_case, body) => {
    const habitId = await createHabit('boolean', `Invalid ${_case}`);
    expect((await request('PUT', `/habits/${habitId}/goal`, body)).statusCode).toBe(400);
  });

  it('answers 404 for a habit that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await request('PUT', `/habits/${missing}/goal`, { period: 'day', target: 1 })).statusCode).toBe(404);
  });
});
