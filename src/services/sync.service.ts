/**
 * GET /sync: a user's changes after a cursor, a page at a time, in change-number order (see
 * repositories/sync.repository.ts for why no change is ever skipped). A cursor is the change number
 * the client has everything up to, wrapped so that clients treat it as opaque.
 */
import fp from 'fastify-plugin';
import { toCheckin, type StoredCheckin } from '../repositories/checkins.repository.js';
import type { SyncRepository } from '../repositories/sync.repository.js';
import type { HabitGoal } from '../generated/prisma/client.js';
import type { StoredHabit } from '../repositories/habits.repository.js';
import { formatDay } from '../utils/dates.js';
import { AppError } from '../utils/errors.js';

/** Deletions are kept this long (cleaned by the session cleanup); an older cursor gets 410. */
export const SYNC_DELETION_RETENTION_DAYS = 30;

const CURSOR = /^v1:(0|[1-9]\d{0,15})(?::([1-9]\d{0,15}))?$/;

/**
 * What a cursor stands for: every change up to `after` is with the client, and the deletions it
 * needs are those after `deletionsAfter`. The two differ only between the pages of a full sync: the
 * client holds only items that existed in the first page's snapshot, so deletions up to that
 * snapshot (perhaps cleaned up already) are none of its business.
 */
export interface Cursor {
  after: number;
  deletionsAfter: number;
}

export const encodeCursor = ({ after, deletionsAfter }: Cursor): string =>
  Buffer.from(deletionsAfter > after ? `v1:${after}:${deletionsAfter}` : `v1:${after}`).toString('base64url');

/** 400 for anything this API did not hand out. */
export function decodeCursor(text: string): Cursor {
  const match = CURSOR.exec(Buffer.from(text, 'base64url').toString('latin1'));
  const after = match ? Number(match[1]) : NaN;
  const cursor = { after, deletionsAfter: match?.[2] === undefined ? after : Number(match[2]) };
  if (!Number.isSafeInteger(cursor.after) || !Number.isSafeInteger(cursor.deletionsAfter) || encodeCursor(cursor) !== text) {
    throw new AppError(400, 'Malformed cursor');
  }
  return cursor;
}

export interface SyncPage {
  cursor: string;
  hasMore: boolean;
  habits: StoredHabit[];
  goals: HabitGoal[];
  checkins: StoredCheckin[];
  deleted: { habits: string[]; goals: string[]; checkins: { habitId: string; date: string }[] };
}

export class SyncService {
  constructor(private readonly sync: SyncRepository) {}

  /** Without `since`, every current item (and no deletions); with it, what changed after it. */
  async changes(userId: string, since: string | undefined, limit: number): Promise<SyncPage> {
    const cursor = since === undefined ? undefined : decodeCursor(since);
    const after = cursor?.after ?? 0;
    const found = await this.sync.changesAfter(userId, after, limit + 1, cursor?.deletionsAfter);
    const { last, floor } = found.counter;
    if (cursor && (cursor.deletionsAfter < floor || cursor.deletionsAfter > last)) {
      throw new AppError(
        410,
        cursor.deletionsAfter < floor
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
      // A full sync's next page needs no deletion up to its first page's snapshot (`last` there).
      cursor: encodeCursor(
        hasMore
          ? { after: taken[taken.length - 1]!.seq, deletionsAfter: Math.max(taken[taken.length - 1]!.seq, cursor?.deletionsAfter ?? last) }
          : { after: last, deletionsAfter: last },
      ),
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
