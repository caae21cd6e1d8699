// Words for the import screen that come from codes: field labels, the validation report's
// issues, reading settings, run phases and every way an import call can fail. The issue
// and read-error sentences live in shared/import/messages.ts (the admin CLI prints the same
// ones); this module picks the user's language and handles the API's own refusals.
import type { TFunction } from 'i18next';
import type { ImportProgressOutput } from '../../../../shared/api/import-contract';
import {
  formatFileIssue,
  formatReadError,
  formatRowIssue,
  PORTFOLIO_FIELDS,
  READ_ERROR_REASONS,
  type Delimiter,
  type FileIssue,
  type IssueParams,
  type PortfolioFieldKey,
  type ReadErrorReason,
  type RowIssue,
} from '../../../../shared/import';
import type { ApiError } from '../../api/client';
import type { Language } from '../../i18n';
import { errorText } from '../../i18n/format';

export function fieldLabel(field: PortfolioFieldKey, lang: Language): string {
  return PORTFOLIO_FIELDS[field].label[lang];
}

export function rowIssueText(issue: RowIssue, lang: Language): string {
  return formatRowIssue(issue, lang);
}

export function fileIssueText(issue: FileIssue, lang: Language): string {
  return formatFileIssue(issue, lang);
}

const DELIMITER_KEYS: Record<Delimiter, string> = {
  ',': 'comma',
  '\t': 'tab',
  ';': 'semicolon',
  '|': 'pipe',
};

export function delimiterText(delimiter: Delimiter, t: TFunction): string {
  return t(`import.delimiter.${DELIMITER_KEYS[delimiter]}`);
}

function isReadErrorReason(value: unknown): value is ReadErrorReason {
  return typeof value === 'string' && (READ_ERROR_REASONS as readonly string[]).includes(value);
}

/** The refusal that means "an import holds the ledger right now", from any operation. */
export function isImportRunningError(err: ApiError): boolean {
  return err.code === 'conflict' && err.params['reason'] === 'import_running';
}

export function isCancelledError(err: ApiError): boolean {
  return err.code === 'conflict' && err.params['reason'] === 'cancelled';
}

/**
 * A sentence for a failed import call: the reader's reasons (wrong encoding, old .xls, …),
 * the run's refusals (rejected rows, preview gone, another import), else the app's general
 * words for the error code. Never the ledger's English message.
 */
export function importErrorText(err: ApiError, t: TFunction, lang: Language): string {
  const reason = err.params['reason'];
  if (err.code === 'invalid_input' && isReadErrorReason(reason)) {
    const params: IssueParams = {};
    for (const [k, v] of Object.entries(err.params)) {
      if (typeof v === 'string' || typeof v === 'number') params[k] = v;
    }
    return formatReadError(reason, params, lang);
  }
  if (err.code === 'invalid_input' && reason === 'rows_rejected') {
    return t('import.error.rowsRejected', { count: Number(err.params['rejectedRows'] ?? 0) });
  }
  if (err.code === 'invalid_input' && reason === 'file_not_importable')
    return t('import.error.fileNotImportable');
  if (err.code === 'invalid_input' && reason === 'bad_range') return t('import.error.badRange');
  if (err.code === 'not_found' && err.params['entity'] === 'preview')
    return t('import.error.previewGone');
  if (isImportRunningError(err)) return t('import.error.importRunning');
  if (isCancelledError(err)) return t('import.error.cancelled');
  if (err.code === 'forbidden') return t('import.error.managerOnly');
  return errorText(err, t);
}

/** 0–100 for the progress bar of a preview (bytes) or a run (rows). */
export function progressPercent(progress: ImportProgressOutput | null): number {
  if (!progress || progress.stage === 'unknown') return 0;
  if (progress.state === 'done') return 100;
  if (progress.stage === 'preview') {
    if (progress.totalBytes <= 0) return 0;
    return Math.min(99, Math.floor((progress.bytesRead / progress.totalBytes) * 100));
  }
  if (progress.totalRows <= 0) return 0;
  // Writing the rows is most of the work; closing and deriving come after all rows are read.
  return Math.min(99, Math.floor((progress.rowsRead / progress.totalRows) * 100));
}

/** '2.4 MB' / '812 KB' / '96 B'. */
export function fileSizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
