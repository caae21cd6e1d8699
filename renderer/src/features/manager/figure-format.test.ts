import { describe, expect, it } from 'vitest';
import { average, compactMoney, percent } from './figure-format';

describe('percent', () => {
  it('rounds to one decimal and keeps whole percentages whole', () => {
    expect(percent(0.32159639)).toBe('32.2%');
    expect(percent(0.1456)).toBe('14.6%');
    expect(percent(0)).toBe('0%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.5)).toBe('50%');
  });
  it('writes a dash for a ratio that is not a number', () => {
    expect(percent(Number.NaN)).toBe('–');
  });
});

describe('compactMoney', () => {
  it('writes 万 and 亿 in Chinese', () => {
    expect(compactMoney(9_472_211_773, 'zh-CN')).toBe('¥9,472.2万');
    expect(compactMoney(12_345_678_900, 'zh-CN')).toBe('¥1.23亿');
    expect(compactMoney(1_000_000, 'zh-CN')).toBe('¥1万');
  });
  it('writes k, M and B in English', () => {
    expect(compactMoney(9_472_211_773, 'en')).toBe('¥94.72M');
    expect(compactMoney(1_234_500, 'en')).toBe('¥12.3k');
    expect(compactMoney(250_000_000_000, 'en')).toBe('¥2.5B');
  });
  it('keeps small amounts exact, with cents', () => {
    expect(compactMoney(999_999, 'zh-CN')).toBe('¥9,999.99');
    expect(compactMoney(99_950, 'en')).toBe('¥999.50');
    expect(compactMoney(0, 'en')).toBe('¥0.00');
  });
  it('keeps the sign of a negative amount', () => {
    expect(compactMoney(-2_000_000, 'zh-CN')).toBe('-¥2万');
  });
});

describe('average', () => {
  it('shows one decimal only when needed', () => {
    expect(average(9.571428)).toBe('9.6');
    expect(average(4)).toBe('4');
  });
});
