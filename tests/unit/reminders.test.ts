/**
 * The pure part of GET /reminders (src/services/reminders.service.ts): the range's defaults and
 * rules, the check-in days loaded before the clock is known, and the occurrences computed from the
 * loaded habits. Expected instants are written out by hand, each with its reasoning (and checked
 * against the runtime's own IANA data with Intl.DateTimeFormat where DST is involved).
 */
import { describe, expect, it } from 'vitest';
import type { RemindedHabit, ReminderSources } from '../../src/repositories/reminders.repository.js';
import { checkinDays, reminderOccurrences, reminderRange, type InstantRange } from '../../src/services/reminders.service.js';
import { AppError } from '../../src/utils/errors.js';

const HOUR_MS = 3_600_000;
const HABIT = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

const range = (from: string, to: string): InstantRange => ({ fromMs: Date.parse(from), toMs: Date.parse(to) });

const habit = (fields: Partial<RemindedHabit> = {}): RemindedHabit => ({
  id: HABIT,
  kind: 'boolean',
  schedule: { type: 'daily' },
  startDate: null,
  reminders: [{ time: '08:00' }],
  goal: null,
  checkins: [],
  ...fields,
});

const sources = (habits: RemindedHabit[], timezone = 'UTC', dayStartHour = 0): ReminderSources => ({
  clock: { timezone, dayStartHour },
  habits,
});

/** The local wall-clock time of an instant in a zone, `YYYY-MM-DD HH:MM`, from the runtime's Intl. */
function wallClock(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((each) => each.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

const expectBadRequest = (run: () => unknown, message: RegExp) => {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).statusCode).toBe(400);
  expect((thrown as AppError).message).toMatch(message);
};

describe('reminderRange', () => {
  const now = new Date('2026-06-01T10:15:30.250Z');

  it('defaults to the 24 hours from now', () => {
    expect(reminderRange({}, now)).toEqual(range('2026-06-01T10:15:30.250Z', '2026-06-02T10:15:30.250Z'));
  });

  it('defaults `to` to 24 hours after `from`', () => {
    expect(reminderRange({ from: '2026-03-28T12:00:00Z' }, now)).toEqual(range('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'));
  });

  it('defaults `from` to 24 hours before `to` when only `to` is given', () => {
    expect(reminderRange({ to: '2026-03-30T00:00:00Z' }, now)).toEqual(range('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'));
  });

  it('reads offsets, lower-case separators and a space', () => {
    expect(reminderRange({ from: '2026-03-29T02:00:00+02:00', to: '2026-03-29 12:00:00z' }, now)).toEqual(
      range('2026-03-29T00:00:00Z', '2026-03-29T12:00:00Z'),
    );
  });

  it('accepts exactly 7 days', () => {
    expect(reminderRange({ from: '2026-01-05T00:00:00Z', to: '2026-01-12T00:00:00Z' }, now)).toEqual(
      range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'),
    );
  });

  it('refuses more than 7 days, by a nanosecond', () => {
    expectBadRequest(() => reminderRange({ from: '2026-01-05T00:00:00Z', to: '2026-01-12T00:00:00.000000001Z' }, now), /at most 7 days/);
  });

  it('refuses `to` equal to or before `from`', () => {
    expectBadRequest(() => reminderRange({ from: '2026-01-05T00:00:00Z', to: '2026-01-05T00:00:00Z' }, now), /to must be later than from/);
    expectBadRequest(() => reminderRange({ from: '2026-01-05T00:00:00Z', to: '2026-01-05T01:00:00+02:00' }, now), /later than from/);
  });

  it('refuses what the date-time format lets through but is no instant (10 fraction digits)', () => {
    expectBadRequest(() => reminderRange({ from: '2026-01-05T00:00:00.0000000001Z' }, now), /from must be an ISO 8601 instant/);
  });

  it('rounds sub-millisecond bounds up, which keeps [from, to) exact for whole-minute reminders', () => {
    // 08:00:00.000 is before a `from` of 08:00:00.0000001, and before a `to` of 08:00:00.0000001.
    expect(reminderRange({ from: '2026-01-05T08:00:00.0000001Z', to: '2026-01-06T08:00:00.0000001Z' }, now)).toEqual(
      range('2026-01-05T08:00:00.001Z', '2026-01-06T08:00:00.001Z'),
    );
  });
});

