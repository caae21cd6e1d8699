// A ledger fact as the sync protocol carries it (shared/sync/mutations.ts): the same
// fact, with the protocol's field names and optional fields left out rather than null.
import type { FactPayload } from '../../shared/sync/mutations';
import type { FactRecord } from './facts';

export function toSyncFactPayload(fact: FactRecord): FactPayload {
  const base = { factId: fact.id, occurredAt: fact.occurredAt };
  switch (fact.kind) {
    case 'contact': {
      const p = fact.payload;
      return {
        factKind: 'contact',
        ...base,
        channel: p.channel,
        party: p.party,
        outcome: p.outcome,
        ...(p.contactPointId !== null && { contactPointId: p.contactPointId }),
        ...(p.note !== null && { note: p.note }),
        ...(p.nextActionDate !== null && { nextActionDate: p.nextActionDate }),
        ...(p.secondCollectorId !== null && { secondCollectorId: p.secondCollectorId }),
      };
    }
    case 'promise':
      return {
        factKind: 'promise',
        ...base,
        madeOn: fact.businessDate,
        dueDate: fact.payload.dueDate,
        amountFen: fact.payload.amountFen,
      };
    case 'payment': {
      const p = fact.payload;
      return {
        factKind: 'payment',
        ...base,
        loanId: p.loanId,
        paidOn: p.paidOn,
        amountFen: p.amountFen,
        method: p.method,
        receiptNo: p.receiptNo,
      };
    }
    case 'payment_reversal':
      return {
        factKind: 'payment_reversal',
        ...base,
        paymentFactId: fact.payload.reversesFactId,
        reason: fact.payload.reason,
      };
    case 'note':
      return { factKind: 'note', ...base, text: fact.payload.text };
  }
}
