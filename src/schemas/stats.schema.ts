/** Statistics, the home screen (/today) and the export: response and query schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { User } from './auth.schema.js';
import { CalendarDate, NullableObject, NullableScalar, Timestamp } from './common.schema.js';
import { Goal, GoalPeriod } from './goal.schema.js';
import { Habit } from './habit.schema.js';
import { Checkin } from './checkin.schema.js';

export const StatsQuery = Type.Object({
  // Compute as if today were this day (default: the caller's local today).
  asOf: Type.Optional(CalendarDate),
});
export type StatsQuery = Static<typeof StatsQuery>;

export const PeriodProgress = Type.Object({
  start: CalendarDate,
  end: CalendarDate,
  progress: Type.Integer({ description: 'Days done (boolean habit) or the summed amount (numeric habit) in this period' }),
  target: Type.Integer(),
  met: Type.Boolean(),
});

export const HabitStats = Type.Object(
  {
    currentStreak: Type.Integer(),
    bestStreak: Type.Integer(),
    streakUnit: GoalPeriod,
    completionRate: NullableScalar(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Satisfied ÷ eligible days in the 30 days ending today (null when no day is eligible)',
      }),
    ),
    totalDone: Type.Integer({ description: 'Satisfied days ever' }),
    score: Type.Number({
      minimum: 0,
      maximum: 1,
      description:
        'Habit strength (Loop Habit Tracker’s): a moving average of the due days (done 1, missed 0), recent ones weighing most; 4 decimals',
    }),
    period: PeriodProgress,
  },
  { title: 'HabitStats' },
);

export const TodayItem = Type.Object({
  habit: Habit,
  goal: NullableObject(Goal),
  checkin: NullableObject(Checkin),
  progress: Type.Integer({ description: 'The current period’s progress, in the goal’s unit' }),
  due: Type.Boolean({ description: 'Whether the habit is due today (the user’s day): its schedule, and not before its startDate' }),
});

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
});
export type ExportQuery = Static<typeof ExportQuery>;

export const ExportDocument = Type.Object(
  {
    exportedAt: Timestamp,
    user: User,
    habits: Type.Array(Type.Object({ ...Habit.properties, goal: NullableObject(Goal), checkins: Type.Array(Checkin) })),
  },
  { title: 'Export', description: 'With format=csv: text/csv with the header habit,date,status,value,note' },
);
