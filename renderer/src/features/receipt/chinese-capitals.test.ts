import { describe, expect, it } from 'vitest';
import { amountInChineseCapitals as caps } from './chinese-capitals';

describe('amountInChineseCapitals', () => {
  it('writes the example from the receipt design', () => {
    expect(caps(123450)).toBe('壹仟贰佰叁拾肆元伍角');
  });

  it('ends whole yuan with 整 and writes the 壹 of 壹拾', () => {
    expect(caps(100)).toBe('壹元整');
    expect(caps(1000)).toBe('壹拾元整');
    expect(caps(1500)).toBe('壹拾伍元整');
    expect(caps(100000)).toBe('壹仟元整');
    expect(caps(10000000)).toBe('壹拾万元整');
  });

  it('puts one 零 for zeros between significant digits', () => {
    expect(caps(100450)).toBe('壹仟零肆元伍角');
    expect(caps(101000)).toBe('壹仟零壹拾元整');
    expect(caps(10000100)).toBe('壹拾万零壹元整');
    expect(caps(200001000)).toBe('贰佰万零壹拾元整');
    expect(caps(10500000000)).toBe('壹亿零伍佰万元整');
    expect(caps(10050000000)).toBe('壹亿零伍拾万元整');
    expect(caps(10000000100)).toBe('壹亿零壹元整');
    expect(caps(101000000)).toBe('壹佰零壹万元整');
    expect(caps(1001000000)).toBe('壹仟零壹万元整');
  });

  it('writes 角 and 分, with 零 between 元 and 分 when there are no 角', () => {
    expect(caps(100005)).toBe('壹仟元零伍分');
    expect(caps(123456)).toBe('壹仟贰佰叁拾肆元伍角陆分');
    expect(caps(150)).toBe('壹元伍角');
  });

  it('leaves out 元 below one yuan', () => {
    expect(caps(50)).toBe('伍角');
    expect(caps(5)).toBe('伍分');
    expect(caps(55)).toBe('伍角伍分');
    expect(caps(0)).toBe('零元整');
  });

  it('refuses what a receipt never shows', () => {
    expect(() => caps(-100)).toThrow(RangeError);
    expect(() => caps(12.5)).toThrow(RangeError);
    expect(() => caps(Number.MAX_SAFE_INTEGER)).not.toThrow();
  });
});
