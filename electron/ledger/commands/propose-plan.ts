// A repayment plan proposed for a borrower in hardship: the household's monthly cash flow
// gives the affordable instalment (shared/domain/hardship), the officer chooses the
// instalment (at most the affordable one unless a note explains why), and the schedule
// settles exactly what is owed: outstanding principal plus interest already overdue
// (a hardship plan freezes further interest). The plan stays 'proposed' until a manager
// decides; proposing it also flags the case as hardship, in the same transaction.
import type { RecordedFact } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { affordableInstalment, proposePlanSchedule } from '../../../shared/domain/hardship';
import type { Fen, HardshipReason, IsoDate } from '../../../shared/domain/types';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { currentLoanPosition, overdueUnpaidInterest } from '../loan-state';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  optionalText,
  requireActor,
  requireOpenCase,
  stampFact,
  wordingFlags,
} from './command';
import { currentFlags, writeFlagChange } from './set-flags';

/**
 * The longest plan the ledger proposes. A lender's number: it belongs in the policy pack
 * (shared/policy/pack.ts has no plan settings yet), kept here until it does.
 */
export const MAX_PLAN_MONTHS = 36;

/** The reason stored on the hardship flag_change a plan proposal makes (the UI translates it). */
export const PLAN_PROPOSED_FLAG_REASON = 'plan_proposed';

export interface ProposePlanInput {
  caseId: string;
  loanId: string;
  hardshipReasons: HardshipReason[];
  monthlyIncomeFen: Fen;
  essentialExpensesFen: Fen;
  otherDebtPaymentsFen: Fen;
  monthlyFen: Fen;
  startDate: IsoDate;
  note?: string;
}

export function proposePlan(
  ledger: Ledger,
  actorId: string,
  input: ProposePlanInput,
): RecordedFact {
  const { db } = ledger;
  return db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      const loan = stmt<{ case_id: string; status: string }>(
        db,
        'SELECT case_id, status FROM loans WHERE id = ?',
      ).get(input.loanId);
      if (loan?.case_id !== kase.id)
        throw invalidInput('loanId', 'not_on_case', 'That loan is not on this case');
      if (loan.status !== 'active')
        throw invalidInput('loanId', 'loan_closed', 'That loan is closed');
      const today = derivedAsOf(ledger);
      if (input.startDate < today) {
        throw invalidInput('startDate', 'in_the_past', 'A plan cannot start in the past');
      }
      const reasons = [...new Set(input.hardshipReasons)];
      if (reasons.length === 0)
        throw invalidInput('hardshipReasons', 'required', 'Choose at least one hardship reason');
      const note = optionalText(input.note);
      const affordableFen = affordableInstalment({
        monthlyIncomeFen: input.monthlyIncomeFen,
        essentialExpensesFen: input.essentialExpensesFen,
        otherDebtPaymentsFen: input.otherDebtPaymentsFen,
      });
      if (input.monthlyFen > affordableFen && note === null) {
        throw invalidInput(
          'monthlyFen',
          'above_affordable',
          'The instalment is more than the household can afford; explain why in the note',
          { affordableFen },
        );
      }

      const position = currentLoanPosition(db, { id: input.loanId, caseId: kase.id }, today);
      const totalFen = position.outstandingPrincipalFen + overdueUnpaidInterest(position);
      const proposal = proposePlanSchedule({
        outstandingFen: totalFen,
        arrearsFen: Math.min(position.arrearsFen, totalFen),
        affordableFen: input.monthlyFen,
        startDate: input.startDate,
        maxMonths: MAX_PLAN_MONTHS,
      });
      if (!proposal.ok) {
        const r = proposal.refusal;
        throw new AppError('invalid_input', `No plan fits: ${r.code}`, {
          field: r.code === 'nothing_to_repay' ? 'loanId' : 'monthlyFen',
          reason: r.code,
          affordableFen,
          totalFen,
          ...(r.code === 'exceeds_max_months' && {
            monthsNeeded: r.monthsNeeded,
            maxMonths: r.maxMonths,
            minMonthlyFen: r.minMonthlyFen,
          }),
        });
      }

      const now = ledger.clock.now();
      const fact: FactRecord = {
        ...stampFact(ledger, now),
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'plan_proposal',
        payload: {
          loanId: input.loanId,
          hardshipReasons: reasons,
          monthlyIncomeFen: input.monthlyIncomeFen,
          essentialExpensesFen: input.essentialExpensesFen,
          otherDebtPaymentsFen: input.otherDebtPaymentsFen,
          affordableFen,
          monthlyFen: proposal.monthlyFen,
          totalFen,
          arrearsFen: position.arrearsFen,
          instalments: proposal.instalments.map((i) => ({
            seq: i.seq,
            dueDate: i.dueDate,
            amountFen: i.principalFen + i.interestFen,
          })),
          note,
          flaggedTerms: wordingFlags(ledger, note),
        },
      };
      commitFact(ledger, 'plan.propose', fact);
      if (!currentFlags(ledger, kase.id).hardship)
        writeFlagChange(ledger, actor, kase, 'hardship', true, PLAN_PROPOSED_FLAG_REASON, now);
      return {
        factId: fact.id,
        caseId: fact.caseId,
        kind: 'plan_proposal',
        occurredAt: fact.occurredAt,
      };
    })
    .immediate();
}
