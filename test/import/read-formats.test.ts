// Reading real exports: encodings, delimiters, XLSX, title rows, quoted newlines, and the
// files that are not what their extension says.
import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPortfolio } from '../../shared/node/portfolio-import/read-portfolio';
import { PortfolioReadError } from '../../shared/node/portfolio-import/errors';
import { CONTEXT, EN_HEADER, enRow, readAndValidate, tempDir, writeText } from './helpers';

const dir = tempDir();

const ZH_HEADER = '贷款编号,客户姓名,手机号码,村/社区,乡镇,县区,贷款金额(元),放款日期,期限(月),剩余本金,逾期金额,逾期天数,客户经理';
const zhRow = (loanNo: string, name: string, extra = ''): string =>
  `${loanNo},${name},13800000001,张湾村,龙泉镇,平安县,"10,000.00",2026/3/5,12,"5,000.00",0.00,0,OF001${extra}`;

async function readAll(file: string, options = {}) {
  const source = await readPortfolio(file, options);
  const rows = [];
  for await (const row of source.rows) rows.push(row);
  return { meta: source.meta, rows };
}

async function readError(file: string, options = {}): Promise<PortfolioReadError> {
  try {
    await readAll(file, options);
  } catch (err) {
    if (err instanceof PortfolioReadError) return err;
    throw err;
  }
  throw new Error('expected a PortfolioReadError');
}

describe('encodings', () => {
  it('UTF-8 with a byte-order mark: detected, and the mark is not part of the first header', async () => {
    const file = writeText(dir, 'bom.csv', `${ZH_HEADER}\n${zhRow('A1', '张三')}\n`, 'utf-8-bom');
    const { meta, rows } = await readAll(file);
    expect(meta.encoding).toBe('utf-8-bom');
    expect(meta.headers[0]).toBe('贷款编号');
    expect(rows[0]?.cells['贷款编号']).toBe('A1');
  });

  it('GB18030 characters outside GBK (rare name characters) come through intact', async () => {
    const names = ['刘䶮', '𠮷野', '王𡈼'];
    const text = [ZH_HEADER, ...names.map((n, i) => zhRow(`G${i}`, n))].join('\r\n') + '\r\n';
    const file = writeText(dir, 'gb18030.csv', text, 'gb18030');
    const { rows, report, meta } = await readAndValidate(file);
    expect(meta.encoding).toBe('gb18030');
    expect(rows.map((r) => r.row?.borrowerName)).toEqual(names);
    expect(report.issues).toEqual([]);
  });

  it('GBK text after a long ASCII-only head is still detected as GBK', async () => {
    const asciiRows = Array.from({ length: 3000 }, (_, i) => zhRow(`A${i}`, 'Wang'));
    const text = [ZH_HEADER, ...asciiRows, zhRow('Z1', '赵六')].join('\n') + '\n';
    const file = writeText(dir, 'late-gbk.csv', text, 'gbk');
    const { meta, rows } = await readAll(file);
    expect(meta.encoding).toBe('gbk');
    expect(rows.at(-1)?.cells['客户姓名']).toBe('赵六');
  });

  it('UTF-16 ("Unicode text" from Excel, tab separated)', async () => {
    const text = [ZH_HEADER, zhRow('U1', '张三')].map((l) => l.replace(/"10,000.00"/, '10000').replace(/"5,000.00"/, '5000').replaceAll(',', '\t')).join('\r\n');
    const file = writeText(dir, 'unicode.txt', text, 'utf-16le');
    const { meta, rows } = await readAll(file);
    expect(meta).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', format: 'tsv' });
    expect(rows[0]?.cells['客户姓名']).toBe('张三');
  });

  it('an explicit encoding overrides detection', async () => {
    const file = writeText(dir, 'forced.csv', `${ZH_HEADER}\n${zhRow('F1', '张三')}\n`, 'gbk');
    const { meta } = await readAll(file, { encoding: 'gb18030' });
    expect(meta.encoding).toBe('gb18030');
  });

  it('bytes that are not valid in the file encoding show up as a garbled-text error on that row', async () => {
    const good = Buffer.from(`${EN_HEADER}\n${enRow({ loan_no: 'OK' })}\n`, 'utf8');
    // '张' followed by a character cut short: two bytes of a three-byte sequence.
    const bad = Buffer.from(`${enRow({ loan_no: 'BAD', borrower_name: '张QQ' })}\n`, 'utf8');
    bad.set([0xe5, 0xbc], bad.indexOf('QQ'));
    const file = join(dir, 'broken-utf8.csv');
    writeFileSync(file, Buffer.concat([good, bad]));
    const { report } = await readAndValidate(file);
    expect(report.issues).toMatchObject([{ rowNumber: 3, field: 'borrower_name', code: 'bad_text' }]);
  });
});

