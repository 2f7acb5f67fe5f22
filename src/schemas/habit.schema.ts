/** Habits: request and response schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { Pagination, Timestamp, Uuid, Version } from './common.schema.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const HabitKind = Type.Union([Type.Literal('boolean'), Type.Literal('numeric')], {
  description: '`boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water)',
});

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
    description: Type.Union([Type.String(), Type.Null()]),
    color: Type.Union([Type.String(), Type.Null()]),
    icon: Type.Union([Type.String(), Type.Null()]),
    kind: HabitKind,
    unit: Type.Union([Type.String(), Type.Null()]),
    position: Type.Integer(),
    archived: Type.Boolean(),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Habit' },
);
