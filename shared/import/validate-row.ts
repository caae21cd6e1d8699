// Checking and normalising one raw row against a mapping. Pure and synchronous, so the
// mapping screen can preview a few rows in the renderer; validate.ts adds what needs the
// whole file (duplicates, counts, totals).
import type { IsoDate } from '../domain/types';
import { splitAddress } from './address';
import { parseImportAmount } from './amount';
import { cellText, quoteValue, toHalfWidth } from './cell-text';
import { parseImportDate } from './date';
import {
  parseIdNumber,
  parseImportInteger,
  parseLoanNo,
  parsePhones,
  parseRatePct,
  parseText,
  type PhoneNumbers,
} from './field-parsers';
import { PORTFOLIO_FIELDS, type MoneyFieldKey, type PortfolioFieldKey, type PortfolioRow } from './fields';
import type { IssueParams, IssueSeverity, RowIssue, RowIssueCode } from './issue-codes';
import type { ColumnMapping } from './mapping';
import type { RawCell, RawRow } from './raw-row';

export interface OfficerRef {
  code: string;
  /** The officer's name, so a file that lists names instead of codes still maps. */
  name?: string;
}

export interface ValidationContext {
  /** The date the file's balances are as of, unless a row has its own as_of_date. */
  asOfDate: IsoDate;
  /** Known officers; when absent, officer codes are taken as they are and not checked. */
  officers?: readonly OfficerRef[];
  /** Whether an unknown officer code rejects the row (default) or only warns (the loan imports unassigned). */
  unknownOfficer?: 'error' | 'warning';
  /**
   * Loan numbers a previous pass over the same file found more than once, with the rows
   * they are on. A second pass rejects every occurrence as it meets it, instead of only
   * learning of the duplicate at its second occurrence.
   */
  knownDuplicates?: ReadonlyMap<string, readonly number[]>;
}

export const TERM_MONTHS_RANGE = { min: 1, max: 600 } as const;
export const DAYS_PAST_DUE_RANGE = { min: 0, max: 36_500 } as const;
export const RATE_PCT_RANGE = { min: 0, max: 100 } as const;

export interface RowCheck {
  rowNumber: number;
  /** The loan number when one could be read, even if the row is rejected (a later full file must not close it). */
  loanNo: string | null;
  /** The normalised loan; null when any error (or when the row is a skipped summary line). */
  row: PortfolioRow | null;
  issues: RowIssue[];
  skipped: boolean;
}

/** Mapping and context resolved once per file so each row costs only its own parsing. */
export interface RowValidator {
  check(raw: RawRow): RowCheck;
}

const SUMMARY_WORDS = /^(?:合计|总计|小计|累计|total|totals|grandtotal|subtotal|sum)[:：]?$/i;

