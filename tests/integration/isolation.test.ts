/**
 * Users are isolated on every protected route: user B, given user A's habit id, gets the same 404 as
 * for a habit that does not exist (never 403, never a success), changes nothing, and never sees A's
 * habit in a list, the home screen or an export. The route table is checked against the routes the
 * app actually registers, so a new /habits/:id… route without a row here fails this file.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Row {
  method: Method;
  /** The route as registered, e.g. `/habits/:id/goal`. */
  route: string;
  url: (habitId: string) => string;
  payload?: object;
}

interface HabitReply {
  id: string;
  name: string;
}

const DAY = '2026-01-05';
const RANGE = 'from=2026-01-01&to=2026-01-31';
const AS_OF = 'asOf=2026-01-10';
const OWNER_HABIT_NAME = "Owner's secret habit";

/**
 * One row per route that takes a habit id. Mutating rows carry payloads that would visibly change
 * A's data if they got through; DELETE /habits/:id comes last so that, were isolation broken, the
 * other rows would still run against a live habit.
 */
const table: Row[] = [
  { method: 'GET', route: '/habits/:id', url: (id) => `/habits/${id}` },
  {
    method: 'PATCH',
    route: '/habits/:id',
    url: (id) => `/habits/${id}`,
    payload: { name: 'Hijacked by B', archived: true, color: '#000000' },
  },
  { method: 'GET', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal` },
  { method: 'PUT', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal`, payload: { period: 'day', target: 1 } },
  { method: 'DELETE', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal` },
  {
    method: 'PUT',
    route: '/habits/:id/tracking/:date',
    url: (id) => `/habits/${id}/tracking/${DAY}`,
    payload: { value: 1, note: 'written by B', status: 'skipped' },
  },
  { method: 'GET', route: '/habits/:id/tracking', url: (id) => `/habits/${id}/tracking?${RANGE}` },
  { method: 'DELETE', route: '/habits/:id/tracking/:date', url: (id) => `/habits/${id}/tracking/${DAY}` },
  { method: 'GET', route: '/habits/:id/stats', url: (id) => `/habits/${id}/stats?${AS_OF}` },
  { method: 'DELETE', route: '/habits/:id', url: (id) => `/habits/${id}` },
];

const key = (method: string, route: string) => `${method} ${route}`;

/** `/habits/:id/tracking/:date` → a regexp matching a concrete URL path of that route. */
function routePattern(route: string): RegExp {
  return new RegExp(`^${route.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

describe('user isolation', () => {
  const ctx = useTestApp();
  let owner: SignedUpUser;
  let intruder: SignedUpUser;
  let ownerHabit: HabitReply;
  let intruderHabit: HabitReply;

  const call = (user: SignedUpUser, method: Method, url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(user.accessToken), ...(payload !== undefined && { payload }) });

  const expectStatus = (response: LightMyRequestResponse, statusCode: number) => {
    expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(statusCode);
  };

  /** A habit with a weekly goal and one check-in on DAY, created through the API. */
  const createTrackedHabit = async (user: SignedUpUser, name: string, note: string): Promise<HabitReply> => {
    const created = await call(user, 'POST', '/habits', { name });
    expectStatus(created, 201);
    const habit = created.json<HabitReply>();
    expectStatus(await call(user, 'PUT', `/habits/${habit.id}/goal`, { period: 'week', target: 3 }), 201);
    expectStatus(await call(user, 'PUT', `/habits/${habit.id}/tracking/${DAY}`, { value: 1, note }), 201);
    return habit;
  };

  /** What A sees of a habit, through the four read routes. */
  const snapshot = async (habitId: string) => {
    const urls = [
      `/habits/${habitId}`,
      `/habits/${habitId}/goal`,
      `/habits/${habitId}/tracking?${RANGE}`,
      `/habits/${habitId}/stats?${AS_OF}`,
    ];
    const replies = await Promise.all(urls.map((url) => call(owner, 'GET', url)));
    for (const reply of replies) expectStatus(reply, 200);
    return Object.fromEntries(urls.map((url, index) => [url, replies[index]!.json<unknown>()]));
  };

  let ownerSnapshot: Record<string, unknown>;

  beforeAll(async () => {
    owner = await signUp(ctx.app, { name: 'Owner' });
    intruder = await signUp(ctx.app, { name: 'Intruder' });
    ownerHabit = await createTrackedHabit(owner, OWNER_HABIT_NAME, 'mine');
    // B has data of its own, so that B's lists and exports are not trivially empty.
    intruderHabit = await createTrackedHabit(intruder, "Intruder's own habit", 'theirs');
    ownerSnapshot = await snapshot(ownerHabit.id);
  });

  describe('the route table', () => {
    it('lists every registered /habits/:id… route (HEAD aside), and only registered ones', () => {
      const registered = ctx.routes;
      const registeredKeys = new Set(registered.map(({ method, path }) => key(method, path)));
      // The onRoute hook saw them all: routes outside the table are found too.
      expect(registeredKeys).toContain('GET /health');
      expect(registeredKeys).toContain('POST /habits');
      expect(registeredKeys).toContain('PATCH /auth/me');

      const habitIdRoutes = registered
        .filter(({ method, path }) => method !== 'HEAD' && path.startsWith('/habits') && path.includes(':id'))
        .map(({ method, path }) => key(method, path));
      const tableKeys = table.map(({ method, route }) => key(method, route));
      expect(habitIdRoutes.length).toBeGreaterThan(0);
      expect(new Set(tableKeys).size, 'duplicate rows in the table').toBe(tableKeys.length);
      expect([...new Set(habitIdRoutes)].sort(), 'a /habits/:id route has no row in the isolation table').toEqual([...tableKeys].sort());
      for (const { method, route } of table) expect(ctx.app.hasRoute({ method, url: route }), key(method, route)).toBe(true);
    });

    it.each(table)('builds a URL for $method $route that matches the route', ({ route, url }) => {
      const path = url(randomUUID()).split('?')[0]!;
      expect(path).toMatch(routePattern(route));
    });
  });

  describe('another user’s habit id', () => {
    it.each(table)('$method $route → 404, exactly as for a habit that does not exist', async ({ method, url, payload }) => {
      const response = await call(intruder, method, url(ownerHabit.id), payload);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json<{ message: string }>();
      expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
      // Not the router's "Route … not found": the route ran and refused.
      expect(body.message).not.toMatch(/^Route /);

      // Indistinguishable from an id nobody owns: the reply reveals nothing about A's habit.
      const missing = await call(intruder, method, url(randomUUID()), payload);
      expect({ statusCode: missing.statusCode, body: missing.json<unknown>() }).toEqual({ statusCode: 404, body });
    });

    it.each(table)('$method $route works for the habit’s owner (the 404 above is about ownership)', async ({ method, url, payload }) => {
      const control = await createTrackedHabit(owner, `Control ${randomUUID()}`, 'control');
      const response = await call(owner, method, url(control.id), payload);
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
      expect(response.statusCode, response.body).toBeLessThan(300);
    });
  });

  describe('collections', () => {
    const expectAbsent = (text: string) => {
      expect(text).not.toContain(ownerHabit.id);
      expect(text).not.toContain(OWNER_HABIT_NAME);
    };

    it('GET /habits (archived=all) shows B its own habits, not A’s', async () => {
      const response = await call(intruder, 'GET', '/habits?archived=all');
      expectStatus(response, 200);
      const habits = response.json<HabitReply[]>();
      expect(habits.map((habit) => habit.id)).toContain(intruderHabit.id);
      expect(habits.map((habit) => habit.id)).not.toContain(ownerHabit.id);
      expect(habits.map((habit) => habit.name)).not.toContain(OWNER_HABIT_NAME);
      expectAbsent(response.body);
    });

    it('GET /today shows B its own habits, not A’s', async () => {
      const response = await call(intruder, 'GET', '/today');
      expectStatus(response, 200);
      const items = response.json<{ habit: HabitReply }[]>();
      expect(items.map((item) => item.habit.id)).toContain(intruderHabit.id);
      expect(items.map((item) => item.habit.id)).not.toContain(ownerHabit.id);
      expectAbsent(response.body);
    });

    it('GET /export?format=json holds only B’s data', async () => {
      const response = await call(intruder, 'GET', '/export?format=json');
      expectStatus(response, 200);
      const document = response.json<{ user: { id: string }; habits: (HabitReply & { checkins: { note: string | null }[] })[] }>();
      expect(document.user.id).toBe(intruder.user.id);
      expect(document.habits.map((habit) => habit.id)).toContain(intruderHabit.id);
      expect(document.habits.map((habit) => habit.id)).not.toContain(ownerHabit.id);
      expect(document.habits.flatMap((habit) => habit.checkins.map((checkin) => checkin.note))).not.toContain('mine');
      expectAbsent(response.body);
      expect(response.body).not.toContain(owner.user.id);
      expect(response.body).not.toContain(owner.email);
    });

    it('GET /export?format=csv holds only B’s check-ins', async () => {
      const response = await call(intruder, 'GET', '/export?format=csv');
      expectStatus(response, 200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.body).toContain("Intruder's own habit");
      expectAbsent(response.body);
      expect(response.body).not.toMatch(/,mine\r?$/m);
    });

    it('A still sees its habit in its own list and home screen', async () => {
      const list = await call(owner, 'GET', '/habits');
      expectStatus(list, 200);
      expect(list.json<HabitReply[]>().map((habit) => habit.id)).toContain(ownerHabit.id);
      expect(list.json<HabitReply[]>().map((habit) => habit.id)).not.toContain(intruderHabit.id);
      const today = await call(owner, 'GET', '/today');
      expectStatus(today, 200);
      expect(today.json<{ habit: HabitReply }[]>().map((item) => item.habit.id)).toContain(ownerHabit.id);
    });
  });

  describe('a userId in the body', () => {
    it.each([
      ['A’s id', () => owner.user.id],
      ['B’s own id', () => intruder.user.id],
    ])('POST /habits by B with %s creates the habit for B', async (label, userId) => {
      const name = `Posted by B with ${label}`;
      const response = await call(intruder, 'POST', '/habits', { name, userId: userId() });
      expectStatus(response, 201);
      const habit = response.json<HabitReply & { userId?: unknown }>();
      expect(habit.name).toBe(name);
      expect(habit.userId).toBeUndefined();

      expectStatus(await call(intruder, 'GET', `/habits/${habit.id}`), 200);
      expectStatus(await call(owner, 'GET', `/habits/${habit.id}`), 404);
      const intruderList = await call(intruder, 'GET', '/habits?archived=all');
      expect(intruderList.json<HabitReply[]>().map((item) => item.id)).toContain(habit.id);
      const ownerList = await call(owner, 'GET', '/habits?archived=all');
      expect(ownerList.json<HabitReply[]>().map((item) => item.id)).not.toContain(habit.id);
      expect(ownerList.json<HabitReply[]>().map((item) => item.name)).not.toContain(name);
    });
  });

  describe('after every attempt by B', () => {
    it('A’s habit, goal, check-ins and statistics are unchanged', async () => {
      expect(await snapshot(ownerHabit.id)).toEqual(ownerSnapshot);
    });

    it('B’s own habit is untouched too', async () => {
      expectStatus(await call(intruder, 'GET', `/habits/${intruderHabit.id}`), 200);
      const tracking = await call(intruder, 'GET', `/habits/${intruderHabit.id}/tracking?${RANGE}`);
      expect(tracking.json<{ note: string | null }[]>().map((checkin) => checkin.note)).toEqual(['theirs']);
    });
  });
});
