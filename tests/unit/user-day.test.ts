/**
 * utils/user-day.ts: the user's day (API.md, "Schedules and the user's day") runs from `dayStartHour`
 * to `dayStartHour` in the user's time zone. Every expected value below is worked out by hand from the
 * zone's offsets (written next to it), not from the code under test.
 *
 * Offsets used (2026 unless said otherwise):
 * - Europe/Berlin: CET +01:00; CEST +02:00 from 2026-03-29T01:00Z (02:00 CET → 03:00 CEST: 02:00–03:00
 *   does not exist) to 2026-10-25T01:00Z (03:00 CEST → 02:00 CET: 02:00–03:00 happens twice).
 * - America/New_York: EST −05:00; EDT −04:00 from 2026-03-08T07:00Z (02:00 EST → 03:00 EDT) to
 *   2026-11-01T06:00Z (02:00 EDT → 01:00 EST: 01:00–02:00 happens twice).
 * - Asia/Kolkata +05:30, Pacific/Kiritimati +14:00, Pacific/Pago_Pago −11:00: no DST.
 * - Australia/Lord_Howe: LHST +10:30; LHDT +11:00 (a 30-minute shift) until 2026-04-05T15:00Z
 *   (02:00 LHDT → 01:30 LHST: 01:30–02:00 twice) and from 2026-10-03T15:30Z (Sunday 2026-10-04,
 *   02:00 LHST → 02:30 LHDT: 02:00–02:30 does not exist).
 * - Pacific/Apia skipped 2011-12-30 entirely: 2011-12-29 24:00 at −10:00 (2011-12-30T10:00Z) became
 *   2011-12-31 00:00 at +14:00.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTodayCache, localInstant, userDayAt, userToday, type UserClock } from '../../src/utils/user-day.js';

const day = (timezone: string, dayStartHour: number, instant: string) => userDayAt({ timezone, dayStartHour }, new Date(instant));

/** `[instant, the user's day]` pairs: usually the last millisecond of one day and the first of the next. */
type Case = [instant: string, expected: string, why: string];

const check = (timezone: string, dayStartHour: number, cases: Case[]) => {
  for (const [instant, expected, why] of cases) {
    expect(day(timezone, dayStartHour, instant), `${timezone} dayStartHour ${dayStartHour} at ${instant} (${why})`).toBe(expected);
  }
};

