// XLSX zip parts in any order, read while the machine is slow: exceljs' streaming reader
// must see every zip entry (unzipper announced the end of the zip while entries still waited
// in its paused stream, and under load xl/workbook.xml was lost: "reading 'sheets'").
import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zip } from '../../electron/support/zip';
import { readPortfolio } from '../../shared/node/portfolio-import/read-portfolio';
import { PortfolioReadError } from '../../shared/node/portfolio-import/errors';
import { EN_HEADER, enRow, tempDir } from './helpers';

const dir = tempDir();

async function readAll(file: string, options = {}) {
  const source = await readPortfolio(file, options);
  const rows = [];
  for await (const row of source.rows) rows.push(row);
  return { meta: source.meta, rows };
}

async function readError(file: string): Promise<PortfolioReadError> {
  try {
    await readAll(file);
  } catch (err) {
    if (err instanceof PortfolioReadError) return err;
    throw err;
  }
  throw new Error('expected a PortfolioReadError');
}

/**
 * exceljs writes each worksheet that comes before sharedStrings.xml to a temp file (the `tmp`
 * package) and parses it after the zip was read. Delaying that temp file, as a busy disk or
 * CPU does, lets unzipper parse the rest of the zip while exceljs keeps its stream paused.
 * exceljs loads the same CommonJS `tmp` module instance, so patching it here reaches it.
 */
type TmpFile = (cb: (...args: unknown[]) => void) => void;
const tmp = createRequire(import.meta.url)('tmp') as { file: TmpFile };
const realTmpFile = tmp.file;
function slowTempFiles(ms: number): void {
  tmp.file = (cb) => realTmpFile((...args) => setTimeout(() => cb(...args), ms));
}
afterEach(() => {
  tmp.file = realTmpFile;
});

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const xmlEscape = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

/** The parts of a one-sheet workbook named 台账 whose cells are all shared strings. */
function workbookParts(rows: readonly (readonly string[])[]): Record<string, string> {
  const strings: string[] = [];
  const sheetRows = rows.map((cells, r) => {
    const xmlCells = cells.map((text, c) => {
      strings.push(text);
      return `<c r="${String.fromCharCode(65 + (c % 26)).repeat(Math.floor(c / 26) + 1)}${r + 1}" t="s"><v>${strings.length - 1}</v></c>`;
    });
    return `<row r="${r + 1}">${xmlCells.join('')}</row>`;
  });
  return {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${xmlEscape(s)}</t></si>`).join('')}</sst>`,
  };
}

const ROWS = [EN_HEADER.split(','), enRow({ loan_no: 'Z1' }).split(','), enRow({ loan_no: 'Z2', borrower_name: '李四' }).split(',')];

function writeZip(name: string, order: readonly string[], parts = workbookParts(ROWS)): string {
  const file = join(dir, name);
  // zip() keeps the entries in the given order, with sizes in the local headers as Excel writes.
  const mtime = new Date(2026, 0, 1);
  writeFileSync(file, zip(order.map((name) => ({ name, data: Buffer.from(parts[name] ?? '', 'utf8'), mtime }))));
  return file;
}

describe('XLSX zip entries are all read, whatever their order, on a slow machine', () => {
  it('an exceljs workbook (xl/workbook.xml is the last entry) read while temp files are slow: sheet names and rows complete', async () => {
    const file = join(dir, 'exceljs-two-sheets.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本表由信贷系统导出，请勿修改']);
    const data = wb.addWorksheet('明细');
    data.addRow(EN_HEADER.split(','));
    data.addRow(enRow({ loan_no: 'S1' }).split(','));
    await wb.xlsx.writeFile(file);
    slowTempFiles(40);
    for (let i = 0; i < 3; i++) {
      const { meta, rows } = await readAll(file);
      expect(meta.sheets).toEqual(['说明', '明细']);
      expect(meta.sheet).toBe('明细');
      expect(rows.map((r) => r.cells.loan_no)).toEqual(['S1']);
    }
  });

  it.each([
    ['Excel order: workbook first, shared strings last', ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']],
    ['workbook.xml last', ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml']],
  ])('%s, temp files slow: the named sheet and every shared string come through', async (label, order) => {
    const file = writeZip(`${label.slice(0, 12).replace(/\W/g, '-')}.xlsx`, order);
    slowTempFiles(40);
    const { meta, rows } = await readAll(file);
    expect(meta.sheet).toBe('台账');
    expect(meta.headers).toEqual(EN_HEADER.split(','));
    expect(rows.map((r) => [r.rowNumber, r.cells.loan_no, r.cells.borrower_name])).toEqual([
      [2, 'Z1', '张三'],
      [3, 'Z2', '李四'],
    ]);
  });

  it('a zip without xl/workbook.xml is an unreadable file (translated reason), not a TypeError', async () => {
    const deferred = writeZip('no-workbook.xlsx', ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']);
    const inline = writeZip('no-workbook-inline.xlsx', ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']);
    for (const file of [deferred, inline]) {
      const err = await readError(file);
      expect(err.code).toBe('invalid_input');
      expect(err.reason).toBe('unsupported_format');
    }
  });
});
