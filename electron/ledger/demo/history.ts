// How a demo case got where it is: repayments known to core banking, now and then a
// past instalment paid late after calls and a kept promise, and for a case in arrears
// the collection effort since its oldest unpaid instalment fell due.
import { addDays, daysBetween } from '../../../shared/dates';
import type {
  ContactChannel,
  ContactOutcome,
  Fen,
  Instalment,
  IsoDate,
} from '../../../shared/domain/types';
import {
  addContact,
  addFieldPayment,
  addPromise,
  dayMs,
  floor100Yuan,
  round100Yuan,
  total,
  type CaseDraft,
  type LoanPlan,
  type Party,
} from './case-draft';
import { demoUuidV7 } from './ids';
import { weighted } from './prng';

const CALL_OUTCOMES = weighted<ContactOutcome>([
  ['no_answer', 34],
  ['promise_to_pay', 22],
  ['refused', 9],
  ['hardship', 7],
  ['unreachable', 12],
  ['disputes_debt', 2],
  ['moved_away', 2],
]);
const VISIT_OUTCOMES = weighted<ContactOutcome>([
  ['promise_to_pay', 32],
  ['unreachable', 18],
  ['refused', 10],
  ['hardship', 14],
  ['moved_away', 4],
  ['disputes_debt', 3],
]);
// Early in arrears a reminder by SMS or phone; later more visits.
const EARLY_CHANNELS = weighted<ContactChannel>([
  ['sms', 35],
  ['call', 55],
  ['visit', 10],
]);
const LATER_CHANNELS = weighted<ContactChannel>([
  ['call', 50],
  ['visit', 32],
  ['sms', 18],
]);
const SMS_OUTCOMES = weighted<ContactOutcome>([
  ['no_answer', 85],
  ['promise_to_pay', 10],
  ['refused', 5],
]);

/** Repayments of instalments 1..paidCount, one of them perhaps after a collection episode. */
export function repaymentHistory(draft: CaseDraft, loan: LoanPlan): void {
  const { ctx } = draft;
  const { prng } = ctx;
  const yesterday = addDays(ctx.today, -1);
  const lateSeq = loan.paidCount >= 2 && prng.chance(0.3) ? prng.int(1, loan.paidCount) : 0;
  for (let s = 1; s <= loan.paidCount; s++) {
    const inst = loan.schedule[s - 1] as Instalment;
    if (s === lateSeq && lateEpisode(draft, loan, inst)) continue;
    const onTime = prng.chance(0.7);
    let paidOn = onTime ? inst.dueDate : addDays(inst.dueDate, prng.int(0, 4));
    // Paid instalments all fell due before today; a counter payment is never after yesterday.
    if (paidOn > yesterday) paidOn = yesterday;
    draft.coreRepayments.push({
      id: demoUuidV7(dayMs(paidOn), prng),
      loanId: loan.id,
      caseId: draft.caseId,
      paidOn,
      amountFen: total(inst),
      channel: onTime ? 'auto_debit' : 'counter',
      fieldReceiptNo: null,
    });
  }
}

/** A past instalment paid late after calls and a kept promise. False if it does not fit before today. */
function lateEpisode(draft: CaseDraft, loan: LoanPlan, inst: Instalment): boolean {
  const { ctx } = draft;
  const { prng } = ctx;
  const payDay = addDays(inst.dueDate, prng.int(8, 25));
  if (daysBetween(payDay, ctx.today) < 3) return false;
  const attempts = Math.max(1, Math.round(prng.int(1, 3) * Math.min(1.5, ctx.activity)));
  let day = addDays(inst.dueDate, prng.int(1, 3));
  for (let a = 0; a < attempts && day < payDay; a++) {
    const last = a === attempts - 1;
    const channel: ContactChannel = prng.chance(0.75) ? 'call' : 'sms';
    const outcome: ContactOutcome = last
      ? 'promise_to_pay'
      : channel === 'sms'
        ? 'no_answer'
        : prng.chance(0.6)
          ? 'no_answer'
          : 'promise_to_pay';
    const mobile = draft.borrowerMobile;
    const who: Party | null = mobile
      ? { party: outcome === 'no_answer' ? 'nobody' : 'borrower', point: mobile }
      : null;
    const c = addContact(draft, day, channel, outcome, who);
    if (outcome === 'promise_to_pay') {
      // The last promise of an episode is kept on payDay; an earlier one usually was not.
      const due = last ? addDays(payDay, prng.int(0, 3)) : addDays(day, prng.int(1, 3));
      addPromise(draft, c.ms, c.factId, floor100Yuan(total(inst)), due);
    }
    day = addDays(day, prng.int(1, 6));
  }
  if (prng.chance(0.6)) {
    const visit = addContact(draft, payDay, 'visit', 'paid', {
      party: 'borrower',
      point: draft.address,
    });
    addFieldPayment(draft, visit.ms + 5 * 60_000, loan, total(inst));
  } else {
    draft.coreRepayments.push({
      id: demoUuidV7(dayMs(payDay), prng),
      loanId: loan.id,
      caseId: draft.caseId,
      paidOn: payDay,
      amountFen: total(inst),
      channel: 'counter',
      fieldReceiptNo: null,
    });
  }
  return true;
}

function borrowerParty(draft: CaseDraft): Party | null {
  return draft.borrowerMobile ? { party: 'borrower', point: draft.borrowerMobile } : null;
}

