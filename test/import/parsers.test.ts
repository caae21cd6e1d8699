// Cell parsers: amounts, dates, phones, ID numbers, whole numbers, rates, loan numbers.
import { describe, expect, it } from 'vitest';
import { fenToYuanText, parseImportAmount } from '../../shared/import/amount';
import { guessAsOfDate, parseImportDate } from '../../shared/import/date';
import {
  parseIdNumber,
  parseImportInteger,
  parseLoanNo,
  parsePhones,
  parseRatePct,
  parseText,
} from '../../shared/import/field-parsers';

describe('parseImportAmount', () => {
  it.each([
    ['1,234.50', 123_450],
    ['¥1,234.5', 123_450],
    ['￥1,234.50', 123_450],
    ['1234.5元', 123_450],
    ['１２３４．５', 123_450],
    ['１，２３４．５０', 123_450],
    ['"100,000.00"'.slice(1, -1), 10_000_000],
    [' 0.29 ', 29],
    ['(1,234.50)', -123_450],
    ['-5', -500],
  ])('text %j -> %i fen', (text, fen) => {
    expect(parseImportAmount(text)).toEqual({ ok: true, fen });
  });

  it.each([[''], ['  '], ['-'], ['--'], ['—'], [null]])('%j is blank', (cell) => {
    expect(parseImportAmount(cell)).toBeNull();
  });

  it.each([['abc'], ['1.234'], ['12,34'], ['1e5'], ['(-5)'], ['¥¥5']])('%j is not an amount', (text) => {
    expect(parseImportAmount(text)).toEqual({ ok: false, code: 'bad_amount' });
  });

  it('takes numeric XLSX cells within float noise of a whole fen, and refuses sub-fen precision', () => {
    expect(parseImportAmount(4568.47)).toEqual({ ok: true, fen: 456_847 });
    expect(parseImportAmount(0.1 + 0.2)).toEqual({ ok: true, fen: 30 });
    expect(parseImportAmount(100000)).toEqual({ ok: true, fen: 10_000_000 });
    expect(parseImportAmount(1.005)).toEqual({ ok: false, code: 'bad_amount' });
    expect(parseImportAmount(Number.NaN)).toEqual({ ok: false, code: 'bad_amount' });
    expect(parseImportAmount(new Date())).toEqual({ ok: false, code: 'bad_amount' });
  });

  it('scales columns counted in 万元 or fen', () => {
    expect(parseImportAmount('1.5', 'wan_yuan')).toEqual({ ok: true, fen: 1_500_000 });
    expect(parseImportAmount('10万', 'wan_yuan')).toEqual({ ok: true, fen: 10_000_000 });
    expect(parseImportAmount('0.000001', 'wan_yuan')).toEqual({ ok: true, fen: 1 });
    expect(parseImportAmount('0.0000001', 'wan_yuan')).toEqual({ ok: false, code: 'bad_amount' });
    expect(parseImportAmount(2.5, 'wan_yuan')).toEqual({ ok: true, fen: 2_500_000 });
    expect(parseImportAmount('123450', 'fen')).toEqual({ ok: true, fen: 123_450 });
    expect(parseImportAmount('1.5', 'fen')).toEqual({ ok: false, code: 'bad_amount' });
  });

  it('fenToYuanText prints two decimals without grouping', () => {
    expect(fenToYuanText(123_450)).toBe('1234.50');
    expect(fenToYuanText(-5)).toBe('-0.05');
    expect(fenToYuanText(0)).toBe('0.00');
  });
});

describe('parseImportDate', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026.3.5', '2026-03-05'],
    ['20260305', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['2026年03月05日', '2026-03-05'],
    ['２０２６年３月５日', '2026-03-05'],
    ['２０２６－０３－０５', '2026-03-05'],
    ['2026-03-05 00:00:00', '2026-03-05'],
    ['2026/3/5 14:30', '2026-03-05'],
    ['2028-02-29', '2028-02-29'],
  ])('%j -> %s', (text, iso) => {
    expect(parseImportDate(text)).toEqual({ ok: true, date: iso });
  });

  it.each([['2026-02-30'], ['2027-02-29'], ['2026-13-01'], ['2026/4/31'], ['20260230'], ['2026年2月30日']])(
    '%j is impossible',
    (text) => {
      expect(parseImportDate(text)).toEqual({ ok: false, code: 'impossible_date' });
    },
  );

  it.each([['tomorrow'], ['3/5/2026'], ['2026-3'], ['2026-03/05'], ['26-3-5'], [true]])('%j is not a date', (cell) => {
    expect(parseImportDate(cell)).toEqual({ ok: false, code: 'bad_date' });
  });

  it('refuses dates outside 1950-2100 (Excel zero date, typos)', () => {
    expect(parseImportDate('1899-12-30')).toEqual({ ok: false, code: 'date_out_of_range' });
    expect(parseImportDate('2206-03-05')).toEqual({ ok: false, code: 'date_out_of_range' });
  });

  it('reads XLSX date cells, serial numbers and yyyymmdd numbers', () => {
    expect(parseImportDate(new Date(Date.UTC(2026, 2, 5)))).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseImportDate(46086)).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseImportDate(46086.75)).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseImportDate(20260305)).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseImportDate(20260230)).toEqual({ ok: false, code: 'impossible_date' });
  });

  it('blank cells are null', () => {
    expect(parseImportDate('')).toBeNull();
    expect(parseImportDate(null)).toBeNull();
  });

  it('guessAsOfDate finds the snapshot date in a title or file name', () => {
    expect(guessAsOfDate(['平安农商行贷款台账（截至2026年11月20日）'])).toBe('2026-11-20');
    expect(guessAsOfDate(['loans_20261120.csv'])).toBe('2026-11-20');
    expect(guessAsOfDate(['统计期间 2026-11-01 至 2026-11-20'])).toBe('2026-11-20');
    expect(guessAsOfDate(['LN120000000.csv', '台账'])).toBeNull();
  });
});

