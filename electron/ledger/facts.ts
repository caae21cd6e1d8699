// Facts: the append-only record of what happened on a case. A fact is one row in
// `facts` (with its payload as JSON, which is what syncs and what the timeline shows)
// plus one row in its kind's typed side table where queries and rules need columns.
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Fen,
  Instant,
  IsoDate,
  PaymentMethod,
} from '../../shared/domain/types';
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
}

export interface PromisePayload {
  amountFen: Fen;
  dueDate: IsoDate;
  /** The contact during which the promise was taken, when there was one. */
  contactFactId: string | null;
}

export interface PaymentPayload {
  loanId: string;
  amountFen: Fen;
  method: PaymentMethod;
  receiptNo: string;
  paidOn: IsoDate;
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
      return;
    }
    case 'promise':
      stmt(
        db,
        'INSERT INTO promises (fact_id, case_id, made_on, made_at, due_date, amount_fen) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(f.id, f.caseId, f.businessDate, f.occurredAt, f.payload.dueDate, f.payload.amountFen);
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
    case 'note':
      return;
  }
}
