// Core domain value types shared by the ledger, the renderer and the server.
// Money is always integer fen; business dates are ISO 'YYYY-MM-DD' strings in the
// branch's time zone; instants are UTC ISO strings ('2026-11-28T07:30:00.000Z').

/** Integer number of fen (1 yuan = 100 fen). Never a float. */
export type Fen = number;
/** A business date, 'YYYY-MM-DD', in the branch's time zone. */
export type IsoDate = string;
/** An instant, UTC ISO-8601 with milliseconds and 'Z'. */
export type Instant = string;

export interface Instalment {
  seq: number;
  dueDate: IsoDate;
  principalFen: Fen;
  interestFen: Fen;
}

/** A payment as the domain rules see it (reversed payments are removed before the rules run). */
export interface PaymentLine {
  paidOn: IsoDate;
  amountFen: Fen;
}

export type PromiseStatus = 'pending' | 'kept' | 'partly_kept' | 'broken';

export interface PromiseToPay {
  /** The business date the promise was taken. Payments on or after it count towards it. */
  madeOn: IsoDate;
  dueDate: IsoDate;
  amountFen: Fen;
}

export const CONTACT_CHANNELS = ['visit', 'call', 'sms', 'letter'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_PARTIES = [
  'borrower',
  'spouse',
  'guarantor',
  'reference',
  'other_third_party',
  'nobody',
] as const;
export type ContactParty = (typeof CONTACT_PARTIES)[number];

export const CONTACT_OUTCOMES = [
  'promise_to_pay',
  'paid',
  'partial_payment',
  'refused',
  'no_answer',
  'unreachable',
  'wrong_number',
  'moved_away',
  'disputes_debt',
  'hardship',
  'deceased',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'wechat_pay', 'alipay', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const HARDSHIP_REASONS = [
  'illness_or_injury',
  'death_in_family',
  'crop_or_livestock_loss',
  'natural_disaster',
  'business_or_job_loss',
  'migration_for_work',
  'disputes_debt',
  'fraud_victim',
  'other',
] as const;
export type HardshipReason = (typeof HARDSHIP_REASONS)[number];

export const USER_ROLES = ['officer', 'manager', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface CaseFlags {
  hardship: boolean;
  vulnerable: boolean;
  dispute: boolean;
  doNotContact: boolean;
}

export const FACT_KINDS = [
  'contact',
  'promise',
  'payment',
  'payment_reversal',
  'plan_proposal',
  'plan_decision',
  'note',
  'reassignment',
  'flag_change',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/**
 * Why a case sits where it does in the worklist, as data: the renderer turns each
 * reason into words ("38 days late · promise broken on 20 Nov · no contact for 9 days").
 * Listed most important first.
 */
export type PriorityReason =
  | { code: 'days_past_due'; days: number }
  | { code: 'promise_broken'; dueDate: IsoDate }
  | { code: 'promise_due_today'; dueDate: IsoDate }
  | { code: 'promise_due_soon'; dueDate: IsoDate }
  | { code: 'follow_up_due'; date: IsoDate }
  | { code: 'no_contact'; days: number }
  | { code: 'never_contacted' }
  | { code: 'large_arrears'; arrearsFen: Fen }
  | { code: 'hardship' }
  | { code: 'vulnerable' }
  | { code: 'dispute' }
  /** The case is flagged do-not-contact: it sinks to the bottom of the worklist. */
  | { code: 'do_not_contact' }
  /** The latest promise's date + grace passed with only part of the amount paid. */
  | { code: 'promise_partly_kept'; dueDate: IsoDate }
  /** The latest promise's date passed but its grace days have not: check whether the money came. */
  | { code: 'promise_in_grace'; dueDate: IsoDate };

export interface Priority {
  score: number;
  reasons: PriorityReason[];
}
