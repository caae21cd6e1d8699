import { describe, expect, it } from 'vitest';
import { formatFen, parseAmountToFen } from '../../shared/money';

describe('formatFen', () => {
  it.each([
    [123450, '¥1,234.50'],
    [-5, '-¥0.05'],
    [0, '¥0.00'],
    [1, '¥0.01'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [99999, '¥999.99'],
    [100000, '¥1,000.00'],
    [123456789, '¥1,234,567.89'],
    [-123456789, '-¥1,234,567.89'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%i fen -> %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses fractional fen, which would be a bug upstream', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
    expect(() => formatFen(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseAmountToFen', () => {
  it.each([
    ['1,234.50', 123450],
    ['¥1,234.5', 123450],
    ['￥1,234.50', 123450],
    ['1234.5元', 123450],
    ['1234 元', 123400],
    ['１２３４.５', 123450],
    ['１，２３４．５０', 123450],
    ['￥１２３４', 123400],
    [' 12 ', 1200],
    ['\t12\n', 1200],
    ['0.29', 29],
    ['0.57', 57],
    ['1.1', 110],
    ['.5', 50],
    ['12.', 1200],
    ['0', 0],
    ['-0', 0],
    ['-5', -500],
    ['-¥0.05', -5],
    ['¥-0.05', -5],
    ['－３', -300],
    ['+7', 700],
    ['1,234,567.89', 123456789],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['RMB 100', 10000],
  ])('%j -> %i fen', (text, fen) => {
    expect(parseAmountToFen(text)).toBe(fen);
  });

  it.each([
    [''],
    ['   '],
    ['abc'],
    ['12abc'],
    ['1.234'],
    ['1.005'],
    ['0.001'],
    ['12,34'],
    ['1234,567'],
    [',123'],
    ['1,23,456'],
    ['.'],
    ['¥'],
    ['--5'],
    ['-¥-5'],
    ['1.2.3'],
    ['1e5'],
    ['90071992547409.92'],
    ['99999999999999999999'],
    ['¥¥5'],
  ])('%j -> null', (text) => {
    expect(parseAmountToFen(text)).toBeNull();
  });

  it('round-trips every formatted amount', () => {
    for (const fen of [
      0,
      1,
      29,
      57,
      100,
      123450,
      -5,
      -123456789,
      1_000_000_000_00,
      Number.MAX_SAFE_INTEGER,
    ]) {
      expect(parseAmountToFen(formatFen(fen))).toBe(fen);
    }
  });

  it('never suffers float multiplication errors on two-decimal amounts', () => {
    for (let yuan = 0; yuan < 20; yuan++) {
      for (let cents = 0; cents < 100; cents++) {
        const text = `${yuan}.${String(cents).padStart(2, '0')}`;
        expect(parseAmountToFen(text)).toBe(yuan * 100 + cents);
      }
    }
  });
});
