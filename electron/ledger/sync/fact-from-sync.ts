// A fact from the server's feed (recorded on another device) in the ledger's own shape,
// the inverse of sync-payloads.ts. Fields the protocol does not carry get the value the
// ledger would show for "not recorded" (null, [] or 0).
import { businessDate, localDateTime } from '../../../shared/dates';
import type { HardshipReason } from '../../../shared/domain/types';
import type { FactPayload } from '../../../shared/sync/mutations';
import type { FactRecord as SyncFactRecord } from '../../../shared/sync/records';
import { checkFactPayload } from '../../../shared/sync/fact-payload-check';
import type { LedgerDb } from '../db';
import type { FactRecord } from '../facts';
import { stmt } from '../statements';

/** Kinds the ledger keeps only in `facts` (no typed side table of its own in FactRecord). */
export type BareFact = {
  id: string;
  caseId: string;
  kind: string;
  occurredAt: string;
  businessDate: string;
  recordedBy: string;
  deviceId: string;
  hlc: string;
  payload: FactPayload;
};

type Header = Omit<BareFact, 'kind' | 'payload'>;

/**
 * A fact whose ledger effect goes beyond insertFact (a side table shared with a manager
 * command, the loan's schedule, the case's officer): apply-pull writes it with the
 * command's own apply function.
 */
export type DecisionFact = Header & {
  kind: 'plan_decision';
  proposalFactId: string;
  decision: 'approved' | 'rejected';
  comment: string;
};
export type ReassignmentFact = Header & {
  kind: 'reassignment';
  toOfficerId: string;
  fromOfficerId: string | null;
  reason: string;
};
export type ReviewFact = Header & {
  kind: 'override_review';
  contactFactId: string;
  comment: string | null;
};

export type MappedFact =
  | { ledger: FactRecord }
  | { bare: BareFact }
  | { applied: DecisionFact | ReassignmentFact | ReviewFact }
  | { invalid: string };

// Intl is slow and a first download dates 10,000 facts: the zone's offset is looked up
// once per UTC hour (offsets change only on the hour or half hour, so an hour's offset is
// checked at both ends of the hour before being reused). With a whole-hour offset (China's
// +8) every instant of that UTC hour falls on the same local date: that date is kept too.
const offsetCache = new Map<string, { offset: number | null; date: string | null }>();

export function factBusinessDate(instant: string, timezone: string): string {
  const key = `${timezone}|${instant.slice(0, 13)}`;
  let hour = offsetCache.get(key);
  if (hour === undefined) {
    const hourStart = Date.parse(`${instant.slice(0, 13)}:00:00.000Z`);
    // ms on a minute boundary: local wall time minus UTC is the zone's offset then.
    const offsetAt = (ms: number): number => {
      const lt = localDateTime(new Date(ms), timezone);
      const hh = String(Math.floor(lt.minuteOfDay / 60)).padStart(2, '0');
      const mm = String(lt.minuteOfDay % 60).padStart(2, '0');
      return Date.parse(`${lt.date}T${hh}:${mm}:00.000Z`) - ms;
    };
    const a = offsetAt(hourStart);
    const offset = a === offsetAt(hourStart + 59 * 60_000) ? a : null;
    const date =
      offset !== null && offset % 3_600_000 === 0
        ? new Date(hourStart + offset).toISOString().slice(0, 10)
        : null;
    hour = { offset, date };
    if (offsetCache.size > 10_000) offsetCache.clear();
    offsetCache.set(key, hour);
  }
  if (hour.date !== null) return hour.date;
  if (hour.offset === null) return businessDate(instant, timezone);
  return new Date(Date.parse(instant) + hour.offset).toISOString().slice(0, 10);
}