describe('userDayAt: the hour boundaries', () => {
  it('UTC with dayStartHour 0: the day changes at midnight', () => {
    check('UTC', 0, [
      ['2026-03-10T23:59:59.999Z', '2026-03-10', '23:59:59.999'],
      ['2026-03-11T00:00:00.000Z', '2026-03-11', '00:00'],
    ]);
  });

  it('UTC with dayStartHour 4: 02:30 on Tuesday still belongs to Monday; 04:00 starts Tuesday', () => {
    check('UTC', 4, [
      // 2026-03-10 is a Tuesday (2026-03-01 is a Sunday).
      ['2026-03-10T02:30:00.000Z', '2026-03-09', 'Tue 02:30 is Monday'],
      ['2026-03-10T03:59:59.999Z', '2026-03-09', 'Tue 03:59:59.999 is Monday'],
      ['2026-03-10T04:00:00.000Z', '2026-03-10', 'Tue 04:00 is Tuesday'],
      ['2026-03-10T23:59:59.999Z', '2026-03-10', 'Tue 23:59'],
      ['2026-03-11T00:00:00.000Z', '2026-03-10', 'Wed 00:00 is still Tuesday'],
    ]);
  });

  it('UTC with dayStartHour 23: the day D runs from D 23:00 to D+1 23:00', () => {
    check('UTC', 23, [
      ['2026-03-10T22:59:59.999Z', '2026-03-09', '22:59:59.999 on the 10th'],
      ['2026-03-10T23:00:00.000Z', '2026-03-10', '23:00 on the 10th'],
      ['2026-03-11T00:00:00.000Z', '2026-03-10', '00:00 on the 11th'],
    ]);
  });

  it('Europe/Berlin in winter (+01:00) and summer (+02:00)', () => {
    check('Europe/Berlin', 0, [
      ['2026-01-15T22:59:59.999Z', '2026-01-15', '23:59:59.999 CET'],
      ['2026-01-15T23:00:00.000Z', '2026-01-16', '00:00 CET'],
      ['2026-07-15T21:59:59.999Z', '2026-07-15', '23:59:59.999 CEST'],
      ['2026-07-15T22:00:00.000Z', '2026-07-16', '00:00 CEST'],
    ]);
    check('Europe/Berlin', 4, [
      ['2026-01-15T02:59:59.999Z', '2026-01-14', '03:59:59.999 CET'],
      ['2026-01-15T03:00:00.000Z', '2026-01-15', '04:00 CET'],
      ['2026-07-15T01:59:59.999Z', '2026-07-14', '03:59:59.999 CEST'],
      ['2026-07-15T02:00:00.000Z', '2026-07-15', '04:00 CEST'],
    ]);
    check('Europe/Berlin', 23, [
      ['2026-07-15T20:59:59.999Z', '2026-07-14', '22:59:59.999 CEST on the 15th'],
      ['2026-07-15T21:00:00.000Z', '2026-07-15', '23:00 CEST on the 15th'],
    ]);
  });

  it('America/New_York in winter (−05:00) and summer (−04:00)', () => {
    check('America/New_York', 0, [
      ['2026-01-16T04:59:59.999Z', '2026-01-15', '23:59:59.999 EST on the 15th'],
      ['2026-01-16T05:00:00.000Z', '2026-01-16', '00:00 EST'],
    ]);
    check('America/New_York', 4, [
      ['2026-07-15T07:59:59.999Z', '2026-07-14', '03:59:59.999 EDT'],
      ['2026-07-15T08:00:00.000Z', '2026-07-15', '04:00 EDT'],
    ]);
    check('America/New_York', 23, [
      ['2026-01-16T03:59:59.999Z', '2026-01-14', '22:59:59.999 EST on the 15th'],
      ['2026-01-16T04:00:00.000Z', '2026-01-15', '23:00 EST on the 15th'],
    ]);
  });

  it('Asia/Kolkata (+05:30): the half-hour offset', () => {
    check('Asia/Kolkata', 0, [
      ['2026-01-15T18:29:59.999Z', '2026-01-15', '23:59:59.999 IST'],
      ['2026-01-15T18:30:00.000Z', '2026-01-16', '00:00 IST'],
    ]);
    check('Asia/Kolkata', 4, [
      ['2026-01-15T22:29:59.999Z', '2026-01-15', '03:59:59.999 IST on the 16th'],
      ['2026-01-15T22:30:00.000Z', '2026-01-16', '04:00 IST on the 16th'],
    ]);
    check('Asia/Kolkata', 23, [
      ['2026-01-15T17:29:59.999Z', '2026-01-14', '22:59:59.999 IST on the 15th'],
      ['2026-01-15T17:30:00.000Z', '2026-01-15', '23:00 IST on the 15th'],
    ]);
  });

  it('Pacific/Kiritimati (+14:00): a day ahead of UTC for most of the UTC day', () => {
    check('Pacific/Kiritimati', 0, [
      ['2026-01-15T09:59:59.999Z', '2026-01-15', '23:59:59.999 on the 15th'],
      ['2026-01-15T10:00:00.000Z', '2026-01-16', '00:00 on the 16th, while UTC is the 15th'],
    ]);
    check('Pacific/Kiritimati', 4, [
      ['2026-01-15T13:59:59.999Z', '2026-01-15', '03:59:59.999 on the 16th'],
      ['2026-01-15T14:00:00.000Z', '2026-01-16', '04:00 on the 16th'],
    ]);
    check('Pacific/Kiritimati', 23, [
      ['2026-01-15T08:59:59.999Z', '2026-01-14', '22:59:59.999 on the 15th'],
      ['2026-01-15T09:00:00.000Z', '2026-01-15', '23:00 on the 15th'],
    ]);
  });

  it('Pacific/Pago_Pago (−11:00): behind UTC', () => {
    check('Pacific/Pago_Pago', 0, [
      ['2026-01-16T10:59:59.999Z', '2026-01-15', '23:59:59.999 on the 15th'],
      ['2026-01-16T11:00:00.000Z', '2026-01-16', '00:00 on the 16th'],
    ]);
    check('Pacific/Pago_Pago', 4, [
      ['2026-01-16T14:59:59.999Z', '2026-01-15', '03:59:59.999 on the 16th'],
      ['2026-01-16T15:00:00.000Z', '2026-01-16', '04:00 on the 16th'],
    ]);
    check('Pacific/Pago_Pago', 23, [
      ['2026-01-16T09:59:59.999Z', '2026-01-14', '22:59:59.999 on the 15th'],
      ['2026-01-16T10:00:00.000Z', '2026-01-15', '23:00 on the 15th'],
    ]);
  });

  it('one instant is three different days in Kiritimati, UTC and Pago Pago', () => {
    // 2026-01-15T10:30Z: 00:30 on the 16th at +14, 10:30 on the 15th in UTC, 23:30 on the 14th at −11.
    expect(day('Pacific/Kiritimati', 0, '2026-01-15T10:30:00.000Z')).toBe('2026-01-16');
    expect(day('UTC', 0, '2026-01-15T10:30:00.000Z')).toBe('2026-01-15');
    expect(day('Pacific/Pago_Pago', 0, '2026-01-15T10:30:00.000Z')).toBe('2026-01-14');
  });

  it('Australia/Lord_Howe in summer (+11:00) and winter (+10:30)', () => {
    check('Australia/Lord_Howe', 0, [
      ['2026-01-15T12:59:59.999Z', '2026-01-15', '23:59:59.999 LHDT'],
      ['2026-01-15T13:00:00.000Z', '2026-01-16', '00:00 LHDT'],
      ['2026-07-15T13:29:59.999Z', '2026-07-15', '23:59:59.999 LHST'],
      ['2026-07-15T13:30:00.000Z', '2026-07-16', '00:00 LHST'],
    ]);
    check('Australia/Lord_Howe', 4, [
      ['2026-07-15T17:29:59.999Z', '2026-07-15', '03:59:59.999 LHST on the 16th'],
      ['2026-07-15T17:30:00.000Z', '2026-07-16', '04:00 LHST on the 16th'],
    ]);
  });
});

