import { describe, expect, it } from 'vitest';
import type { ImportProgressOutput } from '../../../../shared/api/import-contract';
import { DELIMITERS, MONEY_UNITS, SOURCE_ENCODINGS, type RowIssue } from '../../../../shared/import';
import { ApiError } from '../../api/client';
import { i18n } from '../../i18n';
import { delimiterText, fileSizeText, importErrorText, isImportRunningError, progressPercent, rowIssueText } from './import-texts';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en');

describe('importErrorText', () => {
  it('says why a file cannot be read in the reader’s own words, in both languages', () => {
    const err = new ApiError('import.inspect', 'invalid_input', 'Cannot tell the encoding', { reason: 'unknown_encoding' });
    expect(importErrorText(err, zh, 'zh-CN')).toBe('无法判断文件编码，请手动选择（UTF-8 或 GBK）');
    expect(importErrorText(err, en, 'en')).toBe("Cannot tell the file's encoding: choose it (UTF-8 or GBK)");
  });

  it('fills a read error’s parameters', () => {
    const err = new ApiError('import.inspect', 'invalid_input', 'x', { reason: 'malformed_csv', line: 42 });
    expect(importErrorText(err, zh, 'zh-CN')).toContain('第 42 行');
  });

  it('explains the run’s refusals rather than echoing the ledger’s English message', () => {
    const rejected = new ApiError('import.run', 'invalid_input', 'Some rows are rejected', {
      reason: 'rows_rejected',
      rejectedRows: 3,
    });
    expect(importErrorText(rejected, zh, 'zh-CN')).toBe('有 3 行被拒绝：请勾选“只导入有效行”，或修正文件后重新导入');
    expect(importErrorText(rejected, en, 'en')).toContain('3 rows are rejected');
    const gone = new ApiError('import.run', 'not_found', 'This preview is gone', { entity: 'preview' });
    expect(importErrorText(gone, zh, 'zh-CN')).toBe('预览已过期，请重新校验后再导入');
    const running = new ApiError('import.run', 'conflict', 'A portfolio import is running', { reason: 'import_running' });
    expect(importErrorText(running, en, 'en')).toBe('Another import is running: try again when it has finished');
    expect(isImportRunningError(running)).toBe(true);
    const forbidden = new ApiError('import.inspect', 'forbidden', 'Only a manager', { reason: 'manager_only' });
    expect(importErrorText(forbidden, zh, 'zh-CN')).toBe('只有主管或管理员可以导入或导出贷款台账');
  });

  it('falls back to the app’s words for other codes', () => {
    const internal = new ApiError('import.preview', 'internal', 'SQLITE_BUSY: database is locked');
    const text = importErrorText(internal, zh, 'zh-CN');
    expect(text).toBe(zh('errors.internal'));
    expect(text).not.toContain('SQLITE');
  });

  it('tells a plain conflict from the import refusing other work', () => {
    expect(isImportRunningError(new ApiError('contact.record', 'conflict', 'x', { reason: 'stale' }))).toBe(false);
  });
});

describe('rowIssueText', () => {
  it('names the field in the user’s language and shows money as yuan', () => {
    const issue: RowIssue = {
      rowNumber: 7,
      field: 'outstanding_principal',
      column: '剩余本金',
      code: 'outstanding_exceeds_principal',
      severity: 'error',
      params: { outstandingFen: 1234550, principalFen: 1000000 },
    };
    expect(rowIssueText(issue, 'zh-CN')).toBe('剩余本金 ¥12,345.50 大于贷款金额 ¥10,000.00');
    const negative: RowIssue = { ...issue, field: 'arrears_amount', code: 'negative_amount', params: { value: '-5.00' } };
    expect(rowIssueText(negative, 'en')).toBe('Arrears cannot be negative (-5.00)');
  });
});

describe('progressPercent', () => {
  const preview = (bytesRead: number, totalBytes: number, state: 'running' | 'done' = 'running'): ImportProgressOutput => ({
    runId: 'r',
    stage: 'preview',
    state,
    bytesRead,
    totalBytes,
    rows: 0,
  });
  it('follows bytes while previewing and rows while running, never 100 before done', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent(preview(0, 0))).toBe(0);
    expect(progressPercent(preview(250, 1000))).toBe(25);
    expect(progressPercent(preview(1000, 1000))).toBe(99);
    expect(progressPercent(preview(1000, 1000, 'done'))).toBe(100);
    expect(
      progressPercent({
        runId: 'r',
        stage: 'run',
        state: 'running',
        phase: 'writing',
        rowsRead: 150,
        totalRows: 200,
        loansWritten: 150,
      }),
    ).toBe(75);
    expect(progressPercent({ runId: 'r', stage: 'unknown', state: 'unknown' })).toBe(0);
  });
});

describe('words for reading settings', () => {
  it('has a label for every encoding, delimiter and money unit in both languages', () => {
    for (const t of [zh, en]) {
      for (const e of SOURCE_ENCODINGS) expect(t(`import.encoding.${e}`)).not.toContain('import.');
      for (const d of DELIMITERS) expect(delimiterText(d, t)).not.toContain('import.');
      for (const u of MONEY_UNITS) expect(t(`import.unit.${u}`)).not.toContain('import.');
    }
    expect(delimiterText('\t', zh)).toBe('制表符');
  });

  it('writes file sizes people can read', () => {
    expect(fileSizeText(96)).toBe('96 B');
    expect(fileSizeText(5661)).toBe('6 KB');
    expect(fileSizeText(2.5 * 1024 * 1024)).toBe('2.5 MB');
  });
});

// Every literal key the screen asks for exists in both languages (a typo shows the key).
const sources = import.meta.glob(['./*.tsx', './*.ts', '!./*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('i18n keys of the import screen', () => {
  it('are all there in zh-CN and en', () => {
    const keys = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'(import\.[\w.-]+)'/g)) if (m[1]) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(100);
    const missing = [...keys].filter(
      (k) => !i18n.exists(k, { lng: 'zh-CN', count: 2 }) || !i18n.exists(k, { lng: 'en', count: 2 }),
    );
    expect(missing).toEqual([]);
  });
});
