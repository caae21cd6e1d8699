// Loan schedules and where a loan stands on a business date. All amounts integer fen.
import { addMonthsClamped, daysBetween } from '../dates';
import type { Fen, Instalment, IsoDate, PaymentLine } from './types';

export interface EqualInstalmentLoan {
  principalFen: Fen;
  /** Nominal annual rate in percent (e.g. 12 for 12 % a year, 1 % a month). */
  annualRatePct: number;
  termMonths: number;
  firstDueDate: IsoDate;
}

/**
 * Equal total instalment (等额本息, annuity). Interest each month is the rounded monthly
 * rate on the balance still owed; due dates keep firstDueDate's day of month, clamped at
 * month ends (31 Jan, 28/29 Feb, 31 Mar ...). The last instalment takes whatever principal
 * is left, so the principals always sum exactly to the loan's principal.
 */
export function buildEqualInstalmentSchedule(p: EqualInstalmentLoan): Instalment[] {
  const { principalFen, annualRatePct, termMonths, firstDueDate } = p;
  if (!Number.isSafeInteger(principalFen) || principalFen <= 0) {
    throw new RangeError(`principalFen must be a positive integer, got ${principalFen}`);
  }
  if (!Number.isInteger(termMonths) || termMonths < 1)
    throw new RangeError(`termMonths must be >= 1, got ${termMonths}`);
  if (!Number.isFinite(annualRatePct) || annualRatePct < 0) {
    throw new RangeError(`annualRatePct must be >= 0, got ${annualRatePct}`);
  }
  const r = annualRatePct / 100 / 12;
  const payment =
    r === 0
      ? Math.ceil(principalFen / termMonths)
      : Math.round((principalFen * r) / (1 - Math.pow(1 + r, -termMonths)));
  const anchorDay = Number(firstDueDate.slice(8, 10));
  const schedule: Instalment[] = [];
  let balance = principalFen;
  for (let i = 0; i < termMonths; i++) {
    const interestFen = Math.round(balance * r);
    const last = i === termMonths - 1;
    // Never let rounding push principal below zero or past what is owed.
    const principal = last ? balance : Math.min(balance, Math.max(0, payment - interestFen));
    schedule.push({
      seq: i + 1,
      dueDate: addMonthsClamped(firstDueDate, i, anchorDay),
      principalFen: principal,
      interestFen,
    });
    balance -= principal;
  }
  return schedule;
}

export type InstalmentStatus = 'paid' | 'partly_paid' | 'overdue' | 'due' | 'future';

export interface InstalmentPosition {
  seq: number;
  dueDate: IsoDate;
  principalFen: Fen;
  interestFen: Fen;
  paidFen: Fen;
  status: InstalmentStatus;
}

export interface LoanPosition {
  /** asOf - dueDate of the oldest instalment due before asOf and not fully paid; 0 if none. */
  daysPastDue: number;
  oldestUnpaidDueDate: IsoDate | null;
  /** Unpaid principal + interest of instalments due before asOf. */
  arrearsFen: Fen;
  /** Principal not yet repaid after all payments up to asOf. */
  outstandingPrincipalFen: Fen;
  totalPaidFen: Fen;
  /** Paid beyond the whole schedule. */
  overpaidFen: Fen;
  instalments: InstalmentPosition[];
}

/**
 * Where a loan stands at the end of business date `asOf`. Payments dated after asOf are
 * ignored. Money paid is allocated to the oldest instalment first, interest before
 * principal within an instalment; anything left rolls into later instalments
 * (prepayment) and beyond the last one into overpaidFen.
 *
 * Status, in order of precedence: 'paid' (fully paid); 'overdue' (due before asOf and not
 * fully paid, even if partly paid — the arrears matter more than the part payment);
 * 'partly_paid' (not yet overdue, some money on it); 'due' (due on asOf: not in arrears
 * until the next day); 'future'.
 */
export function loanPosition(
  schedule: readonly Instalment[],
  payments: readonly PaymentLine[],
  asOf: IsoDate,
): LoanPosition {
  let totalPaidFen = 0;
  for (const p of payments) if (p.paidOn <= asOf) totalPaidFen += p.amountFen;
  let remaining = Math.max(0, totalPaidFen);

  const ordered = [...schedule].sort((a, b) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.seq - b.seq,
  );
  let arrearsFen = 0;
  let outstandingPrincipalFen = 0;
  let oldestUnpaidDueDate: IsoDate | null = null;
  const instalments: InstalmentPosition[] = ordered.map((inst) => {
    const toInterest = Math.min(remaining, inst.interestFen);
    remaining -= toInterest;
    const toPrincipal = Math.min(remaining, inst.principalFen);
    remaining -= toPrincipal;
    const paidFen = toInterest + toPrincipal;
    const unpaid = inst.interestFen + inst.principalFen - paidFen;
    outstandingPrincipalFen += inst.principalFen - toPrincipal;

    let status: InstalmentStatus;
    if (unpaid === 0) status = 'paid';
    else if (inst.dueDate < asOf) {
      status = 'overdue';
      arrearsFen += unpaid;
      if (oldestUnpaidDueDate === null) oldestUnpaidDueDate = inst.dueDate;
    } else if (paidFen > 0) status = 'partly_paid';
    else if (inst.dueDate === asOf) status = 'due';
    else status = 'future';

    return {
      seq: inst.seq,
      dueDate: inst.dueDate,
      principalFen: inst.principalFen,
      interestFen: inst.interestFen,
      paidFen,
      status,
    };
  });

  return {
    daysPastDue: oldestUnpaidDueDate === null ? 0 : daysBetween(oldestUnpaidDueDate, asOf),
    oldestUnpaidDueDate,
    arrearsFen,
    outstandingPrincipalFen,
    totalPaidFen,
    overpaidFen: remaining,
    instalments,
  };
}
