// Every import code has words in both languages, and the words come out filled in.
import { describe, expect, it } from 'vitest';
import { FILE_ISSUE_CODES, READ_ERROR_REASONS, ROW_ISSUE_CODES, type RowIssue } from '../../shared/import/issue-codes';
import {
  FILE_ISSUE_MESSAGES,
  formatFileIssue,
  formatReadError,
  formatRowIssue,
  READ_ERROR_MESSAGES,
  ROW_ISSUE_MESSAGES,
} from '../../shared/import/messages';
import { EN_HEADER, enRow, readAndValidate, tempDir, writeText } from './helpers';

describe('import messages', () => {
  it('cover every code in zh-CN and en', () => {
    for (const code of ROW_ISSUE_CODES) {
      expect(ROW_ISSUE_MESSAGES[code]['zh-CN'], code).toMatch(/\S/);
      expect(ROW_ISSUE_MESSAGES[code].en, code).toMatch(/\S/);
    }
    for (const code of FILE_ISSUE_CODES) expect(Object.keys(FILE_ISSUE_MESSAGES[code])).toEqual(['zh-CN', 'en']);
    for (const reason of READ_ERROR_REASONS) expect(Object.keys(READ_ERROR_MESSAGES[reason])).toEqual(['zh-CN', 'en']);
  });

  it('fill field labels, money and values', () => {
    const issue: RowIssue = {
      rowNumber: 7,
      field: 'outstanding_principal',
      column: '剩余本金',
      code: 'outstanding_exceeds_principal',
      severity: 'error',
      params: { outstandingFen: 100_001, principalFen: 100_000 },
    };
    expect(formatRowIssue(issue, 'zh-CN')).toBe('剩余本金 ¥1,000.01 大于贷款金额 ¥1,000.00');
    expect(formatRowIssue(issue, 'en')).toBe('Outstanding principal ¥1,000.01 is more than the principal ¥1,000.00');
    const missing: RowIssue = { ...issue, field: 'borrower_name', code: 'missing_value', params: { field: 'borrower_name' } };
    expect(formatRowIssue(missing, 'zh-CN')).toBe('客户姓名为空');
    expect(formatFileIssue({ code: 'missing_required_column', field: 'principal', params: { field: 'principal' } }, 'en')).toBe(
      'No column is mapped to the required field "Principal"',
    );
    expect(formatReadError('sheet_not_found', { sheet: 'x', sheets: '说明, 明细' }, 'zh-CN')).toBe('找不到工作表“x”（现有：说明, 明细）');
  });

  it('leave no placeholder unfilled for the issues a bad file produces', async () => {
    const dir = tempDir();
    const file = writeText(
      dir,
      'bad.csv',
      [
        EN_HEADER,
        enRow({ loan_no: '', phone: '1', principal: 'x', disbursed_on: '2026-02-30', term_months: '0', days_past_due: '-1' }),
        enRow({ loan_no: 'D', officer_code: 'OF999', id_number: '123', next_due_on: '1800-01-01' }),
        enRow({ loan_no: 'D', outstanding_principal: '99999', arrears_amount: '0', days_past_due: '3', phone: '138****0000' }),
      ].join('\n'),
    );
    const { report } = await readAndValidate(file);
    expect(report.issues.length).toBeGreaterThan(8);
    for (const issue of report.issues) {
      for (const lang of ['zh-CN', 'en'] as const) expect(formatRowIssue(issue, lang), issue.code).not.toMatch(/[{}]/);
    }
  });
});
