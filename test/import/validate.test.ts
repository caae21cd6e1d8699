// Validation of generated files with a bad row of every kind: each code on the right row and
// field, counts and totals that leave rejected rows out, both duplicates reported.
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../shared/import/raw-row';
import type { RowIssueCode } from '../../shared/import/issue-codes';
import type { PortfolioFieldKey } from '../../shared/import/fields';
import { suggestMapping } from '../../shared/import/mapping';
import { toWireReport, validatePortfolio, type ValidatedRow } from '../../shared/import/validate';
import { CONTEXT, EN_HEADER, enRow, readAndValidate, tempDir, writeText } from './helpers';

const dir = tempDir();

// [overrides, expected issues] per data row; row numbers start at 2 (the header is row 1).
const CASES: Array<[Partial<Record<string, string>>, Array<[PortfolioFieldKey | null, RowIssueCode]>]> = [
  [{ loan_no: 'LN-OK' }, []],
  [{ loan_no: '' }, [['loan_no', 'missing_loan_no']]],
  [{ loan_no: 'LN-NEG', outstanding_principal: '-100.00' }, [['outstanding_principal', 'negative_amount']]],
  [{ loan_no: 'LN-AMT', principal: '12,34' }, [['principal', 'bad_amount']]],
  [{ loan_no: 'LN-FEB30', disbursed_on: '2026-02-30' }, [['disbursed_on', 'impossible_date']]],
  [{ loan_no: 'LN-SOON', next_due_on: 'soon' }, [['next_due_on', 'bad_date']]],
  [{ loan_no: 'LN-DUP', outstanding_principal: '1000.00' }, [['loan_no', 'duplicate_loan_no_in_file']]],
  [{ loan_no: 'LN-OFF', officer_code: 'OF999' }, [['officer_code', 'unknown_officer_code']]],
  [{ loan_no: 'LN-TEL', phone: '12345' }, [['phone', 'bad_phone']]],
  [{ loan_no: 'LN-TERM0', term_months: '0' }, [['term_months', 'term_out_of_range']]],
  [{ loan_no: 'LN-DUP', outstanding_principal: '2000.00' }, [['loan_no', 'duplicate_loan_no_in_file']]],
  [{ loan_no: 'LN-OVER', principal: '1000.00', outstanding_principal: '1000.01' }, [['outstanding_principal', 'outstanding_exceeds_principal']]],
  [{ loan_no: 'LN-NONAME', borrower_name: '' }, [['borrower_name', 'missing_value']]],
  [{ loan_no: 'LN-ID', id_number: '110105194912310021' }, [['id_number', 'bad_id_number']]],
  [{ loan_no: 'LN-DPD', days_past_due: '-3' }, [['days_past_due', 'days_past_due_out_of_range']]],
  [{ loan_no: 'LN-FRAC', term_months: '12.5' }, [['term_months', 'bad_integer']]],
  [{ loan_no: 'LN-ZERO', principal: '0', outstanding_principal: '0' }, [['principal', 'zero_principal']]],
  [{ loan_no: 'LN-FUTURE', disbursed_on: '2026-12-01' }, [['disbursed_on', 'disbursed_after_as_of']]],
  [{ loan_no: 'LN-BACK', disbursed_on: '2026-03-01', next_due_on: '2026-02-01' }, [['next_due_on', 'next_due_before_disbursed']]],
  [{ loan_no: 'LN-1899', next_due_on: '1899-12-30' }, [['next_due_on', 'date_out_of_range']]],
  [{ loan_no: '2.02501E+13' }, [['loan_no', 'bad_loan_no']]],
  [{ loan_no: 'LN-MASK', phone: '138****0001' }, [['phone', 'masked_phone']]],
  [{ loan_no: 'LN-ARR0', arrears_amount: '100.00', days_past_due: '0' }, [['days_past_due', 'arrears_without_days_past_due']]],
  [{ loan_no: 'LN-DPD0', arrears_amount: '0', days_past_due: '5' }, [['arrears_amount', 'days_past_due_without_arrears']]],
  [{ loan_no: 'LN-ARRX', outstanding_principal: '500.00', arrears_amount: '600.00' }, [['arrears_amount', 'arrears_exceed_outstanding']]],
  [{ loan_no: 'LN-LONG', borrower_name: '名'.repeat(101) }, [['borrower_name', 'too_long']]],
  [{ loan_no: 'LN-GARBLED', borrower_name: '张\uFFFD' }, [['borrower_name', 'bad_text']]],
  [{ loan_no: 'LN-TWO', principal: 'abc', disbursed_on: '2026-02-30' }, [['principal', 'bad_amount'], ['disbursed_on', 'impossible_date']]],
];
const WARNING_CODES = new Set<RowIssueCode>([
  'masked_phone',
  'arrears_without_days_past_due',
  'days_past_due_without_arrears',
  'arrears_exceed_outstanding',
]);

