// Validation of a whole file, streamed: rows go through one at a time and only a compact
// index of loan numbers (for the duplicate check) and counters grow with the file.
import type { Fen } from '../domain/types';
import type { PortfolioFieldKey, PortfolioRow } from './fields';
import type { FileIssue, RowIssue, RowIssueCode } from './issue-codes';
import { missingRequiredFields, type ColumnMapping } from './mapping';
import type { RawRow } from './raw-row';
import { createRowValidator, type RowCheck, type ValidationContext } from './validate-row';

export type { ValidationContext, OfficerRef } from './validate-row';

/** One row's outcome, in file order. `row` is null when the row is rejected or skipped. */
export type ValidatedRow = RowCheck;

export interface ImportReport {
  /** Data rows seen (blank lines not counted; summary rows counted and skipped). */
  totalRows: number;
  /** Rows that will be imported: no error, and their loan number appears once in the file. */
  validRows: number;
  rejectedRows: number;
  skippedRows: number;
  /** Valid rows that carry a warning. */
  warningRows: number;
  /** Valid rows with days past due > 0 (the writers open cases for them). */
  delinquentRows: number;
  /** Number of issues per code, all of them, even when `issues` was cut short. */
  issueCounts: Partial<Record<RowIssueCode, number>>;
  /** Issues in file order (a duplicate's first occurrence is added when the second is met). */
  issues: RowIssue[];
  /** True when more issues happened than `issues` holds (see maxStoredIssues). */
  issuesTruncated: boolean;
  /** Problems with the file or mapping as a whole: when not empty, nothing may be imported. */
  fileIssues: FileIssue[];
  /** Loan number -> every row it is on, for each loan number seen more than once. */
  duplicates: Map<string, number[]>;
  /** Sums over valid rows, to compare with the core system's own control totals. */
  totals: { principalFen: Fen; outstandingFen: Fen; arrearsFen: Fen };
}

export interface ValidateOptions {
  /** Keep at most this many issues in the report (counts stay exact). Default 10,000. */
  maxStoredIssues?: number;
  /** The file's headers: a mapped column that is not among them is a file issue. */
  headers?: readonly string[];
}

export interface PortfolioValidation extends AsyncIterable<ValidatedRow> {
  /**
   * The report so far; complete once iteration has finished. Careful: a row that was valid
   * when yielded can be rejected later by a duplicate further down the file (the report says
   * so). Writers therefore either run a first pass for the report and a second with
   * context.knownDuplicates (shared/node/portfolio-import does this), or write inside one
   * transaction and undo the rows the final report rejects.
   */
  readonly report: ImportReport;
}

/**
 * Validates raw rows against a mapping. Single use: iterate once. The source is pulled row
 * by row, so a reader's back-pressure reaches the file.
 */
export function validatePortfolio(
  rows: AsyncIterable<RawRow> | Iterable<RawRow>,
  mapping: ColumnMapping,
  context: ValidationContext,
  options: ValidateOptions = {},
): PortfolioValidation {
  const maxStoredIssues = options.maxStoredIssues ?? 10_000;
  const report: ImportReport = {
    totalRows: 0,
    validRows: 0,
    rejectedRows: 0,
    skippedRows: 0,
    warningRows: 0,
    delinquentRows: 0,
    issueCounts: {},
    issues: [],
    issuesTruncated: false,
    fileIssues: [...mappingIssues(mapping), ...(options.headers ? mappedColumnsMissing(mapping, options.headers) : [])],
    duplicates: new Map(),
    totals: { principalFen: 0, outstandingFen: 0, arrearsFen: 0 },
  };
  const validator = createRowValidator(mapping, context);
  const firstSeen = new FirstOccurrenceIndex();

  const record = (issue: RowIssue): void => {
    report.issueCounts[issue.code] = (report.issueCounts[issue.code] ?? 0) + 1;
    if (report.issues.length < maxStoredIssues) report.issues.push(issue);
    else report.issuesTruncated = true;
  };

  const count = (check: RowCheck): void => {
    report.totalRows++;
    for (const issue of check.issues) record(issue);
    if (check.skipped) report.skippedRows++;
    else if (check.row === null) report.rejectedRows++;
    else {
      report.validRows++;
      if (check.issues.some((i) => i.severity === 'warning')) report.warningRows++;
      if (check.row.daysPastDue > 0) report.delinquentRows++;
      addTotals(report, check.row, 1);
    }
  };

  const duplicateCheck = (check: RowCheck): void => {
    if (check.loanNo === null || check.skipped) return;
    if (context.knownDuplicates?.has(check.loanNo)) {
      const rows = report.duplicates.get(check.loanNo) ?? [];
      rows.push(check.rowNumber);
      report.duplicates.set(check.loanNo, rows);
      return;
    }
    const first = firstSeen.get(check.loanNo);
    if (first === null) {
      firstSeen.add(check.loanNo, check.rowNumber, check.row, check.issues.some((i) => i.severity === 'warning'));
      return;
    }
    const rows = report.duplicates.get(check.loanNo);
    if (rows === undefined) {
      // Second occurrence: the first one, already counted, is now rejected too.
      report.duplicates.set(check.loanNo, [first.rowNumber, check.rowNumber]);
      record({
        rowNumber: first.rowNumber,
        field: 'loan_no',
        column: mapping.columns.loan_no ?? null,
        code: 'duplicate_loan_no_in_file',
        severity: 'error',
        params: { loanNo: check.loanNo, otherRows: String(check.rowNumber) },
      });
      if (first.valid) {
        report.validRows--;
        report.rejectedRows++;
        if (first.warned) report.warningRows--;
        if (first.delinquent) report.delinquentRows--;
        subtractTotals(report, first);
      }
    } else rows.push(check.rowNumber);
    const previous = report.duplicates.get(check.loanNo) ?? [];
    check.issues.push({
      rowNumber: check.rowNumber,
      field: 'loan_no',
      column: mapping.columns.loan_no ?? null,
      code: 'duplicate_loan_no_in_file',
      severity: 'error',
      params: { loanNo: check.loanNo, otherRows: previous.filter((r) => r !== check.rowNumber).join(', ') },
    });
    check.row = null;
  };

  return {
    report,
    async *[Symbol.asyncIterator](): AsyncGenerator<ValidatedRow> {
      if (report.fileIssues.length > 0) {
        // With the mapping broken every row would fail the same way: say it once, count rows.
        for await (const _raw of rows) report.totalRows++;
        if (report.totalRows === 0) report.fileIssues.push({ code: 'no_data_rows', field: null, params: {} });
        return;
      }
      for await (const raw of rows) {
        const check = validator.check(raw);
        duplicateCheck(check);
        count(check);
        yield check;
      }
      if (report.totalRows === 0) report.fileIssues.push({ code: 'no_data_rows', field: null, params: {} });
    },
  };
}

