// The three passes the writers use: inspect (mapping screen), preview (report), import rows.
import { appendFileSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../../shared/import/mapping';
import { toSavedMapping } from '../../shared/import/saved-mapping';
import {
  importPortfolioRows,
  inspectPortfolio,
  previewPortfolio,
} from '../../shared/node/portfolio-import/import-passes';
import { PortfolioReadError } from '../../shared/node/portfolio-import/errors';
import type { ValidatedRow } from '../../shared/import/validate';
import { CONTEXT, EN_HEADER, enRow, SAMPLE_ZH_GBK, tempDir, writeText } from './helpers';

const dir = tempDir();

async function collect(rows: AsyncIterable<ValidatedRow>): Promise<ValidatedRow[]> {
  const out: ValidatedRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('inspectPortfolio', () => {
  it('gives the mapping screen what it needs: meta, suggestion, sample rows, pinned read options', async () => {
    const inspection = await inspectPortfolio(SAMPLE_ZH_GBK, { sampleSize: 3 });
    expect(inspection.meta.encoding).toBe('gbk');
    expect(inspection.suggestion.missingRequired).toEqual([]);
    expect(inspection.sampleRows.map((r) => r.cells['贷款编号'])).toEqual(['LN120000000', 'LN120000001', 'LN120000002']);
    expect(inspection.readOptions).toEqual({ encoding: 'gbk', delimiter: ',', headerRow: 1 });
    expect(inspection.savedMapping).toBeNull();
    expect(inspection.suggestedAsOfDate).toBeNull();
  });

  it('prefers a saved mapping that fits, and offers the date in the title', async () => {
    const file = writeText(dir, '台账20261120.csv', `贷款台账 截至2026年11月19日\n${EN_HEADER}\n${enRow()}\n`);
    const headers = EN_HEADER.split(',');
    const custom = { ...suggestMapping(headers).mapping, splitAddress: false };
    const saved = toSavedMapping('Core v2', custom, headers, '2026-11-01T00:00:00.000Z');
    const inspection = await inspectPortfolio(file, { savedMappings: [saved] });
    expect(inspection.savedMapping?.sourceSystem).toBe('Core v2');
    expect(inspection.mapping.splitAddress).toBe(false);
    // The title comes before the file name: its date is the one the data is as of.
    expect(inspection.suggestedAsOfDate).toBe('2026-11-20');
    expect(inspection.meta.preamble).toEqual(['贷款台账 截至2026年11月19日']);
  });
});

describe('previewPortfolio + importPortfolioRows', () => {
  const lines = [
    EN_HEADER,
    enRow({ loan_no: 'A' }),
    enRow({ loan_no: 'DUP', outstanding_principal: '100.00' }),
    enRow({ loan_no: 'B', principal: 'oops' }),
    enRow({ loan_no: 'DUP', outstanding_principal: '200.00' }),
    enRow({ loan_no: 'C' }),
  ];

  it('previews, then hands the writer every row with both duplicates rejected from the start', async () => {
    const file = writeText(dir, 'passes.csv', lines.join('\n') + '\n');
    const inspection = await inspectPortfolio(file);
    const preview = await previewPortfolio(file, { mapping: inspection.mapping, context: CONTEXT, readOptions: inspection.readOptions });
    expect(preview.canImport).toBe(true);
    expect(preview.report).toMatchObject({ totalRows: 5, validRows: 2, rejectedRows: 3 });
    expect(preview.sample.map((r) => r.loanNo)).toEqual(['A', 'C']);

    const pass = importPortfolioRows(file, preview);
    const rows = await collect(pass);
    // Writers see every row (loan numbers of rejected ones too) and write those with a row.
    expect(rows.map((r) => [r.loanNo, r.row !== null])).toEqual([
      ['A', true],
      ['DUP', false],
      ['B', false],
      ['DUP', false],
      ['C', true],
    ]);
    expect(pass.report).toMatchObject({ validRows: 2, rejectedRows: 3 });
  });

  it('refuses a file that changed after the preview, before handing out any row', async () => {
    const file = writeText(dir, 'changes.csv', lines.join('\n') + '\n');
    const preview = await previewPortfolio(file, { mapping: suggestMapping(EN_HEADER.split(',')).mapping, context: CONTEXT });
    appendFileSync(file, enRow({ loan_no: 'LATE' }) + '\n');
    const seen: string[] = [];
    const err = await (async () => {
      for await (const r of importPortfolioRows(file, preview)) seen.push(r.loanNo ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortfolioReadError);
    expect((err as PortfolioReadError).reason).toBe('file_changed');
    expect(seen).toEqual([]);
  });

  it('detects same-size content changes at the end (the writer rolls back)', async () => {
    const file = writeText(dir, 'same-size.csv', lines.join('\n') + '\n');
    const preview = await previewPortfolio(file, { mapping: suggestMapping(EN_HEADER.split(',')).mapping, context: CONTEXT });
    // Same length, same mtime, different content: only the hash can tell.
    writeText(dir, 'same-size.csv', lines.join('\n').replace('Farmer', 'Farmex') + '\n');
    utimesSync(file, preview.meta.fileModifiedMs / 1000, preview.meta.fileModifiedMs / 1000);
    const pass = importPortfolioRows(file, preview);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const r of pass) seen.push(r.loanNo ?? '');
      })(),
    ).rejects.toMatchObject({ reason: 'file_changed' });
    expect(seen).toHaveLength(5);
  });

  it('a preview with a file issue cannot be imported', async () => {
    const file = writeText(dir, 'no-principal.csv', lines.join('\n') + '\n');
    const { principal: _p, ...columns } = suggestMapping(EN_HEADER.split(',')).mapping.columns;
    const preview = await previewPortfolio(file, { mapping: { columns }, context: CONTEXT });
    expect(preview.canImport).toBe(false);
    expect(preview.report.fileIssues.map((i) => i.code)).toEqual(['missing_required_column']);
    await expect(collect(importPortfolioRows(file, preview))).rejects.toThrow(/cannot be imported/);
  });
});
