// A ledger fact as the sync protocol carries it (shared/sync/mutations.ts): the same
// fact, with the protocol's field names and optional fields left out rather than null.
// The protocol's payloads are strict, so a field the protocol does not know yet (a
// contact's notices, a payment's reference, a plan's loan and full cash
// flow) stays on the device until shared/sync carries it; the ledger keeps them in the
// fact's own payload either way.
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
        ...(p.override && {
          override: { reason: p.override.reason, ruleCodes: p.override.ruleCodes },
        }),
      };
    }
    case 'promise': {
      const p = fact.payload;
      return {
        factKind: 'promise',
        ...base,
        madeOn: fact.businessDate,
        dueDate: p.dueDate,
        amountFen: p.amountFen,
        ...(p.note != null && { note: p.note }),
      };
    }
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
        ...(p.note != null && { note: p.note }),
      };
    }
    case 'payment_reversal':
      return {
        factKind: 'payment_reversal',
        ...base,
        paymentFactId: fact.payload.reversesFactId,
        reason: fact.payload.reason,
      };
    case 'plan_proposal': {
      const p = fact.payload;
      return {
        factKind: 'plan_proposal',
        ...base,
        // The protocol carries one reason: the first the officer chose.
        hardshipReason: p.hardshipReasons[0] ?? 'other',
        monthlyIncomeFen: p.monthlyIncomeFen,
        monthlyEssentialExpensesFen: p.essentialExpensesFen,
        instalments: p.instalments.map((i) => ({ dueDate: i.dueDate, amountFen: i.amountFen })),
        ...(p.note !== null && { note: p.note }),
      };
    }
    case 'flag_change':
      return {
        factKind: 'flag_change',
        ...base,
        flag: fact.payload.flag,
        value: fact.payload.value,
        note: fact.payload.reason,
      };
    case 'note':
      return { factKind: 'note', ...base, text: fact.payload.text };
  }
}
