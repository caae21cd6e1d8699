// Conduct overrides for the manager: the review queue and the review itself. A review is
// an override_reviews row with an audit entry and an 'override_review' mutation, so the
// branch's other devices learn it was looked at (the sync client applies a pulled review
// with applyOverrideReview, as this command does). It is not a case timeline fact.
import type { UserSummary } from '../../../shared/api/contract';
import type { OverrideForReview, OverrideReviewed } from '../../../shared/api/manager-contract';
import { businessDate } from '../../../shared/dates';
import { AppError } from '../../../shared/errors';
import type { UserRole } from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import { stampFact, type ActorRef } from '../commands/command';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';

interface OverrideRaw {
  contact_fact_id: string;
  case_id: string;
  borrower_name: string;
  at: string;
  business_date: string;
  recorded_by: string;
  by_name: string | null;
  by_role: UserRole | null;
  rule_codes: string;
  reason: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  reviewer_name: string | null;
  reviewer_role: UserRole | null;
  comment: string | null;
}

const user = (id: string, name: string | null, role: UserRole | null): UserSummary => ({
  id,
  name: name ?? id,
  role: role ?? 'officer',
});

/** Overrides, newest first; `reviewed` narrows to reviewed (true) or waiting (false) ones. */
export function listOverrides(ledger: Ledger, reviewed: boolean | undefined): OverrideForReview[] {
  const where =
    reviewed === undefined
      ? '1'
      : reviewed
        ? 'rv.override_fact_id IS NOT NULL'
        : 'rv.override_fact_id IS NULL';
  return stmt<OverrideRaw>(
    ledger.db,
    `SELECT o.contact_fact_id, o.case_id, b.name AS borrower_name, o.at, f.business_date, o.recorded_by,
       u.name AS by_name, u.role AS by_role, o.rule_codes, o.reason,
       rv.reviewed_at, rv.reviewed_by, ru.name AS reviewer_name, ru.role AS reviewer_role, rv.comment
     FROM overrides o
       JOIN facts f ON f.id = o.contact_fact_id
       JOIN cases c ON c.id = o.case_id
       JOIN borrowers b ON b.id = c.borrower_id
       LEFT JOIN users u ON u.id = o.recorded_by
       LEFT JOIN override_reviews rv ON rv.override_fact_id = o.contact_fact_id
       LEFT JOIN users ru ON ru.id = rv.reviewed_by
     WHERE ${where}
     ORDER BY o.at DESC, o.contact_fact_id DESC`,
  )
    .all()
    .map((r) => ({
      factId: r.contact_fact_id,
      caseId: r.case_id,
      borrowerName: r.borrower_name,
      at: r.at,
      businessDate: r.business_date,
      by: user(r.recorded_by, r.by_name, r.by_role),
      ruleCodes: JSON.parse(r.rule_codes) as string[],
      reason: r.reason,
      review:
        r.reviewed_at !== null && r.reviewed_by !== null
          ? {
              at: r.reviewed_at,
              by: user(r.reviewed_by, r.reviewer_name, r.reviewer_role),
              comment: r.comment,
            }
          : null,
    }));
}

/**
 * The review row itself; shared by the command and the sync client (a review pulled from
 * another manager's device). The caller owns the transaction and has checked that the
 * override is here and not reviewed yet.
 */
export function applyOverrideReview(
  db: LedgerDb,
  r: {
    overrideFactId: string;
    caseId: string;
    reviewedAt: string;
    reviewedOn: string;
    reviewedBy: string;
    comment: string | null;
  },
): void {
  stmt(
    db,
    `INSERT INTO override_reviews (override_fact_id, case_id, reviewed_at, reviewed_on, reviewed_by, comment)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(r.overrideFactId, r.caseId, r.reviewedAt, r.reviewedOn, r.reviewedBy, r.comment);
}

export function reviewOverride(
  ledger: Ledger,
  actor: ActorRef,
  input: { overrideFactId: string; comment?: string | undefined },
): OverrideReviewed {
  const { db } = ledger;
  return db
    .transaction((): OverrideReviewed => {
      const caseId = stmt<string>(db, 'SELECT case_id FROM overrides WHERE contact_fact_id = ?')
        .pluck()
        .get(input.overrideFactId);
      if (caseId === undefined) {
        throw new AppError('not_found', 'No such override on this device', {
          entity: 'override',
          id: input.overrideFactId,
        });
      }
      const done = stmt<number>(db, 'SELECT 1 FROM override_reviews WHERE override_fact_id = ?')
        .pluck()
        .get(input.overrideFactId);
      if (done === 1) {
        throw new AppError('conflict', 'This override has already been reviewed', {
          reason: 'already_reviewed',
        });
      }
      const now = ledger.clock.now();
      const at = now.toISOString();
      const comment = input.comment?.trim() || null;
      applyOverrideReview(db, {
        overrideFactId: input.overrideFactId,
        caseId,
        reviewedAt: at,
        reviewedOn: businessDate(now, ledger.branch.timezone),
        reviewedBy: actor.id,
        comment,
      });
      const stamp = stampFact(ledger, now);
      enqueueMutation(
        db,
        {
          kind: 'fact',
          caseId,
          userId: actor.id,
          hlc: stamp.hlc,
          payload: {
            factKind: 'override_review',
            factId: stamp.id,
            occurredAt: stamp.occurredAt,
            contactFactId: input.overrideFactId,
            ...(comment !== null && { comment }),
          },
        },
        at,
      );
      appendAudit(db, {
        at,
        actorId: actor.id,
        deviceId: ledger.deviceId,
        action: 'override.review',
        entity: 'override',
        entityId: input.overrideFactId,
        payload: { overrideFactId: input.overrideFactId, comment },
      });
      return { overrideFactId: input.overrideFactId, reviewedAt: at };
    })
    .immediate();
}
