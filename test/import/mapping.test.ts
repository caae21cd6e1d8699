// Header recognition, mapping suggestions, saved mappings and header-row detection.
import { describe, expect, it } from 'vitest';
import { headerMoneyUnit, matchHeader, normaliseHeader } from '../../shared/import/header-names';
import { findHeaderRow, suggestMapping } from '../../shared/import/mapping';
import {
  mappingFromSaved,
  pickSavedMapping,
  SavedMappingSchema,
  toSavedMapping,
} from '../../shared/import/saved-mapping';

describe('header normalisation', () => {
  it('ignores case, spaces, punctuation, full-width forms and bracketed units', () => {
    expect(normaliseHeader('Loan No.')).toBe('loanno');
    expect(normaliseHeader('loan_no')).toBe('loanno');
    expect(normaliseHeader('贷款金额（元）')).toBe('贷款金额');
    expect(normaliseHeader(' 剩余 本金 ')).toBe('剩余本金');
    expect(normaliseHeader('村/社区')).toBe('村社区');
    expect(normaliseHeader('ＬＯＡＮ　ＮＯ')).toBe('loanno');
  });

  it.each([
    ['贷款编号', 'loan_no'],
    ['借据号', 'loan_no'],
    ['合同号', 'loan_no'],
    ['Loan No.', 'loan_no'],
    ['客户姓名', 'borrower_name'],
    ['借款人', 'borrower_name'],
    ['Borrower Name', 'borrower_name'],
    ['剩余本金', 'outstanding_principal'],
    ['本金余额', 'outstanding_principal'],
    ['Outstanding Principal', 'outstanding_principal'],
    ['村(社区)', 'village'],
    ['乡镇（街道）', 'township'],
    ['客户经理', 'officer_code'],
    ['期限（月）', 'term_months'],
    ['DPD', 'days_past_due'],
  ])('%s -> %s', (header, field) => {
    expect(matchHeader(header)?.field).toBe(field);
  });

  it('recognises a subject word before a known name', () => {
    expect(matchHeader('借款人手机号')).toMatchObject({ field: 'phone', how: 'prefix' });
    expect(matchHeader('Customer Phone')).toMatchObject({ field: 'phone', how: 'prefix' });
    expect(matchHeader('担保人身份证号')).toBeNull();
    expect(matchHeader('备注')).toBeNull();
  });

  it('reads the money unit a header states', () => {
    expect(headerMoneyUnit('贷款金额(万元)')).toBe('wan_yuan');
    expect(headerMoneyUnit('贷款金额（元）')).toBe('yuan');
    expect(headerMoneyUnit('余额(分)')).toBe('fen');
    expect(headerMoneyUnit('剩余本金')).toBeNull();
  });
});

describe('suggestMapping', () => {
  it('prefers the IOU number over the contract number for loan_no, and leaves the other unmapped', () => {
    const s = suggestMapping(['合同号', '借据号', '借款人', '备注']);
    expect(s.mapping.columns.loan_no).toBe('借据号');
    expect(s.unmappedHeaders).toEqual(['合同号', '备注']);
    expect(s.matches).toContainEqual({ header: '借据号', field: 'loan_no', how: 'exact' });
  });

  it('lists required fields without a column', () => {
    const s = suggestMapping(['借据号', '客户名称', '本金余额']);
    expect(s.missingRequired).toEqual(['principal', 'disbursed_on', 'term_months', 'arrears_amount', 'days_past_due']);
  });

  it('carries a 万元 unit into the mapping', () => {
    const s = suggestMapping(['借据号', '贷款金额(万元)', '贷款余额（万元）', '逾期金额']);
    expect(s.mapping.moneyUnits).toEqual({ principal: 'wan_yuan', outstanding_principal: 'wan_yuan' });
  });

  it('an exact header beats a prefixed one for the same field', () => {
    const s = suggestMapping(['借款人手机号', '手机号码']);
    expect(s.mapping.columns.phone).toBe('手机号码');
  });
});

describe('saved mappings', () => {
  const headers = ['借据号', '客户名称', '贷款金额(万元)', '放款日期', '期限', '本金余额', '逾期金额', '逾期天数', '备注'];

  it('round-trip through the zod schema and pick themselves for a file of the same system', () => {
    const { mapping } = suggestMapping(headers);
    const saved = toSavedMapping('信贷系统 V3', mapping, headers, '2026-11-20T08:00:00.000Z', { encoding: 'gbk' });
    const parsed = SavedMappingSchema.parse(JSON.parse(JSON.stringify(saved)));
    expect(parsed).toEqual(saved);
    expect(mappingFromSaved(parsed)).toEqual(mapping);
    const other = toSavedMapping('Other', suggestMapping(['loan_no', 'borrower_name']).mapping, ['loan_no', 'borrower_name'], '2026-11-20T08:00:00.000Z');
    expect(pickSavedMapping(headers, [other, saved])?.sourceSystem).toBe('信贷系统 V3');
    expect(pickSavedMapping(['完全', '不同'], [other, saved])).toBeNull();
  });

  it('the schema refuses unknown fields, units and encodings', () => {
    const base = { version: 1, sourceSystem: 'x', columns: {}, headerSignature: [], savedAt: '2026-11-20T08:00:00.000Z' };
    expect(SavedMappingSchema.safeParse(base).success).toBe(true);
    expect(SavedMappingSchema.safeParse({ ...base, columns: { nickname: 'A' } }).success).toBe(false);
    expect(SavedMappingSchema.safeParse({ ...base, moneyUnits: { principal: 'jin' } }).success).toBe(false);
    expect(SavedMappingSchema.safeParse({ ...base, encoding: 'latin1' }).success).toBe(false);
    expect(SavedMappingSchema.safeParse({ ...base, version: 2 }).success).toBe(false);
  });
});

describe('findHeaderRow', () => {
  it('skips a report title and a blank row above the header', () => {
    const rows = [
      ['平安农商行贷款台账（截至2026年11月20日）', '', ''],
      ['', '', ''],
      ['贷款编号', '客户姓名', '剩余本金'],
      ['LN1', '张三', '100.00'],
    ];
    expect(findHeaderRow(rows)).toBe(2);
  });

  it('falls back to the first full-width row when no header is recognised', () => {
    expect(findHeaderRow([['Report'], ['a', 'b', 'c'], ['1', '2', '3']])).toBe(1);
    expect(findHeaderRow([[''], ['']])).toBe(-1);
  });
});
