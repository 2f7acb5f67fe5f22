/**
 * POST /import (API.md, "Import"): a JSON export of this API into the caller's account, all or
 * nothing. The reply counts; habits merged by name (trimmed), check-ins by habit and date (the file's
 * wins, the account's others stay); a goal replaced, removed by `goal: null`, kept without `goal`;
 * every item checked as its single-item route checks it, the first refusal naming the habit (and the
 * date) with nothing written (an export before and after is the same); a kind change of a habit with
 * check-ins refused (409); the round trip export → import into a fresh account → export; the 10 MiB
 * limit of this route only; the sync feed showing what an import wrote (and nothing for a file that
 * changes nothing); imports into the caller's account only, whatever ids the file holds; two imports
 * at once, and an import among single-item writes, neither deadlocking nor half-applied.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, signUp, type SignedUpUser } from '../helpers/factories.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Checkin {
  date: string;
  status?: 'done' | 'skipped';
  value?: number;
  note?: string | null;
  [key: string]: unknown;
}

interface ImportedHabit {
  name: string;
  goal?: { period: string; target: number; [key: string]: unknown } | null;
  checkins?: Checkin[];
  [key: string]: unknown;
}

interface ExportedHabit {
  id: string;
  name: string;
  version: number;
  goal: ({ id: string; version: number } & Record<string, unknown>) | null;
  checkins: ({ id: string; date: string; version: number } & Record<string, unknown>)[];
  [key: string]: unknown;
}

interface ExportDocument {
  exportedAt: string;
  user: Record<string, unknown>;
  habits: ExportedHabit[];
}

interface SyncPage {
  cursor: string;
  hasMore: boolean;
  habits: { id: string; name: string }[];
  goals: { habitId: string; target: number }[];
  checkins: { habitId: string; date: string; note: string | null }[];
  deleted: { habits: string[]; goals: string[]; checkins: { habitId: string; date: string }[] };
}

const IGNORED = new Set(['id', 'habitId', 'version', 'createdAt', 'updatedAt']);

/** An export without what an import ignores and a copy cannot keep: ids, versions, timestamps, `exportedAt`, `user`. */
function comparable(document: ExportDocument): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).flatMap(([key, inner]) => (IGNORED.has(key) ? [] : [[key, strip(inner)]])));
  };
  return strip(document.habits);
}

