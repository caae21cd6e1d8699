// Builds the daily snapshot row of one loan (see LoanSnapshot in types.ts for the table).
// The ledger calls this once per loan at the end of each business date.
import { monthStart } from '../../dates';
import { bucketFor, type BucketDef } from '../buckets';
import { loanPosition } from '../schedule';
import type { Instalment, IsoDate, PaymentLine } from '../types';
import { dueAndPaidInPeriod } from './collection';
import type { LoanSnapshot, LoanStatus } from './types';

export interface SnapshotLoan {
  loanId: string;
  caseId: string;
  /** The case's officer on asOf. */
  officerId: string;
  /** True once a repayment plan for the loan has been approved. */
  restructured: boolean;
  /** The loans table's status (core banking closes loans: paid off, written off). */
  status: LoanStatus;
}

/**
 * The loan's row for business date `asOf`. `schedule` is the schedule in force (the
 * approved plan's once restructured); `payments` exclude reversed ones and may include
 * payments after asOf (ignored). dueInPeriodFen / paidInPeriodFen are month to date.
 */
export function loanSnapshot(
  loan: SnapshotLoan,
  schedule: readonly Instalment[],
  payments: readonly PaymentLine[],
  asOf: IsoDate,
  buckets: readonly BucketDef[],
): LoanSnapshot {
  const position = loanPosition(schedule, payments, asOf);
  let overduePrincipalFen = 0;
  for (const inst of position.instalments) {
    if (inst.status !== 'overdue') continue;
    // Payments go to interest first (loanPosition), so principal is paid only past it.
    overduePrincipalFen += inst.principalFen - Math.max(0, inst.paidFen - inst.interestFen);
  }
  const month = dueAndPaidInPeriod(schedule, payments, { from: monthStart(asOf), to: asOf });
  return {
    loanId: loan.loanId,
    caseId: loan.caseId,
    officerId: loan.officerId,
    asOf,
    outstandingPrincipalFen: position.outstandingPrincipalFen,
    overduePrincipalFen,
    arrearsFen: position.arrearsFen,
    daysPastDue: position.daysPastDue,
    bucket: bucketFor(position.daysPastDue, buckets),
    restructured: loan.restructured,
    status: loan.status,
    dueInPeriodFen: month.dueFen,
    paidInPeriodFen: month.paidFen,
  };
}
