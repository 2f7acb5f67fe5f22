import { describe, expect, it } from 'vitest';
import { addDays, endOfMonth, fromDayNumber, startOfIsoWeek, toDayNumber } from '../../src/utils/dates.js';

const DAY_MS = 86_400_000;

describe('day numbers', () => {
  it('toDayNumber agrees with the Date of every day from 1600 to 2400, and fromDayNumber inverts it', () => {
    const first = Date.UTC(1600, 0, 1) / DAY_MS;
    const last = Date.UTC(2400, 11, 31) / DAY_MS;
    for (let day = first; day <= last; day += 1) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (toDayNumber(date) !== day || fromDayNumber(day) !== date) expect.fail(`${date}: ${toDayNumber(date)} ≠ ${day}`);
    }
  });

  it('counts leap days: 2000 and 2400 are leap years, 1900 and 2100 are not', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
    expect(toDayNumber('1900-03-01') - toDayNumber('1900-02-28')).toBe(1);
    expect(toDayNumber('2100-03-01') - toDayNumber('2100-02-28')).toBe(1);
    expect(toDayNumber('2400-03-01') - toDayNumber('2400-02-28')).toBe(2);
    expect(toDayNumber('1969-12-31')).toBe(-1);
  });

  it('drives the calendar helpers', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(startOfIsoWeek('2026-01-01')).toBe('2025-12-29');
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29');
  });
});
