// The pieces every part of a demo case is written with: the generation context, the
// case being drafted, and helpers that add a contact, a promise or a field payment to it
// with a deterministic id, instant (the branch's local time) and HLC stamp.
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Fen,
  Instalment,
  IsoDate,
  PaymentMethod,
} from '../../../shared/domain/types';
import { formatHlc } from '../../../shared/sync/hlc';
import type { LedgerDb } from '../db';
import { insertFact, type FactRecord } from '../facts';
import { insertCoreRepayment, type ContactPointSeed, type CoreRepaymentSeed } from '../seed';
import { daysBetween } from '../../../shared/dates';
import { demoUuidV7 } from './ids';
import type { ProductDef } from './products';
import { weighted, type Prng } from './prng';
import type { DemoStaff, DemoStaffMember } from './staff';

/** The demo branch is in Asia/Shanghai: UTC+8 all year (no daylight saving). */
export const UTC_OFFSET_MINUTES = 480;

export interface PortfolioContext {
  db: LedgerDb;
  prng: Prng;
  today: IsoDate;
  branchId: string;
  staff: DemoStaff;
  /** Contact-history density: 1 is a realistic branch; the benchmark asks for more. */
  activity: number;
  promiseGraceDays: number;
  loanSeq: number;
  /**
   * Time part of the ids of the reference rows (borrower, case, loans, contact points):
   * when head office loaded the portfolio, one millisecond per case.
   */
  rowMs: number;
  /** Field payments wait here until receipt numbers can be given in time order per device. */
  fieldPayments: PendingFieldPayment[];
}

export interface PendingFieldPayment {
  header: Omit<FactRecord, 'kind' | 'payload'>;
  officer: DemoStaffMember;
  loanId: string;
  amountFen: Fen;
  method: PaymentMethod;
  paidOn: IsoDate;
  /** Posted to core banking (comes back as a core repayment carrying the receipt number). */
  coreRepaymentId: string | null;
  /** This payment was keyed wrongly and reversed, with the reason. */
  reversal: { header: Omit<FactRecord, 'kind' | 'payload'>; reason: string } | null;
}

