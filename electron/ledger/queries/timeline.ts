// A fact's payload as the case file's timeline shows it: flat fields (strings, numbers,
// booleans, null), with ids resolved to what a reader recognises (a phone number, a
// colleague's name, a loan number). Lists are joined with ',' (codes never contain one).
// Nothing secret is stored in a payload; the timeline shows no more than the payload.
import type { TimelineEntry } from '../../../shared/api/contract';
import type { FactKind, PromiseStatus } from '../../../shared/domain/types';

type Primitive = string | number | boolean | null;
export type TimelineDetails = TimelineEntry['details'];

export interface TimelineLookups {
  userName(id: string): string;
  contactPointValue(id: string): string | null;
  loanNo(id: string): string | null;
  reversedPayments: ReadonlySet<string>;
  promiseStatus(factId: string): PromiseStatus | null;
  planStatus(factId: string): string | null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function list(v: unknown): string | null {
  return Array.isArray(v) && v.length > 0 ? v.map(String).join(',') : null;
}

/** Every primitive field of a payload we have no special layout for (kinds added later). */
function primitives(payload: Record<string, unknown>): TimelineDetails {
  const out: TimelineDetails = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as Primitive;
  }
  return out;
}

export function timelineDetails(
  factId: string,
  kind: FactKind,
  payload: Record<string, unknown>,
  look: TimelineLookups,
): TimelineDetails {
  switch (kind) {
    case 'contact': {
      const override = payload.override as { reason?: unknown; ruleCodes?: unknown } | null;
      const cp = str(payload.contactPointId);
      const second = str(payload.secondCollectorId);
      return {
        channel: str(payload.channel),
        party: str(payload.party),
        outcome: str(payload.outcome),
        contactPointId: cp,
        contactPointValue: cp ? look.contactPointValue(cp) : null,
        note: str(payload.note),
        nextActionDate: str(payload.nextActionDate),
        secondCollectorId: second,
        secondCollectorName: second ? look.userName(second) : null,
        overridden: Boolean(override),
        overrideReason: override ? str(override.reason) : null,
        overrideRules: override ? list(override.ruleCodes) : null,
        notices: list(payload.notices),
        flaggedTerms: list(payload.flaggedTerms),
      };
    }
    case 'promise':
      return {
        amountFen: num(payload.amountFen),
        dueDate: str(payload.dueDate),
        status: look.promiseStatus(factId),
        contactFactId: str(payload.contactFactId),
        note: str(payload.note),
      };
    case 'payment': {
      const loanId = str(payload.loanId);
      return {
        loanId,
        loanNo: loanId ? look.loanNo(loanId) : null,
        amountFen: num(payload.amountFen),
        method: str(payload.method),
        receiptNo: str(payload.receiptNo),
        paidOn: str(payload.paidOn),
        reference: str(payload.reference),
        note: str(payload.note),
        reversed: look.reversedPayments.has(factId),
      };
    }
    case 'payment_reversal':
      return {
        reversesFactId: str(payload.reversesFactId),
        reason: str(payload.reason),
        amountFen: num(payload.amountFen),
        receiptNo: str(payload.receiptNo),
      };
    case 'plan_proposal': {
      const loanId = str(payload.loanId);
      const instalments = Array.isArray(payload.instalments)
        ? (payload.instalments as { dueDate?: unknown }[])
        : [];
      return {
        loanId,
        loanNo: loanId ? look.loanNo(loanId) : null,
        status: look.planStatus(factId),
        hardshipReasons: list(payload.hardshipReasons),
        monthlyIncomeFen: num(payload.monthlyIncomeFen),
        essentialExpensesFen: num(payload.essentialExpensesFen),
        otherDebtPaymentsFen: num(payload.otherDebtPaymentsFen),
        affordableFen: num(payload.affordableFen),
        monthlyFen: num(payload.monthlyFen),
        totalFen: num(payload.totalFen),
        months: instalments.length,
        firstDueDate: str(instalments[0]?.dueDate),
        lastDueDate: str(instalments[instalments.length - 1]?.dueDate),
        note: str(payload.note),
        flaggedTerms: list(payload.flaggedTerms),
      };
    }
    case 'note':
      return { text: str(payload.text), flaggedTerms: list(payload.flaggedTerms) };
    case 'flag_change':
      return {
        flag: str(payload.flag),
        value: typeof payload.value === 'boolean' ? payload.value : null,
        reason: str(payload.reason),
      };
    case 'reassignment': {
      const to = str(payload.toOfficerId);
      return {
        ...primitives(payload),
        toOfficerName: to ? look.userName(to) : null,
      };
    }
    case 'plan_decision':
      return primitives(payload);
  }
}
