// A manager's decision on a proposed repayment plan: a plan_decision fact (fact + side row
// + derived state + outbox + audit, one transaction). On approval the plan becomes the
// loan's schedule from the decision's business date: the instalments table (what derive,
// the case file and the payment guard read) is rewritten as
//   - what was already paid, kept as settled instalments on their original dates, then
//   - the plan's instalments, interest first (the overdue interest the plan settles),
// so DPD, arrears, priority and the promise figures follow the plan from then on. The
// replaced schedule is kept in loan_original_schedules (snapshots of earlier dates use
// it) and the loan is listed in loan_restructurings (restructured in PAR and snapshots).
import type { PlanDecided } from '../../../shared/api/manager-contract';
import { AppError } from '../../../shared/errors';
import { loanPosition } from '../../../shared/domain/schedule';
import type { Fen, Instalment, IsoDate } from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import { deriveCase } from '../derive';
import type { PlanInstalment, PlanProposalPayload } from '../facts';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { loanPaymentLines, loanSchedule, overdueUnpaidInterest } from '../loan-state';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';
import { derivedAsOf, requireOpenCase, stampFact, type ActorRef } from '../commands/command';

export interface PlanDecisionInput {
  planFactId: string;
  decision: 'approved' | 'rejected';
  comment: string;
}

/**
 * The schedule in force once the plan is approved: `paidByDecision` are the original
 * instalments with what was paid on each by the decision date.
 */
export function restructuredSchedule(
  paidByDecision: readonly { seq: number; dueDate: IsoDate; interestFen: Fen; paidFen: Fen }[],
  plan: readonly PlanInstalment[],
  owedFen: Fen,
  interestToSettleFen: Fen,
): Instalment[] {
  const out: Instalment[] = [];
  for (const p of paidByDecision) {
    if (p.paidFen <= 0) continue;
    const interest = Math.min(p.paidFen, p.interestFen);
    out.push({
      seq: 0,
      dueDate: p.dueDate,
      principalFen: p.paidFen - interest,
      interestFen: interest,
    });
  }
  // The plan settles what is owed at the decision: payments since the proposal shorten it
  // from the end; more owed (interest fallen due since) goes on the last instalment.
  const amounts = plan.map((i) => i.amountFen);
  let excess = amounts.reduce((a, b) => a + b, 0) - owedFen;
  for (let k = amounts.length - 1; k >= 0 && excess > 0; k--) {
    const cut = Math.min(excess, amounts[k]!);
    amounts[k]! -= cut;
    excess -= cut;
  }
  if (excess < 0 && amounts.length > 0) amounts[amounts.length - 1]! -= excess;
  let interestLeft = interestToSettleFen;
  plan.forEach((inst, k) => {
    const amount = amounts[k]!;
    if (amount <= 0) return;
    const interest = Math.min(amount, interestLeft);
    interestLeft -= interest;
    out.push({
      seq: 0,
      dueDate: inst.dueDate,
      principalFen: amount - interest,
      interestFen: interest,
    });
  });
  return out.map((i, k) => ({ ...i, seq: k + 1 }));
}

interface ProposalRow {
  case_id: string;
  loan_id: string;
  payload: string;
}

export interface PlanDecisionPayload {
  proposalFactId: string;
  loanId: string;
  decision: 'approved' | 'rejected';
  comment: string;
  /** The business date the plan's schedule starts to count (approvals only). */
  effectiveOn: IsoDate | null;
}

/** A plan_decision fact's payload as the ledger keeps it (the same on every device). */
export function planDecisionPayload(
  proposalFactId: string,
  loanId: string,
  decision: 'approved' | 'rejected',
  comment: string,
  decidedOn: IsoDate,
): PlanDecisionPayload {
  return {
    proposalFactId,
    loanId,
    decision,
    comment,
    effectiveOn: decision === 'approved' ? decidedOn : null,
  };
}

/**
 * What a plan decision does to the ledger besides its fact row: the plan_decisions side
 * row and, for an approval, the loan's schedule rewritten from effectiveOn (see the file
 * comment). Shared by the manager's command and the sync client applying a decision
 * pulled from another device, so both devices end with the same schedule. The caller owns
 * the transaction, has written the fact row, checked the proposal exists and is not
 * decided yet, and re-derives the case afterwards. A loan already running on a plan keeps
 * it (the server lets a proposal be decided once; a second approved plan on one loan is
 * refused locally and cannot come from the feed twice).
 */
