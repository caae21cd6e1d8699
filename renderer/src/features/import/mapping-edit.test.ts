import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../../../shared/import';
import { assignColumn, exampleValue, rawCellText, setMoneyUnit } from './mapping-edit';

describe('assignColumn', () => {
  const mapping = { columns: { loan_no: '贷款编号', principal: '贷款金额(元)' }, splitAddress: true };
  it('moves a column from the field that had it: one column feeds one field', () => {
    const next = assignColumn(mapping, 'outstanding_principal', '贷款金额(元)');
    expect(next.columns).toEqual({ loan_no: '贷款编号', outstanding_principal: '贷款金额(元)' });
    expect(next.splitAddress).toBe(true);
  });
  it('clears a field', () => {
    expect(assignColumn(mapping, 'principal', undefined).columns).toEqual({ loan_no: '贷款编号' });
  });
  it('leaves the mapping it was given alone', () => {
    assignColumn(mapping, 'loan_no', '借据号');
    expect(mapping.columns.loan_no).toBe('贷款编号');
  });
});

describe('setMoneyUnit', () => {
  it('stores 万元 and 分, and yuan as the default (nothing stored)', () => {
    const wan = setMoneyUnit({ columns: {} }, 'principal', 'wan_yuan');
    expect(wan.moneyUnits).toEqual({ principal: 'wan_yuan' });
    expect(setMoneyUnit(wan, 'principal', 'yuan').moneyUnits).toEqual({});
  });
});

describe('exampleValue', () => {
  const rows: RawRow[] = [
    { rowNumber: 2, cells: { 手机号码: '', 放款日期: new Date('2026-03-05T00:00:00Z') } },
    { rowNumber: 3, cells: { 手机号码: ' 13800000000 ', 放款日期: null } },
  ];
  it('shows the first value that is not blank', () => {
    expect(exampleValue(rows, '手机号码')).toBe('13800000000');
    expect(exampleValue(rows, '放款日期')).toBe('2026-03-05');
    expect(exampleValue(rows, undefined)).toBe('');
    expect(rawCellText(12.5)).toBe('12.5');
  });
});
