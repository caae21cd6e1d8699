// One demo case at a time: a borrower in a village, one loan (sometimes two) with an
// equal-instalment schedule, a delinquency drawn from a believable spread, and the
// history that produced it: repayments known to core banking, past late episodes that
// ended in a kept promise, and for a case in arrears the collection effort since its
// oldest unpaid instalment (calls, SMS, visits with a second collector, letters,
// promises kept and broken, part payments collected in the field with receipts).
//
// The state is constructed backwards from the target: instalments before the oldest
// unpaid one are paid in full, so the case's DPD is what was drawn; any money paid
// during the current arrears is less than that instalment, so it never cures it.
import { addDays, daysBetween } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import {
  insertBorrower,
  insertCase,
  insertContactPoint,
  insertCoreRepayment,
  insertLoan,
} from '../seed';
import { insertFact } from '../facts';
import { instantMs, type CaseDraft, type LoanPlan, type PortfolioContext } from './case-draft';
import { contactPoints } from './contact-points';
import { currentArrears, repaymentHistory } from './history';
import { demoUuidV7 } from './ids';
import { planLoan } from './loan-plan';
import { maskedIdNumber, personName, type Gender } from './names';
import { DEMO_COUNTY, DEMO_REGION_CODE, VILLAGE_WEIGHTS, type VillageRef } from './places';
import { weighted } from './prng';

export { writeFieldPayments, type PortfolioContext } from './case-draft';

const pickVillage = weighted(VILLAGE_WEIGHTS);

// Share of cases per delinquency bucket: most current or 1-30 days, a tail past 180.
const pickDpdRange = weighted<readonly [number, number]>([
  [[0, 0], 36],
  [[1, 30], 34],
  [[31, 60], 11],
  [[61, 90], 7],
  [[91, 180], 7],
  [[181, 540], 5],
]);

export function generateCase(ctx: PortfolioContext): void {
  const { prng, db, today } = ctx;
  // One millisecond per case for its reference rows' ids: they follow generation order,
  // so every case-keyed B-tree is appended to rather than split at random places.
  ctx.rowMs += 1;
  const place: VillageRef = pickVillage(prng);
  const officer = ctx.staff.officerFor(place);
  const gender: Gender = prng.chance(0.64) ? 'M' : 'F';
  const name = personName(prng, gender);
  const age = prng.int(24, 72);
  const address = `${DEMO_COUNTY}${place.township}${place.village}${prng.int(1, 9)}组${prng.int(1, 120)}号`;
  const [minD, maxD] = pickDpdRange(prng);
  // The 180+ tail thins out with age: most such loans are 6-9 months late, few 18.
  const dpd =
    minD === 0
      ? 0
      : minD > 180
        ? minD + Math.floor(Math.pow(prng.next(), 2) * (maxD - minD))
        : prng.int(minD, maxD);
  const loans = [planLoan(ctx, prng, dpd)];
  if (prng.chance(0.1)) loans.push(planLoan(ctx, prng, 0));
  const openedOn = loans.map((l) => l.disbursedOn).sort()[0] as IsoDate;
  const caseId = demoUuidV7(ctx.rowMs, prng);
  const borrowerId = demoUuidV7(ctx.rowMs, prng);
  const points = contactPoints(
    prng,
    ctx.rowMs,
    borrowerId,
    gender,
    age,
    (loans[0] as LoanPlan).product,
    address,
  );

  insertBorrower(db, {
    id: borrowerId,
    branchId: ctx.branchId,
    name,
    gender,
    idNumberMasked: maskedIdNumber(prng, DEMO_REGION_CODE),
    county: DEMO_COUNTY,
    township: place.township,
    village: place.village,
    address,
  });
  for (const cp of points.all) insertContactPoint(db, cp);

  const draft: CaseDraft = {
    ctx,
    caseId,
    officer,
    borrowerMobile: points.borrowerMobile,
    invalidMobile: points.invalidMobile,
    address: points.address,
    thirdParties: points.thirdParties,
    facts: [],
    coreRepayments: [],
    outcomes: [],
    lastContactDay: null,
    lastOutcome: null,
  };
  for (const loan of loans) repaymentHistory(draft, loan);
  currentArrears(draft, loans[0] as LoanPlan, dpd);

  const recent = draft.lastContactDay !== null && daysBetween(draft.lastContactDay, today) <= 10;
  const nextActionDate =
    recent &&
    draft.lastOutcome !== 'promise_to_pay' &&
    draft.lastOutcome !== 'deceased' &&
    prng.chance(0.7)
      ? addDays(draft.lastContactDay as IsoDate, prng.int(2, 10))
      : null;
  insertCase(db, {
    id: caseId,
    branchId: ctx.branchId,
    borrowerId,
    township: place.township,
    village: place.village,
    openedOn,
    officerId: officer.id,
    flags: {
      hardship: draft.outcomes.includes('hardship') && prng.chance(0.75),
      vulnerable: prng.chance(age >= 65 ? 0.35 : 0.02),
      dispute: draft.outcomes.includes('disputes_debt'),
      doNotContact: draft.outcomes.includes('deceased') || prng.chance(0.002),
    },
    nextActionDate,
  });
  const snapshotAsOf = addDays(today, -1);
  const snapshotAt = new Date(instantMs(today, 150)).toISOString();
  for (const loan of loans) {
    insertLoan(db, {
      id: loan.id,
      caseId,
      borrowerId,
      loanNo: loan.loanNo,
      product: loan.product.name,
      principalFen: loan.principalFen,
      disbursedOn: loan.disbursedOn,
      termMonths: loan.termMonths,
      annualRatePct: loan.ratePct,
      snapshotAt,
      snapshotAsOf,
      schedule: loan.schedule,
    });
  }
  for (const r of draft.coreRepayments) insertCoreRepayment(db, r);
  for (const fact of draft.facts) insertFact(db, fact);
}