export function createRowValidator(mapping: ColumnMapping, context: ValidationContext): RowValidator {
  const splitAddressOn = (mapping.splitAddress ?? true) && mapping.columns.address !== undefined;
  const officerByCode = new Map<string, string>();
  const officerByName = new Map<string, string | null>();
  for (const officer of context.officers ?? []) {
    officerByCode.set(normaliseCode(officer.code), officer.code);
    if (officer.name) {
      const name = officer.name.trim();
      // Two officers with one name: a name alone cannot say which, so it does not match.
      officerByName.set(name, officerByName.has(name) ? null : officer.code);
    }
  }
  const unknownOfficerSeverity: IssueSeverity = context.unknownOfficer === 'warning' ? 'warning' : 'error';
  const mappedColumns = Object.values(mapping.columns).filter((h): h is string => typeof h === 'string');

  return {
    check(raw: RawRow): RowCheck {
      const r = new RowReader(raw, mapping);
      const { issues } = r;

      // Loan number first: a summary line under the data has none.
      const loanParse = parseLoanNo(r.cell('loan_no'));
      if (isSummaryRow(raw, mappedColumns, loanParse === null || !loanParse.ok ? null : loanParse.value)) {
        r.issue(null, 'skipped_summary_row', {}, 'skipped');
        return { rowNumber: raw.rowNumber, loanNo: null, row: null, issues, skipped: true };
      }
      let loanNo: string | null = null;
      if (loanParse === null) r.missing('loan_no');
      else if (!loanParse.ok) r.issue('loan_no', loanParse.code, r.withValue('loan_no', loanParse.params));
      else loanNo = loanParse.value;
      if (loanNo !== null) {
        const others = context.knownDuplicates?.get(loanNo);
        if (others) {
          const otherRows = others.filter((n) => n !== raw.rowNumber);
          r.issue('loan_no', 'duplicate_loan_no_in_file', { loanNo, otherRows: otherRows.join(', ') });
        }
      }
      const borrowerName = r.text('borrower_name');
      let idNumber: string | null = null;
      const idParse = parseIdNumber(r.cell('id_number'));
      if (idParse !== null) {
        if (idParse.ok) idNumber = idParse.value;
        else r.issue('id_number', idParse.code, r.withValue('id_number', idParse.params));
      }
      const phone = r.phones('phone');
      const guarantorPhone = r.phones('guarantor_phone');
      let county = r.text('county');
      let township = r.text('township');
      let village = r.text('village');
      const address = r.text('address');
      if (splitAddressOn && address !== null && (county === null || township === null || village === null)) {
        const parts = splitAddress(address);
        county ??= parts.county;
        township ??= parts.township;
        village ??= parts.village;
      }
      // A village column that also names the township ('龙泉镇张湾村'): split it the same way.
      if ((mapping.splitAddress ?? true) && village !== null && township === null) {
        const parts = splitAddress(village);
        if (parts.township !== null && parts.village !== null) {
          county ??= parts.county;
          township = parts.township;
          village = parts.village;
        }
      }
      const product = r.text('product');
      const principalFen = r.money('principal');
      const installmentFen = r.money('installment_amount');
      const outstandingFen = r.money('outstanding_principal');
      const arrearsFen = r.money('arrears_amount');
      const disbursedOn = r.date('disbursed_on');
      const nextDueOn = r.date('next_due_on');
      const maturityOn = r.date('maturity_on');
      const ownAsOf = r.date('as_of_date');
      const asOfDate = ownAsOf ?? context.asOfDate;
      const termMonths = r.integer('term_months', TERM_MONTHS_RANGE, 'term_out_of_range');
      const daysPastDue = r.integer('days_past_due', DAYS_PAST_DUE_RANGE, 'days_past_due_out_of_range');

      let annualRatePct: number | null = null;
      const rateParse = parseRatePct(r.cell('annual_rate'));
      if (rateParse !== null) {
        if (!rateParse.ok) r.issue('annual_rate', rateParse.code, r.withValue('annual_rate'));
        else if (rateParse.value < RATE_PCT_RANGE.min || rateParse.value > RATE_PCT_RANGE.max) {
          r.issue('annual_rate', 'rate_out_of_range', r.withValue('annual_rate', { ...RATE_PCT_RANGE }));
        } else annualRatePct = rateParse.value;
      }

      let officerCode = r.text('officer_code');
      if (officerCode !== null && context.officers) {
        const known =
          officerByCode.get(normaliseCode(officerCode)) ?? officerByName.get(officerCode) ?? null;
        if (known === null) {
          r.issue('officer_code', 'unknown_officer_code', { code: officerCode }, unknownOfficerSeverity);
          officerCode = null;
        } else officerCode = known;
      }
      const guarantorName = r.text('guarantor_name');

      // Rules across fields, only where both sides were readable.
      if (principalFen === 0) r.issue('principal', 'zero_principal', r.withValue('principal'));
      if (principalFen !== null && outstandingFen !== null && outstandingFen > principalFen) {
        r.issue('outstanding_principal', 'outstanding_exceeds_principal', {
          outstandingFen,
          principalFen,
        });
      }
      if (disbursedOn !== null && disbursedOn > asOfDate) {
        r.issue('disbursed_on', 'disbursed_after_as_of', { disbursedOn, asOfDate });
      }
      if (disbursedOn !== null && nextDueOn !== null && nextDueOn < disbursedOn) {
        r.issue('next_due_on', 'next_due_before_disbursed', { nextDueOn, disbursedOn });
      }
      if (arrearsFen !== null && outstandingFen !== null && arrearsFen > outstandingFen && outstandingFen > 0) {
        r.issue('arrears_amount', 'arrears_exceed_outstanding', { arrearsFen, outstandingFen }, 'warning');
      }
      if (arrearsFen !== null && daysPastDue !== null) {
        if (arrearsFen > 0 && daysPastDue === 0) r.issue('days_past_due', 'arrears_without_days_past_due', { arrearsFen }, 'warning');
        if (arrearsFen === 0 && daysPastDue > 0) r.issue('arrears_amount', 'days_past_due_without_arrears', { daysPastDue }, 'warning');
      }

      const rejected = issues.some((i) => i.severity === 'error');
      if (
        rejected ||
        loanNo === null ||
        borrowerName === null ||
        principalFen === null ||
        outstandingFen === null ||
        arrearsFen === null ||
        disbursedOn === null ||
        termMonths === null ||
        daysPastDue === null
      ) {
        return { rowNumber: raw.rowNumber, loanNo, row: null, issues, skipped: false };
      }
      return {
        rowNumber: raw.rowNumber,
        loanNo,
        issues,
        skipped: false,
        row: {
          rowNumber: raw.rowNumber,
          loanNo,
          borrowerName,
          idNumber,
          phone: phone?.first ?? null,
          otherPhones: phone?.others ?? [],
          county,
          township,
          village,
          address,
          product,
          principalFen,
          disbursedOn,
          termMonths,
          annualRatePct,
          installmentFen,
          outstandingFen,
          arrearsFen,
          daysPastDue,
          nextDueOn,
          maturityOn,
          officerCode,
          guarantorName,
          guarantorPhone: guarantorPhone?.first ?? null,
          asOfDate,
        },
      };
    },
  };
}

