/**
 * Strong ETags (offline sync): the GETs the contract lists send one, `If-None-Match` with it is a 304
 * without a body, a write's reply carries the tag a GET of the same item answers with, and another
 * instance on the same database gives the same tag for the same representation. `If-Match` on the
 * writes: a stale or foreign tag is a 412 that changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp } from '../helpers/factories.js';

const STRONG_ETAG = /^"[A-Za-z0-9_-]+"$/;
const PRECONDITION_FAILED = 412;

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

  describe('If-Match', () => {
    /** Each write that honours If-Match, with the URL of its item and a body that changes it. */
    const writes = (habitId: string) => [
      { method: 'PATCH' as const, url: `/habits/${habitId}`, item: `/habits/${habitId}`, payload: { description: 'changed' } },
      { method: 'PUT' as const, url: `/habits/${habitId}/goal`, item: `/habits/${habitId}/goal`, payload: { period: 'week', target: 5 } },
      {
        method: 'PUT' as const,
        url: `/habits/${habitId}/tracking/2025-01-06`,
        item: `/habits/${habitId}/tracking/2025-01-06`,
        payload: { note: 'changed' },
      },
      { method: 'DELETE' as const, url: `/habits/${habitId}/tracking/2025-01-06`, item: `/habits/${habitId}/tracking/2025-01-06` },
      { method: 'DELETE' as const, url: `/habits/${habitId}/goal`, item: `/habits/${habitId}/goal` },
      { method: 'DELETE' as const, url: `/habits/${habitId}`, item: `/habits/${habitId}` },
    ];

    it('writes with the current tag, and refuses a stale, weak or foreign one with a 412 that changes nothing', async () => {
      const { call, habitId } = await userWithHabit(ctx.app);
      for (const write of writes(habitId)) {
        const before = await call('GET', write.item);
        const etag = String(before.headers.etag);
        // A stale tag: the item's state before a change made since.
        const touched = write.item.endsWith('/goal')
          ? await call('PUT', write.item, { period: 'week', target: 3 })
          : write.item.includes('/tracking/')
            ? await call('PUT', write.item, { note: 'first' })
            : await call('PATCH', write.item, { description: 'touched' });
        const current = String(touched.headers.etag);
        expect(current, write.url).not.toBe(etag);
        for (const stale of [etag, `W/${current}`, '"not-one-of-ours"', `"1-0"`, '']) {
          const refused = await call(write.method, write.url, write.payload, { 'if-match': stale });
          expect(refused.statusCode, `${write.method} ${write.url} If-Match ${stale}`).toBe(PRECONDITION_FAILED);
          expect(refused.headers.etag).toBeUndefined();
          const after = await call('GET', write.item);
          expect(after.body, write.url).toBe(touched.body);
          expect(after.headers.etag).toBe(current);
        }
        const written = await call(write.method, write.url, write.payload, { 'if-match': `"other", ${current}` });
        expect(written.statusCode, `${write.method} ${write.url}`).toBe(write.method === 'DELETE' ? 204 : 200);
        if (write.method !== 'DELETE') {
          expect(written.headers.etag).not.toBe(current);
          expect((await call('GET', write.item)).headers.etag).toBe(written.headers.etag);
        }
      }
    });

    it('takes * as any state, and treats a PUT with a tag for an item that does not exist yet as a 412', async () => {
      const { call, habitId } = await userWithHabit(ctx.app);
      const anyTag = await call('PUT', `/habits/${habitId}/tracking/2025-01-06`, { note: 'star' }, { 'if-match': '*' });
      expect(anyTag.statusCode).toBe(200);
      const etag = String(anyTag.headers.etag);

      // Not there yet: a tag (even one of another item) cannot match; `*` does not stop the create.
      expect((await call('PUT', `/habits/${habitId}/tracking/2025-01-07`, {}, { 'if-match': etag })).statusCode).toBe(PRECONDITION_FAILED);
      expect((await call('GET', `/habits/${habitId}/tracking/2025-01-07`)).statusCode).toBe(404);
      expect((await call('PUT', `/habits/${habitId}/tracking/2025-01-07`, {}, { 'if-match': '*' })).statusCode).toBe(201);
      await call('DELETE', `/habits/${habitId}/goal`);
      expect((await call('PUT', `/habits/${habitId}/goal`, { period: 'day', target: 1 }, { 'if-match': etag })).statusCode).toBe(
        PRECONDITION_FAILED,
      );
      expect((await call('GET', `/habits/${habitId}/goal`)).statusCode).toBe(404);

      // Gone or never there: what the route answers without If-Match.
      expect((await call('DELETE', `/habits/${habitId}/goal`, undefined, { 'if-match': etag })).statusCode).toBe(404);
      expect((await call('PATCH', `/habits/${randomUUID()}`, {}, { 'if-match': etag })).statusCode).toBe(404);
    });

    it('does not let a tag taken before a delete match the item created again under the same id', async () => {
      const { call } = await userWithHabit(ctx.app);
      const id = randomUUID();
      const body = { id, name: `Client id ${id}` };
      const first = await call('POST', '/habits', body);
      expect(first.statusCode).toBe(201);
      await call('DELETE', `/habits/${id}`);
      const again = await call('POST', '/habits', body);
      expect(again.statusCode).toBe(201);
      expect(again.json<{ version: number }>().version).toBe(1);
      expect(again.headers.etag).not.toBe(first.headers.etag);
      expect((await call('PATCH', `/habits/${id}`, { name: 'Renamed' }, { 'if-match': String(first.headers.etag) })).statusCode).toBe(
        PRECONDITION_FAILED,
      );
    });

    it('lets only one of two writes with the same tag through', async () => {
      const { call, habitId } = await userWithHabit(ctx.app);
      const etag = String((await call('GET', `/habits/${habitId}`)).headers.etag);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, n) => call('PATCH', `/habits/${habitId}`, { description: `writer ${n}` }, { 'if-match': etag })),
      );
      const codes = results.map((result) => result.statusCode).sort();
      expect(codes).toEqual([200, ...Array<number>(7).fill(PRECONDITION_FAILED)]);
      const winner = results.find((result) => result.statusCode === 200)!;
      expect((await call('GET', `/habits/${habitId}`)).body).toBe(winner.body);
    });

    it('keeps the other request headers when a route validates If-Match', async () => {
      const { call, habitId } = await userWithHabit(ctx.app);
      // The bearer token must survive header validation: a 401 here would mean it was stripped.
      const deleted = await call('DELETE', `/habits/${habitId}/tracking/2025-01-06`, undefined, { 'if-match': '*', 'x-extra': 'kept' });
      expect(deleted.statusCode).toBe(204);
    });
  });
});
