/** Goals (one per habit): request and response schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid, Version } from './common.schema.js';

export const GoalPeriod = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
  description: '`week` is an ISO week, Monday first',
});

export const PutGoalBody = Type.Object({
  period: GoalPeriod,
  target: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    description: 'Boolean habit: days done per period (≤ 1 per day, ≤ 7 per week, ≤ 31 per month). Numeric habit: amount per period.',
  }),
});
export type PutGoalBody = Static<typeof PutGoalBody>;

export const Goal = Type.Object(
  { id: Uuid, habitId: Uuid, period: GoalPeriod, target: Type.Integer(), version: Version, createdAt: Timestamp, updatedAt: Timestamp },
  { title: 'Goal' },
);
