/**
 * Strong ETags (offline sync): the GETs the contract lists send one, `If-None-Match` with it is a 304
 * without a body, a write's reply carries the tag a GET of the same item answers with, and another
 * instance on the same database gives the same tag for the same representation.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

const STRONG_ETAG = /^"[A-Za-z0-9_-]+"$/;

describe('ETags', () => {
  const ctx = useTestApp();

  async function userWithHabit(app: FastifyInstance) {
    const user = await signUp(app);
    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object,
      headers: Record<string, string> = {},
    ) => app.inject({ method, url, headers: { ...bearer(user.accessToken), ...headers }, ...(payload && { payload }) });
    const habit = (await call('POST', '/habits', { name: `Read ${randomUUID()}` })).json<{ id: string }>();
    await call('PUT', `/habits/${habit.id}/goal`, { period: 'week', target: 3 });
    await call('PUT', `/habits/${habit.id}/tracking/2025-01-06`, { note: 'first' });
    return { call, habitId: habit.id, token: user.accessToken };
  }

  it('sends a strong ETag on every listed GET, and answers If-None-Match with it by a 304 without a body', async () => {
    const { call, habitId } = await userWithHabit(ctx.app);
    const listed = [
      '/habits',
      `/habits/${habitId}`,
      `/habits/${habitId}/goal`,
      `/habits/${habitId}/tracking?from=2025-01-01&to=2025-01-31`,
      `/habits/${habitId}/tracking/2025-01-06`,
      '/today',
      `/habits/${habitId}/stats?asOf=2025-01-10`,
      '/sync',
    ];
    for (const url of listed) {
      const first = await call('GET', url);
      expect(first.statusCode, url).toBe(200);
      const etag = String(first.headers.etag);
      expect(etag, url).toMatch(STRONG_ETAG);

      const again = await call('GET', url, undefined, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
      // A weak form of the same tag, or a list holding it, matches too (weak comparison, RFC 9110).
      expect((await call('GET', url, undefined, { 'if-none-match': `"other", W/${etag}` })).statusCode, url).toBe(304);
      expect((await call('GET', url, undefined, { 'if-none-match': '"other"' })).statusCode, url).toBe(200);
    }
  });

  it('gives a write’s reply the tag that a GET of the same item then answers with; a change gives a new tag', async () => {
    const { call, habitId } = await userWithHabit(ctx.app);
    const before = (await call('GET', `/habits/${habitId}`)).headers.etag;

    const patched = await call('PATCH', `/habits/${habitId}`, { position: 7 });
    expect(patched.headers.etag).toMatch(STRONG_ETAG);
    expect(patched.headers.etag).not.toBe(before);
    expect((await call('GET', `/habits/${habitId}`)).headers.etag).toBe(patched.headers.etag);

    const goal = await call('PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1 });
    expect((await call('GET', `/habits/${habitId}/goal`)).headers.etag).toBe(goal.headers.etag);

    const checkin = await call('PUT', `/habits/${habitId}/tracking/2025-01-07`, { value: 1 });
    expect(checkin.statusCode).toBe(201);
    expect((await call('GET', `/habits/${habitId}/tracking/2025-01-07`)).headers.etag).toBe(checkin.headers.etag);

    const created = await call('POST', '/habits', { name: `Run ${randomUUID()}` });
    expect((await call('GET', `/habits/${created.json<{ id: string }>().id}`)).headers.etag).toBe(created.headers.etag);
  });

  it('never answers a write with a 304, and tags no error and no 204', async () => {
    const { call, habitId } = await userWithHabit(ctx.app);
    const etag = String((await call('GET', `/habits/${habitId}`)).headers.etag);

    const patched = await call('PATCH', `/habits/${habitId}`, {}, { 'if-none-match': etag });
    expect(patched.statusCode).toBe(200);
    const missing = await call('GET', `/habits/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    const deleted = await call('DELETE', `/habits/${habitId}/tracking/2025-01-06`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.headers.etag).toBeUndefined();
    expect((await call('GET', `/habits/${habitId}/tracking/2025-01-06`)).statusCode).toBe(404);
  });

  it('is the same on another instance for the same representation', async () => {
    const { call, habitId, token } = await userWithHabit(ctx.app);
    const other = await buildApp(testConfig(ctx.database.url));
    try {
      for (const url of [`/habits/${habitId}`, `/habits/${habitId}/goal`, '/habits']) {
        const here = await call('GET', url);
        const there = await other.inject({ method: 'GET', url, headers: bearer(token) });
        expect(there.statusCode, url).toBe(200);
        expect(there.headers.etag, url).toBe(here.headers.etag);
      }
    } finally {
      await other.close();
    }
  });
});