export function factFromSync(db: LedgerDb, f: SyncFactRecord, timezone: string): MappedFact {
  // A fast path for the common kinds first; zod for the rest (fact-payload-check.ts).
  const parsed = checkFactPayload(f.payload);
  if (!parsed.success) return { invalid: parsed.error.issues[0]?.message ?? 'invalid payload' };
  const p = parsed.data;
  const header = {
    id: f.id,
    caseId: f.caseId,
    occurredAt: f.occurredAt,
    businessDate: factBusinessDate(f.occurredAt, timezone),
    recordedBy: f.recordedBy,
    deviceId: f.deviceId,
    hlc: f.hlc,
  };
  switch (p.factKind) {
    case 'contact':
      return {
        ledger: {
          ...header,
          kind: 'contact',
          payload: {
            channel: p.channel,
            party: p.party,
            contactPointId: p.contactPointId ?? null,
            outcome: p.outcome,
            note: p.note ?? null,
            nextActionDate: p.nextActionDate ?? null,
            secondCollectorId: p.secondCollectorId ?? null,
            override: p.override
              ? { reason: p.override.reason, ruleCodes: p.override.ruleCodes }
              : null,
          },
        },
      };
    case 'promise':
      return {
        ledger: {
          ...header,
          businessDate: p.madeOn,
          kind: 'promise',
          payload: {
            amountFen: p.amountFen,
            dueDate: p.dueDate,
            contactFactId: null,
            note: p.note ?? null,
          },
        },
      };
    case 'payment':
      return {
        ledger: {
          ...header,
          kind: 'payment',
          payload: {
            loanId: p.loanId,
            amountFen: p.amountFen,
            method: p.method,
            receiptNo: p.receiptNo,
            paidOn: p.paidOn,
            note: p.note ?? null,
          },
        },
      };
    case 'payment_reversal': {
      const paid = stmt<{ amount_fen: number; receipt_no: string }>(
        db,
        'SELECT amount_fen, receipt_no FROM payments WHERE fact_id = ?',
      ).get(p.paymentFactId);
      if (!paid) return { invalid: 'reverses a payment this device does not hold' };
      return {
        ledger: {
          ...header,
          kind: 'payment_reversal',
          payload: {
            reversesFactId: p.paymentFactId,
            reason: p.reason,
            amountFen: paid.amount_fen,
            receiptNo: paid.receipt_no,
          },
        },
      };
    }
    case 'plan_proposal': {
      const loanId = stmt<string>(db, 'SELECT id FROM loans WHERE case_id = ? ORDER BY id LIMIT 1')
        .pluck()
        .get(f.caseId);
      // Its loan has not arrived yet: kept and retried (the decision on it needs its side row).
      if (typeof loanId !== 'string') return { invalid: 'loan missing' };
      const amounts = p.instalments.map((i) => i.amountFen);
      return {
        ledger: {
          ...header,
          kind: 'plan_proposal',
          payload: {
            loanId,
            hardshipReasons: [p.hardshipReason as HardshipReason],
            monthlyIncomeFen: p.monthlyIncomeFen ?? 0,
            essentialExpensesFen: p.monthlyEssentialExpensesFen ?? 0,
            otherDebtPaymentsFen: 0,
            affordableFen: 0,
            monthlyFen: Math.max(...amounts),
            totalFen: amounts.reduce((a, b) => a + b, 0),
            arrearsFen: 0,
            instalments: p.instalments.map((i, n) => ({
              seq: n + 1,
              dueDate: i.dueDate,
              amountFen: i.amountFen,
            })),
            note: p.note ?? null,
          },
        },
      };
    }
    case 'note':
      return { ledger: { ...header, kind: 'note', payload: { text: p.text } } };
    case 'flag_change':
      return {
        ledger: {
          ...header,
          kind: 'flag_change',
          payload: { flag: p.flag, value: p.value, reason: p.note ?? '' },
        },
      };
    case 'plan_decision':
      return {
        applied: {
          ...header,
          kind: 'plan_decision',
          proposalFactId: p.proposalFactId,
          decision: p.decision,
          comment: p.note ?? '',
        },
      };
    case 'reassignment':
      return {
        applied: {
          ...header,
          kind: 'reassignment',
          toOfficerId: p.toOfficerId,
          fromOfficerId: p.fromOfficerId ?? null,
          reason: p.reason ?? '',
        },
      };
    case 'override_review':
      return {
        applied: {
          ...header,
          kind: 'override_review',
          contactFactId: p.contactFactId,
          comment: p.comment ?? null,
        },
      };
  }
}