describe('delimiters and CSV shapes', () => {
  it.each([
    ['tab', '\t', 'tsv'],
    ['semicolon', ';', 'csv'],
    ['pipe', '|', 'csv'],
  ] as const)('%s-separated', async (_name, delimiter, format) => {
    const lines = [EN_HEADER, enRow({ loan_no: 'D1', principal: '10,000.00' }), enRow({ loan_no: 'D2' })].map((l) =>
      l.replace('"10,000.00"', '10,000.00').replaceAll(',', delimiter).replace(`10${delimiter}000.00`, '10,000.00'),
    );
    const file = writeText(dir, `delim-${_name}.txt`, lines.join('\n') + '\n');
    const { meta, rows, report } = await readAndValidate(file);
    expect(meta).toMatchObject({ delimiter, format });
    expect(report.issues).toEqual([]);
    expect(rows[0]?.row?.principalFen).toBe(1_000_000);
  });

  it('honours an Excel "sep=" line', async () => {
    const file = writeText(dir, 'sep.csv', `sep=;\n${EN_HEADER.replaceAll(',', ';')}\n${enRow().replaceAll(',', ';')}\n`);
    const { meta, rows } = await readAll(file);
    expect(meta.delimiter).toBe(';');
    expect(meta.headerRow).toBe(2);
    expect(rows).toHaveLength(1);
  });

  it('a title row and a blank line above the header; row numbers still match the spreadsheet', async () => {
    const text = [
      '平安农商行贷款台账（截至2026年11月20日）,,,,,,,,,,,,',
      '',
      ZH_HEADER,
      zhRow('T1', '张三'),
      '',
      zhRow('T2', '李四'),
    ].join('\n');
    const file = writeText(dir, 'title.csv', text, 'gbk');
    const { meta, rows } = await readAndValidate(file);
    expect(meta.headerRow).toBe(3);
    expect(meta.preamble).toEqual(['平安农商行贷款台账（截至2026年11月20日）']);
    expect(rows.map((r) => [r.rowNumber, r.loanNo])).toEqual([
      [4, 'T1'],
      [6, 'T2'],
    ]);
  });

  it('quoted fields with embedded commas, quotes and newlines', async () => {
    const text = [EN_HEADER, enRow({ loan_no: 'Q1', borrower_name: '张三', product: 'Loan, "special"\nsecond line' }), enRow({ loan_no: 'Q2' })].join('\r\n');
    const file = writeText(dir, 'quoted.csv', text);
    const { rows, report } = await readAndValidate(file);
    expect(report.issues).toEqual([]);
    expect(rows[0]?.row?.product).toBe('Loan, "special" second line');
    // The quoted newline does not start a new spreadsheet row.
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3]);
  });

  it('trailing empty columns and short rows', async () => {
    const text = [`${EN_HEADER},,`, `${enRow({ loan_no: 'E1' })},,`, `${enRow({ loan_no: 'E2' })},,stray note`, 'E3,王五'].join('\n');
    const file = writeText(dir, 'trailing.csv', text);
    const { meta, rows } = await readAll(file);
    expect(meta.headers).toHaveLength(19);
    expect(Object.keys(rows[0]?.cells ?? {})).toHaveLength(19);
    expect(rows[1]?.cells['#U']).toBe('stray note');
    expect(rows[2]?.cells).toMatchObject({ loan_no: 'E3', borrower_name: '王五', principal: null });
  });

  it('blank and duplicate header cells get stable keys', async () => {
    const file = writeText(dir, 'dupe-headers.csv', '贷款编号,备注,,备注\nA,x,y,z\n');
    const { meta, rows } = await readAll(file);
    expect(meta.headers).toEqual(['贷款编号', '备注', '#C', '备注 (2)']);
    expect(rows[0]?.cells).toEqual({ 贷款编号: 'A', 备注: 'x', '#C': 'y', '备注 (2)': 'z' });
  });

  it('an unclosed quote is a malformed file, not a silently swallowed remainder', async () => {
    const file = writeText(dir, 'unclosed.csv', `${EN_HEADER}\n${enRow({ loan_no: 'A' })}\nB,"never closed,1\n`);
    const err = await readError(file);
    expect(err.reason).toBe('malformed_csv');
    expect(err.code).toBe('invalid_input');
  });
});