describe('parsePhones', () => {
  it.each([
    ['13800000001', '13800000001', []],
    ['138 0000 0001', '13800000001', []],
    ['+86 138-0000-0001', '13800000001', []],
    ['8613800000001', '13800000001', []],
    ['0833-1234567', '08331234567', []],
    ['(010)12345678', '01012345678', []],
    ['13800000001/13900000002', '13800000001', ['13900000002']],
    ['13800000001、0833-1234567', '13800000001', ['08331234567']],
  ])('%j', (text, first, others) => {
    const parsed = parsePhones(text);
    expect(parsed).toMatchObject({ ok: true, value: { first, others, masked: false } });
  });

  it('keeps a masked mobile but says it is masked', () => {
    expect(parsePhones('138****0001')).toMatchObject({ ok: true, value: { first: '138****0001', masked: true } });
  });

  it('reads a number cell as digits', () => {
    expect(parsePhones(13800000001)).toMatchObject({ ok: true, value: { first: '13800000001' } });
  });

  it.each([['12345'], ['1380000000'], ['23800000001'], ['phone'], ['13800000001/abc']])('%j is not a phone', (text) => {
    expect(parsePhones(text)).toEqual({ ok: false, code: 'bad_phone' });
  });
});

describe('parseIdNumber', () => {
  it('accepts a valid check digit, an X, the 15-digit form and masked exports', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('110105491231002')).toEqual({ ok: true, value: '110105491231002' });
    expect(parseIdNumber('1742181994********')).toEqual({ ok: true, value: '1742181994********' });
  });

  it('refuses a wrong check digit, a wrong length and an 18-digit number that went through a float', () => {
    expect(parseIdNumber('110105194912310021')).toMatchObject({ ok: false, code: 'bad_id_number', params: { reason: 'check_digit' } });
    expect(parseIdNumber('11010519491231')).toMatchObject({ ok: false, code: 'bad_id_number' });
    expect(parseIdNumber(110105194912310020)).toMatchObject({ ok: false, code: 'bad_id_number', params: { reason: 'precision_lost' } });
  });
});

describe('parseImportInteger', () => {
  it('reads terms with units and days with separators', () => {
    expect(parseImportInteger('12', 'term')).toEqual({ ok: true, value: 12 });
    expect(parseImportInteger('12个月', 'term')).toEqual({ ok: true, value: 12 });
    expect(parseImportInteger('36期', 'term')).toEqual({ ok: true, value: 36 });
    expect(parseImportInteger('3年', 'term')).toEqual({ ok: true, value: 36 });
    expect(parseImportInteger('1,200', 'days')).toEqual({ ok: true, value: 1200 });
    expect(parseImportInteger('45天', 'days')).toEqual({ ok: true, value: 45 });
    expect(parseImportInteger('12.0', 'term')).toEqual({ ok: true, value: 12 });
    expect(parseImportInteger(24, 'term')).toEqual({ ok: true, value: 24 });
    expect(parseImportInteger('-3', 'days')).toEqual({ ok: true, value: -3 });
  });

  it('refuses fractions and words', () => {
    expect(parseImportInteger('12.5', 'term')).toEqual({ ok: false, code: 'bad_integer' });
    expect(parseImportInteger(12.5, 'term')).toEqual({ ok: false, code: 'bad_integer' });
    expect(parseImportInteger('twelve', 'term')).toEqual({ ok: false, code: 'bad_integer' });
  });
});

describe('parseRatePct / parseLoanNo / parseText', () => {
  it('reads rates as percent per year', () => {
    expect(parseRatePct('4.35%')).toEqual({ ok: true, value: 4.35 });
    expect(parseRatePct('4.35')).toEqual({ ok: true, value: 4.35 });
    expect(parseRatePct('43.5‰')).toEqual({ ok: true, value: 4.35 });
    expect(parseRatePct('four')).toEqual({ ok: false, code: 'bad_rate' });
  });

  it('keeps loan numbers as text and refuses ones Excel turned into floats', () => {
    expect(parseLoanNo(' LN0001 ')).toEqual({ ok: true, value: 'LN0001' });
    expect(parseLoanNo('="000123"')).toEqual({ ok: true, value: '000123' });
    expect(parseLoanNo("'000123")).toEqual({ ok: true, value: '000123' });
    expect(parseLoanNo('ＬＮ０００１')).toEqual({ ok: true, value: 'LN0001' });
    expect(parseLoanNo(2025010100012)).toEqual({ ok: true, value: '2025010100012' });
    expect(parseLoanNo('2.02501E+13')).toMatchObject({ ok: false, code: 'bad_loan_no', params: { reason: 'scientific_notation' } });
    expect(parseLoanNo(20250101000123456)).toMatchObject({ ok: false, code: 'bad_loan_no', params: { reason: 'precision_lost' } });
    expect(parseLoanNo('')).toBeNull();
  });

  it('collapses whitespace, refuses garbled and over-long text', () => {
    expect(parseText('  张  三 ', 10)).toEqual({ ok: true, value: '张 三' });
    expect(parseText('张\uFFFD', 10)).toMatchObject({ ok: false, code: 'bad_text' });
    expect(parseText('x'.repeat(11), 10)).toMatchObject({ ok: false, code: 'too_long', params: { max: 10 } });
  });
});
