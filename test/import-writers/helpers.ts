// Shared pieces of the import writer tests: the team's sample files (beside the repo in CI,
// ../shared/samples), with a 30-row copy of each kept here in case that folder is missing,
// and small files the tests write themselves.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

function sample(name: string): { file: string; full: boolean } {
  const shared = resolve(REPO_ROOT, '../shared/samples', name);
  if (existsSync(shared)) return { file: shared, full: true };
  return { file: resolve(REPO_ROOT, 'test/fixtures/import-writers', name), full: false };
}

/** UTF-8, English headers. */
export const SAMPLE_EN = sample('portfolio-en.csv');
/** GBK, Chinese headers, thousands separators, 2026/3/5 dates. */
export const SAMPLE_ZH = sample('portfolio-zh-gbk.csv');
/** The date the samples' balances are as of. */
export const SAMPLE_AS_OF = '2026-11-20';

export const OFFICER_CODES = Array.from(
  { length: 12 },
  (_, i) => `OF${String(i + 1).padStart(3, '0')}`,
);

export function tempDir(prefix = 'fieldbook-import-writers-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const EN_HEADER =
  'loan_no,borrower_name,id_number,phone,village,township,county,product,principal,disbursed_on,term_months,installment_amount,outstanding_principal,arrears_amount,days_past_due,next_due_on,officer_code,guarantor_name,guarantor_phone';

export interface LoanLine {
  loanNo: string;
  name?: string;
  phone?: string;
  principal?: string;
  disbursedOn?: string;
  term?: string;
  instalment?: string;
  outstanding?: string;
  arrears?: string;
  dpd?: string;
  nextDue?: string;
  officer?: string;
}

/** One English CSV line; a 12-month 12,000 yuan loan current unless told otherwise. */
export function loanLine(l: LoanLine): string {
  return [
    l.loanNo,
    l.name ?? '张三',
    '1742181994********',
    l.phone ?? '13800000001',
    '张湾村',
    '龙泉镇',
    '平安县',
    'Farmer micro credit',
    l.principal ?? '12000.00',
    l.disbursedOn ?? '2026-01-15',
    l.term ?? '12',
    l.instalment ?? '1000.00',
    l.outstanding ?? '2000.00',
    l.arrears ?? '0',
    l.dpd ?? '0',
    l.nextDue ?? '2026-12-15',
    l.officer ?? 'OF001',
    '',
    '',
  ].join(',');
}

export function writeCsv(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, [EN_HEADER, ...lines].join('\n') + '\n');
  return file;
}
