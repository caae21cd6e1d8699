// The pure pieces of the sync protocol: HLC stamps, canonical JSON, mutation payload
// schemas, pull cursors, and the value conversions both database engines share.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/sync/canonical-json';
import {
  HybridLogicalClock,
  SERVER_HLC_NODE,
  compareHlc,
  formatHlc,
  parseHlc,
  stampAfter,
} from '../../shared/sync/hlc';
import { caseUpdatePayloadSchema, factPayloadSchema } from '../../shared/sync/mutations';
import { parseInt8, parseTimestamptz } from '../../server/db/database';
import { decodeCursor, encodeCursor } from '../../server/sync/cursor';

const NODE = '0123456789abcdef';
const T = Date.UTC(2026, 10, 28, 7, 30, 0);

describe('hybrid logical clock', () => {
  it('formats fixed-width stamps that sort as strings in time order', () => {
    const a = formatHlc({ millis: T, counter: 0, node: NODE });
    expect(a).toBe('2026-11-28T07:30:00.000Z-0000-0123456789abcdef');
    expect(parseHlc(a)).toEqual({ millis: T, counter: 0, node: NODE });
    const b = formatHlc({ millis: T, counter: 10, node: NODE });
    const c = formatHlc({ millis: T + 1, counter: 0, node: NODE });
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(compareHlc(a, b)).toBeLessThan(0);
    expect(compareHlc(null, a)).toBeLessThan(0);
    expect(parseHlc('2026-11-28T07:30:00Z-0-x')).toBeNull();
  });

  it('keeps moving forward when the wall clock jumps back', () => {
    const clock = new HybridLogicalClock(NODE);
    const s1 = clock.send(T);
    const s2 = clock.send(T - 60_000);
    const s3 = clock.send(T - 60_000);
    expect(compareHlc(s1, s2)).toBeLessThan(0);
    expect(compareHlc(s2, s3)).toBeLessThan(0);
  });

  it('after receiving a stamp from a clock a day ahead, stamps after it', () => {
    const clock = new HybridLogicalClock(NODE);
    const remote = formatHlc({ millis: T + 86_400_000, counter: 3, node: 'fedcba9876543210' });
    clock.receive(remote, T);
    expect(compareHlc(clock.send(T), remote)).toBeGreaterThan(0);
  });

  it('rolls into the next millisecond instead of overflowing the counter', () => {
    const clock = new HybridLogicalClock(
      NODE,
      formatHlc({ millis: T, counter: 0xffff, node: NODE }),
    );
    expect(parseHlc(clock.send(T))).toEqual({ millis: T + 1, counter: 0, node: NODE });
  });

  it('head-office stamps beat whatever is stored, even from a fast device clock', () => {
    const ahead = formatHlc({ millis: T + 86_400_000, counter: 5, node: NODE });
    const mine = stampAfter(ahead, T);
    expect(compareHlc(mine, ahead)).toBeGreaterThan(0);
    expect(mine.endsWith(SERVER_HLC_NODE)).toBe(true);
    expect(
      compareHlc(stampAfter(null, T), formatHlc({ millis: T - 1, counter: 9, node: NODE })),
    ).toBeGreaterThan(0);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: null }], a: 'x', z: undefined })).toBe(
      '{"a":"x","b":[3,{"c":null,"d":1}]}',
    );
    expect(canonicalJson('中文')).toBe('"中文"');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('mutation payloads', () => {
  const base = { factId: 'f1', occurredAt: '2026-11-28T09:00:00.000Z' };

  it('takes money only as positive whole fen', () => {
    const payment = {
      ...base,
      factKind: 'payment',
      loanId: 'l1',
      paidOn: '2026-11-28',
      amountFen: 12_345,
      method: 'cash',
      receiptNo: 'R1',
    };
    expect(factPayloadSchema.safeParse(payment).success).toBe(true);
    for (const amountFen of [0, -1, 12.5, '100'])
      expect(factPayloadSchema.safeParse({ ...payment, amountFen }).success).toBe(false);
    expect(factPayloadSchema.safeParse({ ...payment, receiptNo: '  ' }).success).toBe(false);
    expect(factPayloadSchema.safeParse({ ...payment, paidOn: '2026-02-30' }).success).toBe(false);
    expect(factPayloadSchema.safeParse({ ...payment, extra: 1 }).success).toBe(false);
  });

  it('wants a case update to change something', () => {
    expect(caseUpdatePayloadSchema.safeParse({}).success).toBe(false);
    expect(caseUpdatePayloadSchema.safeParse({ flags: {} }).success).toBe(false);
    expect(caseUpdatePayloadSchema.safeParse({ nextActionDate: null }).success).toBe(true);
    expect(caseUpdatePayloadSchema.safeParse({ flags: { dispute: true } }).success).toBe(true);
  });
});

describe('pull cursors', () => {
  it('round-trip and reject anything else', () => {
    const c = { v: 1 as const, i: 'inst', u: 'user', m: 'f' as const, s: 42 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from('{"v":2}').toString('base64url'))).toBeNull();
  });
});

describe('database values', () => {
  it('reads timestamps in any offset as UTC instants', () => {
    expect(parseTimestamptz('2026-11-28 07:30:00.123456+00')).toBe('2026-11-28T07:30:00.123Z');
    expect(parseTimestamptz('2026-11-28 15:30:00+08')).toBe('2026-11-28T07:30:00.000Z');
    expect(parseTimestamptz('2026-11-28 02:00:00-05:30')).toBe('2026-11-28T07:30:00.000Z');
    expect(() => parseTimestamptz('yesterday')).toThrow();
  });

  it('refuses bigint values a JavaScript number cannot hold exactly', () => {
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseInt8('9007199254740993')).toThrow(/2\^53/);
  });
});

describe('timestamp fast path', () => {
  it('agrees with the general parser on every fraction length', () => {
    for (const text of [
      '2026-11-28 07:30:00+00',
      '2026-11-28 07:30:00.1+00',
      '2026-11-28 07:30:00.12+00',
      '2026-11-28 07:30:00.123+00',
      '2026-11-28 07:30:00.123456+00',
    ]) {
      const general = new Date(
        Date.parse(text.replace(' ', 'T').replace('+00', 'Z')),
      ).toISOString();
      expect(parseTimestamptz(text)).toBe(general);
    }
  });
});
