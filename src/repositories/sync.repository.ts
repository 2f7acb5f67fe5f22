/**
 * The change feed of GET /sync. Its numbers are given by the database's triggers on every write of a
 * habit, goal or check-in (migration 20261204000000_sync_change_feed), per user and in commit order:
 * a transaction takes a block of 2^20 numbers by moving the user's "SyncCounter" row, which stays
 * locked until it ends, so every change numbered in block b commits before any later block is even
 * taken. A page read in one snapshot that sees the counter at block b therefore sees every change up
 * to the end of b, and "after n" skips nothing.
 */
import fp from 'fastify-plugin';
import type { HabitGoal, HabitTracking, SyncDeletion } from '../generated/prisma/client.js';
import { toHabit, type StoredHabit } from './habits.repository.js';
import type { Database } from '../plugins/database.js';
import { utcTimestamp } from './sql.js';

/** The numbers one transaction takes for one user's changes (the triggers' block size). */
const BLOCK_SIZE = 2 ** 20;

export interface ChangesAfter {
  /**
   * In the page's snapshot: every change numbered up to `last` is visible (0 before any write), and
   * deletions numbered up to `floor` have been cleaned up.
   */
  counter: { last: number; floor: number };
  /** Each the first `take` by change number. */
  habits: StoredHabit[];
  goals: HabitGoal[];
  checkins: HabitTracking[];
  deletions: SyncDeletion[];
}

export class SyncRepository {
  constructor(private readonly db: Database) {}

  /**
   * The user's items changed after `since`, and deletions numbered after `deletionsAfter` (none
   * when undefined), read in one snapshot (`take` of each, by number).
   */
  changesAfter(userId: string, since: number, take: number, deletionsAfter: number | undefined): Promise<ChangesAfter> {
    const after = { changeSeq: { gt: BigInt(since) } };
    const order = { orderBy: { changeSeq: 'asc' as const }, take };
    return this.db.prisma.$transaction(
      async (tx) => {
        const counter = await tx.syncCounter.findUnique({ where: { userId }, select: { seq: true, floor: true } });
        const habits = (await tx.habit.findMany({ where: { userId, ...after }, ...order })).map(toHabit);
        const goals = await tx.habitGoal.findMany({ where: { habit: { userId }, ...after }, ...order });
        const checkins = await tx.habitTracking.findMany({ where: { habit: { userId }, ...after }, ...order });
        const deletions =
          deletionsAfter === undefined
            ? []
            : await tx.syncDeletion.findMany({ where: { userId, changeSeq: { gt: BigInt(deletionsAfter) } }, ...order });
        const last = counter ? Number(counter.seq) + BLOCK_SIZE - 1 : 0;
        return { counter: { last, floor: Number(counter?.floor ?? 0) }, habits, goals, checkins, deletions };
      },
      { isolationLevel: 'RepeatableRead' },
    );
  }

  /**
   * Deletes at most `limit` deletions recorded before `before`, raising each user's floor to the
   * highest number deleted: a cursor below it can no longer be served completely.
   */
  async deleteExpired(before: Date, limit: number): Promise<number> {
    const { rows } = await this.db.pg.query<{ deleted: number }>(
      `WITH purged AS (
         DELETE FROM "SyncDeletion" WHERE ("userId", "changeSeq") IN (
           SELECT "userId", "changeSeq" FROM "SyncDeletion" WHERE "deletedAt" < $1::timestamp LIMIT $2
         ) RETURNING "userId", "changeSeq"
       ), floors AS (
         SELECT "userId", max("changeSeq") AS floor FROM purged GROUP BY "userId"
       ), raised AS (
         UPDATE "SyncCounter" c SET floor = GREATEST(c.floor, f.floor) FROM floors f WHERE c."userId" = f."userId"
       )
       SELECT count(*)::integer AS deleted FROM purged`,
      [utcTimestamp(before), limit],
    );
    return rows[0]?.deleted ?? 0;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    syncRepository: SyncRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('syncRepository', new SyncRepository(fastify));
  },
  { name: 'sync-repository', dependencies: ['database'] },
);