describe('checkinDays', () => {
  it('covers the user days of any zone and dayStartHour: from 3 days before the UTC date of `from` to 1 after that of `to`', () => {
    expect(checkinDays(range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'))).toEqual({ firstDay: '2026-01-02', lastDay: '2026-01-13' });
  });
});

describe('reminderOccurrences', () => {
  it('lists every reminder of a daily habit in the range, by instant, `to` excluded', () => {
    const reminders = [{ time: '20:00' }, { time: '08:00' }];
    expect(reminderOccurrences(sources([habit({ reminders })]), range('2026-01-05T08:00:00Z', '2026-01-06T20:00:00Z'))).toEqual([
      { habitId: HABIT, at: '2026-01-05T08:00:00.000Z', localDate: '2026-01-05', localTime: '08:00', done: false },
      { habitId: HABIT, at: '2026-01-05T20:00:00.000Z', localDate: '2026-01-05', localTime: '20:00', done: false },
      { habitId: HABIT, at: '2026-01-06T08:00:00.000Z', localDate: '2026-01-06', localTime: '08:00', done: false },
    ]);
  });

  it('orders habits firing at the same instant by id', () => {
    const list = reminderOccurrences(sources([habit({ id: OTHER }), habit()]), range('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'));
    expect(list.map((each) => each.habitId)).toEqual([HABIT, OTHER]);
  });

  it('converts the local time in the user’s zone (Berlin in winter: UTC+1)', () => {
    const list = reminderOccurrences(sources([habit()], 'Europe/Berlin'), range('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'));
    expect(list).toEqual([{ habitId: HABIT, at: '2026-01-05T07:00:00.000Z', localDate: '2026-01-05', localTime: '08:00', done: false }]);
  });

  describe('with dayStartHour 4', () => {
    const reminders = [{ time: '01:00' }, { time: '03:59' }, { time: '04:00' }, { time: '22:00' }];
    // Monday 2026-01-05 is due only: its day runs from Monday 04:00 to Tuesday 04:00 (UTC here).
    const monday = habit({ reminders, schedule: { type: 'weekdays', days: [1] } });

    it('a time before 04:00 belongs to the day that started the evening before: it fires on the next calendar date', () => {
      const list = reminderOccurrences(sources([monday], 'UTC', 4), range('2026-01-04T00:00:00Z', '2026-01-08T00:00:00Z'));
      expect(list.map(({ at, localDate, localTime }) => [at, localDate, localTime])).toEqual([
        ['2026-01-05T04:00:00.000Z', '2026-01-05', '04:00'],
        ['2026-01-05T22:00:00.000Z', '2026-01-05', '22:00'],
        ['2026-01-06T01:00:00.000Z', '2026-01-05', '01:00'],
        ['2026-01-06T03:59:00.000Z', '2026-01-05', '03:59'],
      ]);
    });

    it('`days` are the weekdays of the user’s day, not of the calendar date it fires on', () => {
      const late = habit({ reminders: [{ time: '01:00', days: [1] }] });
      const list = reminderOccurrences(sources([late], 'UTC', 4), range('2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z'));
      // Monday's 01:00 fires on Tuesday's date; Sunday's (on Monday's date) is not a Monday reminder.
      expect(list.map(({ at, localDate }) => [at, localDate])).toEqual([['2026-01-06T01:00:00.000Z', '2026-01-05']]);
    });

    it('an instant early in the range can belong to the user day before the range’s first', () => {
      // 2026-01-05 02:00 UTC is still Sunday 2026-01-04 for this user: Sunday's 03:59 reminder is in range.
      const list = reminderOccurrences(sources([habit({ reminders })], 'UTC', 4), range('2026-01-05T02:00:00Z', '2026-01-05T05:00:00Z'));
      expect(list.map(({ at, localDate }) => [at, localDate])).toEqual([
        ['2026-01-05T03:59:00.000Z', '2026-01-04'],
        ['2026-01-05T04:00:00.000Z', '2026-01-05'],
      ]);
    });
  });

  it('keeps the reminders of due days only: weekdays, interval around its anchor, startDate', () => {
    const week = range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'); // Monday 5 to Sunday 11
    const days = (habits: RemindedHabit[]) => reminderOccurrences(sources(habits), week).map((each) => each.localDate);
    expect(days([habit({ schedule: { type: 'weekdays', days: [1, 3, 5] } })])).toEqual(['2026-01-05', '2026-01-07', '2026-01-09']);
    expect(days([habit({ schedule: { type: 'interval', every: 3, anchor: '2026-01-01' } })])).toEqual(['2026-01-07', '2026-01-10']);
    expect(days([habit({ startDate: '2026-01-10' })])).toEqual(['2026-01-10', '2026-01-11']);
  });

  it('fires a reminder with `days` on those weekdays only, and only where the habit is due', () => {
    const reminders = [{ time: '08:00', days: [2, 3] }];
    const list = reminderOccurrences(
      sources([habit({ reminders, schedule: { type: 'weekdays', days: [1, 3] } })]),
      range('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'),
    );
    expect(list.map((each) => each.localDate)).toEqual(['2026-01-07']);
  });

  describe('done', () => {
    const monday = range('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z');
    const doneOf = (fields: Partial<RemindedHabit>) => reminderOccurrences(sources([habit(fields)]), monday)[0]!.done;

    it('a boolean habit: a done check-in of that day', () => {
      expect(doneOf({ checkins: [{ date: '2026-01-05', status: 'done', value: 1 }] })).toBe(true);
      expect(doneOf({ checkins: [{ date: '2026-01-05', status: 'skipped', value: 1 }] })).toBe(false);
      expect(doneOf({ checkins: [{ date: '2026-01-04', status: 'done', value: 1 }] })).toBe(false);
    });

    it('a numeric habit: the day goal’s target, 1 for a week or month goal, 1 without a goal', () => {
      const checkin = (value: number) => ({ checkins: [{ date: '2026-01-05', status: 'done' as const, value }], kind: 'numeric' as const });
      expect(doneOf({ ...checkin(4), goal: { period: 'day', target: 5 } })).toBe(false);
      expect(doneOf({ ...checkin(5), goal: { period: 'day', target: 5 } })).toBe(true);
      expect(doneOf({ ...checkin(1), goal: { period: 'week', target: 10 } })).toBe(true);
      expect(doneOf({ ...checkin(0), goal: { period: 'month', target: 10 } })).toBe(false);
      expect(doneOf({ ...checkin(1), goal: null })).toBe(true);
      expect(doneOf({ ...checkin(0), goal: null })).toBe(false);
    });

    it('is the user day’s: with dayStartHour 4, the 01:00 reminder on Tuesday’s date is Monday’s', () => {
      const list = reminderOccurrences(
        sources([habit({ reminders: [{ time: '01:00' }], checkins: [{ date: '2026-01-05', status: 'done', value: 1 }] })], 'UTC', 4),
        range('2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z'),
      );
      expect(list.map(({ at, localDate, done }) => [at, localDate, done])).toEqual([['2026-01-06T01:00:00.000Z', '2026-01-05', true]]);
    });
  });

  describe('across DST changes', () => {
    /** The occurrences of a habit with one reminder at `time`, in the 24 hours from `from`. */
    const occurrences = (timezone: string, time: string, from: string) =>
      reminderOccurrences(
        sources([habit({ reminders: [{ time }] })], timezone),
        range(from, new Date(Date.parse(from) + 24 * HOUR_MS).toISOString()),
      );

    it('Europe/Berlin 2026-03-29: 02:30 does not exist (02:00 CET → 03:00 CEST); it fires at 03:30 CEST = 01:30Z', () => {
      expect(occurrences('Europe/Berlin', '02:30', '2026-03-28T12:00:00Z')).toEqual([
        { habitId: HABIT, at: '2026-03-29T01:30:00.000Z', localDate: '2026-03-29', localTime: '02:30', done: false },
      ]);
      expect(wallClock('2026-03-29T01:30:00Z', 'Europe/Berlin')).toBe('2026-03-29 03:30');
      expect(wallClock('2026-03-29T00:30:00Z', 'Europe/Berlin')).toBe('2026-03-29 01:30');
    });

    it('Europe/Berlin 2026-10-25: 02:30 happens twice (03:00 CEST → 02:00 CET); it fires once, at the first = 00:30Z', () => {
      expect(occurrences('Europe/Berlin', '02:30', '2026-10-24T12:00:00Z').map((each) => each.at)).toEqual(['2026-10-25T00:30:00.000Z']);
      expect(wallClock('2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
      expect(wallClock('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
    });

    it('a habit gets one occurrence per instant: 02:30 and 03:30 on the spring-forward day are one, at 03:30 (the wall time)', () => {
      const reminders = [{ time: '02:30' }, { time: '03:30' }];
      const list = reminderOccurrences(
        sources([habit({ reminders })], 'Europe/Berlin'),
        range('2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'),
      );
      expect(list.map(({ at, localDate, localTime }) => [at, localDate, localTime])).toEqual([
        ['2026-03-29T01:30:00.000Z', '2026-03-29', '03:30'],
        ['2026-03-30T00:30:00.000Z', '2026-03-30', '02:30'],
        ['2026-03-30T01:30:00.000Z', '2026-03-30', '03:30'],
      ]);
    });

    it('a day the zone skips whole (Pacific/Apia, 2011-12-30) fires nothing of its own: its 08:00 is the next day’s', () => {
      // Samoa moved from UTC−10 to UTC+14 after 2011-12-29 23:59:59: 2011-12-31 08:00 +14 = 2011-12-30T18:00Z.
      expect(wallClock('2011-12-30T09:59:00Z', 'Pacific/Apia')).toBe('2011-12-29 23:59');
      expect(wallClock('2011-12-30T10:00:00Z', 'Pacific/Apia')).toBe('2011-12-31 00:00');
      const list = reminderOccurrences(sources([habit()], 'Pacific/Apia'), range('2011-12-29T00:00:00Z', '2011-12-31T00:00:00Z'));
      expect(list.map(({ at, localDate }) => [at, localDate])).toEqual([
        ['2011-12-29T18:00:00.000Z', '2011-12-29'],
        ['2011-12-30T18:00:00.000Z', '2011-12-31'],
      ]);
    });

    it('Australia/Lord_Howe 2026-10-04: the 30-minute change skips 02:15 (02:00 → 02:30 +11); it fires at 02:45 = 15:45Z the day before', () => {
      expect(occurrences('Australia/Lord_Howe', '02:15', '2026-10-03T12:00:00Z')).toEqual([
        { habitId: HABIT, at: '2026-10-03T15:45:00.000Z', localDate: '2026-10-04', localTime: '02:15', done: false },
      ]);
      expect(wallClock('2026-10-03T15:45:00Z', 'Australia/Lord_Howe')).toBe('2026-10-04 02:45');
      expect(wallClock('2026-10-03T15:15:00Z', 'Australia/Lord_Howe')).toBe('2026-10-04 01:45');
    });
  });
});