/**
 * One row's cells and issues while it is checked. A class rather than closures made per row:
 * at 100,000 rows the allocation shows in the profile.
 */
class RowReader {
  readonly issues: RowIssue[] = [];

  constructor(
    private readonly raw: RawRow,
    private readonly mapping: ColumnMapping,
  ) {}

  cell(field: PortfolioFieldKey): RawCell {
    const header = this.mapping.columns[field];
    return header === undefined ? null : (this.raw.cells[header] ?? null);
  }

  issue(field: PortfolioFieldKey | null, code: RowIssueCode, params: IssueParams = {}, severity: IssueSeverity = 'error'): void {
    const column = field ? (this.mapping.columns[field] ?? null) : null;
    this.issues.push({ rowNumber: this.raw.rowNumber, field, column, code, severity, params });
  }

  withValue(field: PortfolioFieldKey, params: IssueParams = {}): IssueParams {
    return { value: quoteValue(this.cell(field)), ...params };
  }

  missing(field: PortfolioFieldKey): void {
    if (field === 'loan_no') this.issue(field, 'missing_loan_no');
    else this.issue(field, 'missing_value', { field });
  }

  text(field: PortfolioFieldKey): string | null {
    const parsed = parseText(this.cell(field), PORTFOLIO_FIELDS[field].maxLength);
    if (parsed === null) {
      if (PORTFOLIO_FIELDS[field].required) this.missing(field);
      return null;
    }
    if (!parsed.ok) {
      this.issue(field, parsed.code, this.withValue(field, parsed.params));
      return null;
    }
    return parsed.value;
  }

  money(field: MoneyFieldKey): number | null {
    const parsed = parseImportAmount(this.cell(field), this.mapping.moneyUnits?.[field] ?? 'yuan');
    if (parsed === null) {
      if (PORTFOLIO_FIELDS[field].required) this.missing(field);
      return null;
    }
    if (!parsed.ok) {
      this.issue(field, parsed.code, this.withValue(field));
      return null;
    }
    if (parsed.fen < 0) {
      this.issue(field, 'negative_amount', this.withValue(field));
      return null;
    }
    return parsed.fen;
  }

  date(field: PortfolioFieldKey): IsoDate | null {
    const parsed = parseImportDate(this.cell(field));
    if (parsed === null) {
      if (PORTFOLIO_FIELDS[field].required) this.missing(field);
      return null;
    }
    if (!parsed.ok) {
      this.issue(field, parsed.code, this.withValue(field));
      return null;
    }
    return parsed.date;
  }

  integer(field: 'term_months' | 'days_past_due', range: { min: number; max: number }, rangeCode: RowIssueCode): number | null {
    const parsed = parseImportInteger(this.cell(field), field === 'term_months' ? 'term' : 'days');
    if (parsed === null) {
      if (PORTFOLIO_FIELDS[field].required) this.missing(field);
      return null;
    }
    if (!parsed.ok) {
      this.issue(field, parsed.code, this.withValue(field));
      return null;
    }
    if (parsed.value < range.min || parsed.value > range.max) {
      this.issue(field, rangeCode, this.withValue(field, { min: range.min, max: range.max }));
      return null;
    }
    return parsed.value;
  }

  phones(field: 'phone' | 'guarantor_phone'): PhoneNumbers | null {
    const parsed = parsePhones(this.cell(field));
    if (parsed === null) return null;
    if (!parsed.ok) {
      this.issue(field, parsed.code, this.withValue(field));
      return null;
    }
    if (parsed.value.masked) this.issue(field, 'masked_phone', this.withValue(field), 'warning');
    return parsed.value;
  }
}

function normaliseCode(code: string): string {
  return toHalfWidth(code).trim().toUpperCase();
}

/**
 * A totals line ('合计' with sums under the amount columns) or a footer ('制表人：张三')
 * below the data. Neither is a loan, and reporting them as broken loans would only confuse.
 */
function isSummaryRow(raw: RawRow, mappedColumns: readonly string[], loanNo: string | null): boolean {
  // A real loan number settles it without looking at the other cells (the common case);
  // a footer in the loan-number column ('制表人：王五') has a colon.
  if (loanNo !== null && !/[:：]/.test(loanNo) && !SUMMARY_WORDS.test(toHalfWidth(loanNo).replace(/\s+/g, ''))) return false;
  let filled = 0;
  let lastText = '';
  for (const value of Object.values(raw.cells)) {
    const text = cellText(value);
    if (text === null) continue;
    filled++;
    lastText = text;
    const word = toHalfWidth(text).replace(/\s+/g, '');
    if (SUMMARY_WORDS.test(word) && (loanNo === null || loanNo === text)) return true;
  }
  return filled === 1 && mappedColumns.length >= 3 && /[:：]/.test(lastText) && !/^\d/.test(lastText);
}
