/** Check-ins (one per habit and calendar day): request and response schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { CalendarDate, NullableScalar, Timestamp, Uuid, Version } from './common.schema.js';

export const CheckinStatus = Type.Union([Type.Literal('done'), Type.Literal('skipped')], {
  description: 'A skipped day neither counts nor breaks a streak',
});

export const CheckinParams = Type.Object({ id: Uuid, date: CalendarDate });
export type CheckinParams = Static<typeof CheckinParams>;

export const PutCheckinBody = Type.Object({
  status: Type.Optional(CheckinStatus),
  value: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'The amount for a numeric habit (default 1)' })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
});
export type PutCheckinBody = Static<typeof PutCheckinBody>;

export const CheckinRangeQuery = Type.Object({
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
});
export type CheckinRangeQuery = Static<typeof CheckinRangeQuery>;

export const Checkin = Type.Object(
  {
    id: Uuid,
    habitId: Uuid,
    date: CalendarDate,
    status: CheckinStatus,
    value: Type.Integer(),
    note: NullableScalar(Type.String()),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Check-in' },
);
