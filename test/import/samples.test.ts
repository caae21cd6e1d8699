// The two sample exports from the team folder: read, mapped and validated as a user would.
import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../../shared/import/mapping';
import { readPortfolio } from '../../shared/node/portfolio-import/read-portfolio';
import { CONTEXT, readAndValidate, SAMPLE_EN, SAMPLE_ZH_GBK } from './helpers';

describe('portfolio-en.csv (UTF-8, English headers)', () => {
  it('is detected as comma-separated UTF-8 with its header on row 1', async () => {
    const source = await readPortfolio(SAMPLE_EN);
    await source.close();
    expect(source.meta).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1, preamble: [] });
    expect(source.meta.headers).toHaveLength(19);
  });

  it('maps every header and validates all 200 rows without an issue', async () => {
    const { report, rows, meta } = await readAndValidate(SAMPLE_EN);
    const suggestion = suggestMapping(meta.headers);
    expect(suggestion.unmappedHeaders).toEqual([]);
    expect(suggestion.missingRequired).toEqual([]);
    expect(report.fileIssues).toEqual([]);
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({ totalRows: 200, validRows: 200, rejectedRows: 0, skippedRows: 0, delinquentRows: 117 });
    // Control totals, summed independently from the file's decimal text.
    expect(report.totals).toEqual({ principalFen: 549_900_000, outstandingFen: 315_052_375, arrearsFen: 49_689_319 });
    expect(rows[0]?.rowNumber).toBe(2);
    expect(rows.at(-1)?.rowNumber).toBe(201);
  });

  it('normalises hand-checked rows: fen, ISO dates, blanks as null', async () => {
    const { rows } = await readAndValidate(SAMPLE_EN);
    const first = rows.find((r) => r.loanNo === 'LN110000000')?.row;
    expect(first).toMatchObject({
      rowNumber: 2,
      borrowerName: '宋伯德',
      idNumber: '1742181994********',
      phone: '18096792908',
      county: '平安县',
      township: '城关镇',
      village: '张湾村',
      product: 'Farmer micro credit',
      principalFen: 10_000_000,
      disbursedOn: '2025-06-29',
      termMonths: 24,
      installmentFen: 456_847,
      outstandingFen: 3_534_459,
      arrearsFen: 456_847,
      daysPastDue: 6,
      nextDueOn: '2026-11-21',
      officerCode: 'OF004',
      guarantorName: null,
      guarantorPhone: '19757938347',
      asOfDate: '2026-11-20',
    });
    const fourth = rows.find((r) => r.loanNo === 'LN110000003')?.row;
    expect(fourth).toMatchObject({ borrowerName: '叶娜', township: '石桥乡', outstandingFen: 500_000, arrearsFen: 169_596, daysPastDue: 39, nextDueOn: '2026-10-11' });
  });
});

describe('portfolio-zh-gbk.csv (GBK, Chinese headers, thousands separators, 2026/3/5 dates)', () => {
  it('is detected as GBK and its Chinese headers read correctly', async () => {
    const source = await readPortfolio(SAMPLE_ZH_GBK);
    await source.close();
    expect(source.meta).toMatchObject({ format: 'csv', encoding: 'gbk', delimiter: ',', headerRow: 1 });
    expect(source.meta.headers.slice(0, 5)).toEqual(['贷款编号', '客户姓名', '身份证号', '手机号码', '村/社区']);
    expect(source.meta.headers).toContain('贷款金额(元)');
  });

  it('maps every Chinese header to its field', () => {
    const headers = [
      '贷款编号', '客户姓名', '身份证号', '手机号码', '村/社区', '乡镇', '县区', '产品名称', '贷款金额(元)', '放款日期',
      '期限(月)', '每期还款额', '剩余本金', '逾期金额', '逾期天数', '下次还款日', '客户经理', '担保人', '担保人电话',
    ];
    const suggestion = suggestMapping(headers);
    expect(suggestion.unmappedHeaders).toEqual([]);
    expect(suggestion.missingRequired).toEqual([]);
    expect(suggestion.mapping.columns).toMatchObject({
      loan_no: '贷款编号',
      borrower_name: '客户姓名',
      village: '村/社区',
      principal: '贷款金额(元)',
      term_months: '期限(月)',
      outstanding_principal: '剩余本金',
      officer_code: '客户经理',
      guarantor_name: '担保人',
      guarantor_phone: '担保人电话',
    });
    // '(元)' is the default unit: nothing to convert.
    expect(suggestion.mapping.moneyUnits).toBeUndefined();
  });

  it('validates all 200 rows without an issue', async () => {
    const { report } = await readAndValidate(SAMPLE_ZH_GBK);
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({ totalRows: 200, validRows: 200, rejectedRows: 0, delinquentRows: 129 });
    expect(report.totals).toEqual({ principalFen: 593_500_000, outstandingFen: 329_755_543, arrearsFen: 62_183_651 });
  });

  it('reads "100,000.00" as 10,000,000 fen and 2026/1/21 as 2026-01-21', async () => {
    const { rows } = await readAndValidate(SAMPLE_ZH_GBK);
    const byLoan = new Map(rows.map((r) => [r.loanNo, r.row]));
    expect(byLoan.get('LN120000000')).toMatchObject({
      borrowerName: '廖壮震',
      township: '龙泉镇',
      product: '创业担保贷款',
      principalFen: 10_000_000,
      disbursedOn: '2026-01-21',
      installmentFen: 866_420,
      outstandingFen: 1_717_266,
      arrearsFen: 0,
      nextDueOn: '2026-12-17',
      guarantorName: '贺娟',
    });
    expect(byLoan.get('LN120000002')).toMatchObject({
      principalFen: 800_000,
      disbursedOn: '2026-08-09',
      installmentFen: 135_030,
      arrearsFen: 405_090,
      daysPastDue: 69,
      nextDueOn: '2026-09-08',
    });
    expect(byLoan.get('LN120000005')).toMatchObject({
      outstandingFen: 8_920_779,
      arrearsFen: 1_149_768,
      guarantorName: null,
      guarantorPhone: '19368687018',
    });
  });

  it('rejects officer codes the context does not know', async () => {
    const { report } = await readAndValidate(SAMPLE_ZH_GBK, { ...CONTEXT, officers: [{ code: 'OF002' }] });
    expect(report.validRows).toBe(26); // OF002 has 26 loans in the file
    expect(report.issueCounts.unknown_officer_code).toBe(174);
  });
});
