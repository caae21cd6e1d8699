// The pure per-row work of a desktop import, done before a row reaches SQLite: the
// schedule rebuilt from the file's figures (planLoanSnapshot), the borrower's pinyin, the
// case's route key, and the derived columns the case gets if the loan is new to the
// ledger. None of it reads the ledger, so it can run in the import's worker thread
// (row-worker.ts) while the main thread writes the previous rows (row-source.ts).
import type { BucketDef } from '../../../shared/domain/buckets';
import type { Fen, Instalment, IsoDate } from '../../../shared/domain/types';
import type { PortfolioRow } from '../../../shared/import/fields';
import { planLoanSnapshot, type LoanSnapshotPlan } from '../../../shared/import/loan-snapshot';
import { namePinyin, routeKey, type NamePinyin } from '../pinyin';
import { newCaseDerived, type NewCaseDerived } from './new-case-derived';

/**
 * What the writers use of a snapshot plan (the position stays behind: it only decides
 * `exact`), with the schedule packed: a row crosses from the worker thread as a structured
 * clone, and two dozen instalment objects per loan were most of the cost of that copy.
 */
export type WritePlan = Pick<LoanSnapshotPlan, 'annualRatePct' | 'paidFen' | 'exact'> & {
  schedule: PackedSchedule;
};

/** Instalments seq 1..n: due dates as one string of 10-character dates; principal, interest pairs. */
export interface PackedSchedule {
  dueDates: string;
  fen: Fen[];
}

const DATE_LENGTH = 10;

export function packSchedule(schedule: readonly Instalment[]): PackedSchedule {
  let dueDates = '';
  const fen: Fen[] = [];
  schedule.forEach((i, at) => {
    if (i.seq !== at + 1 || i.dueDate.length !== DATE_LENGTH) {
      throw new Error(`packSchedule: instalment ${at + 1} is seq ${i.seq}, due ${i.dueDate}`);
    }
    dueDates += i.dueDate;
    fen.push(i.principalFen, i.interestFen);
  });
  return { dueDates, fen };
}

/** Calls `each` with every instalment of a packed schedule, in order. */
export function forEachInstalment(
  packed: PackedSchedule,
  each: (seq: number, dueDate: IsoDate, principalFen: Fen, interestFen: Fen) => void,
): void {
  const n = packed.fen.length / 2;
  for (let at = 0; at < n; at++) {
    each(
      at + 1,
      packed.dueDates.slice(at * DATE_LENGTH, (at + 1) * DATE_LENGTH),
      packed.fen[2 * at] as Fen,
      packed.fen[2 * at + 1] as Fen,
    );
  }
}

export interface PreparedRow {
  row: PortfolioRow;
  plan: WritePlan;
  pinyin: NamePinyin;
  routeKey: string;
  /** The case's derived columns, used when the loan is new to the ledger. */
  newCase: NewCaseDerived;
}

/** One row of the file, in file order: `prepared` is null for a rejected or skipped row. */
export interface ImportItem {
  loanNo: string | null;
  prepared: PreparedRow | null;
}

export interface RowPrepContext {
  today: IsoDate;
  buckets: readonly BucketDef[];
}

export function prepareRow(row: PortfolioRow, ctx: RowPrepContext): PreparedRow {
  const { annualRatePct, schedule, paidFen, exact } = planLoanSnapshot(row);
  // A new loan has no payments and no core lines yet: the file's paid amount is its line.
  const coreLine = paidFen > 0 ? { paidOn: row.asOfDate, amountFen: paidFen } : null;
  return {
    row,
    plan: { annualRatePct, paidFen, exact, schedule: packSchedule(schedule) },
    pinyin: namePinyin(row.borrowerName),
    routeKey: routeKey(row.township ?? '', row.village ?? ''),
    newCase: newCaseDerived(schedule, coreLine, ctx.today, ctx.buckets),
  };
}