describe('userDayAt: the DST changes', () => {
  describe('Europe/Berlin, spring forward on 2026-03-29 (02:00–03:00 does not exist)', () => {
    it('dayStartHour 0: midnight is still 23:00Z', () => {
      check('Europe/Berlin', 0, [
        ['2026-03-28T22:59:59.999Z', '2026-03-28', '23:59:59.999 CET'],
        ['2026-03-28T23:00:00.000Z', '2026-03-29', '00:00 CET'],
      ]);
    });

    it('dayStartHour 2: the 29th starts at 03:00 CEST, the first local time at or after 02:00', () => {
      check('Europe/Berlin', 2, [
        ['2026-03-29T00:59:59.999Z', '2026-03-28', '01:59:59.999 CET, the last instant before the gap'],
        ['2026-03-29T01:00:00.000Z', '2026-03-29', '03:00 CEST, the first instant after the gap'],
      ]);
    });

    it('dayStartHour 3: the 29th starts at the same instant, 03:00 CEST (the 28th lasts 23 hours)', () => {
      check('Europe/Berlin', 3, [
        ['2026-03-28T01:59:59.999Z', '2026-03-27', '02:59:59.999 CET on the 28th'],
        ['2026-03-28T02:00:00.000Z', '2026-03-28', '03:00 CET on the 28th: the 28th starts'],
        ['2026-03-29T00:59:59.999Z', '2026-03-28', '01:59:59.999 CET on the 29th'],
        ['2026-03-29T01:00:00.000Z', '2026-03-29', '03:00 CEST on the 29th: 23 hours after the 28th began'],
      ]);
    });

    it('dayStartHour 4: the 29th starts at 04:00 CEST (02:00Z), not 4 elapsed hours after midnight', () => {
      // 4 elapsed hours after midnight (23:00Z) would be 03:00Z = 05:00 CEST; 4 hours before 02:00Z is
      // 22:00Z = 23:00 CET on the 28th. The local clock is what counts: 04:00 CEST.
      check('Europe/Berlin', 4, [
        ['2026-03-29T01:59:59.999Z', '2026-03-28', '03:59:59.999 CEST'],
        ['2026-03-29T02:00:00.000Z', '2026-03-29', '04:00 CEST'],
      ]);
    });
  });

  describe('Europe/Berlin, fall back on 2026-10-25 (02:00–03:00 happens twice)', () => {
    it('dayStartHour 0: midnight is still 22:00Z (CEST)', () => {
      check('Europe/Berlin', 0, [
        ['2026-10-24T21:59:59.999Z', '2026-10-24', '23:59:59.999 CEST'],
        ['2026-10-24T22:00:00.000Z', '2026-10-25', '00:00 CEST'],
      ]);
    });

    it('dayStartHour 2: the 25th starts at the first 02:00 (CEST) and stays the 25th through the second 02:00–03:00', () => {
      check('Europe/Berlin', 2, [
        ['2026-10-24T23:59:59.999Z', '2026-10-24', '01:59:59.999 CEST'],
        ['2026-10-25T00:00:00.000Z', '2026-10-25', '02:00 CEST, the first 02:00'],
        ['2026-10-25T00:59:59.999Z', '2026-10-25', '02:59:59.999 CEST'],
        ['2026-10-25T01:00:00.000Z', '2026-10-25', '02:00 CET, the second 02:00: no step back'],
        ['2026-10-25T01:59:59.999Z', '2026-10-25', '02:59:59.999 CET'],
      ]);
    });

    it('dayStartHour 3: both passes of 02:00–03:00 belong to the 24th, which lasts 25 hours', () => {
      check('Europe/Berlin', 3, [
        ['2026-10-24T00:59:59.999Z', '2026-10-23', '02:59:59.999 CEST on the 24th'],
        ['2026-10-24T01:00:00.000Z', '2026-10-24', '03:00 CEST on the 24th: the 24th starts'],
        ['2026-10-25T00:30:00.000Z', '2026-10-24', '02:30 CEST, first pass'],
        ['2026-10-25T01:30:00.000Z', '2026-10-24', '02:30 CET, second pass'],
        ['2026-10-25T01:59:59.999Z', '2026-10-24', '02:59:59.999 CET'],
        ['2026-10-25T02:00:00.000Z', '2026-10-25', '03:00 CET: 25 hours after the 24th began'],
      ]);
    });

    it('dayStartHour 4: the 25th starts at 04:00 CET (03:00Z), not 4 elapsed hours after midnight', () => {
      // 03:30 CET (02:30Z) is the 24th; 4 elapsed hours earlier (22:30Z) would already be the 25th (00:30 CEST).
      check('Europe/Berlin', 4, [
        ['2026-10-25T02:30:00.000Z', '2026-10-24', '03:30 CET'],
        ['2026-10-25T02:59:59.999Z', '2026-10-24', '03:59:59.999 CET'],
        ['2026-10-25T03:00:00.000Z', '2026-10-25', '04:00 CET'],
      ]);
    });
  });

  describe('America/New_York', () => {
    it('spring forward on 2026-03-08 with dayStartHour 2: the 8th starts at 03:00 EDT (07:00Z)', () => {
      check('America/New_York', 2, [
        ['2026-03-08T06:59:59.999Z', '2026-03-07', '01:59:59.999 EST'],
        ['2026-03-08T07:00:00.000Z', '2026-03-08', '03:00 EDT'],
      ]);
    });

    it('fall back on 2026-11-01 with dayStartHour 1: the 1st starts at the first 01:00 (EDT)', () => {
      check('America/New_York', 1, [
        ['2026-11-01T04:59:59.999Z', '2026-10-31', '00:59:59.999 EDT'],
        ['2026-11-01T05:00:00.000Z', '2026-11-01', '01:00 EDT, first pass'],
        ['2026-11-01T06:00:00.000Z', '2026-11-01', '01:00 EST, second pass'],
      ]);
    });

    it('fall back on 2026-11-01 with dayStartHour 2: both passes of 01:00–02:00 are the 31st', () => {
      check('America/New_York', 2, [
        ['2026-11-01T05:30:00.000Z', '2026-10-31', '01:30 EDT'],
        ['2026-11-01T06:59:59.999Z', '2026-10-31', '01:59:59.999 EST'],
        ['2026-11-01T07:00:00.000Z', '2026-11-01', '02:00 EST'],
      ]);
    });
  });

  describe('Australia/Lord_Howe (a 30-minute shift)', () => {
    it('spring forward on 2026-10-04 with dayStartHour 2: the 4th starts at 02:30 LHDT', () => {
      check('Australia/Lord_Howe', 2, [
        ['2026-10-03T15:29:59.999Z', '2026-10-03', '01:59:59.999 LHST'],
        ['2026-10-03T15:30:00.000Z', '2026-10-04', '02:30 LHDT, the first instant after the gap'],
      ]);
    });

    it('fall back on 2026-04-05 with dayStartHour 2: both passes of 01:30–02:00 are the 4th', () => {
      check('Australia/Lord_Howe', 2, [
        ['2026-04-04T14:30:00.000Z', '2026-04-04', '01:30 LHDT, first pass'],
        ['2026-04-04T14:59:59.999Z', '2026-04-04', '01:59:59.999 LHDT'],
        ['2026-04-04T15:00:00.000Z', '2026-04-04', '01:30 LHST, second pass'],
        ['2026-04-04T15:29:59.999Z', '2026-04-04', '01:59:59.999 LHST'],
        ['2026-04-04T15:30:00.000Z', '2026-04-05', '02:00 LHST'],
      ]);
    });

    it('dayStartHour 0 on both change days: midnight uses the offset in force', () => {
      check('Australia/Lord_Howe', 0, [
        // 2026-04-05 00:00 is before the change: LHDT, +11:00.
        ['2026-04-04T12:59:59.999Z', '2026-04-04', '23:59:59.999 LHDT'],
        ['2026-04-04T13:00:00.000Z', '2026-04-05', '00:00 LHDT'],
        // 2026-10-04 00:00 is before the change: LHST, +10:30.
        ['2026-10-03T13:29:59.999Z', '2026-10-03', '23:59:59.999 LHST'],
        ['2026-10-03T13:30:00.000Z', '2026-10-04', '00:00 LHST'],
      ]);
    });
  });

  it('Pacific/Apia, which skipped 2011-12-30: no instant is that day', () => {
    check('Pacific/Apia', 0, [
      ['2011-12-30T09:59:59.999Z', '2011-12-29', '23:59:59.999 at −10:00'],
      ['2011-12-30T10:00:00.000Z', '2011-12-31', '00:00 at +14:00'],
    ]);
  });
});

