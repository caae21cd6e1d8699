// What a hardship plan must settle on a loan, as the ledger works it out: outstanding
// principal plus interest of overdue instalments still unpaid (interest is paid first in
// each instalment); later interest is frozen by the plan.
import type { LoanView } from '../../../../shared/api/contract';
import { proposePlanSchedule, type PlanProposal } from '../../../../shared/domain/hardship';
import type { Fen, IsoDate } from '../../../../shared/domain/types';

/**
 * The longest plan the ledger accepts (electron/ledger/commands/propose-plan.ts,
 * MAX_PLAN_MONTHS). A lender's number that belongs in the policy pack; mirrored here
 * until the pack carries it, so the preview refuses what the ledger would refuse.
 */
export const PLAN_MAX_MONTHS = 36;

export function planTotalFen(loan: LoanView): Fen {
  const overdueInterest = loan.schedule
    .filter((i) => i.status === 'overdue')
    .reduce((sum, i) => sum + i.interestFen - Math.min(i.paidFen, i.interestFen), 0);
  return loan.outstandingFen + overdueInterest;
}

export function previewPlan(loan: LoanView, monthlyFen: Fen, startDate: IsoDate): PlanProposal {
  const total = planTotalFen(loan);
  return proposePlanSchedule({
    outstandingFen: total,
    arrearsFen: Math.min(loan.arrearsFen, total),
    affordableFen: monthlyFen,
    startDate,
    maxMonths: PLAN_MAX_MONTHS,
  });
}
