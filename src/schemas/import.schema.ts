/**
 * POST /import: a JSON export of this API (GET /export?format=json), each item validated by the schema
 * of its single-item route (POST /habits, PUT /habits/:id/goal, PUT /habits/:id/tracking/:date). What
 * the export has beside the writable fields (ids, versions, timestamps, `exportedAt`, `user`) is
 * accepted and dropped by validation.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PutCheckinBody } from './checkin.schema.js';
import { CalendarDate } from './common.schema.js';
import { PutGoalBody } from './goal.schema.js';
import { CreateHabitBody } from './habit.schema.js';

/** The body limit of POST /import (the app's default is 1 MiB). */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export const ImportCheckin = Type.Object(
  { date: CalendarDate, ...PutCheckinBody.properties },
  { title: 'Imported check-in', description: 'A check-in of the export: `date` and the fields of PUT /habits/:id/tracking/:date' },
);
export type ImportCheckin = Static<typeof ImportCheckin>;

export const ImportHabit = Type.Object(
  {
    // The fields of POST /habits but its client-generated `id`: an import never takes ids.
    ...Type.Omit(CreateHabitBody, ['id']).properties,
    goal: Type.Optional(
      Type.Union([PutGoalBody, Type.Null()], {
        description: 'The goal (the body of PUT /habits/:id/goal) replaces the habit’s; null removes it; left out: the goal stays as it is',
      }),
    ),
    checkins: Type.Optional(Type.Array(ImportCheckin, { description: 'At most one per date' })),
  },
  { title: 'Imported habit', description: 'A habit of the export: the fields of POST /habits, its goal and its check-ins' },
);
export type ImportHabit = Static<typeof ImportHabit>;

export const ImportBody = Type.Object(
  { habits: Type.Array(ImportHabit, { description: 'Names unique (trimmed) within the file' }) },
  {
    title: 'Import',
    description:
      'A JSON export of this API (GET /export?format=json). Ids, versions, timestamps, `exportedAt` and `user` are accepted and ignored.',
  },
);
export type ImportBody = Static<typeof ImportBody>;

const Count = Type.Integer({ minimum: 0 });

export const ImportReply = Type.Object(
  {
    habits: Type.Object({
      created: { ...Count, description: 'Habits of the file that the account did not have (by name)' },
      merged: { ...Count, description: 'Habits of the file that matched one of the account’s by name, which took the file’s fields' },
    }),
    checkins: Type.Object({
      created: { ...Count, description: 'Check-ins on days the habit had none' },
      updated: { ...Count, description: 'Check-ins on days the habit had one, replaced by the file’s' },
    }),
  },
  { title: 'Import result', examples: [{ habits: { created: 3, merged: 1 }, checkins: { created: 412, updated: 7 } }] },
);
export type ImportReply = Static<typeof ImportReply>;
