/** GET /sync: the caller's changes after a cursor (offline-first sync). */
import { Type, type Static } from '@sinclair/typebox';
import { Checkin } from './checkin.schema.js';
import { CalendarDate, Uuid } from './common.schema.js';
import { Goal } from './goal.schema.js';
import { Habit } from './habit.schema.js';

export const SYNC_PAGE_DEFAULT = 500;

export const SyncQuery = Type.Object({
  since: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'The `cursor` of the previous page; none for a first (full) sync' }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: SYNC_PAGE_DEFAULT,
      description: 'Items per page, counting every array, deletions included',
    }),
  ),
});
export type SyncQuery = Static<typeof SyncQuery>;

export const SyncPage = Type.Object(
  {
    cursor: Type.String({ description: 'Opaque: the `since` of the next call (the next page while `hasMore`, else the next sync)' }),
    hasMore: Type.Boolean(),
    habits: Type.Array(Habit),
    goals: Type.Array(Goal),
    checkins: Type.Array(Checkin),
    deleted: Type.Object({
      habits: Type.Array(Uuid, { description: 'Deleted habits (their goals and check-ins went with them)' }),
      goals: Type.Array(Uuid, { description: 'The habits whose goal was deleted' }),
      checkins: Type.Array(Type.Object({ habitId: Uuid, date: CalendarDate })),
    }),
  },
  { title: 'SyncPage' },
);
