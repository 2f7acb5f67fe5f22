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

export const SYNC_PUSH_MAX = 500;

const SyncItemType = Type.Union([Type.Literal('habit'), Type.Literal('goal'), Type.Literal('checkin')]);
const SyncOp = Type.Union([Type.Literal('upsert'), Type.Literal('delete')]);

/** Addressing and `data` are checked per change, by the single-item routes' schemas: a bad change is `rejected`, not the batch. */
export const SyncChange = Type.Object({
  type: SyncItemType,
  op: SyncOp,
  id: Type.Optional(
    Type.String({ maxLength: 100, description: 'A habit’s id (required for habit changes; a new habit is created with it)' }),
  ),
  habitId: Type.Optional(Type.String({ maxLength: 100, description: 'The habit of a goal or check-in' })),
  date: Type.Optional(Type.String({ maxLength: 100, description: 'A check-in’s day, YYYY-MM-DD' })),
  data: Type.Optional(
    Type.Unknown({
      description:
        'An upsert’s body, as the single-item route takes it: `POST /habits` (new habit) or `PATCH /habits/:id` (existing), `PUT /habits/:id/goal`, `PUT /habits/:id/tracking/:date`',
    }),
  ),
  baseVersion: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description:
        'The version the change was made on: if the server’s differs (or the item is gone) → `conflict`, nothing changed. Without it the last write wins.',
    }),
  ),
});
export type SyncChange = Static<typeof SyncChange>;

export const SyncPushBody = Type.Object({ changes: Type.Array(SyncChange, { minItems: 1, maxItems: SYNC_PUSH_MAX }) });
export type SyncPushBody = Static<typeof SyncPushBody>;

export const SyncResult = Type.Object(
  {
    status: Type.Union([Type.Literal('applied'), Type.Literal('conflict'), Type.Literal('rejected')]),
    version: Type.Optional(Type.Integer({ description: '`applied` upserts: the item’s new version' })),
    current: Type.Optional(
      Type.Union([Habit, Goal, Checkin, Type.Null()], { description: '`conflict`: the server’s copy, null when the item is gone' }),
    ),
    error: Type.Optional(
      Type.Object(
        { statusCode: Type.Integer(), message: Type.String() },
        { description: '`rejected`: what the single-item route would have answered' },
      ),
    ),
  },
  { title: 'SyncResult' },
);

export const SyncPushReply = Type.Object(
  { results: Type.Array(SyncResult, { description: 'One per change, in order' }) },
  { title: 'SyncPushReply' },
);