describe('files that are not what they claim', () => {
  it.each([
    ['empty.csv', Buffer.alloc(0), 'empty_file'],
    ['only-blank.csv', Buffer.from('\n\n,,,\n'), 'empty_file'],
    ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'legacy_xls'],
    ['export.xls', Buffer.from('<html><body><table><tr><td>贷款编号</td></tr></table></body></html>'), 'html_table'],
  ] as const)('%s -> %s', async (name, bytes, reason) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    expect((await readError(file)).reason).toBe(reason);
  });

  it('a TSV saved with an .xls extension is read as TSV', async () => {
    const file = writeText(dir, 'really-tsv.xls', `${EN_HEADER.replaceAll(',', '\t')}\n${enRow().replaceAll(',', '\t')}\n`);
    const { meta } = await readAll(file);
    expect(meta.format).toBe('tsv');
  });
});

describe('XLSX', () => {
  async function writeWorkbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const file = join(dir, name);
    const wb = new ExcelJS.Workbook();
    build(wb);
    await wb.xlsx.writeFile(file);
    return file;
  }

  it('reads a workbook written by exceljs: title row, numbers, dates, rich text, formulas', async () => {
    const file = await writeWorkbook('book.xlsx', (wb) => {
      const ws = wb.addWorksheet('台账');
      ws.addRow(['贷款台账 截至2026年11月20日']);
      ws.addRow(['贷款编号', '客户姓名', '手机号码', '贷款金额(元)', '放款日期', '期限(月)', '剩余本金', '逾期金额', '逾期天数', '客户经理']);
      const r = ws.addRow(['LN-X1', { richText: [{ text: '张' }, { text: '三' }] }, 13800000001, 100000, new Date(Date.UTC(2026, 2, 5)), 12, 4568.47, { formula: 'G3/10', result: 456.85 }, 30, 'OF001']);
      r.getCell(5).numFmt = 'yyyy/m/d';
      ws.addRow([]);
      ws.addRow(['LN-X2', '李四', '13800000002', '1,000.00', '2026年1月5日', '6个月', '500', '0', '0', 'OF002']);
    });
    const { meta, rows, report } = await readAndValidate(file);
    expect(meta).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, sheet: '台账', headerRow: 2 });
    expect(meta.preamble).toEqual(['贷款台账 截至2026年11月20日']);
    expect(report.issues).toEqual([]);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 5]);
    expect(rows[0]?.row).toMatchObject({
      loanNo: 'LN-X1',
      borrowerName: '张三',
      phone: '13800000001',
      principalFen: 10_000_000,
      disbursedOn: '2026-03-05',
      outstandingFen: 456_847,
      arrearsFen: 45_685,
      daysPastDue: 30,
    });
    expect(rows[1]?.row).toMatchObject({ disbursedOn: '2026-01-05', termMonths: 6, principalFen: 100_000 });
  });

  it('skips a cover sheet and reads the sheet with the loan table; a sheet can be named', async () => {
    const file = await writeWorkbook('two-sheets.xlsx', (wb) => {
      wb.addWorksheet('说明').addRow(['本表由信贷系统导出，请勿修改']);
      const data = wb.addWorksheet('明细');
      data.addRow(EN_HEADER.split(','));
      data.addRow(enRow({ loan_no: 'S1' }).split(','));
      const other = wb.addWorksheet('另一个');
      other.addRow(EN_HEADER.split(','));
      other.addRow(enRow({ loan_no: 'S2' }).split(','));
    });
    const auto = await readAll(file);
    expect(auto.meta.sheet).toBe('明细');
    expect(auto.meta.sheets).toEqual(['说明', '明细']);
    expect(auto.rows.map((r) => r.cells.loan_no)).toEqual(['S1']);
    const named = await readAll(file, { sheet: '另一个' });
    expect(named.rows.map((r) => r.cells.loan_no)).toEqual(['S2']);
    const missing = await readError(file, { sheet: 'nope' });
    expect(missing.reason).toBe('sheet_not_found');
    expect(missing.params.sheets).toBe('说明, 明细, 另一个');
  });

  it('a workbook cut short (a copy that did not finish) or a zip of garbage is damaged_file, in words', async () => {
    const whole = await writeWorkbook('whole.xlsx', (wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(EN_HEADER.split(','));
      for (let i = 0; i < 500; i++) ws.addRow(enRow({ loan_no: `C${i}` }).split(','));
    });
    const bytes = readFileSync(whole);
    const cut = join(dir, 'cut.xlsx');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const garbage = join(dir, 'garbage.xlsx');
    writeFileSync(garbage, Buffer.concat([bytes.subarray(0, 4), Buffer.alloc(4096, 7)]));
    for (const file of [cut, garbage]) {
      const err = await readError(file);
      expect(err.reason).toBe('damaged_file');
      expect(err.code).toBe('invalid_input');
    }
    expect((await readAll(whole)).rows).toHaveLength(500);
  });

  it('a sheet whose headers are all unknown is still read (the user maps by hand)', async () => {
    const file = await writeWorkbook('unknown-headers.xlsx', (wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(['Report']);
      ws.addRow(['Ref', 'Client', 'Amt']);
      ws.addRow(['A', 'B', 1]);
    });
    const { meta, rows } = await readAll(file);
    expect(meta.headers).toEqual(['Ref', 'Client', 'Amt']);
    expect(rows).toEqual([{ rowNumber: 3, cells: { Ref: 'A', Client: 'B', Amt: 1 } }]);
  });
});

