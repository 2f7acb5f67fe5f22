/** Habits: request and response schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { NullableScalar, Pagination, Timestamp, Uuid, Version } from './common.schema.js';

/** For request bodies: a union, whose branch errors make the 400's message (replies use NullableScalar). */
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const HabitKind = Type.Union([Type.Literal('boolean'), Type.Literal('numeric')], {
  description: '`boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water)',
});

const IsoWeekdays = Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
  minItems: 1,
  maxItems: 7,
  uniqueItems: true,
  description: 'ISO weekdays of the user’s day: Monday = 1 … Sunday = 7',
});

/** A day from 2000-01-01 to 2999-12-31. No `examples`: it goes in unions, where the OpenAPI document does not convert them. */
const HabitDay = Type.String({ format: 'date', pattern: '^2[0-9]{3}-', description: 'YYYY-MM-DD, from 2000-01-01 to 2999-12-31' });

/** One object for the three kinds, so validation never tries branches; the service checks which fields go with which `type`. */
export const Schedule = Type.Object(
  {
    type: Type.Union([Type.Literal('daily'), Type.Literal('weekdays'), Type.Literal('interval')]),
    days: Type.Optional({ ...IsoWeekdays, description: '`weekdays` only (required): the days it is due' }),
    every: Type.Optional(Type.Integer({ minimum: 2, maximum: 365, description: '`interval` only (required): due every N days' })),
    anchor: Type.Optional({
      ...HabitDay,
      description: '`interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed',
    }),
  },
  {
    title: 'Schedule',
    description: '`{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`',
    examples: [{ type: 'weekdays', days: [1, 3, 5] }],
  },
);
export type Schedule = Static<typeof Schedule>;

export const MAX_REMINDERS = 5;

export const Reminder = Type.Object(
  {
    time: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, the user’s local time', examples: ['07:30'] }),
    days: Type.Optional({ ...IsoWeekdays, description: 'Only on these ISO weekdays (and only when the habit is due)' }),
  },
  { title: 'Reminder' },
);
export type Reminder = Static<typeof Reminder>;

const HabitFields = {
  // At least one non-space character; stored trimmed.
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', examples: ['Read 20 pages'] }),
  description: Nullable(Type.String({ maxLength: 1000 })),
  color: Nullable(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#RRGGBB, returned lower-case', examples: ['#22aa88'] })),
  icon: Nullable(Type.String({ maxLength: 32, examples: ['book'] })),
  kind: HabitKind,
  unit: Nullable(Type.String({ maxLength: 20, examples: ['pages'] })),
  position: Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'The client’s ordering' }),
  archived: Type.Boolean(),
  schedule: Schedule,
  startDate: Type.Union([HabitDay, Type.Null()], { description: 'Days before it are not due; null: none' }),
  reminders: Type.Array(Reminder, { maxItems: MAX_REMINDERS }),
};

/** Every field a client may write; all but `name` optional at creation. */
const WritableFields = {
  name: HabitFields.name,
  description: Type.Optional(HabitFields.description),
  color: Type.Optional(HabitFields.color),
  icon: Type.Optional(HabitFields.icon),
  kind: Type.Optional(HabitFields.kind),
  unit: Type.Optional(HabitFields.unit),
  position: Type.Optional(HabitFields.position),
  archived: Type.Optional(HabitFields.archived),
  schedule: Type.Optional(HabitFields.schedule),
  startDate: Type.Optional(HabitFields.startDate),
  reminders: Type.Optional(HabitFields.reminders),
};

export const CreateHabitBody = Type.Object({
  id: Type.Optional({
    ...Uuid,
    description:
      'Client-generated (offline-first apps): the same POST repeated → 200 with the habit unchanged; the id with another body, or another user’s → 409',
  }),
  ...WritableFields,
});
export type CreateHabitBody = Static<typeof CreateHabitBody>;

export const UpdateHabitBody = Type.Partial(Type.Object(WritableFields));
export type UpdateHabitBody = Static<typeof UpdateHabitBody>;

/** Enough for any real list; bounds the work of one request. */
const MAX_ORDERED_HABITS = 10_000;

export const ReorderHabitsBody = Type.Object({
  ids: Type.Array(Uuid, {
    maxItems: MAX_ORDERED_HABITS,
    uniqueItems: true,
    description: 'Every one of your non-archived habits, each once, in the new order (`[]` when you have none)',
  }),
});
export type ReorderHabitsBody = Static<typeof ReorderHabitsBody>;

export const ListHabitsQuery = Type.Object({
  archived: Type.Optional(
    Type.Union([Type.Literal('false'), Type.Literal('true'), Type.Literal('all')], {
      default: 'false',
      description: 'Archived habits are hidden unless asked for',
    }),
  ),
  ...Pagination,
});
export type ListHabitsQuery = Static<typeof ListHabitsQuery>;

export const Habit = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: NullableScalar(Type.String()),
    color: NullableScalar(Type.String()),
    icon: NullableScalar(Type.String()),
    kind: HabitKind,
    unit: NullableScalar(Type.String()),
    position: Type.Integer(),
    archived: Type.Boolean(),
    schedule: Schedule,
    startDate: NullableScalar(HabitDay),
    reminders: Type.Array(Reminder),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Habit' },
);
