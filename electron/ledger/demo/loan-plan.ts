// A loan for a demo case: product, principal, rate and term drawn from the product's
// ranges, and an equal-instalment schedule placed in time so that on `today` its oldest
// unpaid instalment is `dpdTarget` days late (or, for 0, everything due is paid).
import { addDays, addMonthsClamped } from '../../../shared/dates';
import { buildEqualInstalmentSchedule } from '../../../shared/domain/schedule';
import type { IsoDate } from '../../../shared/domain/types';
import type { LoanPlan, PortfolioContext } from './case-draft';
import { demoUuidV7 } from './ids';
import { PRODUCTS } from './products';
import { weighted, type Prng } from './prng';

const pickProduct = weighted(PRODUCTS.map((p) => [p, p.weight] as const));

export function planLoan(ctx: PortfolioContext, prng: Prng, dpdTarget: number): LoanPlan {
  const product = pickProduct(prng);
  const steps = Math.floor((product.maxYuan - product.minYuan) / product.stepYuan);
  // Skewed towards small loans, as a rural portfolio is.
  const principalYuan =
    product.minYuan + product.stepYuan * Math.floor(Math.pow(prng.next(), 1.8) * (steps + 1));
  const ratePct =
    Math.round(
      (product.minRatePct + prng.next() * (product.maxRatePct - product.minRatePct)) * 20,
    ) / 20;
  const termMonths = prng.pick(product.terms);
  let firstDue: IsoDate;
  let oldestSeq: number | null = null;
  if (dpdTarget > 0) {
    const missedMonths = Math.floor(dpdTarget / 30.4);
    const j = prng.int(1, Math.max(1, termMonths - missedMonths));
    oldestSeq = j;
    firstDue = addMonthsClamped(addDays(ctx.today, -dpdTarget), -(j - 1));
  } else {
    const dueBeforeToday = prng.int(0, termMonths - 1);
    firstDue = addMonthsClamped(addDays(ctx.today, prng.int(0, 27)), -dueBeforeToday);
  }
  // A few schedules fall on the 29th-31st, so month-end clamping shows up in the demo.
  if (oldestSeq === null && prng.chance(0.06)) {
    const day = prng.int(29, 31);
    const monthStart = firstDue.slice(0, 8);
    firstDue = addMonthsClamped(`${monthStart}01`, 0, day);
  }
  const schedule = buildEqualInstalmentSchedule({
    principalFen: principalYuan * 100,
    annualRatePct: ratePct,
    termMonths,
    firstDueDate: firstDue,
  });
  const disbursedOn = addMonthsClamped(firstDue, -1);
  const paidCount =
    oldestSeq !== null ? oldestSeq - 1 : schedule.filter((i) => i.dueDate < ctx.today).length;
  ctx.loanSeq += 1;
  return {
    id: demoUuidV7(ctx.rowMs, prng),
    loanNo: `PA${product.code}${disbursedOn.slice(0, 4)}${String(ctx.loanSeq).padStart(6, '0')}`,
    product,
    principalFen: principalYuan * 100,
    ratePct,
    termMonths,
    disbursedOn,
    schedule,
    paidCount,
    oldestUnpaid: oldestSeq !== null ? (schedule[oldestSeq - 1] ?? null) : null,
  };
}
