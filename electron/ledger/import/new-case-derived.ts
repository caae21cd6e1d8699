// The derived columns of a case the import creates, computed while its row is written
// instead of by a second pass over the ledger (refreshDerived reads every case's schedule
// back, decrypting the pages it just wrote, and rewrites every row).
//
// Such a case has exactly what the import gives it: one loan, its rebuilt schedule, at
// most one core-banking repayment line, no facts (no payment, promise or contact), no
// flags and no next action. For those inputs this is derive.ts's computeDerived, with the
// same shared rules (loanPosition, bucketFor, priorityFor); the import tests check that a
// refreshDerived right after an import rewrites no case, so the two cannot drift apart
// unnoticed.
import { bucketFor, type BucketDef } from '../../../shared/domain/buckets';
import { priorityFor } from '../../../shared/domain/priority';
import { loanPosition } from '../../../shared/domain/schedule';
import type { Fen, Instalment, IsoDate, PriorityReason } from '../../../shared/domain/types';

export interface NewCaseDerived {
  dpd: number;
  bucket: string;
  arrearsFen: Fen;
  outstandingFen: Fen;
  priorityScore: number;
  priorityReasons: PriorityReason[];
}

const NO_FLAGS = { hardship: false, vulnerable: false, dispute: false, doNotContact: false };

/**
 * `coreLine` is the import's core-banking line (paid on the snapshot date), if any; like
 * derive, a line dated after `today` does not count yet.
 */
export function newCaseDerived(
  schedule: readonly Instalment[],
  coreLine: { paidOn: IsoDate; amountFen: Fen } | null,
  today: IsoDate,
  buckets: readonly BucketDef[],
): NewCaseDerived {
  const lines = coreLine !== null && coreLine.paidOn <= today ? [coreLine] : [];
  const pos = loanPosition(schedule, lines, today);
  const priority = priorityFor({
    asOf: today,
    daysPastDue: pos.daysPastDue,
    arrearsFen: pos.arrearsFen,
    latestPromise: null,
    lastContactOn: null,
    nextActionDate: null,
    flags: NO_FLAGS,
  });
  return {
    dpd: pos.daysPastDue,
    bucket: bucketFor(pos.daysPastDue, buckets),
    arrearsFen: pos.arrearsFen,
    outstandingFen: pos.outstandingPrincipalFen,
    priorityScore: priority.score,
    priorityReasons: priority.reasons,
  };
}