describe('streaming controls', () => {
  it('reports progress and stops when cancelled', async () => {
    const lines = [EN_HEADER, ...Array.from({ length: 10_000 }, (_, i) => enRow({ loan_no: `P${i}` }))];
    const file = writeText(dir, 'progress.csv', lines.join('\n') + '\n');
    const progress: number[] = [];
    const controller = new AbortController();
    const source = await readPortfolio(file, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.rows);
        if (p.rows >= 4_000) controller.abort(new Error('cancelled by user'));
      },
    });
    let seen = 0;
    await expect(
      (async () => {
        for await (const _row of source.rows) seen++;
      })(),
    ).rejects.toThrow('cancelled by user');
    expect(progress.slice(0, 2)).toEqual([2_000, 4_000]);
    expect(seen).toBeLessThan(10_000);
    expect(source.contentHash()).toBeNull();
  });

  it('reads to the end: progress done, content hash available, context untouched', async () => {
    const file = writeText(dir, 'small.csv', `${EN_HEADER}\n${enRow()}\n`);
    let done = false;
    const source = await readPortfolio(file, { onProgress: (p) => (done ||= p.done) });
    for await (const _row of source.rows) void _row;
    expect(done).toBe(true);
    expect(source.contentHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(CONTEXT.asOfDate).toBe('2026-11-20');
  });
});

