import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

interface HabitReply {
  id: string;
  name: string;
  color: string | null;
  kind: string;
  position: number;
  archived: boolean;
}

describe('habits', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  beforeAll(async () => {
    user = await signUp(ctx.app);
  });

  const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, token = user.accessToken) =>
    ctx.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined && { payload: payload as object }) });
  const createHabit = async (fields: Record<string, unknown>, token = user.accessToken) => {
    const response = await request('POST', '/habits', fields, token);
    expect(response.statusCode).toBe(201);
    return response.json<HabitReply>();
  };

  it('creates a habit with the contract’s defaults, trimming the name and lower-casing the colour', async () => {
    const response = await request('POST', '/habits', { name: '  Drink water ', color: '#AABBCC' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.any(String),
      name: 'Drink water',
      description: null,
      color: '#aabbcc',
      icon: null,
      kind: 'boolean',
      unit: null,
      position: 0,
      archived: false,
      schedule: { type: 'daily' },
      startDate: null,
      reminders: [],
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('answers 409 for a second habit with the same name', async () => {
    await createHabit({ name: 'Unique name' });
    const duplicate = await request('POST', '/habits', { name: 'Unique name ' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('lets two users have habits with the same name', async () => {
    const other = await signUp(ctx.app);
    await createHabit({ name: 'Shared name' });
    await createHabit({ name: 'Shared name' }, other.accessToken);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['a bad colour', { name: 'Colour', color: 'red' }],
    ['an unknown kind', { name: 'Kind', kind: 'counter' }],
    ['a negative position', { name: 'Pos', position: -1 }],
    ['a fractional position', { name: 'Pos', position: 1.5 }],
    ['a position beyond 32 bits', { name: 'Pos', position: 2 ** 31 }],
    ['a description over 1000 characters', { name: 'Desc', description: 'd'.repeat(1001) }],
    ['an icon over 32 characters', { name: 'Icon', icon: 'i'.repeat(33) }],
    ['a unit over 20 characters', { name: 'Unit', unit: 'u'.repeat(21) }],
    ['a name that is a number', { name: 42 }],
  ])('answers 400 for %s', async (_case, fields) => {
    const response = await request('POST', '/habits', fields);
    expect(response.statusCode).toBe(400);
  });

  it('answers 400 for a number that is not finite', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/habits',
      headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
      payload: `{"name":"Huge","position":1e400}`,
    });
    expect(response.statusCode).toBe(400);
    const digits = await ctx.app.inject({
      method: 'POST',
      url: '/habits',
      headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
      payload: `{"name":"Huge","position":${'9'.repeat(5000)}}`,
    });
    expect(digits.statusCode).toBe(400);
    expect((await request('GET', '/habits?limit=1e400')).statusCode).toBe(400);
  });

  it('reads, updates and deletes a habit; a deleted habit is 404', async () => {
    const habit = await createHabit({ name: 'Stretch' });
    expect((await request('GET', `/habits/${habit.id}`)).json()).toMatchObject({ name: 'Stretch' });

    const patched = await request('PATCH', `/habits/${habit.id}`, { description: 'Morning', position: 3, color: '#0A0B0C' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Stretch', description: 'Morning', position: 3, color: '#0a0b0c' });

    expect((await request('DELETE', `/habits/${habit.id}`)).statusCode).toBe(204);
    expect((await request('GET', `/habits/${habit.id}`)).statusCode).toBe(404);
    expect((await request('DELETE', `/habits/${habit.id}`)).statusCode).toBe(404);
    expect((await request('PATCH', `/habits/${habit.id}`, { name: 'Gone' })).statusCode).toBe(404);
  });

  it('answers 409 when a rename collides with another habit', async () => {
    await createHabit({ name: 'Walk' });
    const run = await createHabit({ name: 'Run' });
    expect((await request('PATCH', `/habits/${run.id}`, { name: 'Walk' })).statusCode).toBe(409);
  });

  it('answers 400 for a malformed id', async () => {
    expect((await request('GET', '/habits/not-a-uuid')).statusCode).toBe(400);
  });

  it('lets the kind change until the habit has check-ins, then answers 409', async () => {
    const habit = await createHabit({ name: 'Water', kind: 'boolean' });
    expect((await request('PATCH', `/habits/${habit.id}`, { kind: 'numeric', unit: 'glasses' })).statusCode).toBe(200);
    expect((await request('PUT', `/habits/${habit.id}/tracking/2026-01-05`, { value: 3 })).statusCode).toBe(201);
    const change = await request('PATCH', `/habits/${habit.id}`, { kind: 'boolean' });
    expect(change.statusCode).toBe(409);
    expect((await request('GET', `/habits/${habit.id}`)).json()).toMatchObject({ kind: 'numeric' });
    expect((await request('PATCH', `/habits/${habit.id}`, { kind: 'numeric', name: 'Water intake' })).statusCode).toBe(200);
  });

  it('deletes the goal and check-ins with the habit', async () => {
    const habit = await createHabit({ name: 'Journal' });
    await request('PUT', `/habits/${habit.id}/goal`, { period: 'week', target: 3 });
    await request('PUT', `/habits/${habit.id}/tracking/2026-01-05`, {});
    expect((await request('DELETE', `/habits/${habit.id}`)).statusCode).toBe(204);
    expect(await ctx.app.prisma.habitGoal.count({ where: { habitId: habit.id } })).toBe(0);
    expect(await ctx.app.prisma.habitTracking.count({ where: { habitId: habit.id } })).toBe(0);
  });

  describe('client-generated ids (offline-first apps)', () => {
    const id = () => crypto.randomUUID();

    it('creates the habit under the client’s id; the same POST repeated is a 200 with the habit unchanged, and no new change', async () => {
      const fields = { id: id(), name: 'Stretch', color: '#AA0000', position: 3 };
      const created = await request('POST', '/habits', fields);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ id: fields.id, name: 'Stretch', color: '#aa0000', position: 3, version: 1 });
      const { cursor } = (await request('GET', '/sync')).json<{ cursor: string }>();

      const repeated = await request('POST', '/habits', fields);
      expect(repeated.statusCode).toBe(200);
      expect(repeated.json()).toEqual(created.json());
      const changes = (await request('GET', `/sync?since=${cursor}`)).json<{ habits: unknown[] }>();
      expect(changes.habits).toEqual([]);
    });

    it('answers 409 Id already in use for the same id with other fields, and for another user’s id, changing nothing', async () => {
      const fields = { id: id(), name: 'Journal' };
      expect((await request('POST', '/habits', fields)).statusCode).toBe(201);

      for (const [body, token] of [
        [{ ...fields, name: 'Journal daily' }, user.accessToken],
        [{ ...fields, kind: 'numeric' }, user.accessToken],
        [fields, (await signUp(ctx.app)).accessToken],
      ] as const) {
        const conflict = await request('POST', '/habits', body, token);
        expect(conflict.statusCode).toBe(409);
        expect(conflict.json()).toMatchObject({ message: 'Id already in use' });
      }
      expect((await request('GET', `/habits/${fields.id}`)).json()).toMatchObject({ name: 'Journal', kind: 'boolean', version: 1 });
    });

    it('keeps the name rule: a new id with a name the user already has is the name’s 409', async () => {
      await createHabit({ name: 'Meditate' });
      const duplicate = await request('POST', '/habits', { id: id(), name: 'Meditate' });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json()).toMatchObject({ message: 'You already have a habit with this name' });
    });

    it('refuses a malformed id (400) and never takes an id from PATCH', async () => {
      expect((await request('POST', '/habits', { id: 'not-a-uuid', name: 'Walk the dog' })).statusCode).toBe(400);
      const habit = await createHabit({ name: 'Walk the dog' });
      const patched = await request('PATCH', `/habits/${habit.id}`, { id: id(), name: 'Walk the dog far' });
      expect([200, 400]).toContain(patched.statusCode);
      expect((await request('GET', `/habits/${habit.id}`)).statusCode).toBe(200);
    });
  });

  describe('GET /habits', () => {
    let lister: SignedUpUser;
    beforeAll(async () => {
      lister = await signUp(ctx.app);
      await createHabit({ name: 'C', position: 2 }, lister.accessToken);
      await createHabit({ name: 'A', position: 0 }, lister.accessToken);
      await createHabit({ name: 'B', position: 1 }, lister.accessToken);
      await createHabit({ name: 'Old', position: 0, archived: true }, lister.accessToken);
    });
    const names = async (query: string) =>
      (await request('GET', `/habits${query}`, undefined, lister.accessToken)).json<HabitReply[]>().map((habit) => habit.name);

    it('lists active habits by position, hiding archived ones', async () => {
      expect(await names('')).toEqual(['A', 'B', 'C']);
    });

    it('lists archived ones, or all, on request', async () => {
      expect(await names('?archived=true')).toEqual(['Old']);
      expect(await names('?archived=all')).toEqual(['A', 'Old', 'B', 'C']);
    });

    it('pages with limit and offset', async () => {
      expect(await names('?limit=2')).toEqual(['A', 'B']);
      expect(await names('?limit=2&offset=2')).toEqual(['C']);
    });

    it.each(['?limit=0', '?limit=101', '?offset=-1', '?archived=maybe', '?limit=abc'])('answers 400 for %s', async (query) => {
      expect((await request('GET', `/habits${query}`, undefined, lister.accessToken)).statusCode).toBe(400);
    });
  });
});

describe('PUT /habits/order', () => {
  const ctx = useTestApp();

  async function userWithHabits(names: string[]) {
    const user = await signUp(ctx.app);
    const headers = bearer(user.accessToken);
    const ids: string[] = [];
    for (const name of names) {
      ids.push((await ctx.app.inject({ method: 'POST', url: '/habits', headers, payload: { name } })).json<{ id: string }>().id);
    }
    const order = (payload: unknown) => ctx.app.inject({ method: 'PUT', url: '/habits/order', headers, payload: payload as object });
    const list = async (archived = 'false') =>
      (await ctx.app.inject({ method: 'GET', url: `/habits?archived=${archived}`, headers })).json<{ id: string; position: number }[]>();
    return { headers, ids, order, list };
  }

  it('gives the habits positions 0, 1, 2… in the order sent, and answers them in that order', async () => {
    const { ids, order, list } = await userWithHabits(['A', 'B', 'C']);
    const wanted = [ids[2]!, ids[0]!, ids[1]!];
    const reply = await order({ ids: wanted });
    expect(reply.statusCode).toBe(200);
    expect(reply.json<{ id: string; position: number }[]>().map(({ id, position }) => [id, position])).toEqual(
      wanted.map((id, position) => [id, position]),
    );
    expect((await list()).map(({ id }) => id)).toEqual(wanted);
  });

  it('leaves archived habits where they are, and takes [] when there is nothing to order', async () => {
    const { ids, headers, order, list } = await userWithHabits(['A', 'B', 'C']);
    await ctx.app.inject({ method: 'PATCH', url: `/habits/${ids[1]}`, headers, payload: { archived: true, position: 7 } });
    expect((await order({ ids: [ids[2], ids[0]] })).statusCode).toBe(200);
    expect((await list('true')).map(({ position }) => position)).toEqual([7]);
    expect((await list()).map(({ id }) => id)).toEqual([ids[2], ids[0]]);

    const empty = await userWithHabits([]);
    const none = await empty.order({ ids: [] });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);
  });

  it('answers 400 and changes nothing unless ids are exactly the non-archived habits, each once', async () => {
    const { ids, headers, order, list } = await userWithHabits(['A', 'B', 'C']);
    await ctx.app.inject({ method: 'PATCH', url: `/habits/${ids[2]}`, headers, payload: { archived: true } });
    const other = await userWithHabits(['Theirs']);
    const before = await list('all');
    for (const payload of [
      { ids: [ids[0]] },
      { ids: [ids[1], ids[0], ids[0]] },
      { ids: [ids[1], ids[0], ids[2]] },
      { ids: [ids[1], ids[0], other.ids[0]] },
      { ids: [ids[1], 'not-a-uuid'] },
      { ids: 'x' },
      {},
    ]) {
      const reply = await order(payload);
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await list('all')).toEqual(before);
  });

  it('writes only the habits whose position changes (a version each), so an unchanged order is no sync change', async () => {
    const { ids, order, list } = await userWithHabits(['A', 'B']);
    await order({ ids });
    const before = await list();
    expect(before.map(({ position }) => position)).toEqual([0, 1]);
    await order({ ids });
    expect(await list()).toEqual(before);
  });
});
