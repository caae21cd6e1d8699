// The three passes a portfolio import makes over a file, for both writers (desktop ledger
// and server admin CLI):
//   1. inspectPortfolio: what the file is, a suggested mapping, a few raw rows (mapping screen);
//   2. previewPortfolio: validate every row, no writes (preview and report screen);
//   3. importPortfolioRows: read again and hand the writer each row, with every occurrence of
//      a duplicated loan number already rejected; throws 'file_changed' if the file is not
//      the one previewed, so a writer that writes inside one transaction rolls back.
import type { IsoDate } from '../../domain/types';
import { guessAsOfDate } from '../../import/date';
import type { PortfolioRow } from '../../import/fields';
import { suggestMapping, type ColumnMapping, type MappingSuggestion } from '../../import/mapping';
import type { RawRow, SourceMeta } from '../../import/raw-row';
import { mappingFromSaved, pickSavedMapping, type SavedMapping } from '../../import/saved-mapping';
import {
  validatePortfolio,
  type ImportReport,
  type PortfolioValidation,
  type ValidatedRow,
  type ValidateOptions,
  type ValidationContext,
} from '../../import/validate';
import { stat } from 'node:fs/promises';
import { PortfolioReadError } from './errors';
import { readPortfolio, type ReadOptions, type ReadProgress } from './read-portfolio';

/** The reading settings detection settled on, so later passes read the file the same way. */
export type PinnedReadOptions = Pick<ReadOptions, 'encoding' | 'delimiter' | 'sheet' | 'headerRow'>;

export interface PassOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

export interface PortfolioInspection {
  meta: SourceMeta;
  suggestion: MappingSuggestion;
  /** The saved mapping that fits these headers, if any was offered. */
  savedMapping: SavedMapping | null;
  /** The mapping to start the mapping screen with: the saved one if it fits, else the suggestion. */
  mapping: ColumnMapping;
  /** A date named in the report title or the file name ('截至2026年11月20日'), to offer as the as-of date. */
  suggestedAsOfDate: IsoDate | null;
  /** The first data rows as read, for the mapping screen. */
  sampleRows: RawRow[];
  readOptions: PinnedReadOptions;
}

export async function inspectPortfolio(
  path: string,
  options: { readOptions?: ReadOptions; savedMappings?: readonly SavedMapping[]; sampleSize?: number } = {},
): Promise<PortfolioInspection> {
  const source = await readPortfolio(path, options.readOptions);
  const sampleRows: RawRow[] = [];
  const sampleSize = options.sampleSize ?? 20;
  try {
    if (sampleSize > 0) {
      for await (const row of source.rows) {
        sampleRows.push(row);
        if (sampleRows.length >= sampleSize) break;
      }
    }
  } finally {
    await source.close();
  }
  const { meta } = source;
  const suggestion = suggestMapping(meta.headers);
  const savedMapping = options.savedMappings ? pickSavedMapping(meta.headers, options.savedMappings) : null;
  return {
    meta,
    suggestion,
    savedMapping,
    mapping: savedMapping ? mappingFromSaved(savedMapping) : suggestion.mapping,
    suggestedAsOfDate: guessAsOfDate([...meta.preamble, meta.fileName]),
    sampleRows,
    readOptions: pinned(meta),
  };
}

function pinned(meta: SourceMeta): PinnedReadOptions {
  const out: PinnedReadOptions = { headerRow: meta.headerRow };
  if (meta.encoding) out.encoding = meta.encoding;
  if (meta.delimiter) out.delimiter = meta.delimiter;
  if (meta.sheet !== null) out.sheet = meta.sheet;
  return out;
}

export interface PortfolioPreview {
  meta: SourceMeta;
  mapping: ColumnMapping;
  context: ValidationContext;
  readOptions: PinnedReadOptions;
  report: ImportReport;
  /** The first valid rows, normalised, for the preview table. */
  sample: PortfolioRow[];
  /** sha256 of the file as previewed. */
  contentHash: string;
  /** No file issue and at least one valid row. Rejected rows do not block: they are reported and left out. */
  canImport: boolean;
}

export async function previewPortfolio(
  path: string,
  input: {
    mapping: ColumnMapping;
    context: ValidationContext;
    readOptions?: PinnedReadOptions;
    sampleSize?: number;
  } & PassOptions & Pick<ValidateOptions, 'maxStoredIssues'>,
): Promise<PortfolioPreview> {
  const source = await readPortfolio(path, {
    ...input.readOptions,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const validation = validatePortfolio(source.rows, input.mapping, input.context, {
    headers: source.meta.headers,
    ...(input.maxStoredIssues !== undefined ? { maxStoredIssues: input.maxStoredIssues } : {}),
  });
  const sample: PortfolioRow[] = [];
  const sampleSize = input.sampleSize ?? 50;
  try {
    for await (const checked of validation) {
      if (checked.row && sample.length < sampleSize) sample.push(checked.row);
    }
  } finally {
    await source.close();
  }
  // A row that was valid when sampled can have been rejected by a later duplicate.
  const duplicated = validation.report.duplicates;
  const contentHash = source.contentHash();
  if (contentHash === null) throw new Error('previewPortfolio: file was not read to its end');
  return {
    meta: source.meta,
    mapping: input.mapping,
    context: input.context,
    readOptions: { ...input.readOptions, ...pinned(source.meta) },
    report: validation.report,
    sample: sample.filter((row) => !duplicated.has(row.loanNo)),
    contentHash,
    canImport: validation.report.fileIssues.length === 0 && validation.report.validRows > 0,
  };
}

/**
 * The rows to write, in file order: every row comes through (rejected ones with row: null
 * and their loan number when readable, so a full-file import knows which loans the file
 * still lists). Throws PortfolioReadError 'file_changed' at the start when the file's size
 * or modification time moved, and at the end when its content or counts differ from the
 * preview; abort with options.signal.
 */
export function importPortfolioRows(path: string, preview: PortfolioPreview, options: PassOptions = {}): PortfolioValidation {
  let inner: PortfolioValidation | null = null;
  const emptyReport: ImportReport = {
    ...preview.report,
    totalRows: 0,
    validRows: 0,
    rejectedRows: 0,
    skippedRows: 0,
    warningRows: 0,
    delinquentRows: 0,
    issueCounts: {},
    issues: [],
    duplicates: new Map(),
    totals: { principalFen: 0, outstandingFen: 0, arrearsFen: 0 },
  };
  return {
    get report(): ImportReport {
      return inner?.report ?? emptyReport;
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<ValidatedRow> {
      if (!preview.canImport) throw new Error('importPortfolioRows: the preview says this file cannot be imported');
      const info = await stat(path);
      // Within a millisecond: file systems keep finer times than a JavaScript number round-trips.
      if (info.size !== preview.meta.fileSize || Math.abs(info.mtimeMs - preview.meta.fileModifiedMs) >= 1) {
        throw fileChanged();
      }
      const source = await readPortfolio(path, { ...preview.readOptions, ...options });
      const validation = validatePortfolio(
        source.rows,
        preview.mapping,
        { ...preview.context, knownDuplicates: preview.report.duplicates },
        { headers: source.meta.headers, maxStoredIssues: 0 },
      );
      inner = validation;
      try {
        yield* validation;
      } finally {
        await source.close();
      }
      const report = validation.report;
      if (
        source.contentHash() !== preview.contentHash ||
        report.validRows !== preview.report.validRows ||
        report.totalRows !== preview.report.totalRows
      ) {
        throw fileChanged();
      }
    },
  };
}

function fileChanged(): PortfolioReadError {
  return new PortfolioReadError('file_changed', 'The file changed after the preview');
}
