// Plans by status for the manager's decision queue, oldest proposal first.
import type { PlanStatus, UserSummary } from '../../../shared/api/contract';
import type { PlanForDecision } from '../../../shared/api/manager-contract';
import type { UserRole } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { PlanProposalPayload } from '../facts';
import { stmt } from '../statements';

interface PlanRaw {
  fact_id: string;
  case_id: string;
  loan_id: string;
  loan_no: string | null;
  borrower_name: string;
  village: string;
  officer_id: string;
  officer_name: string;
  officer_role: UserRole;
  proposed_at: string;
  payload: string;
  proposer_id: string;
  proposer_name: string | null;
  proposer_role: UserRole | null;
  dpd: number;
  arrears_fen: number;
  decision_fact_id: string | null;
  decision: 'approved' | 'rejected' | null;
  decided_at: string | null;
  decision_payload: string | null;
  decider_id: string | null;
  decider_name: string | null;
  decider_role: UserRole | null;
}

const user = (id: string, name: string | null, role: UserRole | null): UserSummary => ({
  id,
  name: name ?? id,
  role: role ?? 'officer',
});

export function listPlans(db: LedgerDb, status: PlanStatus): PlanForDecision[] {
  const rows = stmt<PlanRaw>(
    db,
    `SELECT pp.fact_id, pp.case_id, pp.loan_id, l.loan_no, b.name AS borrower_name, c.village,
       c.officer_id, ou.name AS officer_name, ou.role AS officer_role, pp.proposed_at, f.payload,
       f.recorded_by AS proposer_id, pu.name AS proposer_name, pu.role AS proposer_role,
       c.dpd, c.arrears_fen,
       d.fact_id AS decision_fact_id, d.decision, d.decided_at, df.payload AS decision_payload,
       df.recorded_by AS decider_id, du.name AS decider_name, du.role AS decider_role
     FROM plan_proposals pp
       JOIN facts f ON f.id = pp.fact_id
       JOIN cases c ON c.id = pp.case_id
       JOIN borrowers b ON b.id = c.borrower_id
       LEFT JOIN users ou ON ou.id = c.officer_id
       LEFT JOIN users pu ON pu.id = f.recorded_by
       LEFT JOIN loans l ON l.id = pp.loan_id
       LEFT JOIN plan_decisions d ON d.proposal_fact_id = pp.fact_id
       LEFT JOIN facts df ON df.id = d.fact_id
       LEFT JOIN users du ON du.id = df.recorded_by
     WHERE coalesce(d.decision, 'proposed') = ?
     ORDER BY pp.proposed_at, pp.fact_id`,
  ).all(status);
  return rows.map((r) => {
    const p = JSON.parse(r.payload) as PlanProposalPayload;
    let decision: PlanForDecision['decision'] = null;
    if (r.decision_fact_id !== null && r.decided_at !== null && r.decider_id !== null) {
      const dp = JSON.parse(r.decision_payload ?? '{}') as { comment?: unknown; note?: unknown };
      decision = {
        factId: r.decision_fact_id,
        at: r.decided_at,
        by: user(r.decider_id, r.decider_name, r.decider_role),
        comment:
          typeof dp.comment === 'string' ? dp.comment : typeof dp.note === 'string' ? dp.note : '',
      };
    }
    return {
      factId: r.fact_id,
      caseId: r.case_id,
      loanId: r.loan_id,
      loanNo: r.loan_no ?? '',
      borrowerName: r.borrower_name,
      village: r.village,
      officer: user(r.officer_id, r.officer_name, r.officer_role),
      status: r.decision ?? 'proposed',
      hardshipReasons: p.hardshipReasons,
      monthlyIncomeFen: p.monthlyIncomeFen,
      essentialExpensesFen: p.essentialExpensesFen,
      affordableFen: p.affordableFen,
      monthlyFen: p.monthlyFen,
      totalFen: p.totalFen,
      months: p.instalments.length,
      firstDueDate: p.instalments[0]?.dueDate ?? '',
      instalments: p.instalments.map((i) => ({
        seq: i.seq,
        dueDate: i.dueDate,
        amountFen: i.amountFen,
      })),
      note: p.note,
      proposedAt: r.proposed_at,
      proposedBy: user(r.proposer_id, r.proposer_name, r.proposer_role),
      daysPastDue: r.dpd,
      arrearsFen: r.arrears_fen,
      decision,
    };
  });
}