function contactsFor(dpd: number): number {
  if (dpd <= 30) return 1 + dpd / 6;
  if (dpd <= 90) return 6 + (dpd - 30) / 15;
  return Math.min(16, 10 + (dpd - 90) / 40);
}

/** Collection effort since the oldest unpaid instalment fell due. */
export function currentArrears(draft: CaseDraft, loan: LoanPlan, dpd: number): void {
  const { ctx } = draft;
  const { prng } = ctx;
  const inst = loan.oldestUnpaid;
  if (!inst) return;
  const first = addDays(inst.dueDate, 1);
  const yesterday = addDays(ctx.today, -1);
  const windowDays = daysBetween(first, yesterday) + 1;
  if (windowDays <= 0) return;
  const wanted = Math.round(contactsFor(dpd) * ctx.activity * (0.6 + 0.8 * prng.next()));
  const count = Math.min(wanted, windowDays * 2);
  const days = Array.from({ length: count }, () =>
    addDays(first, prng.int(0, windowDays - 1)),
  ).sort();
  const promises: { madeOn: IsoDate; dueDate: IsoDate; amountFen: Fen; contactMs: number }[] = [];
  let failuresInARow = 0;
  let wrongNumberTried = false;
  for (const day of days) {
    const age = daysBetween(inst.dueDate, day);
    const channel: ContactChannel =
      age < 10
        ? EARLY_CHANNELS(prng)
        : age > 60 && prng.chance(0.08)
          ? 'letter'
          : LATER_CHANNELS(prng);
    let outcome: ContactOutcome;
    let who: Party | null = null;
    if (channel === 'call' && draft.invalidMobile && !wrongNumberTried) {
      // The old number on file is tried once, found wrong, and the good one used after.
      wrongNumberTried = true;
      addContact(draft, day, 'call', 'wrong_number', {
        party: 'nobody',
        point: draft.invalidMobile,
      });
      failuresInARow += 1;
      continue;
    }
    if (channel === 'letter') outcome = 'no_answer';
    else if (channel === 'sms') outcome = SMS_OUTCOMES(prng);
    else if (channel === 'visit') outcome = VISIT_OUTCOMES(prng);
    else outcome = CALL_OUTCOMES(prng);
    if (dpd > 150 && prng.chance(0.004)) outcome = 'deceased';
    const failed = outcome === 'no_answer' || outcome === 'unreachable';
    if (!failed) {
      // Third parties only after three failed attempts in a row (CBA 2026 guideline).
      const thirdParty =
        failuresInARow >= 3 && draft.thirdParties.length > 0 && prng.chance(0.4)
          ? prng.pick(draft.thirdParties)
          : null;
      if (thirdParty && channel !== 'sms') {
        who = thirdParty;
        if (outcome === 'hardship' || outcome === 'disputes_debt') outcome = 'promise_to_pay';
      } else if (channel === 'visit') {
        const spouseHome =
          draft.thirdParties.some((t) => t.party === 'spouse') && prng.chance(0.15);
        who = { party: spouseHome ? 'spouse' : 'borrower', point: draft.address };
      } else {
        who = borrowerParty(draft);
      }
    } else if (channel === 'call' || channel === 'sms') {
      who = draft.borrowerMobile ? { party: 'nobody', point: draft.borrowerMobile } : null;
    }
    failuresInARow = failed ? failuresInARow + 1 : 0;
    const c = addContact(draft, day, channel, outcome, who);
    if (outcome === 'deceased') break;
    if (outcome === 'promise_to_pay') {
      // Often "pay a part first", sometimes the whole arrears.
      const amountFen = prng.chance(0.6)
        ? round100Yuan(total(inst) * (0.3 + 0.5 * prng.next()))
        : round100Yuan(total(inst) * (1 + Math.floor(dpd / 30)));
      const dueDate = addDays(day, prng.int(2, 10));
      const made = addPromise(draft, c.ms, c.factId, amountFen, dueDate);
      promises.push({ madeOn: made.madeOn, dueDate, amountFen, contactMs: c.ms });
    }
  }
  // Some borrowers paid part of the instalment: against a promise whose date has passed
  // (kept when the promise was for that much, partly kept otherwise), or at a visit.
  if (prng.chance(0.25)) {
    const limit = total(inst) - 100;
    const judged = promises.filter(
      (p) => addDays(p.dueDate, ctx.promiseGraceDays) < ctx.today && p.amountFen <= limit,
    );
    const target = judged.length > 0 ? judged[judged.length - 1] : undefined;
    if (target) {
      const kept = prng.chance(0.6);
      const amount = kept
        ? target.amountFen
        : Math.max(100, Math.round(target.amountFen * (0.3 + 0.4 * prng.next())));
      const lastDay = target.dueDate < yesterday ? target.dueDate : yesterday;
      const payDay = addDays(
        target.madeOn,
        prng.int(0, Math.max(0, daysBetween(target.madeOn, lastDay))),
      );
      const visit = addContact(draft, payDay, 'visit', 'partial_payment', {
        party: 'borrower',
        point: draft.address,
      });
      addFieldPayment(draft, visit.ms + 5 * 60_000, loan, amount);
    } else if (windowDays >= 3) {
      const payDay = addDays(first, prng.int(0, windowDays - 1));
      const visit = addContact(draft, payDay, 'visit', 'partial_payment', {
        party: 'borrower',
        point: draft.address,
      });
      addFieldPayment(
        draft,
        visit.ms + 5 * 60_000,
        loan,
        Math.min(limit, round100Yuan(total(inst) * (0.2 + 0.5 * prng.next()))),
      );
    }
  }
}
