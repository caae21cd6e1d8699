// Test helpers: temporary files in any encoding, and the sample files from the team folder.
import iconv from 'iconv-lite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { validatePortfolio, type ImportReport, type ValidatedRow } from '../../shared/import/validate';
import { suggestMapping } from '../../shared/import/mapping';
import type { ValidationContext } from '../../shared/import/validate-row';
import { readPortfolio, type ReadOptions } from '../../shared/node/portfolio-import/read-portfolio';

export const SAMPLES = resolve(import.meta.dirname, '../../../shared/samples');
export const SAMPLE_EN = join(SAMPLES, 'portfolio-en.csv');
export const SAMPLE_ZH_GBK = join(SAMPLES, 'portfolio-zh-gbk.csv');

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'fieldbook-import-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeText(
  dir: string,
  name: string,
  text: string,
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030' | 'utf-16le' = 'utf-8',
): string {
  const file = join(dir, name);
  let bytes: Buffer;
  if (encoding === 'utf-8') bytes = Buffer.from(text, 'utf8');
  else if (encoding === 'utf-8-bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  else if (encoding === 'utf-16le') bytes = iconv.encode(text, 'utf-16le', { addBOM: true });
  else bytes = iconv.encode(text, encoding);
  writeFileSync(file, bytes);
  return file;
}

export const EN_HEADER =
  'loan_no,borrower_name,id_number,phone,village,township,county,product,principal,disbursed_on,term_months,installment_amount,outstanding_principal,arrears_amount,days_past_due,next_due_on,officer_code,guarantor_name,guarantor_phone';

/** A good English row; override fields by name. */
export function enRow(overrides: Partial<Record<string, string>> = {}): string {
  const base: Record<string, string> = {
    loan_no: 'LN1',
    borrower_name: '张三',
    id_number: '1742181994********',
    phone: '13800000001',
    village: '张湾村',
    township: '龙泉镇',
    county: '平安县',
    product: 'Farmer micro credit',
    principal: '10000.00',
    disbursed_on: '2026-01-15',
    term_months: '12',
    installment_amount: '888.49',
    outstanding_principal: '5000.00',
    arrears_amount: '888.49',
    days_past_due: '12',
    next_due_on: '2026-12-15',
    officer_code: 'OF001',
    guarantor_name: '',
    guarantor_phone: '',
  };
  const merged = { ...base, ...overrides };
  return EN_HEADER.split(',')
    .map((k) => csvField(merged[k] ?? ''))
    .join(',');
}

export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const CONTEXT: ValidationContext = {
  asOfDate: '2026-11-20',
  officers: Array.from({ length: 12 }, (_, i) => ({ code: `OF${String(i + 1).padStart(3, '0')}` })),
};

/** Reads and validates a file with the suggested mapping. */
export async function readAndValidate(
  file: string,
  context: ValidationContext = CONTEXT,
  readOptions: ReadOptions = {},
): Promise<{ rows: ValidatedRow[]; report: ImportReport; meta: Awaited<ReturnType<typeof readPortfolio>>['meta'] }> {
  const source = await readPortfolio(file, readOptions);
  const { mapping } = suggestMapping(source.meta.headers);
  const validation = validatePortfolio(source.rows, mapping, context, { headers: source.meta.headers });
  const rows: ValidatedRow[] = [];
  for await (const row of validation) rows.push(row);
  return { rows, report: validation.report, meta: source.meta };
}