describe('POST /import', () => {
  const ctx = useTestApp();

  const call = (user: SignedUpUser, method: Method, url: string, payload?: unknown) =>
    ctx.app.inject({ method, url, headers: bearer(user.accessToken), ...(payload !== undefined && { payload: payload as object }) });

  const expectStatus = (response: LightMyRequestResponse, statusCode: number) => {
    expect(response.statusCode, response.body).toBe(statusCode);
  };

  const importFile = (user: SignedUpUser, habits: ImportedHabit[], app = ctx.app) =>
    app.inject({
      method: 'POST',
      url: '/import',
      headers: bearer(user.accessToken),
      payload: { exportedAt: new Date().toISOString(), user: user.user, habits },
    });

  const exportOf = async (user: SignedUpUser): Promise<ExportDocument> => {
    const response = await call(user, 'GET', '/export');
    expectStatus(response, 200);
    return response.json<ExportDocument>();
  };

  const habitNamed = async (user: SignedUpUser, name: string): Promise<ExportedHabit> => {
    const habit = (await exportOf(user)).habits.find((each) => each.name === name);
    expect(habit, `no habit named ${name}`).toBeDefined();
    return habit!;
  };

  /** A habit made through the single-item routes: its goal and check-ins too. */
  const seedHabit = async (user: SignedUpUser, fields: Record<string, unknown>, goal: object | null, checkins: Checkin[]) => {
    const created = await call(user, 'POST', '/habits', fields);
    expectStatus(created, 201);
    const { id } = created.json<{ id: string }>();
    if (goal) expectStatus(await call(user, 'PUT', `/habits/${id}/goal`, goal), 201);
    for (const { date, ...body } of checkins) expectStatus(await call(user, 'PUT', `/habits/${id}/tracking/${date}`, body), 201);
    return id;
  };

  /** Every page of the user's feed after `since` (none: everything), merged. */
  const syncAfter = async (user: SignedUpUser, since?: string) => {
    const all: Omit<SyncPage, 'cursor' | 'hasMore'> & { cursor: string } = {
      cursor: since ?? '',
      habits: [],
      goals: [],
      checkins: [],
      deleted: { habits: [], goals: [], checkins: [] },
    };
    for (;;) {
      const response = await call(user, 'GET', `/sync?limit=1000${all.cursor ? `&since=${all.cursor}` : ''}`);
      expectStatus(response, 200);
      const page = response.json<SyncPage>();
      all.cursor = page.cursor;
      all.habits.push(...page.habits);
      all.goals.push(...page.goals);
      all.checkins.push(...page.checkins);
      all.deleted.habits.push(...page.deleted.habits);
      all.deleted.goals.push(...page.deleted.goals);
      all.deleted.checkins.push(...page.deleted.checkins);
      if (!page.hasMore) return all;
    }
  };

  describe('the reply', () => {
    it('counts the habits and check-ins created in an empty account', async () => {
      const user = await signUp(ctx.app);
      const response = await importFile(user, [
        { name: 'Read', goal: { period: 'week', target: 3 }, checkins: [{ date: '2026-03-01' }, { date: '2026-03-02', note: 'ch. 4' }] },
        { name: 'Water', kind: 'numeric', unit: 'glasses', goal: null, checkins: [{ date: '2026-03-01', value: 8 }] },
        { name: 'Stretch' },
      ]);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 3, merged: 0 }, checkins: { created: 3, updated: 0 } });

      const { habits } = await exportOf(user);
      expect(habits.map((habit) => habit.name)).toEqual(['Read', 'Water', 'Stretch']);
      expect(habits[0]).toMatchObject({ kind: 'boolean', schedule: { type: 'daily' }, goal: { period: 'week', target: 3 } });
      expect(habits[0]!.checkins.map(({ date, status, value, note }) => ({ date, status, value, note }))).toEqual([
        { date: '2026-03-01', status: 'done', value: 1, note: null },
        { date: '2026-03-02', status: 'done', value: 1, note: 'ch. 4' },
      ]);
      expect(habits[1]).toMatchObject({ kind: 'numeric', unit: 'glasses', goal: null, checkins: [{ date: '2026-03-01', value: 8 }] });
      expect(habits[2]).toMatchObject({ goal: null, checkins: [] });
    });

    it('is all zeros for a file without habits, which changes nothing', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Mine' }, null, [{ date: '2026-03-01' }]);
      const before = await exportOf(user);
      const response = await importFile(user, []);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 0, merged: 0 }, checkins: { created: 0, updated: 0 } });
      expect((await exportOf(user)).habits).toEqual(before.habits);
    });

    it('needs an access token', async () => {
      const response = await ctx.app.inject({ method: 'POST', url: '/import', payload: { habits: [] } });
      expectStatus(response, 401);
    });
  });

  describe('merging', () => {
    it('matches a habit by its trimmed name: it keeps its id and takes the file’s fields, and counts as merged', async () => {
      const user = await signUp(ctx.app);
      const id = await seedHabit(user, { name: 'Read', color: '#000000', position: 4 }, null, []);
      const response = await importFile(user, [
        { name: '  Read ', color: '#AABBCC', description: 'twenty pages', archived: true },
        { name: 'Write' },
      ]);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 1, merged: 1 }, checkins: { created: 0, updated: 0 } });
      const habit = await habitNamed(user, 'Read');
      // The file's fields, normalised as POST /habits does; a field the file leaves out keeps the habit's.
      expect(habit).toMatchObject({ id, color: '#aabbcc', description: 'twenty pages', archived: true, position: 4, version: 2 });
    });

    it('replaces the check-in of a day the file has (updated), creates the others, and keeps the habit’s other check-ins', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Water', kind: 'numeric' }, null, [
        { date: '2026-03-01', value: 3, note: 'kept' },
        { date: '2026-03-02', value: 4, note: 'before' },
      ]);
      const response = await importFile(user, [
        {
          name: 'Water',
          kind: 'numeric',
          checkins: [
            { date: '2026-03-02', value: 9, note: 'from the file', status: 'skipped' },
            { date: '2026-03-03', value: 5 },
          ],
        },
      ]);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 0, merged: 1 }, checkins: { created: 1, updated: 1 } });
      const habit = await habitNamed(user, 'Water');
      expect(habit.checkins.map(({ date, status, value, note }) => ({ date, status, value, note }))).toEqual([
        { date: '2026-03-01', status: 'done', value: 3, note: 'kept' },
        { date: '2026-03-02', status: 'skipped', value: 9, note: 'from the file' },
        { date: '2026-03-03', status: 'done', value: 5, note: null },
      ]);
    });

    it('replaces the habit’s goal with the file’s, removes it for goal: null, and keeps it when the file has no goal', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Replaced' }, { period: 'week', target: 3 }, []);
      await seedHabit(user, { name: 'Removed' }, { period: 'week', target: 3 }, []);
      await seedHabit(user, { name: 'Kept' }, { period: 'month', target: 10 }, []);
      const goalId = (await habitNamed(user, 'Replaced')).goal!.id;
      expectStatus(
        await importFile(user, [
          { name: 'Replaced', goal: { period: 'day', target: 1, id: '00000000-0000-4000-8000-000000000000', version: 7 } },
          { name: 'Removed', goal: null },
          { name: 'Kept' },
        ]),
        200,
      );
      const { habits } = await exportOf(user);
      const goals = Object.fromEntries(habits.map((habit) => [habit.name, habit.goal]));
      // Replaced in place, as PUT /habits/:id/goal replaces it; the file's id and version are ignored.
      expect(goals.Replaced).toMatchObject({ id: goalId, period: 'day', target: 1, version: 2 });
      expect(goals.Removed).toBeNull();
      expect(goals.Kept).toMatchObject({ period: 'month', target: 10, version: 1 });
    });

    it('writes nothing for a file the account already matches: versions stay and the sync feed shows no change', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Read' }, { period: 'week', target: 3 }, [{ date: '2026-03-01', note: 'a' }, { date: '2026-03-02' }]);
      const before = await exportOf(user);
      const { cursor } = await syncAfter(user);
      const response = await call(user, 'POST', '/import', before);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 0, merged: 1 }, checkins: { created: 0, updated: 2 } });
      expect((await exportOf(user)).habits).toEqual(before.habits);
      const after = await syncAfter(user, cursor);
      expect([after.habits, after.goals, after.checkins]).toEqual([[], [], []]);
    });

    it('anchors an interval schedule without an anchor at its startDate, else at the user’s current day, as POST /habits does', async () => {
      const user = await signUp(ctx.app, { timezone: 'Pacific/Kiritimati' });
      expectStatus(
        await importFile(user, [
          { name: 'From start', schedule: { type: 'interval', every: 3 }, startDate: '2026-02-01' },
          { name: 'From today', schedule: { type: 'interval', every: 2 } },
          { name: 'Weekdays', schedule: { type: 'weekdays', days: [5, 1, 3] } },
        ]),
        200,
      );
      const posted = await call(user, 'POST', '/habits', { name: 'Posted', schedule: { type: 'interval', every: 2 } });
      expectStatus(posted, 201);
      const { habits } = await exportOf(user);
      const schedules = Object.fromEntries(habits.map((habit) => [habit.name, habit.schedule]));
      expect(schedules['From start']).toEqual({ type: 'interval', every: 3, anchor: '2026-02-01' });
      expect(schedules['From today']).toEqual(posted.json<{ schedule: unknown }>().schedule);
      expect(schedules.Weekdays).toEqual({ type: 'weekdays', days: [1, 3, 5] });
    });
  });

  describe('the round trip', () => {
    it('export → import into a fresh account → export gives the same habits, goals and check-ins', async () => {
      const source = await signUp(ctx.app, { timezone: 'Europe/Berlin' });
      await seedHabit(
        source,
        {
          name: 'Gym',
          description: 'Mon, Wed, Fri',
          color: '#22AA88',
          icon: 'dumbbell',
          schedule: { type: 'weekdays', days: [1, 3, 5] },
          startDate: '2026-01-05',
          reminders: [{ time: '07:30', days: [5, 1] }, { time: '18:00' }],
        },
        { period: 'week', target: 3 },
        [
          { date: '2026-01-05', note: 'legs "heavy", then, cardio\nsecond line' },
          { date: '2026-01-07', status: 'skipped', note: 'sick' },
          { date: '2026-01-09' },
        ],
      );
      await seedHabit(
        source,
        { name: 'Water', kind: 'numeric', unit: 'glasses', schedule: { type: 'interval', every: 3, anchor: '2026-01-02' } },
        { period: 'day', target: 8 },
        [
          { date: '2026-01-02', value: 8 },
          { date: '2026-01-05', value: 0, note: '' },
          { date: '2026-01-08', value: 1_000_000 },
        ],
      );
      // Positions left at 0: the file's order is what orders them.
      await seedHabit(source, { name: 'Old', archived: true }, null, [{ date: '2000-01-01', note: 'the first day there is' }]);
      await seedHabit(source, { name: 'Plants', schedule: { type: 'interval', every: 4 } }, { period: 'month', target: 7 }, []);
      await seedHabit(source, { name: 'Nothing yet', position: 9 }, null, []);
      const exported = await exportOf(source);

      const copy = await signUp(ctx.app, { timezone: 'America/Los_Angeles' });
      const response = await call(copy, 'POST', '/import', exported);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 5, merged: 0 }, checkins: { created: 7, updated: 0 } });

      const again = await exportOf(copy);
      expect(comparable(again)).toEqual(comparable(exported));
      expect(again.habits.map((habit) => habit.name)).toEqual(['Gym', 'Water', 'Old', 'Plants', 'Nothing yet']);
      // New items: none of the source's ids.
      const sourceIds = new Set(exported.habits.flatMap((habit) => [habit.id, habit.goal?.id, ...habit.checkins.map((each) => each.id)]));
      for (const habit of again.habits) {
        expect(sourceIds.has(habit.id)).toBe(false);
        for (const checkin of habit.checkins) expect(sourceIds.has(checkin.id)).toBe(false);
      }
      // The source is as it was.
      expect((await exportOf(source)).habits).toEqual(exported.habits);
    });
  });

  describe('all or nothing', () => {
    /** An account with data, the same file with one bad item added, and the check that nothing changed. */
    const refusedLeavesNothing = async (bad: (file: ExportDocument) => void, status: number, message: RegExp) => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Read' }, { period: 'week', target: 3 }, [{ date: '2026-03-01', note: 'before' }]);
      const before = await exportOf(user);
      const { cursor } = await syncAfter(user);
      const file = structuredClone(before);
      file.habits[0]!.description = 'changed by the file';
      file.habits[0]!.checkins[0]!.note = 'changed by the file';
      file.habits[0]!.goal = null;
      file.habits.push(
        { name: 'New', checkins: [{ date: '2026-03-01' }] } as unknown as ExportedHabit,
        {
          name: 'Last one',
          checkins: Array.from({ length: 300 }, (_, day) => ({
            date: `2025-${String(1 + Math.floor(day / 28)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`,
          })),
        } as unknown as ExportedHabit,
      );
      bad(file);
      const response = await call(user, 'POST', '/import', file);
      expectStatus(response, status);
      const { message: text } = response.json<{ message: string }>();
      expect(text).toMatch(message);
      expect(text).toMatch(/nothing was imported$/);
      expect((await exportOf(user)).habits).toEqual(before.habits);
      const after = await syncAfter(user, cursor);
      expect([after.habits, after.goals, after.checkins, after.deleted.goals]).toEqual([[], [], [], []]);
      return text;
    };

    const lastHabit = (file: ExportDocument) => file.habits.at(-1) as unknown as ImportedHabit;

    it('a check-in value out of range at the very end: 400 naming the habit and the date, and nothing changed', async () => {
      const message = await refusedLeavesNothing(
        (file) => lastHabit(file).checkins!.push({ date: '2026-02-01', value: 1_000_001 }),
        400,
        /^Habit "Last one" \(habits\/2\), check-in 2026-02-01: value must be <= 1000000/,
      );
      expect(message).not.toMatch(/body\//);
    });

    it('a check-in after the user’s today + 1 day: 400 naming the habit and the date', async () => {
      await refusedLeavesNothing(
        (file) => lastHabit(file).checkins!.push({ date: '2999-01-01' }),
        400,
        /^Habit "Last one" \(habits\/2\), check-in 2999-01-01: date must be between 2000-01-01 and \d{4}-\d{2}-\d{2} \(your today \+ 1 day in UTC\)/,
      );
    });

    it('a check-in before 2000-01-01: 400 naming the habit and the date', async () => {
      await refusedLeavesNothing(
        (file) => lastHabit(file).checkins!.push({ date: '1999-12-31' }),
        400,
        /^Habit "Last one" \(habits\/2\), check-in 1999-12-31: date must be between 2000-01-01/,
      );
    });

    it('a day that does not exist: 400 naming the habit and the date', async () => {
      await refusedLeavesNothing(
        (file) => lastHabit(file).checkins!.push({ date: '2026-02-30' }),
        400,
        /^Habit "Last one" \(habits\/2\), check-in 2026-02-30: date must match format "date"/,
      );
    });

    it('the same date twice in a habit: 400 naming the habit and the date', async () => {
      await refusedLeavesNothing(
        (file) => lastHabit(file).checkins!.push({ date: '2025-01-01', note: 'again' }),
        400,
        /^Habit "Last one" \(habits\/2\), check-in 2025-01-01: the habit has another check-in that day/,
      );
    });

    it('the same name twice (trimmed): 400 naming the second habit', async () => {
      await refusedLeavesNothing(
        (file) => file.habits.push({ name: ' New  ' } as unknown as ExportedHabit),
        400,
        /^Habit "New" \(habits\/3\): habits\/1 has the same name/,
      );
    });

    it('a boolean habit’s goal above its most: 400 naming the habit and its goal', async () => {
      await refusedLeavesNothing(
        (file) => (lastHabit(file).goal = { period: 'week', target: 8 }),
        400,
        /^Habit "Last one" \(habits\/2\), goal: target must be at most 7 for a boolean habit with a week goal/,
      );
    });

    it('a goal period that does not exist: 400 naming the habit and its goal', async () => {
      await refusedLeavesNothing(
        (file) => (lastHabit(file).goal = { period: 'year', target: 1 }),
        400,
        /^Habit "Last one" \(habits\/2\), goal: period must be equal to constant/,
      );
    });

    it('a schedule with a field of another kind: 400 naming the habit, in the words of POST /habits', async () => {
      await refusedLeavesNothing(
        (file) => (lastHabit(file).schedule = { type: 'daily', every: 2 }),
        400,
        /^Habit "Last one" \(habits\/2\): body\/schedule\/every is not a field of a daily schedule/,
      );
    });

    it('a habit without a name: 400 naming the habit by its place', async () => {
      await refusedLeavesNothing(
        (file) => file.habits.push({ checkins: [] } as unknown as ExportedHabit),
        400,
        /^Habit \(habits\/3\): must have required property 'name'/,
      );
    });

    it('a colour that is no colour: 400 naming the habit', async () => {
      await refusedLeavesNothing(
        (file) => (lastHabit(file).color = 'red'),
        400,
        /^Habit "Last one" \(habits\/2\): color must match pattern/,
      );
    });

    it('a kind change of a habit that has check-ins: 409 naming the habit, as PATCH /habits/:id', async () => {
      await refusedLeavesNothing(
        (file) => (file.habits[0]!.kind = 'numeric'),
        409,
        /^Habit "Read" \(habits\/0\): A habit's kind cannot change once it has check-ins \(it is boolean, the file says numeric\)/,
      );
    });

    it('takes a kind change of a habit without check-ins', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Water' }, null, []);
      expectStatus(await importFile(user, [{ name: 'Water', kind: 'numeric', checkins: [{ date: '2026-03-01', value: 6 }] }]), 200);
      expect(await habitNamed(user, 'Water')).toMatchObject({ kind: 'numeric', checkins: [{ value: 6 }] });
    });

    it('a body that is no export: 400 in the validator’s words', async () => {
      const user = await signUp(ctx.app);
      for (const payload of [{}, { habits: {} }, [], { habits: [1] }]) {
        const response = await call(user, 'POST', '/import', payload);
        expectStatus(response, 400);
      }
      expect((await call(user, 'POST', '/import', { habits: 'x' })).json()).toMatchObject({ message: 'body/habits must be array' });
      expect((await call(user, 'POST', '/import', { habits: [1] })).json()).toMatchObject({
        message: 'Habit (habits/0): must be object; nothing was imported',
      });
    });
  });

  describe('the body limit', () => {
    const MiB = 1024 * 1024;

    it('takes a 9 MiB file on this route (the `user` part is ignored, however big)', async () => {
      const user = await signUp(ctx.app);
      const payload = JSON.stringify({ user: { name: 'x'.repeat(9 * MiB - 200) }, habits: [{ name: 'Big file' }] });
      expect(payload.length).toBeGreaterThan(9 * MiB - 200);
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/import',
        headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
        payload,
      });
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 1, merged: 0 }, checkins: { created: 0, updated: 0 } });
    });

    it('refuses an 11 MiB file with 413, and writes nothing', async () => {
      const user = await signUp(ctx.app);
      const payload = JSON.stringify({ user: { name: 'x'.repeat(11 * MiB) }, habits: [{ name: 'Too big' }] });
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/import',
        headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
        payload,
      });
      expectStatus(response, 413);
      expect(response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      expect((await exportOf(user)).habits).toEqual([]);
    });

    it('leaves the other routes at 1 MiB: a 2 MiB POST /habits is a 413', async () => {
      const user = await signUp(ctx.app);
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/habits',
        headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'Too big', description: 'x'.repeat(2 * MiB) }),
      });
      expectStatus(response, 413);
    });
  });

  describe('the sync feed', () => {
    it('lists what the import created, replaced and removed after the cursor kept before it', async () => {
      const user = await signUp(ctx.app);
      const id = await seedHabit(user, { name: 'Read' }, { period: 'week', target: 3 }, [
        { date: '2026-03-01', note: 'before' },
        { date: '2026-03-02', note: 'untouched' },
      ]);
      await seedHabit(user, { name: 'Stays' }, { period: 'day', target: 1 }, []);
      const { cursor } = await syncAfter(user);
      expectStatus(
        await importFile(user, [
          { name: 'Read', goal: null, checkins: [{ date: '2026-03-01', note: 'after' }] },
          { name: 'New', goal: { period: 'month', target: 20 }, checkins: [{ date: '2026-03-03' }, { date: '2026-03-04' }] },
        ]),
        200,
      );
      const changes = await syncAfter(user, cursor);
      const newId = (await habitNamed(user, 'New')).id;
      // "Read" took the file's fields, which are the defaults it already had: not written.
      expect(changes.habits.map((habit) => habit.name)).toEqual(['New']);
      expect(changes.goals.map(({ habitId, target }) => ({ habitId, target }))).toEqual([{ habitId: newId, target: 20 }]);
      expect(
        changes.checkins.map(({ habitId, date, note }) => ({ habitId, date, note })).sort((a, b) => a.date.localeCompare(b.date)),
      ).toEqual([
        { habitId: id, date: '2026-03-01', note: 'after' },
        { habitId: newId, date: '2026-03-03', note: null },
        { habitId: newId, date: '2026-03-04', note: null },
      ]);
      expect(changes.deleted).toEqual({ habits: [], goals: [id], checkins: [] });
    });
  });

  describe('ownership', () => {
    it('imports another user’s export into the caller’s account only: their ids address nothing of theirs', async () => {
      const owner = await signUp(ctx.app);
      const importer = await signUp(ctx.app);
      await seedHabit(owner, { name: 'Owner’s habit' }, { period: 'week', target: 2 }, [{ date: '2026-03-01', note: 'mine' }]);
      const ownerExport = await exportOf(owner);
      // Every id of the owner's, and the owner's user part, in the file.
      const file = {
        ...ownerExport,
        userId: owner.user.id,
        habits: ownerExport.habits.map((habit) => ({ ...habit, userId: owner.user.id })),
      };
      const response = await call(importer, 'POST', '/import', file);
      expectStatus(response, 200);
      expect(response.json()).toEqual({ habits: { created: 1, merged: 0 }, checkins: { created: 1, updated: 0 } });

      expect((await exportOf(owner)).habits).toEqual(ownerExport.habits);
      const copy = await exportOf(importer);
      expect(comparable(copy)).toEqual(comparable(ownerExport));
      expect(copy.habits[0]!.id).not.toBe(ownerExport.habits[0]!.id);
      expectStatus(await call(importer, 'GET', `/habits/${ownerExport.habits[0]!.id}`), 404);
      expectStatus(await call(owner, 'GET', `/habits/${copy.habits[0]!.id}`), 404);
    });

    it('merges by name within the caller’s account only: a name another user has is a new habit', async () => {
      const owner = await signUp(ctx.app);
      const importer = await signUp(ctx.app);
      await seedHabit(owner, { name: 'Shared name' }, null, [{ date: '2026-03-01', note: 'owner' }]);
      const before = await exportOf(owner);
      const response = await importFile(importer, [{ name: 'Shared name', checkins: [{ date: '2026-03-01', note: 'importer' }] }]);
      expect(response.json()).toEqual({ habits: { created: 1, merged: 0 }, checkins: { created: 1, updated: 0 } });
      expect((await exportOf(owner)).habits).toEqual(before.habits);
    });
  });

  describe('random files', () => {
    it('never answer a 5xx; a refused one changes nothing, an accepted one leaves every habit of the file in the export', async () => {
      const user = await signUp(ctx.app, { timezone: 'Pacific/Kiritimati' });
      await seedHabit(user, { name: 'Seeded' }, { period: 'week', target: 3 }, [{ date: '2026-03-01', note: 'seed' }]);
      const text = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('Seeded', ' Seeded ', 'Other', '', ' ', '\u0000', '\uD800', 'x'.repeat(101), '😀', 'İı', '"quoted", comma'),
      );
      const day = fc.oneof(
        fc
          .date({ min: new Date('1999-12-30T00:00:00Z'), max: new Date('2027-01-02T00:00:00Z'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10)),
        fc.constantFrom('2026-02-30', '2026-3-1', '', '2999-12-31', '2000-01-01'),
      );
      const checkin = fc.record(
        {
          date: day,
          status: fc.constantFrom('done', 'skipped', 'maybe'),
          value: fc.oneof(fc.integer({ min: -1, max: 1_000_001 }), fc.constant(0.5)),
          note: fc.oneof(fc.constant(null), text),
          id: fc.uuid(),
        },
        { requiredKeys: ['date'] },
      );
      const habit = fc.record(
        {
          name: text,
          kind: fc.constantFrom('boolean', 'numeric', 'other'),
          color: fc.constantFrom('#A1B2C3', 'red', null),
          schedule: fc.constantFrom<unknown>(
            { type: 'daily' },
            { type: 'weekdays', days: [5, 1] },
            { type: 'interval', every: 3 },
            { type: 'daily', every: 2 },
            { type: 'weekdays' },
          ),
          goal: fc.oneof(
            fc.constant(null),
            fc.record({ period: fc.constantFrom('day', 'week', 'month', 'year'), target: fc.integer({ min: 0, max: 40 }) }),
          ),
          checkins: fc.array(checkin, { maxLength: 6 }),
        },
        { requiredKeys: ['name'] },
      );
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(habit, { maxLength: 4 }), async (habits) => {
          const before = await exportOf(user);
          const response = await importFile(user, habits as ImportedHabit[]);
          expect(response.statusCode, response.body).toBeLessThan(500);
          const { habits: after } = await exportOf(user);
          if (response.statusCode === 200) {
            accepted += 1;
            const names = after.map((each) => each.name);
            for (const { name } of habits) expect(names).toContain(name.trim());
          } else {
            expect([400, 409], response.body).toContain(response.statusCode);
            expect(response.json<{ message: string }>().message).toMatch(/nothing was imported$|^body/);
            expect(after).toEqual(before.habits);
          }
        }),
        { numRuns: 60 },
      );
      // Some files got through, so the checks above saw both sides.
      expect(accepted).toBeGreaterThan(0);
    });
  });

  describe('at the same time', () => {
    /** A second instance of the app on the same database: one instance runs its imports one at a time. */
    let second: FastifyInstance;
    beforeAll(async () => {
      second = await buildApp(testConfig(ctx.database.url), { logger: false });
      await second.ready();
    });
    afterAll(() => second.close());

    it('two imports of one user on two instances both apply, one after the other: no deadlock, nothing half-applied', async () => {
      const user = await signUp(ctx.app);
      const days = (month: string, note: string) =>
        Array.from({ length: 28 }, (_, day) => ({ date: `2026-${month}-${String(day + 1).padStart(2, '0')}`, note }));
      const first: ImportedHabit[] = [
        { name: 'A', description: 'first', checkins: [...days('01', 'first'), ...days('02', 'first')] },
        { name: 'B', checkins: days('03', 'first') },
      ];
      const secondFile: ImportedHabit[] = [
        { name: 'B', description: 'second', checkins: days('03', 'second') },
        { name: 'A', description: 'second', checkins: days('02', 'second') },
        { name: 'C', checkins: days('04', 'second') },
      ];
      const replies = await Promise.all([importFile(user, first), importFile(user, secondFile, second)]);
      for (const reply of replies) expectStatus(reply, 200);
      const { habits } = await exportOf(user);
      expect(habits.map((habit) => habit.name).sort()).toEqual(['A', 'B', 'C']);
      const notes = (name: string, month: string) =>
        new Set(
          habits
            .find((habit) => habit.name === name)!
            .checkins.filter((each) => each.date.startsWith(`2026-${month}`))
            .map((each) => each.note),
        );
      // Whichever went last wrote all of its items: each overlap is all one file's.
      const secondLast = habits.find((habit) => habit.name === 'A')!.description === 'second';
      expect(notes('A', '02')).toEqual(new Set([secondLast ? 'second' : 'first']));
      expect(notes('B', '03')).toEqual(new Set([secondLast ? 'second' : 'first']));
      // The first file leaves B's description out: B keeps the second's either way.
      expect(habits.find((habit) => habit.name === 'B')!.description).toBe('second');
      expect(notes('A', '01')).toEqual(new Set(['first']));
      expect(notes('C', '04')).toEqual(new Set(['second']));
      const total = replies.map((reply) => reply.json<{ checkins: { created: number; updated: number } }>().checkins);
      expect(total.reduce((sum, each) => sum + each.created, 0)).toBe(28 * 4);
    });

    it('runs imports sent to one instance at once one after the other: each applies whole', async () => {
      const [user, other] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
      const file = (note: string): ImportedHabit[] => [{ name: 'Same', checkins: [{ date: '2026-03-01', note }] }];
      const replies = await Promise.all([importFile(user, file('one')), importFile(user, file('two')), importFile(other, file('three'))]);
      const [one, two, three] = replies.map((reply) => reply.json<{ habits: { created: number } }>());
      const created = { habits: { created: 1, merged: 0 }, checkins: { created: 1, updated: 0 } };
      const merged = { habits: { created: 0, merged: 1 }, checkins: { created: 0, updated: 1 } };
      // Whichever came second found the first's habit and check-in, and its note is the one left.
      expect([one, two]).toEqual(one!.habits.created === 1 ? [created, merged] : [merged, created]);
      expect(three).toEqual(created);
      const last = one!.habits.created === 1 ? 'two' : 'one';
      expect((await habitNamed(user, 'Same')).checkins.map((checkin) => checkin.note)).toEqual([last]);
    });

    it('gives way to a request that holds the user’s change counter, and answers 503 if it keeps it: nothing written', async () => {
      const user = await signUp(ctx.app);
      await seedHabit(user, { name: 'Held' }, null, [{ date: '2026-03-01' }]);
      const before = await exportOf(user);
      const file: ImportedHabit[] = [{ name: 'Held', description: 'imported', checkins: [{ date: '2026-03-01', note: 'x' }] }];
      // What a single-item write holds from its first write to its commit.
      const holder = new pg.Client({ connectionString: ctx.database.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('UPDATE "SyncCounter" SET seq = seq WHERE "userId" = $1', [user.user.id]);
        const response = await importFile(user, file);
        expectStatus(response, 503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json()).toMatchObject({ message: 'Your habits are being changed by other requests: try the import again' });
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      expect((await exportOf(user)).habits).toEqual(before.habits);
      expectStatus(await importFile(user, file), 200);
    });

    it('runs among single-item writes to the same habits without a deadlock or an error', async () => {
      const user = await signUp(ctx.app);
      const id = await seedHabit(user, { name: 'Busy' }, { period: 'week', target: 3 }, [{ date: '2026-03-01' }]);
      const file: ImportedHabit[] = [
        {
          name: 'Busy',
          description: 'imported',
          goal: { period: 'week', target: 4 },
          checkins: Array.from({ length: 28 }, (_, day) => ({ date: `2026-03-${String(day + 1).padStart(2, '0')}`, note: 'imported' })),
        },
      ];
      const singles = Array.from({ length: 12 }, (_, index) =>
        index % 3 === 0
          ? call(user, 'PUT', `/habits/${id}/tracking/2026-03-${String(index + 1).padStart(2, '0')}`, { note: 'single' })
          : index % 3 === 1
            ? call(user, 'PATCH', `/habits/${id}`, { description: `patched ${index}` })
            : call(user, 'PUT', `/habits/${id}/goal`, { period: 'week', target: 5 }),
      );
      const replies = await Promise.all([importFile(user, file), ...singles, importFile(user, file, second)]);
      for (const reply of replies) expect(reply.statusCode, reply.body).toBeLessThan(300);
    });
  });
});