export function dayMs(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The instant of a local wall time on a business date of the demo branch. */
export function instantMs(date: IsoDate, minuteOfDay: number): number {
  return dayMs(date) + (minuteOfDay - UTC_OFFSET_MINUTES) * 60_000;
}

const pickFieldMethod = weighted<PaymentMethod>([
  ['cash', 58],
  ['wechat_pay', 20],
  ['alipay', 15],
  ['bank_transfer', 7],
]);

const NOTES: Partial<Record<ContactOutcome, readonly string[]>> = {
  promise_to_pay: [
    '本人承诺按期还款',
    '称卖完粮食后还款',
    '答应月底前先还一部分',
    '家属代为承诺还款',
    '称外出务工工资到账后还款',
  ],
  refused: ['态度消极，拒绝还款', '称没钱，不愿沟通', '挂断电话'],
  hardship: [
    '家中有人住院，暂时困难',
    '今年养殖亏损，收入减少',
    '受灾减产，请求延期',
    '外出务工收入不稳定',
    '本人受伤无法劳动',
  ],
  no_answer: ['电话无人接听', '未回复'],
  unreachable: ['家中无人', '手机关机', '锁门，邻居称白天下地'],
  moved_away: ['邻居称已外出务工', '已搬离本村，去向不明'],
  disputes_debt: ['对利息金额有异议', '称已在柜台还过款，需核实'],
  wrong_number: ['号码已停机', '接听人称不认识借款人'],
  partial_payment: ['现场收取部分还款，已开收据'],
  paid: ['现场收取逾期款项，已开收据'],
  deceased: ['家属告知借款人已去世'],
};

const REVERSAL_REASONS = ['收据金额录入错误', '重复录入', '款项记错借款人'] as const;

export interface LoanPlan {
  id: string;
  loanNo: string;
  product: ProductDef;
  principalFen: Fen;
  ratePct: number;
  termMonths: number;
  disbursedOn: IsoDate;
  schedule: Instalment[];
  /** Instalments fully paid (all before the oldest unpaid one). */
  paidCount: number;
  /** The oldest unpaid instalment when the loan is in arrears, else null. */
  oldestUnpaid: Instalment | null;
}

export interface Party {
  party: ContactParty;
  point: ContactPointSeed;
}

export interface CaseDraft {
  ctx: PortfolioContext;
  caseId: string;
  officer: DemoStaffMember;
  borrowerMobile: ContactPointSeed | null;
  invalidMobile: ContactPointSeed | null;
  address: ContactPointSeed;
  thirdParties: Party[];
  facts: FactRecord[];
  /** Written after the case and loan rows they refer to. */
  coreRepayments: CoreRepaymentSeed[];
  outcomes: ContactOutcome[];
  lastContactDay: IsoDate | null;
  lastOutcome: ContactOutcome | null;
}

export function round100Yuan(fen: Fen): Fen {
  return Math.max(10_000, Math.round(fen / 10_000) * 10_000);
}

/** Whole hundreds of yuan not above `fen` (what a borrower promises to bring). */
export function floor100Yuan(fen: Fen): Fen {
  return fen >= 10_000 ? Math.floor(fen / 10_000) * 10_000 : fen;
}

export function total(i: Instalment): Fen {
  return i.principalFen + i.interestFen;
}

function header(
  draft: CaseDraft,
  ms: number,
  recordedBy: DemoStaffMember,
): Omit<FactRecord, 'kind' | 'payload'> {
  const occurredAt = new Date(ms).toISOString();
  return {
    id: demoUuidV7(ms, draft.ctx.prng),
    caseId: draft.caseId,
    occurredAt,
    // Local business date: shift the instant by the branch's offset.
    businessDate: new Date(ms + UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10),
    recordedBy: recordedBy.id,
    deviceId: recordedBy.deviceId,
    hlc: formatHlc({ millis: ms, counter: 0, node: recordedBy.hlcNode }),
  };
}

const CONTACT_MINUTES: Record<ContactChannel, readonly [number, number]> = {
  call: [510, 1230],
  sms: [540, 1140],
  visit: [540, 1080],
  letter: [600, 1020],
};

export function addContact(
  draft: CaseDraft,
  day: IsoDate,
  channel: ContactChannel,
  outcome: ContactOutcome,
  who: Party | null,
  minute?: number,
): { ms: number; factId: string } {
  const { prng } = draft.ctx;
  const [lo, hi] = CONTACT_MINUTES[channel];
  const ms = instantMs(day, minute ?? prng.int(lo, hi));
  const h = header(draft, ms, draft.officer);
  const noteChoices = NOTES[outcome];
  const note = noteChoices && prng.chance(0.6) ? prng.pick(noteChoices) : null;
  draft.facts.push({
    ...h,
    kind: 'contact',
    payload: {
      channel,
      party: who?.party ?? 'nobody',
      contactPointId:
        who?.point.id ?? (channel === 'visit' || channel === 'letter' ? draft.address.id : null),
      outcome,
      note,
      nextActionDate: null,
      // Field visits always go in twos (CBA 2026 guideline, art. 22).
      secondCollectorId:
        channel === 'visit' ? draft.ctx.staff.secondCollectorFor(draft.officer, prng).id : null,
    },
  });
  draft.outcomes.push(outcome);
  if (draft.lastContactDay === null || day >= draft.lastContactDay) {
    draft.lastContactDay = day;
    draft.lastOutcome = outcome;
  }
  return { ms, factId: h.id };
}

export function addPromise(
  draft: CaseDraft,
  afterMs: number,
  contactFactId: string,
  amountFen: Fen,
  dueDate: IsoDate,
): { madeOn: IsoDate } {
  const h = header(draft, afterMs + draft.ctx.prng.int(1, 4) * 60_000, draft.officer);
  draft.facts.push({ ...h, kind: 'promise', payload: { amountFen, dueDate, contactFactId } });
  return { madeOn: h.businessDate };
}

export function addFieldPayment(
  draft: CaseDraft,
  ms: number,
  loan: LoanPlan,
  amountFen: Fen,
): void {
  const { ctx } = draft;
  const { prng } = ctx;
  const h = header(draft, ms, draft.officer);
  const paidOn = h.businessDate;
  const method = pickFieldMethod(prng);
  // Core banking's nightly batch has posted every receipt older than yesterday.
  const posted = daysBetween(paidOn, ctx.today) >= 2;
  if (prng.chance(0.02)) {
    // Keyed wrongly (an extra zero), reversed by the officer, then recorded again.
    const wrong: PendingFieldPayment = {
      header: h,
      officer: draft.officer,
      loanId: loan.id,
      amountFen: amountFen * 10,
      method,
      paidOn,
      coreRepaymentId: null,
      reversal: {
        header: header(draft, ms + prng.int(3, 40) * 60_000, draft.officer),
        reason: prng.pick(REVERSAL_REASONS),
      },
    };
    ctx.fieldPayments.push(wrong);
    const againMs = ms + 45 * 60_000;
    ctx.fieldPayments.push({
      header: header(draft, againMs, draft.officer),
      officer: draft.officer,
      loanId: loan.id,
      amountFen,
      method,
      paidOn,
      coreRepaymentId: posted ? demoUuidV7(againMs, prng) : null,
      reversal: null,
    });
    return;
  }
  ctx.fieldPayments.push({
    header: h,
    officer: draft.officer,
    loanId: loan.id,
    amountFen,
    method,
    paidOn,
    coreRepaymentId: posted ? demoUuidV7(ms, prng) : null,
    reversal: null,
  });
}

/**
 * Gives every field payment its receipt number (the recording officer's device prefix +
 * a sequence in time order, as the device would have issued them) and writes the
 * payments, their reversals and the core-banking postings.
 */
export function writeFieldPayments(ctx: PortfolioContext): void {
  const ordered = [...ctx.fieldPayments].sort((a, b) =>
    a.header.occurredAt < b.header.occurredAt
      ? -1
      : a.header.occurredAt > b.header.occurredAt
        ? 1
        : a.header.id < b.header.id
          ? -1
          : 1,
  );
  for (const p of ordered) {
    p.officer.receiptSeq += 1;
    const receiptNo = `${p.officer.receiptPrefix}-${String(p.officer.receiptSeq).padStart(6, '0')}`;
    insertFact(ctx.db, {
      ...p.header,
      kind: 'payment',
      payload: {
        loanId: p.loanId,
        amountFen: p.amountFen,
        method: p.method,
        receiptNo,
        paidOn: p.paidOn,
      },
    });
    if (p.reversal) {
      insertFact(ctx.db, {
        ...p.reversal.header,
        kind: 'payment_reversal',
        payload: {
          reversesFactId: p.header.id,
          reason: p.reversal.reason,
          amountFen: p.amountFen,
          receiptNo,
        },
      });
    }
    if (p.coreRepaymentId) {
      insertCoreRepayment(ctx.db, {
        id: p.coreRepaymentId,
        loanId: p.loanId,
        caseId: p.header.caseId,
        paidOn: p.paidOn,
        amountFen: p.amountFen,
        channel: 'field',
        fieldReceiptNo: receiptNo,
      });
    }
  }
  ctx.fieldPayments = [];
}
