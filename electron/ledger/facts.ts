// Facts: the append-only record of what happened on a case. A fact is one row in
// `facts` (with its payload as JSON, which is what syncs and what the timeline shows)
// plus one row in its kind's typed side table where queries and rules need columns.
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Fen,
  HardshipReason,
  Instant,
  IsoDate,
  PaymentMethod,
} from '../../shared/domain/types';
import type { CaseFlagName } from '../../shared/sync/mutations';
import type { LedgerDb } from './db';
import { stmt } from './statements';

export interface ContactPayload {
  channel: ContactChannel;
  party: ContactParty;
  contactPointId: string | null;
  outcome: ContactOutcome;
  note: string | null;
  nextActionDate: IsoDate | null;
  secondCollectorId: string | null;
  /**
   * Recorded against the conduct rules with a written reason (flagged for the manager).
   * Absent on contacts recorded before overrides existed.
   */
  override?: ContactOverride | null;
  /** Conduct notices the officer was shown, e.g. 'do_not_disclose_debt' for a third party. */
  notices?: string[];
  /** Terms of the pack's abusive-word lists found in the note (a warning, never a block). */
  flaggedTerms?: string[];
}

export interface ContactOverride {
  reason: string;
  /** The conduct violation codes that were overridden. */
  ruleCodes: string[];
}

export interface PromisePayload {
  amountFen: Fen;
  dueDate: IsoDate;
  /** The contact during which the promise was taken, when there was one. */
  contactFactId: string | null;
  note?: string | null;
}

export interface PaymentPayload {
  loanId: string;
  amountFen: Fen;
  method: PaymentMethod;
  receiptNo: string;
  paidOn: IsoDate;
  /** Transfer or wallet transaction number. */
  reference?: string | null;
  note?: string | null;
}

export interface PaymentReversalPayload {
  reversesFactId: string;
  reason: string;
  /** Copied from the reversed payment so the timeline reads on its own. */
  amountFen: Fen;
  receiptNo: string;
}

export interface NotePayload {
  text: string;
  /** Terms of the pack's abusive-word lists found in the text, for the manager to see. */
  flaggedTerms?: string[];
}

export interface PlanInstalment {
  seq: number;
  dueDate: IsoDate;
  amountFen: Fen;
}

export interface PlanProposalPayload {
  loanId: string;
  hardshipReasons: HardshipReason[];
  monthlyIncomeFen: Fen;
  essentialExpensesFen: Fen;
  otherDebtPaymentsFen: Fen;
  /** What the household can afford a month by the shared rule (shared/domain/hardship). */
  affordableFen: Fen;
  /** The plan's regular instalment (the last one may be smaller). */
  monthlyFen: Fen;
  /** What the plan settles: outstanding principal plus overdue unpaid interest. */
  totalFen: Fen;
  /** Arrears on the loan when the plan was proposed. */
  arrearsFen: Fen;
  instalments: PlanInstalment[];
  note: string | null;
  flaggedTerms?: string[];
}

export interface FlagChangePayload {
  flag: CaseFlagName;
  value: boolean;
  reason: string;
}

interface FactHeader {
  id: string;
  caseId: string;
  occurredAt: Instant;
  businessDate: IsoDate;
  recordedBy: string;
  deviceId: string;
  hlc: string;
}

export type FactRecord = FactHeader &
  (
    | { kind: 'contact'; payload: ContactPayload }
    | { kind: 'promise'; payload: PromisePayload }
    | { kind: 'payment'; payload: PaymentPayload }
    | { kind: 'payment_reversal'; payload: PaymentReversalPayload }
    | { kind: 'note'; payload: NotePayload }
    | { kind: 'plan_proposal'; payload: PlanProposalPayload }
    | { kind: 'flag_change'; payload: FlagChangePayload }
  );

/** Writes the fact and its side row. Caller owns the transaction. */
export function insertFact(db: LedgerDb, f: FactRecord): void {
  stmt(
    db,
    `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    f.id,
    f.caseId,
    f.kind,
    f.occurredAt,
    f.businessDate,
    f.recordedBy,
    f.deviceId,
    f.hlc,
    JSON.stringify(f.payload),
  );
  switch (f.kind) {
    case 'contact': {
      const p = f.payload;
      stmt(
        db,
        `INSERT INTO contacts (fact_id, case_id, channel, party, contact_point_id, outcome, occurred_at, business_date, second_collector_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        f.id,
        f.caseId,
        p.channel,
        p.party,
        p.contactPointId,
        p.outcome,
        f.occurredAt,
        f.businessDate,
        p.secondCollectorId,
      );
      if (p.override) {
        stmt(
          db,
          `INSERT INTO overrides (contact_fact_id, case_id, at, recorded_by, rule_codes, reason)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(
          f.id,
          f.caseId,
          f.occurredAt,
          f.recordedBy,
          JSON.stringify(p.override.ruleCodes),
          p.override.reason,
        );
      }
      return;
    }
    case 'promise':
      stmt(
        db,
        `INSERT INTO promises (fact_id, case_id, made_on, made_at, due_date, amount_fen, recorded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        f.id,
        f.caseId,
        f.businessDate,
        f.occurredAt,
        f.payload.dueDate,
        f.payload.amountFen,
        f.recordedBy,
      );
      return;
    case 'payment': {
      const p = f.payload;
      stmt(
        db,
        'INSERT INTO payments (fact_id, case_id, loan_id, paid_on, amount_fen, method, receipt_no) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(f.id, f.caseId, p.loanId, p.paidOn, p.amountFen, p.method, p.receiptNo);
      return;
    }
    case 'payment_reversal':
      stmt(
        db,
        'INSERT INTO payment_reversals (fact_id, case_id, reverses_fact_id, reason) VALUES (?, ?, ?, ?)',
      ).run(f.id, f.caseId, f.payload.reversesFactId, f.payload.reason);
      return;
    case 'plan_proposal': {
      const p = f.payload;
      stmt(
        db,
        `INSERT INTO plan_proposals (fact_id, case_id, loan_id, proposed_at, monthly_fen, months, total_fen, first_due_date)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        f.id,
        f.caseId,
        p.loanId,
        f.occurredAt,
        p.monthlyFen,
        p.instalments.length,
        p.totalFen,
        p.instalments[0]?.dueDate ?? '',
      );
      return;
    }
    case 'note':
    case 'flag_change':
      return;
  }
}
