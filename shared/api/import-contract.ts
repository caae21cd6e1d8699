// Operations of the portfolio import and the reconciliation export (manager or admin; the
// ledger refuses officers with forbidden / manager_only).
//
// Long runs: 'import.preview' and 'import.run' take a client-made runId and answer when the
// run has finished. Meanwhile the client polls 'import.progress' {runId} (the transports are
// request/response) and may call 'import.cancel' {runId}, which rolls the whole import
// back. While an import runs, the ledger refuses other commands with conflict /
// import_running: they would otherwise join the import's open transaction.
import { z } from 'zod';
import { DELIMITERS, SOURCE_ENCODINGS, type RawRow, type SourceMeta } from '../import/raw-row';
import {
  MONEY_FIELD_KEYS,
  MONEY_UNITS,
  PORTFOLIO_FIELD_KEYS,
  type PortfolioRow,
} from '../import/fields';
import type { MappingSuggestion } from '../import/mapping';
import type { SavedMapping } from '../import/saved-mapping';
import type { ImportReportWire } from '../import/validate';
import { entityId, isoDate, noInput, op } from './operation';

const filePath = z.string().min(1).max(4096);
const runId = z.string().min(1).max(64);

export const columnMappingSchema = z
  .object({
    columns: z.partialRecord(z.enum(PORTFOLIO_FIELD_KEYS), z.string().min(1).max(200)),
    moneyUnits: z.partialRecord(z.enum(MONEY_FIELD_KEYS), z.enum(MONEY_UNITS)).optional(),
    splitAddress: z.boolean().optional(),
  })
  .strict();
export type ColumnMappingInput = z.output<typeof columnMappingSchema>;

export const readOptionsSchema = z
  .object({
    encoding: z.enum(SOURCE_ENCODINGS).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
    sheet: z.union([z.string().min(1).max(100), z.number().int().positive()]).optional(),
    headerRow: z.number().int().positive().max(1000).optional(),
  })
  .strict();
export type ReadOptionsInput = z.output<typeof readOptionsSchema>;

// ---------- output types ----------

export interface ImportInspectOutput {
  meta: SourceMeta;
  suggestion: MappingSuggestion;
  mapping: ColumnMappingInput;
  /** The saved mapping (import.mappings) that fits the file's headers, if one does. */
  savedMappingSource: string | null;
  suggestedAsOfDate: string | null;
  sampleRows: RawRow[];
  readOptions: ReadOptionsInput;
}

export interface ImportPreviewOutput {
  /** Pass to 'import.run'; kept in memory for the last few previews only. */
  previewId: string;
  report: ImportReportWire;
  sample: PortfolioRow[];
  canImport: boolean;
}

export interface ImportRunOutput {
  rowsRead: number;
  loansCreated: number;
  loansUpdated: number;
  rowsLeftOut: number;
  loansClosed: number;
  casesOpened: number;
  casesReopened: number;
  casesClosed: number;
  /** New cases given to the fallback officer because the file's code maps to no user. */
  casesToFallbackOfficer: number;
  snapshotsApproximate: number;
  ms: number;
}

export type ImportRunPhase = 'writing' | 'closing' | 'deriving' | 'done';

/** Where a preview or run is (answer of 'import.progress'). */
export type ImportProgress =
  | {
      runId: string;
      stage: 'preview';
      state: ImportRunState;
      bytesRead: number;
      totalBytes: number;
      rows: number;
    }
  | {
      runId: string;
      stage: 'run';
      state: ImportRunState;
      phase: ImportRunPhase;
      rowsRead: number;
      totalRows: number;
      loansWritten: number;
      /** When state is 'done'. */
      result?: ImportRunOutput;
    };

/** 'failed' and 'cancelled' runs wrote nothing; errorCode is the AppError code. */
export type ImportRunState = 'running' | 'done' | 'failed' | 'cancelled';

export type ImportProgressOutput =
  (ImportProgress & { errorCode?: string }) | { runId: string; stage: 'unknown'; state: 'unknown' };

export interface ReconciliationExportOutput {
  file: string;
  rows: number;
  bytes: number;
}

// ---------- inputs ----------

export const saveMappingSchema = z
  .object({
    /** What the user calls the system the files come from ('信贷管理系统 V3'). */
    sourceSystem: z.string().trim().min(1).max(100),
    mapping: columnMappingSchema,
    /** The file's headers (inspect's meta.headers): how a later file is recognised. */
    headers: z.array(z.string().max(500)).max(500),
    /** Reading settings detection got wrong for this system, pinned with the mapping. */
    encoding: z.enum(SOURCE_ENCODINGS).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
    sheet: z.string().min(1).max(100).optional(),
  })
  .strict();

// ---------- operations ----------

export const importOps = {
  /** What the file is, a suggested mapping (a saved one when it fits), the first rows. */
  'import.inspect': op<ImportInspectOutput>()(
    z.object({ file: filePath, readOptions: readOptionsSchema.optional() }).strict(),
  ),
  /** Validates every row, writes nothing; keeps the preview for 'import.run' under previewId. */
  'import.preview': op<ImportPreviewOutput>()(
    z
      .object({
        runId,
        file: filePath,
        mapping: columnMappingSchema,
        asOfDate: isoDate,
        readOptions: readOptionsSchema.optional(),
        unknownOfficer: z.enum(['error', 'warning']).default('error'),
      })
      .strict(),
  ),
  /** Writes every valid row of a preview in one transaction, or nothing. */
  'import.run': op<ImportRunOutput>()(
    z
      .object({
        runId,
        previewId: entityId,
        /** Close the active loans the file does not list. */
        full: z.boolean().default(false),
        /** Import the valid rows when some are rejected (default: refuse the file). */
        validOnly: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Aborts a running preview or run; a run rolls back entirely. */
  'import.cancel': op<{ cancelled: boolean }>()(z.object({ runId }).strict()),
  /** Polled while a preview or run is going; also tells how a finished run ended. */
  'import.progress': op<ImportProgressOutput>()(z.object({ runId }).strict()),
  /** The mappings saved per source system, newest first. */
  'import.mappings.list': op<SavedMapping[]>()(noInput),
  /** Saves (or replaces) the mapping of one source system. */
  'import.mappings.save': op<SavedMapping>()(saveMappingSchema),
  /** Field activity of business dates from..to as CSV or XLSX, written at `file`. */
  'export.reconciliation': op<ReconciliationExportOutput>()(
    z
      .object({
        from: isoDate,
        to: isoDate,
        format: z.enum(['csv', 'xlsx']),
        file: filePath,
        lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
        values: z.enum(['labels', 'codes']).default('labels'),
      })
      .strict(),
  ),
} as const;

/** Operations that may run while an import holds the ledger (they read no ledger rows or only watch the import). */
export const OPS_ALLOWED_DURING_IMPORT = [
  'import.inspect',
  'import.preview',
  'import.progress',
  'import.cancel',
  'import.mappings.list',
  'policy.get',
] as const;