/** The report as plain JSON (the duplicates Map as a list), for IPC and HTTP. */
export type ImportReportWire = Omit<ImportReport, 'duplicates'> & {
  duplicates: Array<{ loanNo: string; rows: number[] }>;
};

export function toWireReport(report: ImportReport): ImportReportWire {
  return {
    ...report,
    issueCounts: { ...report.issueCounts },
    issues: [...report.issues],
    fileIssues: [...report.fileIssues],
    totals: { ...report.totals },
    duplicates: [...report.duplicates].map(([loanNo, rows]) => ({ loanNo, rows: [...rows] })),
  };
}

function mappingIssues(mapping: ColumnMapping): FileIssue[] {
  return missingRequiredFields(mapping).map((field: PortfolioFieldKey) => ({
    code: 'missing_required_column' as const,
    field,
    params: { field },
  }));
}

/** Columns named by the mapping that the file does not have (a saved mapping from an older export). */
export function mappedColumnsMissing(mapping: ColumnMapping, headers: readonly string[]): FileIssue[] {
  const present = new Set(headers);
  const out: FileIssue[] = [];
  for (const [field, header] of Object.entries(mapping.columns) as [PortfolioFieldKey, string | undefined][]) {
    if (header !== undefined && !present.has(header)) {
      out.push({ code: 'mapped_column_not_in_file', field, params: { field, column: header } });
    }
  }
  return out;
}

function addTotals(report: ImportReport, row: PortfolioRow, sign: 1 | -1): void {
  report.totals.principalFen += sign * row.principalFen;
  report.totals.outstandingFen += sign * row.outstandingFen;
  report.totals.arrearsFen += sign * row.arrearsFen;
}

function subtractTotals(report: ImportReport, first: FirstOccurrence): void {
  report.totals.principalFen -= first.principalFen;
  report.totals.outstandingFen -= first.outstandingFen;
  report.totals.arrearsFen -= first.arrearsFen;
}

interface FirstOccurrence {
  rowNumber: number;
  valid: boolean;
  warned: boolean;
  delinquent: boolean;
  principalFen: Fen;
  outstandingFen: Fen;
  arrearsFen: Fen;
}

/**
 * Loan number -> where it first appeared, and what that row added to the counts (so a
 * later duplicate can take it back). Numbers live in typed arrays: at 100,000 rows the
 * index is the Map of strings plus about 4 MB, not 100,000 objects.
 */
class FirstOccurrenceIndex {
  private readonly slot = new Map<string, number>();
  private size = 0;
  private rowNumbers = new Float64Array(1024);
  private amounts = new Float64Array(1024 * 3);
  private flags = new Uint8Array(1024);

  get(loanNo: string): FirstOccurrence | null {
    const i = this.slot.get(loanNo);
    if (i === undefined) return null;
    const f = this.flags[i] ?? 0;
    return {
      rowNumber: this.rowNumbers[i] ?? 0,
      valid: (f & 1) !== 0,
      warned: (f & 2) !== 0,
      delinquent: (f & 4) !== 0,
      principalFen: this.amounts[i * 3] ?? 0,
      outstandingFen: this.amounts[i * 3 + 1] ?? 0,
      arrearsFen: this.amounts[i * 3 + 2] ?? 0,
    };
  }

  add(loanNo: string, rowNumber: number, row: PortfolioRow | null, warned = false): void {
    if (this.size === this.rowNumbers.length) this.grow();
    const i = this.size++;
    this.slot.set(loanNo, i);
    this.rowNumbers[i] = rowNumber;
    if (row) {
      this.flags[i] = 1 | (warned ? 2 : 0) | (row.daysPastDue > 0 ? 4 : 0);
      this.amounts[i * 3] = row.principalFen;
      this.amounts[i * 3 + 1] = row.outstandingFen;
      this.amounts[i * 3 + 2] = row.arrearsFen;
    }
  }

  private grow(): void {
    const n = this.rowNumbers.length * 2;
    const rows = new Float64Array(n);
    rows.set(this.rowNumbers);
    const amounts = new Float64Array(n * 3);
    amounts.set(this.amounts);
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.rowNumbers = rows;
    this.amounts = amounts;
    this.flags = flags;
  }
}