describe('userDayAt: year and leap-day boundaries', () => {
  it('the new year starts at dayStartHour local time', () => {
    check('Europe/Berlin', 4, [
      ['2027-01-01T02:59:59.999Z', '2026-12-31', '03:59:59.999 CET on 1 January'],
      ['2027-01-01T03:00:00.000Z', '2027-01-01', '04:00 CET on 1 January'],
    ]);
    check('America/New_York', 23, [
      ['2027-01-02T03:59:59.999Z', '2026-12-31', '22:59:59.999 EST on 1 January'],
      ['2027-01-02T04:00:00.000Z', '2027-01-01', '23:00 EST on 1 January'],
    ]);
    check('Pacific/Kiritimati', 0, [['2026-12-31T10:00:00.000Z', '2027-01-01', 'while UTC is still 2026']]);
    check('Pacific/Pago_Pago', 0, [['2027-01-01T10:59:59.999Z', '2026-12-31', 'while UTC is already 2027']]);
  });

  it('29 February exists in leap years only', () => {
    check('UTC', 4, [
      ['2024-03-01T03:59:59.999Z', '2024-02-29', 'leap year'],
      ['2025-03-01T03:59:59.999Z', '2025-02-28', 'common year'],
      ['2000-03-01T03:59:59.999Z', '2000-02-29', '2000 is a leap year (divisible by 400)'],
      ['2100-03-01T03:59:59.999Z', '2100-02-28', '2100 is not (divisible by 100)'],
    ]);
    check('UTC', 23, [
      ['2024-02-29T22:59:59.999Z', '2024-02-28', '22:59:59.999 on the 29th'],
      ['2024-02-29T23:00:00.000Z', '2024-02-29', '23:00 on the 29th'],
    ]);
    check('Asia/Kolkata', 0, [['2024-02-28T18:30:00.000Z', '2024-02-29', '00:00 IST on the 29th']]);
    check('Pacific/Pago_Pago', 4, [['2028-03-01T14:59:59.999Z', '2028-02-29', '03:59:59.999 on 1 March']]);
  });
});

