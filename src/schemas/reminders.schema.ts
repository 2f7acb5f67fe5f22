/** Reminders (API.md, "Reminders"): the query and the reply of GET /reminders. */
import { Type, type Static } from '@sinclair/typebox';
import { CalendarDate, Timestamp, Uuid } from './common.schema.js';

/** The longest range GET /reminders answers for. */
export const MAX_REMINDER_RANGE_DAYS = 7;

/**
 * An instant with its offset (RFC 3339: `Z` or `±HH:MM`). Years are limited to 1900–2999 like
 * CalendarDate, so every day the range touches is one PostgreSQL stores.
 */
const Instant = Type.String({
  format: 'date-time',
  pattern: '^(19|2[0-9])[0-9]{2}-',
  maxLength: 40,
  examples: ['2026-03-29T00:00:00Z'],
});

export const RemindersQuery = Type.Object({
  from: Type.Optional({ ...Instant, description: 'Inclusive. Default: now, or 24 h before `to` when only `to` is given' }),
  to: Type.Optional({
    ...Instant,
    description: `Exclusive; after \`from\` and at most ${MAX_REMINDER_RANGE_DAYS} days later. Default: 24 h after \`from\``,
  }),
});
export type RemindersQuery = Static<typeof RemindersQuery>;

export const ReminderOccurrence = Type.Object(
  {
    habitId: Uuid,
    at: { ...Timestamp, description: 'When to fire: the local time in the user’s time zone, as a UTC instant' },
    localDate: {
      ...CalendarDate,
      description:
        'The user’s day the reminder is for (its schedule, `days` and `done` are that day’s). With `dayStartHour` 4, a 01:00 reminder of Monday fires early on Tuesday’s calendar date',
    },
    localTime: Type.String({
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'The reminder’s configured time (HH:MM)',
      examples: ['07:30'],
    }),
    done: Type.Boolean({ description: 'Whether `localDate` is already satisfied by a check-in' }),
  },
  { title: 'ReminderOccurrence' },
);
export type ReminderOccurrence = Static<typeof ReminderOccurrence>;