function badFile(): string {
  const lines = [EN_HEADER, ...CASES.map(([o]) => enRow(o))];
  // A totals line and a footer under the data, as core systems print them.
  lines.push('合计,,,,,,,,"5,000,000.00",,,,"2,500,000.00",,,,,,');
  lines.push('制表人：王五,,,,,,,,,,,,,,,,,,');
  return writeText(dir, 'bad-rows.csv', lines.join('\n') + '\n');
}

describe('validatePortfolio on a file with a bad row of every kind', async () => {
  const { rows, report } = await readAndValidate(badFile());

  it.each(CASES.map((c, i) => [i + 2, c[0].loan_no, c[1]] as const))('row %i (%s)', (rowNumber, _loanNo, expected) => {
    const found = report.issues
      .filter((issue) => issue.rowNumber === rowNumber)
      .map((issue) => [issue.field, issue.code]);
    expect(found).toEqual(expected);
    const outcome = rows.find((r) => r.rowNumber === rowNumber);
    const rejected = expected.some(([, code]) => !WARNING_CODES.has(code));
    // Duplicates are decided after the first occurrence was yielded: the report is the authority.
    if (!expected.some(([, code]) => code === 'duplicate_loan_no_in_file')) {
      expect(outcome?.row === null).toBe(rejected);
    }
  });

  it('names the source column, quotes the value, and warns without rejecting', () => {
    const bad = report.issues.find((i) => i.code === 'bad_amount' && i.rowNumber === 5);
    expect(bad).toMatchObject({ column: 'principal', severity: 'error', params: { value: '12,34' } });
    const masked = report.issues.find((i) => i.code === 'masked_phone');
    expect(masked?.severity).toBe('warning');
    expect(rows.find((r) => r.loanNo === 'LN-MASK')?.row?.phone).toBe('138****0001');
  });

  it('the report survives JSON (for IPC and the HTTP bridge) with its duplicates', () => {
    const wire = JSON.parse(JSON.stringify(toWireReport(report))) as ReturnType<typeof toWireReport>;
    expect(wire.duplicates).toEqual([{ loanNo: 'LN-DUP', rows: [8, 12] }]);
    expect(wire.validRows).toBe(report.validRows);
    expect(wire.issues).toHaveLength(report.issues.length);
  });

  it('reports both occurrences of a duplicate loan number, each pointing at the other', () => {
    const dups = report.issues.filter((i) => i.code === 'duplicate_loan_no_in_file');
    expect(dups.map((d) => [d.rowNumber, d.params.otherRows])).toEqual(
      expect.arrayContaining([
        [8, '12'],
        [12, '8'],
      ]),
    );
    expect(report.duplicates.get('LN-DUP')).toEqual([8, 12]);
  });

  it('skips the totals line and the footer instead of calling them broken loans', () => {
    expect(report.skippedRows).toBe(2);
    expect(report.issues.filter((i) => i.code === 'skipped_summary_row').map((i) => i.rowNumber)).toEqual([30, 31]);
  });

  it('counts rows and sums only what will be imported', () => {
    const warningsOnly = CASES.filter(([, e]) => e.length > 0 && e.every(([, code]) => WARNING_CODES.has(code))).length;
    const clean = CASES.filter(([, e]) => e.length === 0).length;
    expect(report.totalRows).toBe(CASES.length + 2);
    expect(report.validRows).toBe(clean + warningsOnly);
    expect(report.warningRows).toBe(warningsOnly);
    expect(report.rejectedRows).toBe(CASES.length - clean - warningsOnly);
    const validRows = rows.filter((r) => r.row !== null && !report.duplicates.has(r.loanNo ?? ''));
    expect(report.validRows).toBe(validRows.length);
    expect(report.totals.outstandingFen).toBe(validRows.reduce((sum, r) => sum + (r.row?.outstandingFen ?? 0), 0));
    expect(report.issueCounts.duplicate_loan_no_in_file).toBe(2);
  });
});