describe('userToday', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is userDayAt of the given instant', () => {
    const clock: UserClock = { timezone: 'Europe/Berlin', dayStartHour: 4 };
    expect(userToday(clock, new Date('2026-06-10T00:30:00.000Z'))).toBe('2026-06-09');
    expect(userToday(clock, new Date('2026-06-10T02:00:00.000Z'))).toBe('2026-06-10');
  });

  it('reads the clock when no instant is given', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const clock: UserClock = { timezone: 'Asia/Kolkata', dayStartHour: 4 };
    // 03:59:59.999 and 04:00 IST on 2026-06-10.
    vi.setSystemTime(new Date('2026-06-09T22:29:59.999Z'));
    expect(userToday(clock)).toBe('2026-06-09');
    vi.setSystemTime(new Date('2026-06-09T22:30:00.000Z'));
    expect(userToday(clock)).toBe('2026-06-10');
  });
});

describe('localInstant', () => {
  const at = (timezone: string, date: string, time: string) => localInstant(timezone, date, time).toISOString();

  it('turns ordinary local times into instants in zones without DST', () => {
    // 00:00 at +05:30 is 18:30Z the day before; at +14:00, 10:00Z the day before; at −11:00, 11:00Z.
    expect(at('Asia/Kolkata', '2026-01-01', '00:00')).toBe('2025-12-31T18:30:00.000Z');
    expect(at('Pacific/Kiritimati', '2026-01-01', '00:00')).toBe('2025-12-31T10:00:00.000Z');
    expect(at('Pacific/Pago_Pago', '2026-01-01', '00:00')).toBe('2026-01-01T11:00:00.000Z');
    expect(at('UTC', '2024-02-29', '23:59')).toBe('2024-02-29T23:59:00.000Z');
  });

  it('uses the offset in force on either side of a change', () => {
    // Berlin: 01:59 CET (+01:00) just before the gap, 03:00 CEST (+02:00) just after.
    expect(at('Europe/Berlin', '2026-03-29', '01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('Europe/Berlin', '2026-03-29', '03:00')).toBe('2026-03-29T01:00:00.000Z');
    // Berlin: 01:59 CEST before the repeated hour, 03:00 CET after it.
    expect(at('Europe/Berlin', '2026-10-25', '01:59')).toBe('2026-10-24T23:59:00.000Z');
    expect(at('Europe/Berlin', '2026-10-25', '03:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('moves a skipped local time forward by the gap', () => {
    // Berlin 2026-03-29: 02:30 does not exist; +1 h → 03:30 CEST = 01:30Z (= 02:30 read with the CET offset).
    expect(at('Europe/Berlin', '2026-03-29', '02:30')).toBe('2026-03-29T01:30:00.000Z');
    // 02:00, the first skipped minute, becomes 03:00 CEST = 01:00Z: the same instant as 03:00.
    expect(at('Europe/Berlin', '2026-03-29', '02:00')).toBe('2026-03-29T01:00:00.000Z');
    // New York 2026-03-08: 02:30 → 03:30 EDT (−04:00) = 07:30Z.
    expect(at('America/New_York', '2026-03-08', '02:30')).toBe('2026-03-08T07:30:00.000Z');
    // Lord Howe 2026-10-04: 02:15 falls in the 30-minute gap → 02:45 LHDT (+11:00) = 15:45Z on the 3rd.
    expect(at('Australia/Lord_Howe', '2026-10-04', '02:15')).toBe('2026-10-03T15:45:00.000Z');
    // Apia 2011-12-30 never happened: 12:00 → 12:00 on the 31st at +14:00 = 22:00Z on the 30th.
    expect(at('Pacific/Apia', '2011-12-30', '12:00')).toBe('2011-12-30T22:00:00.000Z');
  });

  it('takes the first of a repeated local time', () => {
    // Berlin 2026-10-25: 02:30 CEST (+02:00) = 00:30Z; the second, 02:30 CET, would be 01:30Z.
    expect(at('Europe/Berlin', '2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z');
    // New York 2026-11-01: 01:30 EDT (−04:00) = 05:30Z; the second, 01:30 EST, would be 06:30Z.
    expect(at('America/New_York', '2026-11-01', '01:30')).toBe('2026-11-01T05:30:00.000Z');
    // Lord Howe 2026-04-05: 01:45 LHDT (+11:00) = 14:45Z on the 4th; the second, 01:45 LHST, would be 15:15Z.
    expect(at('Australia/Lord_Howe', '2026-04-05', '01:45')).toBe('2026-04-04T14:45:00.000Z');
  });

  it('puts a skipped or repeated local time in the user day it names', () => {
    // A reminder's localDate: 02:30 on the change days is the user's 29th / 25th with dayStartHour 0.
    expect(userDayAt({ timezone: 'Europe/Berlin', dayStartHour: 0 }, localInstant('Europe/Berlin', '2026-03-29', '02:30'))).toBe(
      '2026-03-29',
    );
    expect(userDayAt({ timezone: 'Europe/Berlin', dayStartHour: 0 }, localInstant('Europe/Berlin', '2026-10-25', '02:30'))).toBe(
      '2026-10-25',
    );
  });
});

describe('userDayAt and localInstant together, every day of 2026', () => {
  const ZONES = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'Australia/Lord_Howe',
  ];

  it.each(ZONES.flatMap((timezone) => [0, 2, 4, 23].map((dayStartHour) => [timezone, dayStartHour] as const)))(
    '%s, dayStartHour %i: each day starts at its dayStartHour:00 and the millisecond before is the day before',
    (timezone, dayStartHour) => {
      const clock = { timezone, dayStartHour };
      const hour = `${String(dayStartHour).padStart(2, '0')}:00`;
      let previousStart: number | undefined;
      for (let n = 0; n < 365; n += 1) {
        const date = new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
        const dayBefore = new Date(Date.UTC(2026, 0, n)).toISOString().slice(0, 10);
        const start = localInstant(timezone, date, hour);
        expect(userDayAt(clock, start), `${date} ${hour}`).toBe(date);
        expect(userDayAt(clock, new Date(start.getTime() - 1)), `just before ${date} ${hour}`).toBe(dayBefore);
        if (previousStart !== undefined) {
          // A user day lasts 24 hours, or 23 to 25 around a DST change (23.5 to 24.5 on Lord Howe).
          const hours = (start.getTime() - previousStart) / 3_600_000;
          expect(hours).toBeGreaterThanOrEqual(23);
          expect(hours).toBeLessThanOrEqual(25);
        }
        previousStart = start.getTime();
      }
    },
  );
});

describe('createTodayCache', () => {
  it('agrees with userDayAt on every instant, when it answers from the second it last computed too', () => {
    const cachedToday = createTodayCache();
    // With the days of their 2026 DST changes.
    const clocks: [UserClock, string[]][] = [
      [{ timezone: 'Europe/Berlin', dayStartHour: 2 }, ['2026-03-29', '2026-10-25']],
      [{ timezone: 'Australia/Lord_Howe', dayStartHour: 1 }, ['2026-04-05', '2026-10-04']],
      [{ timezone: 'America/St_Johns', dayStartHour: 23 }, ['2026-03-08', '2026-11-01']],
      [{ timezone: 'Pacific/Apia', dayStartHour: 0 }, []],
    ];
    const disagreements = clocks.flatMap(([clock, dstDays]) => {
      // Every 97 minutes of 2026, and every 250 ms for 2 s each side of the start of the DST days and of every 9th day.
      const instants: number[] = [];
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 97 * 60_000) instants.push(t);
      const days = [...dstDays];
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 9 * 86_400_000)
        days.push(new Date(day).toISOString().slice(0, 10));
      for (const date of days) {
        const start = localInstant(clock.timezone, date, `${String(clock.dayStartHour).padStart(2, '0')}:00`).getTime();
        for (let t = start - 2000; t <= start + 2000; t += 250) instants.push(t, t);
      }
      return instants
        .filter((t) => cachedToday(clock, new Date(t)) !== userDayAt(clock, new Date(t)))
        .map((t) => `${clock.timezone} ${new Date(t).toISOString()}`);
    });
    expect(disagreements).toEqual([]);
  });
});