export function applyPlanDecision(
  db: LedgerDb,
  d: { decisionFactId: string; caseId: string; decidedAt: string; payload: PlanDecisionPayload },
): void {
  const { payload } = d;
  stmt(
    db,
    `INSERT INTO plan_decisions (fact_id, case_id, proposal_fact_id, decision, decided_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(d.decisionFactId, d.caseId, payload.proposalFactId, payload.decision, d.decidedAt);
  const effectiveOn = payload.effectiveOn;
  if (effectiveOn === null) return;
  const restructured = stmt<number>(db, 'SELECT 1 FROM loan_restructurings WHERE loan_id = ?')
    .pluck()
    .get(payload.loanId);
  if (restructured === 1) return;
  const proposal = stmt<string>(
    db,
    `SELECT f.payload FROM plan_proposals pp JOIN facts f ON f.id = pp.fact_id WHERE pp.fact_id = ?`,
  )
    .pluck()
    .get(payload.proposalFactId);
  if (typeof proposal !== 'string') throw new Error('applyPlanDecision: proposal missing');
  const loan = { id: payload.loanId, caseId: d.caseId };
  const plan = JSON.parse(proposal) as PlanProposalPayload;
  const original = loanSchedule(db, loan.id);
  const position = loanPosition(original, loanPaymentLines(db, loan), effectiveOn);
  const schedule = restructuredSchedule(
    position.instalments,
    plan.instalments,
    position.outstandingPrincipalFen + overdueUnpaidInterest(position),
    overdueUnpaidInterest(position),
  );
  const keep = stmt(
    db,
    `INSERT INTO loan_original_schedules (case_id, loan_id, seq, due_date, principal_fen, interest_fen)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const i of original)
    keep.run(d.caseId, loan.id, i.seq, i.dueDate, i.principalFen, i.interestFen);
  stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(loan.id);
  const insert = stmt(
    db,
    'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen) VALUES (?, ?, ?, ?, ?)',
  );
  for (const i of schedule) insert.run(loan.id, i.seq, i.dueDate, i.principalFen, i.interestFen);
  stmt(
    db,
    `INSERT INTO loan_restructurings (loan_id, case_id, proposal_fact_id, decision_fact_id, effective_on)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(loan.id, d.caseId, payload.proposalFactId, d.decisionFactId, effectiveOn);
}

export function decidePlan(ledger: Ledger, actor: ActorRef, input: PlanDecisionInput): PlanDecided {
  const { db } = ledger;
  return db
    .transaction((): PlanDecided => {
      const proposal = stmt<ProposalRow>(
        db,
        `SELECT pp.case_id, pp.loan_id, f.payload FROM plan_proposals pp JOIN facts f ON f.id = pp.fact_id
         WHERE pp.fact_id = ?`,
      ).get(input.planFactId);
      if (!proposal) {
        throw new AppError('not_found', 'No such plan proposal on this device', {
          entity: 'plan',
          id: input.planFactId,
        });
      }
      const decided = stmt<string>(
        db,
        'SELECT decision FROM plan_decisions WHERE proposal_fact_id = ?',
      )
        .pluck()
        .get(input.planFactId);
      if (decided !== undefined) {
        throw new AppError('conflict', 'This plan has already been decided', {
          reason: 'plan_already_decided',
          decision: decided,
        });
      }
      const kase = requireOpenCase(ledger, proposal.case_id);
      const loan = { id: proposal.loan_id, caseId: kase.id };
      if (input.decision === 'approved') {
        const status = stmt<string>(db, 'SELECT status FROM loans WHERE id = ?')
          .pluck()
          .get(loan.id);
        if (status !== 'active') {
          throw new AppError('conflict', 'The loan of this plan is closed', {
            reason: 'loan_closed',
          });
        }
        const already = stmt<number>(db, 'SELECT 1 FROM loan_restructurings WHERE loan_id = ?')
          .pluck()
          .get(loan.id);
        if (already === 1) {
          throw new AppError('conflict', 'This loan already runs on an approved plan', {
            reason: 'loan_already_restructured',
          });
        }
      }
      const now = ledger.clock.now();
      const stamp = stampFact(ledger, now);
      const comment = input.comment.trim();
      const payload = planDecisionPayload(
        input.planFactId,
        loan.id,
        input.decision,
        comment,
        stamp.businessDate,
      );
      const effectiveOn = payload.effectiveOn;
      stmt(
        db,
        `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
         VALUES (?, ?, 'plan_decision', ?, ?, ?, ?, ?, ?)`,
      ).run(
        stamp.id,
        kase.id,
        stamp.occurredAt,
        stamp.businessDate,
        actor.id,
        stamp.deviceId,
        stamp.hlc,
        JSON.stringify(payload),
      );
      applyPlanDecision(db, {
        decisionFactId: stamp.id,
        caseId: kase.id,
        decidedAt: stamp.occurredAt,
        payload,
      });

      deriveCase(db, kase.id, derivedAsOf(ledger), ledger.policy);
      enqueueMutation(
        db,
        {
          kind: 'fact',
          caseId: kase.id,
          userId: actor.id,
          hlc: stamp.hlc,
          payload: {
            factKind: 'plan_decision',
            factId: stamp.id,
            occurredAt: stamp.occurredAt,
            proposalFactId: input.planFactId,
            decision: input.decision,
            note: comment,
          },
        },
        stamp.occurredAt,
      );
      appendAudit(db, {
        at: stamp.occurredAt,
        actorId: actor.id,
        deviceId: stamp.deviceId,
        action: 'plan.decide',
        entity: 'fact',
        entityId: stamp.id,
        payload: { ...stamp, caseId: kase.id, kind: 'plan_decision', payload },
      });
      return {
        factId: stamp.id,
        caseId: kase.id,
        planFactId: input.planFactId,
        decision: input.decision,
        occurredAt: stamp.occurredAt,
        effectiveOn,
      };
    })
    .immediate();
}
