// PROPOSED API operations for the import screens, in the shape of shared/api/contract.ts
// (zod input, output type). They live here until the lead moves them into the contract;
// the handlers in handlers.ts are typed against them.
//
// Long runs: 'import.preview' and 'import.run' take a client-made runId; the transport
// forwards progress for that id (ImportProgressEvent) and 'import.cancel' {runId} aborts
// it, which rolls the whole import back.
import { z } from 'zod';
import { isoDateSchema } from '../../../shared/sync/common';
import {
  DELIMITERS,
  SOURCE_ENCODINGS,
  type SourceMeta,
  type RawRow,
} from '../../../shared/import/raw-row';
import {
  MONEY_FIELD_KEYS,
  MONEY_UNITS,
  PORTFOLIO_FIELD_KEYS,
  type PortfolioRow,
} from '../../../shared/import/fields';
import { SavedMappingSchema } from '../../../shared/import/saved-mapping';
import type { MappingSuggestion } from '../../../shared/import/mapping';
import type { ImportReportWire } from '../../../shared/import/validate';
import type { ReconciliationWritten } from '../../../shared/node/portfolio-import';
import type { LedgerImportProgress, LedgerImportResult } from './ledger-import';

const filePath = z.string().min(1).max(4096);
const runId = z.string().min(1).max(64);

export const columnMappingSchema = z.object({
  columns: z.partialRecord(z.enum(PORTFOLIO_FIELD_KEYS), z.string().min(1).max(200)),
  moneyUnits: z.partialRecord(z.enum(MONEY_FIELD_KEYS), z.enum(MONEY_UNITS)).optional(),
  splitAddress: z.boolean().optional(),
});

export const readOptionsSchema = z.object({
  encoding: z.enum(SOURCE_ENCODINGS).optional(),
  delimiter: z.enum(DELIMITERS).optional(),
  sheet: z.union([z.string().min(1).max(100), z.number().int().positive()]).optional(),
  headerRow: z.number().int().positive().max(1000).optional(),
});

export const importInputSchemas = {
  /** What the file is, a suggested mapping (a saved one when it fits), the first rows. */
  'import.inspect': z.object({
    file: filePath,
    readOptions: readOptionsSchema.optional(),
    savedMappings: z.array(SavedMappingSchema).max(100).optional(),
  }),
  /** Validates every row, writes nothing; keeps the preview for 'import.run' under previewId. */
  'import.preview': z.object({
    runId,
    file: filePath,
    mapping: columnMappingSchema,
    asOfDate: isoDateSchema,
    readOptions: readOptionsSchema.optional(),
    unknownOfficer: z.enum(['error', 'warning']).default('error'),
  }),
  /** Writes every valid row of a preview in one transaction (manager or admin). */
  'import.run': z.object({
    runId,
    previewId: z.string().min(1).max(64),
    full: z.boolean().default(false),
    validOnly: z.boolean().default(false),
  }),
  'import.cancel': z.object({ runId }),
  /** Field activity of business dates from..to as CSV or XLSX, at `file`. */
  'export.reconciliation': z.object({
    from: isoDateSchema,
    to: isoDateSchema,
    format: z.enum(['csv', 'xlsx']),
    file: filePath,
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
    values: z.enum(['labels', 'codes']).default('labels'),
  }),
} as const;

export type ImportOpName = keyof typeof importInputSchemas;
export type ImportOpInput<N extends ImportOpName> = z.output<(typeof importInputSchemas)[N]>;

export interface ImportInspectOutput {
  meta: SourceMeta;
  suggestion: MappingSuggestion;
  mapping: z.output<typeof columnMappingSchema>;
  savedMappingSource: string | null;
  suggestedAsOfDate: string | null;
  sampleRows: RawRow[];
  readOptions: z.output<typeof readOptionsSchema>;
}

export interface ImportPreviewOutput {
  previewId: string;
  report: ImportReportWire;
  sample: PortfolioRow[];
  canImport: boolean;
}

export type ImportRunOutput = LedgerImportResult;

export interface ImportOutputs {
  'import.inspect': ImportInspectOutput;
  'import.preview': ImportPreviewOutput;
  'import.run': ImportRunOutput;
  'import.cancel': { cancelled: boolean };
  'export.reconciliation': ReconciliationWritten;
}

/** Sent by the transport while a preview or run is going (one every ~2,000 rows). */
export type ImportProgressEvent =
  | { runId: string; stage: 'preview'; bytesRead: number; totalBytes: number; rows: number }
  | ({ runId: string; stage: 'run' } & LedgerImportProgress);
