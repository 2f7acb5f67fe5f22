/** Check-ins (one per habit and calendar day): request and response schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { CalendarDate, Timestamp, Uuid } from './common.schema.js';

export const TrackingStatus = Type.Union([Type.Literal('done'), Type.Literal('skipped')], {
  description: 'A skipped day neither counts nor breaks a streak',
});

export const TrackingParams = Type.Object({ id: Uuid, date: CalendarDate });
export type TrackingParams = Static<typeof TrackingParams>;

export const PutTrackingBody = Type.Object({
  status: Type.Optional(TrackingStatus),
  value: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'The amount for a numeric habit (default 1)' })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
});
export type PutTrackingBody = Static<typeof PutTrackingBody>;

export const TrackingRangeQuery = Type.Object({
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
});
export type TrackingRangeQuery = Static<typeof TrackingRangeQuery>;

export const Tracking = Type.Object(
  {
    id: Uuid,
    habitId: Uuid,
    date: CalendarDate,
    status: TrackingStatus,
    value: Type.Integer(),
    note: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Check-in' },
);