describe('XLSX with much Chinese text (exceljs streaming reader decodes chunks one by one)', () => {
  // exceljs 4.4 WorkbookReader decodes each 16 KB chunk on its own, so a character cut by a
  // chunk boundary comes out as U+FFFD (exceljs issues #2063, #2084, #2316; fix PRs never
  // merged). read-xlsx.ts decodes the chunks as one stream; this test fails without that.
  // Unique names (shared strings are de-duplicated), all three-byte characters in UTF-8.
  const names = Array.from({ length: 6000 }, (_, i) =>
    Array.from({ length: 4 }, (_, k) => String.fromCharCode(0x4e00 + ((i * 4 + k) * 7919) % 20000)).join(''),
  );

  it.each([
    ['shared strings', true],
    ['inline strings', false],
  ])('%s', async (_label, useSharedStrings) => {
    const file = join(dir, `chinese-${useSharedStrings ? 'shared' : 'inline'}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
    const ws = wb.addWorksheet('客户');
    ws.addRow(['贷款编号', '客户姓名']).commit();
    names.forEach((name, i) => ws.addRow([`LN${i}`, name]).commit());
    await ws.commit();
    await wb.commit();
    const { rows } = await readAll(file);
    expect(rows.map((r) => r.cells['客户姓名'])).toEqual(names);
  });
});

describe('where the CSV parse starts (fast path and its fallback)', () => {
  it('data rows with a trailing delimiter the header lacks', async () => {
    const text = ['台账', EN_HEADER, `${enRow({ loan_no: 'T1' })},`, `${enRow({ loan_no: 'T2' })},`].join('\r\n') + '\r\n';
    const { rows, meta } = await readAll(writeText(dir, 'trailing-data.csv', text));
    expect(meta.headerRow).toBe(2);
    expect(rows.map((r) => [r.rowNumber, r.cells.loan_no, r.cells.principal])).toEqual([
      [3, 'T1', '10000.00'],
      [4, 'T2', '10000.00'],
    ]);
  });

  it('a quoted title spanning lines above the header (line counting differs: reads from the top)', async () => {
    const text = ['"平安农商行\r\n贷款台账"', '', EN_HEADER, enRow({ loan_no: 'M1' }), enRow({ loan_no: 'M2' })].join('\r\n');
    const { rows, meta } = await readAll(writeText(dir, 'multiline-title.csv', text));
    expect(meta.headerRow).toBe(3);
    expect(meta.preamble).toEqual(['平安农商行\r\n贷款台账']);
    expect(rows.map((r) => [r.rowNumber, r.cells.loan_no])).toEqual([
      [4, 'M1'],
      [5, 'M2'],
    ]);
  });

  it('a header row given by the caller, far below the sample', async () => {
    const notes = Array.from({ length: 80 }, (_, i) => `说明第${i + 1}行`);
    const text = [...notes, EN_HEADER, enRow({ loan_no: 'H1' })].join('\n') + '\n';
    const { rows, meta } = await readAll(writeText(dir, 'far-header.csv', text), { headerRow: 81 });
    expect(meta.headers[0]).toBe('loan_no');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rowNumber).toBe(82);
  });

  it('a header row given by the caller that is blank is no header', async () => {
    const err = await readError(writeText(dir, 'blank-header.csv', `title\n\n${EN_HEADER}\n${enRow()}\n`), { headerRow: 2 });
    expect(err.reason).toBe('no_header_row');
  });

  it('the sample and the stream agree on a big file with a title row (hash and rows complete)', async () => {
    const lines = ['台账', EN_HEADER, ...Array.from({ length: 3000 }, (_, i) => enRow({ loan_no: `B${i}`, borrower_name: '张三' }))];
    const source = await readPortfolio(writeText(dir, 'big-title.csv', lines.join('\n') + '\n', 'gbk'));
    let count = 0;
    let last = 0;
    for await (const row of source.rows) {
      count++;
      last = row.rowNumber;
    }
    expect([count, last]).toEqual([3000, 3002]);
    expect(source.contentHash()).toMatch(/^[0-9a-f]{64}$/);
  });
});
