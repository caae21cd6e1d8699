import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  businessDate,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  formatMinuteOfDay,
  isIsoDate,
  localDateTime,
  parseMinuteOfDay,
  zonedTimeToInstant,
} from '../../shared/dates';

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2028-02-29', '2000-02-29', '2026-12-31'])('%s is a date', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });
  it.each([
    '2027-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-1',
    '20260101',
    '',
    '2026-01-01T00:00:00Z',
  ])('%j is not', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });
});

describe('addDays / daysBetween', () => {
  it('crosses month ends and 29 Feb', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-20', 0)).toBe('2026-11-20');
  });
  it('counts whole days either way, ignoring any daylight-saving shift', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2028-01-01', '2028-12-31')).toBe(365);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2); // US spring-forward weekend
  });
  it('refuses malformed dates rather than guessing', () => {
    expect(() => addDays('2027-02-29', 1)).toThrow(RangeError);
    expect(() => daysBetween('2026-1-1', '2026-01-02')).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('addMonthsClamped', () => {
  it('clamps to the last day of shorter months', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonthsClamped('2028-02-29', 12)).toBe('2029-02-28');
  });
  it('goes back a year and across year ends', () => {
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
  });
  it('keeps a schedule anchored on the 31st after a clamped month', () => {
    expect(addMonthsClamped('2026-02-28', 1)).toBe('2026-03-28');
    expect(addMonthsClamped('2026-02-28', 1, 31)).toBe('2026-03-31');
    expect(addMonthsClamped('2026-02-28', 2, 30)).toBe('2026-04-30');
  });
  it('rejects a bad anchor day', () => {
    expect(() => addMonthsClamped('2026-01-01', 1, 32)).toThrow(RangeError);
    expect(() => addMonthsClamped('2026-01-01', 1, 0)).toThrow(RangeError);
  });
});

describe('businessDate / localDateTime', () => {
  it('puts 16:00Z on the next day in Shanghai and the same day in Chicago', () => {
    expect(businessDate('2026-11-19T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-20');
    expect(businessDate('2026-11-19T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-11-19');
    expect(businessDate('2026-11-20T05:00:00.000Z', 'America/Chicago')).toBe('2026-11-19');
    expect(businessDate(new Date('2026-11-20T06:00:00.000Z'), 'America/Chicago')).toBe(
      '2026-11-20',
    );
  });
  it('gives midnight as 00:00, not 24:00', () => {
    expect(localDateTime('2026-11-19T16:00:00.000Z', 'Asia/Shanghai')).toEqual({
      date: '2026-11-20',
      minuteOfDay: 0,
      second: 0,
    });
  });
  it('throws on a bad zone or instant', () => {
    expect(() => businessDate('2026-11-19T16:00:00.000Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => businessDate('yesterday', 'Asia/Shanghai')).toThrow(RangeError);
  });
});

describe('zonedTimeToInstant', () => {
  it('converts a Shanghai wall time', () => {
    expect(zonedTimeToInstant('2026-11-20', 8 * 60, 'Asia/Shanghai')).toBe(
      '2026-11-20T00:00:00.000Z',
    );
  });
  it('follows Chicago daylight saving', () => {
    expect(zonedTimeToInstant('2026-07-01', 8 * 60, 'America/Chicago')).toBe(
      '2026-07-01T13:00:00.000Z',
    );
    expect(zonedTimeToInstant('2026-12-01', 8 * 60, 'America/Chicago')).toBe(
      '2026-12-01T14:00:00.000Z',
    );
    // 8 March 2026: clocks jump 02:00 -> 03:00; 08:00 is already CDT.
    expect(zonedTimeToInstant('2026-03-08', 8 * 60, 'America/Chicago')).toBe(
      '2026-03-08T13:00:00.000Z',
    );
    // A wall time inside the gap is pushed forward by the gap.
    expect(zonedTimeToInstant('2026-03-08', 2 * 60 + 30, 'America/Chicago')).toBe(
      '2026-03-08T08:30:00.000Z',
    );
  });
  it('accepts 24:00 as the next midnight', () => {
    expect(zonedTimeToInstant('2026-11-20', 24 * 60, 'Asia/Shanghai')).toBe(
      '2026-11-20T16:00:00.000Z',
    );
  });
});

describe('formatIsoDate', () => {
  it('writes Chinese and English dates', () => {
    expect(formatIsoDate('2026-11-20', 'zh-CN')).toBe('2026年11月20日');
    expect(formatIsoDate('2026-11-20', 'en')).toBe('20 Nov 2026');
    expect(formatIsoDate('2028-02-09', 'zh-CN')).toBe('2028年2月9日');
    expect(formatIsoDate('2028-02-09', 'en')).toBe('9 Feb 2028');
  });
});

describe('minute of day', () => {
  it('formats and parses HH:MM', () => {
    expect(formatMinuteOfDay(480)).toBe('08:00');
    expect(formatMinuteOfDay(1319)).toBe('21:59');
    expect(parseMinuteOfDay('22:00')).toBe(1320);
    expect(parseMinuteOfDay('24:00')).toBe(1440);
    expect(parseMinuteOfDay('24:01')).toBeNull();
    expect(parseMinuteOfDay('8:00')).toBeNull();
    expect(parseMinuteOfDay('08:60')).toBeNull();
  });
});

describe('daysInMonth', () => {
  it('knows the Gregorian leap years, centuries included', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it('agrees with the calendar for every month of four centuries', () => {
    for (let y = 1900; y <= 2300; y++) {
      for (let m = 1; m <= 12; m++) {
        expect(daysInMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
      }
    }
  });

  it('still refuses impossible dates in arithmetic', () => {
    expect(() => addMonthsClamped('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addMonthsClamped('2026-13-01', 1)).toThrow(RangeError);
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2100-01-31', 1)).toBe('2100-02-28');
  });
});