describe('validatePortfolio options and context', () => {
  const mapping = suggestMapping(EN_HEADER.split(',')).mapping;
  const raw = (rowNumber: number, overrides: Partial<Record<string, string>>): RawRow => {
    const values = enRow(overrides).split(',');
    const cells: RawRow['cells'] = {};
    EN_HEADER.split(',').forEach((h, i) => (cells[h] = values[i] === '' ? null : (values[i] ?? null)));
    return { rowNumber, cells };
  };
  const collect = async (v: AsyncIterable<ValidatedRow>) => {
    const out: ValidatedRow[] = [];
    for await (const r of v) out.push(r);
    return out;
  };

  it('with knownDuplicates from a first pass, rejects the first occurrence as soon as it is met', async () => {
    const rows = [raw(2, { loan_no: 'A' }), raw(3, { loan_no: 'B' }), raw(4, { loan_no: 'A' })];
    const v = validatePortfolio(rows, mapping, { ...CONTEXT, knownDuplicates: new Map([['A', [2, 4]]]) });
    const out = await collect(v);
    expect(out.map((r) => r.row === null)).toEqual([true, false, true]);
    expect(out[0]?.issues[0]).toMatchObject({ code: 'duplicate_loan_no_in_file', params: { otherRows: '4' } });
    expect(v.report).toMatchObject({ validRows: 1, rejectedRows: 2 });
    expect(v.report.issueCounts.duplicate_loan_no_in_file).toBe(2);
  });

  it('matches officers by code in any case or by a unique name; unknown ones may only warn', async () => {
    const officers = [
      { code: 'OF001', name: '王芳' },
      { code: 'OF002', name: '李强' },
      { code: 'OF003', name: '李强' },
    ];
    const rows = [
      raw(2, { loan_no: 'A', officer_code: 'of001' }),
      raw(3, { loan_no: 'B', officer_code: '王芳' }),
      raw(4, { loan_no: 'C', officer_code: '李强' }),
      raw(5, { loan_no: 'D', officer_code: '' }),
    ];
    const out = await collect(validatePortfolio(rows, mapping, { ...CONTEXT, officers, unknownOfficer: 'warning' }));
    expect(out.map((r) => r.row?.officerCode)).toEqual(['OF001', 'OF001', null, null]);
    expect(out[2]?.issues).toMatchObject([{ code: 'unknown_officer_code', severity: 'warning', params: { code: '李强' } }]);
  });

  it('splits an address column into county, township and village when those are not mapped', async () => {
    const addressMapping = suggestMapping(['贷款编号', '客户姓名', '家庭住址', '贷款金额', '放款日期', '期限', '剩余本金', '逾期金额', '逾期天数']).mapping;
    const row: RawRow = {
      rowNumber: 2,
      cells: {
        贷款编号: 'A',
        客户姓名: '张三',
        家庭住址: '平安县龙泉镇张湾村5组',
        贷款金额: '1,000.00',
        放款日期: '2026年3月5日',
        期限: '12',
        剩余本金: '500',
        逾期金额: '0',
        逾期天数: '0',
      },
    };
    const [out] = await collect(validatePortfolio([row], addressMapping, CONTEXT));
    expect(out?.row).toMatchObject({ county: '平安县', township: '龙泉镇', village: '张湾村', address: '平安县龙泉镇张湾村5组' });
    const [off] = await collect(validatePortfolio([row], { ...addressMapping, splitAddress: false }, CONTEXT));
    expect(off?.row).toMatchObject({ county: null, township: null, village: null });
  });

  it('splits a village column that also names the township', async () => {
    const { township: _t, ...columns } = mapping.columns;
    const [out] = await collect(validatePortfolio([raw(2, { village: '平安县龙泉镇张湾村' })], { columns }, CONTEXT));
    expect(out?.row).toMatchObject({ county: '平安县', township: '龙泉镇', village: '张湾村' });
    const [plain] = await collect(validatePortfolio([raw(2, { village: '张湾村' })], { columns }, CONTEXT));
    expect(plain?.row).toMatchObject({ township: null, village: '张湾村' });
  });

  it('a row as_of_date column overrides the context date', async () => {
    const m = { ...mapping, columns: { ...mapping.columns, as_of_date: 'as_of' } };
    const row = raw(2, {});
    row.cells.as_of = '2026/11/30';
    const [out] = await collect(validatePortfolio([row], m, CONTEXT));
    expect(out?.row?.asOfDate).toBe('2026-11-30');
  });

  it('reads a rate column and refuses a bad or absurd rate', async () => {
    const m = { ...mapping, columns: { ...mapping.columns, annual_rate: 'rate' } };
    const rows = ['4.35%', 'high', '120'].map((rate, i) => {
      const r = raw(i + 2, { loan_no: `R${i}` });
      r.cells.rate = rate;
      return r;
    });
    const out = await collect(validatePortfolio(rows, m, CONTEXT));
    expect(out[0]?.row?.annualRatePct).toBe(4.35);
    expect(out[1]?.issues).toMatchObject([{ field: 'annual_rate', code: 'bad_rate' }]);
    expect(out[2]?.issues).toMatchObject([{ field: 'annual_rate', code: 'rate_out_of_range', params: { min: 0, max: 100 } }]);
  });

  it('a mapping without a required column is one file issue, not an error on every row', async () => {
    const { principal: _dropped, ...columns } = mapping.columns;
    const v = validatePortfolio([raw(2, {}), raw(3, { loan_no: 'B' })], { columns }, CONTEXT);
    expect(await collect(v)).toEqual([]);
    expect(v.report.fileIssues).toEqual([{ code: 'missing_required_column', field: 'principal', params: { field: 'principal' } }]);
    expect(v.report.totalRows).toBe(2);
    expect(v.report.issues).toEqual([]);
  });

  it('a saved mapping naming a column the file lacks is a file issue', async () => {
    const m = { ...mapping, columns: { ...mapping.columns, guarantor_name: '保证人' } };
    const v = validatePortfolio([raw(2, {})], m, CONTEXT, { headers: EN_HEADER.split(',') });
    await collect(v);
    expect(v.report.fileIssues).toEqual([
      { code: 'mapped_column_not_in_file', field: 'guarantor_name', params: { field: 'guarantor_name', column: '保证人' } },
    ]);
  });

  it('an empty file is a file issue', async () => {
    const v = validatePortfolio([], mapping, CONTEXT);
    await collect(v);
    expect(v.report.fileIssues).toEqual([{ code: 'no_data_rows', field: null, params: {} }]);
  });

  it('keeps at most maxStoredIssues issues but counts them all', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => raw(i + 2, { loan_no: `X${i}`, phone: 'bad' }));
    const v = validatePortfolio(rows, mapping, CONTEXT, { maxStoredIssues: 10 });
    await collect(v);
    expect(v.report.issues).toHaveLength(10);
    expect(v.report.issuesTruncated).toBe(true);
    expect(v.report.issueCounts.bad_phone).toBe(30);
    expect(v.report.rejectedRows).toBe(30);
  });
});
