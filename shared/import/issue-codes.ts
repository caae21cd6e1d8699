// Stable codes for everything an import can say about a file or a row. The renderer and the
// admin CLI turn them into words through messages.ts; tests and writers match on the code.
import type { PortfolioFieldKey } from './fields';

/** Problems with one row (and usually one field of it). */
export const ROW_ISSUE_CODES = [
  // errors: the row is not imported
  'missing_loan_no',
  'missing_value',
  'bad_loan_no',
  'bad_text',
  'too_long',
  'bad_amount',
  'negative_amount',
  'zero_principal',
  'bad_date',
  'impossible_date',
  'date_out_of_range',
  'bad_integer',
  'term_out_of_range',
  'days_past_due_out_of_range',
  'bad_rate',
  'rate_out_of_range',
  'bad_phone',
  'bad_id_number',
  'outstanding_exceeds_principal',
  'disbursed_after_as_of',
  'next_due_before_disbursed',
  'duplicate_loan_no_in_file',
  'unknown_officer_code',
  // warnings: the row is imported, the user should look
  'arrears_exceed_outstanding',
  'arrears_without_days_past_due',
  'days_past_due_without_arrears',
  'masked_phone',
  // not a loan: a totals line ('合计') or a footer ('制表人：…') under the data, skipped
  'skipped_summary_row',
] as const;
export type RowIssueCode = (typeof ROW_ISSUE_CODES)[number];

export type IssueSeverity = 'error' | 'warning' | 'skipped';

export type IssueParams = Record<string, string | number>;

export interface RowIssue {
  rowNumber: number;
  /** The target field the issue is about; null for whole-row issues. */
  field: PortfolioFieldKey | null;
  /** The source column header the value came from, when there is one. */
  column: string | null;
  code: RowIssueCode;
  severity: IssueSeverity;
  /** Values for the message ('value' is the cell text, cut to 40 characters). */
  params: IssueParams;
}

/** Problems with the file or the mapping as a whole: nothing is imported until they are fixed. */
export const FILE_ISSUE_CODES = ['missing_required_column', 'mapped_column_not_in_file', 'no_data_rows'] as const;
export type FileIssueCode = (typeof FILE_ISSUE_CODES)[number];

export interface FileIssue {
  code: FileIssueCode;
  field: PortfolioFieldKey | null;
  params: IssueParams;
}

/** Why a file could not be read at all (carried as AppError 'invalid_input' with params.reason). */
export const READ_ERROR_REASONS = [
  'empty_file',
  'unsupported_format',
  'damaged_file',
  'legacy_xls',
  'html_table',
  'unknown_encoding',
  'malformed_csv',
  'no_header_row',
  'sheet_not_found',
  'file_changed',
] as const;
export type ReadErrorReason = (typeof READ_ERROR_REASONS)[number];
