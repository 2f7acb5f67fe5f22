/**
 * GET /sync: a user's changes after a cursor, a page at a time, in change-number order (see
 * repositories/sync.repository.ts for why no change is ever skipped). A cursor is the change number
 * the client has everything up to, wrapped so that clients treat it as opaque.
 */
import fp from 'fastify-plugin';
import { toCheckin, type StoredCheckin } from '../repositories/checkins.repository.js';
import type { SyncRepository } from '../repositories/sync.repository.js';
import type { Habit, HabitGoal } from '../generated/prisma/client.js';
import { formatDay } from '../utils/dates.js';
import { AppError } from '../utils/errors.js';

/** Deletions are kept this long (cleaned by the session cleanup); an older cursor gets 410. */
export const SYNC_DELETION_RETENTION_DAYS = 30;

const CURSOR = /^v1:(0|[1-9]\d{0,15})$/;

export const encodeCursor = (changeNumber: number): string => Buffer.from(`v1:${changeNumber}`).toString('base64url');

/** The change number of a cursor; 400 for anything this API did not hand out. */
export function decodeCursor(cursor: string): number {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const changeNumber = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(changeNumber) || encodeCursor(changeNumber) !== cursor) throw new AppError(400, 'Malformed cursor');
  return changeNumber;
}

export interface SyncPage {
  cursor: string;
  hasMore: boolean;
  habits: Habit[];
  goals: HabitGoal[];
  checkins: StoredCheckin[];
  deleted: { habits: string[]; goals: string[]; checkins: { habitId: string; date: string }[] };
}

export class SyncService {
  constructor(private readonly sync: SyncRepository) {}

  /** Without `since`, every current item (and no deletions); with it, what changed after it. */
  async changes(userId: string, since: string | undefined, limit: number): Promise<SyncPage> {
    const after = since === undefined ? 0 : decodeCursor(since);
    const found = await this.sync.changesAfter(userId, after, limit + 1, since !== undefined);
    const { last, floor } = found.counter;
    if (since !== undefined && (after < floor || after > last)) {
      throw new AppError(
        410,
        after < floor
          ? `This cursor is older than the deletions kept (${SYNC_DELETION_RETENTION_DAYS} days): sync again without since`
          : 'This cursor is not one of your changes: sync again without since',
      );
    }
    // The first `limit` changes of all kinds, by number: each kind's first limit + 1 hold them.
    const changes = [
      ...found.habits.map((item) => ({ seq: Number(item.changeSeq), add: (page: SyncPage) => page.habits.push(item) })),
      ...found.goals.map((item) => ({ seq: Number(item.changeSeq), add: (page: SyncPage) => page.goals.push(item) })),
      ...found.checkins.map((item) => ({ seq: Number(item.changeSeq), add: (page: SyncPage) => page.checkins.push(toCheckin(item)) })),
      ...found.deletions.map((item) => ({
        seq: Number(item.changeSeq),
        add: (page: SyncPage) => {
          if (item.kind === 'habit') page.deleted.habits.push(item.habitId);
          else if (item.kind === 'goal') page.deleted.goals.push(item.habitId);
          else page.deleted.checkins.push({ habitId: item.habitId, date: formatDay(item.date!) });
        },
      })),
    ].sort((a, b) => a.seq - b.seq);
    const hasMore = changes.length > limit;
    const taken = changes.slice(0, limit);
    const page: SyncPage = {
      // Everything up to the last change taken, or (all taken) up to the counter read in the same snapshot.
      cursor: encodeCursor(hasMore ? taken[taken.length - 1]!.seq : last),
      hasMore,
      habits: [],
      goals: [],
      checkins: [],
      deleted: { habits: [], goals: [], checkins: [] },
    };
    for (const change of taken) change.add(page);
    return page;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    syncService: SyncService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('syncService', new SyncService(fastify.syncRepository));
  },
  { name: 'sync-service', dependencies: ['sync-repository'] },
);
