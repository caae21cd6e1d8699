// Applies one mutation whose author has been authenticated. Business rules the server
// decides live here:
// - facts never conflict: a valid fact is kept, even from an officer the case has since
//   been moved away from (flagged 'former_officer');
// - a payment on a loan core banking has closed is kept and flagged 'loan_closed';
// - a receipt number is used once per branch; a payment is reversed at most once;
// - only managers and admins reassign cases and decide on plans; between two
//   reassignments the later HLC wins (the older is kept as a 'superseded' fact);
// - mutable case fields (next action date, flags) are last-writer-wins by HLC per field,
//   and only the case's current officer (or a manager/admin) may change them.
//
// Invariant: a Refusal is thrown only before the mutation's first write. The first write
// of a fact is an INSERT … ON CONFLICT DO NOTHING, so a receipt or reversal that another
// device committed a moment earlier is a refusal too, not an aborted transaction. That
// keeps a whole batch in one transaction without a savepoint (two round trips) per mutation.
import type { z } from 'zod';
import { compareHlc } from '../../shared/sync/hlc';
import {
  caseUpdatePayloadSchema,
  contactPointPayloadSchema,
  factPayloadSchema,
  type CaseFlagName,
  type FactPayload,
} from '../../shared/sync/mutations';
import type { ReceivedMutation } from '../../shared/sync/protocol';
import type { FactFlag } from '../../shared/sync/records';
import type { Queryable } from '../db/database';
import { moveCase, type CaseRow } from '../model/cases';
import type { UserAuth } from '../model/users';
import { borrowerChangeRows, type ChangeRow } from './change-feed';
import type { PushBatch } from './push-batch';
import { Refusal } from './refusal';

export interface Applied {
  factId: string | null;
  flags: FactFlag[];
  changes: ChangeRow[];
}

interface MutationContext {
  deviceId: string;
  author: UserAuth;
  mutation: ReceivedMutation;
  batch: PushBatch;
}

function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    // The message names the field and the rule, never the value (it may be borrower data).
    throw new Refusal(
      'invalid_payload',
      `Invalid ${field || 'payload'}: ${issue?.message ?? 'invalid'}`,
      { field },
    );
  }
  return parsed.data;
}

/** May the author write to this case at all? Returns whether they are a former officer of it. */
function checkCaseAccess(
  ctx: MutationContext,
  c: CaseRow,
  allowFormerOfficer: boolean,
): { formerOfficer: boolean } {
  const { author } = ctx;
  if (author.role === 'admin') return { formerOfficer: false };
  if (author.role === 'manager') {
    if (c.branch_id === author.branchId) return { formerOfficer: false };
    throw new Refusal('forbidden', 'This case belongs to another branch', { caseId: c.id });
  }
  if (c.officer_id === author.id) return { formerOfficer: false };
  if (ctx.batch.wasAssigned(c.id, author.id)) {
    if (allowFormerOfficer) return { formerOfficer: true };
    throw new Refusal(
      'case_reassigned',
      'This case has been reassigned to another officer; the change was not applied',
      { caseId: c.id },
    );
  }
  throw new Refusal('forbidden', 'This case is not assigned to you', { caseId: c.id });
}

function requireManager(ctx: MutationContext, what: string): void {
  if (ctx.author.role === 'officer')
    throw new Refusal('role_not_allowed', `Only a manager or an admin may ${what}`);
}

function caseChange(c: CaseRow, originDeviceId: string | null): ChangeRow {
  return {
    entity: 'case',
    entityId: c.id,
    branchId: c.branch_id,
    caseId: c.id,
    officerId: c.officer_id,
    originDeviceId,
  };
}

function loanOfCase(
  ctx: MutationContext,
  c: CaseRow,
  loanId: string,
): { id: string; status: 'active' | 'closed' } {
  const loan = ctx.batch.loan(loanId);
  if (!loan || loan.case_id !== c.id)
    throw new Refusal('unknown_loan', 'This loan does not belong to the case', { loanId });
  return loan;
}

const RELATED = {
  payment_reversal: {
    of: 'payment',
    missing: 'The payment it reverses is not on this case',
    taken: ['already_reversed', 'This payment has already been reversed'],
  },
  plan_decision: {
    of: 'plan_proposal',
    missing: 'The plan proposal it decides is not on this case',
    taken: ['already_decided', 'A decision on this plan has already been recorded'],
  },
  override_review: {
    of: 'contact',
    missing: 'The contact it reviews is not on this case',
    taken: ['already_reviewed', 'This override has already been reviewed'],
  },
} as const;

async function checkRelated(
  tx: Queryable,
  c: CaseRow,
  kind: keyof typeof RELATED,
  relatedId: string,
): Promise<void> {
  const rule = RELATED[kind];
  const rows = await tx.query<{ kind: string; taken: boolean }>(
    `select kind, exists (select 1 from facts r where r.related_fact_id = f.id and r.kind = $3) as taken
       from facts f where f.id = $1 and f.case_id = $2`,
    [relatedId, c.id, kind],
  );
  const row = rows[0];
  if (!row || row.kind !== rule.of)
    throw new Refusal('unknown_fact', rule.missing, { factId: relatedId });
  if (row.taken) throw new Refusal(rule.taken[0], rule.taken[1], { factId: relatedId });
}

/** Why an insert that hit a unique constraint was refused (rare: a race with another device). */
async function conflictRefusal(
  tx: Queryable,
  fact: FactPayload,
  deviceId: string,
  mutationId: number,
): Promise<Refusal> {
  const same = await tx.query(
    'select 1 from facts where id = $1 or (device_id = $2 and mutation_id = $3)',
    [fact.factId, deviceId, mutationId],
  );
  if (same.length > 0)
    return new Refusal('duplicate_fact', 'A fact with this id already exists', {
      factId: fact.factId,
    });
  if (fact.factKind === 'payment')
    return new Refusal(
      'duplicate_receipt',
      `Receipt ${fact.receiptNo} is already recorded in this branch`,
      { receiptNo: fact.receiptNo },
    );
  if (fact.factKind === 'payment_reversal')
    return new Refusal('already_reversed', RELATED.payment_reversal.taken[1], {
      factId: fact.paymentFactId,
    });
  if (fact.factKind === 'plan_decision')
    return new Refusal('already_decided', RELATED.plan_decision.taken[1], {
      factId: fact.proposalFactId,
    });
  if (fact.factKind === 'override_review')
    return new Refusal('already_reviewed', RELATED.override_review.taken[1], {
      factId: fact.contactFactId,
    });
  throw new Error('fact insert conflicted on an unexpected constraint');
}

async function applyFact(tx: Queryable, ctx: MutationContext, c: CaseRow): Promise<Applied> {
  const { mutation, author, deviceId } = ctx;
  const fact: FactPayload = parsePayload(factPayloadSchema, mutation.payload);
  const access = checkCaseAccess(ctx, c, true);
  const flags: FactFlag[] = access.formerOfficer ? ['former_officer'] : [];
  let loanId: string | null = null;
  let relatedFactId: string | null = null;
  let receiptNo: string | null = null;

  // ---- checks (reads only) ----
  switch (fact.factKind) {
    case 'payment': {
      const loan = loanOfCase(ctx, c, fact.loanId);
      loanId = loan.id;
      receiptNo = fact.receiptNo;
      if (loan.status === 'closed') flags.push('loan_closed');
      break;
    }
    case 'payment_reversal':
      await checkRelated(tx, c, 'payment_reversal', fact.paymentFactId);
      relatedFactId = fact.paymentFactId;
      break;
    case 'plan_decision':
      requireManager(ctx, 'decide on a repayment plan');
      await checkRelated(tx, c, 'plan_decision', fact.proposalFactId);
      relatedFactId = fact.proposalFactId;
      break;
    case 'override_review':
      requireManager(ctx, 'review a conduct override');
      await checkRelated(tx, c, 'override_review', fact.contactFactId);
      relatedFactId = fact.contactFactId;
      break;
    case 'promise':
      if (fact.loanId) loanId = loanOfCase(ctx, c, fact.loanId).id;
      break;
    case 'contact':
      if (fact.contactPointId) {
        const cp = await tx.query(
          'select 1 from contact_points where id = $1 and borrower_id = $2',
          [fact.contactPointId, c.borrower_id],
        );
        if (cp.length === 0)
          throw new Refusal(
            'unknown_contact_point',
            'This contact point does not belong to the borrower',
            { contactPointId: fact.contactPointId },
          );
      }
      if (fact.secondCollectorId) {
        const u = await tx.query('select 1 from users where id = $1 and branch_id = $2', [
          fact.secondCollectorId,
          c.branch_id,
        ]);
        if (u.length === 0)
          throw new Refusal(
            'unknown_officer',
            'The second collector is not a user of this branch',
            { userId: fact.secondCollectorId },
          );
      }
      break;
    case 'reassignment': {
      requireManager(ctx, 'reassign a case');
      const target = await tx.query(
        `select 1 from users where id = $1 and branch_id = $2 and role = 'officer' and disabled_at is null`,
        [fact.toOfficerId, c.branch_id],
      );
      if (target.length === 0)
        throw new Refusal(
          'unknown_officer',
          'The new officer is not an active officer of this branch',
          { userId: fact.toOfficerId },
        );
      if (compareHlc(mutation.hlc, c.field_clocks.officerId) <= 0) flags.push('superseded');
      break;
    }
    case 'flag_change':
      if (compareHlc(mutation.hlc, c.field_clocks[`flags.${fact.flag}`]) <= 0)
        flags.push('superseded');
      break;
    case 'plan_proposal':
    case 'note':
      break;
  }

  // ---- writes: the fact first; it is the only write that can meet a conflict ----
  const inserted = await tx.query(
    `insert into facts (id, case_id, branch_id, kind, device_id, mutation_id, recorded_by, occurred_at, hlc, schema_version,
                        payload, receipt_no, loan_id, related_fact_id, flags)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15::jsonb)
     on conflict do nothing returning id`,
    [
      fact.factId,
      c.id,
      c.branch_id,
      fact.factKind,
      deviceId,
      mutation.mutationId,
      author.id,
      fact.occurredAt,
      mutation.hlc,
      mutation.schemaVersion,
      JSON.stringify(fact),
      receiptNo,
      loanId,
      relatedFactId,
      JSON.stringify(flags),
    ],
  );
  if (inserted.length === 0) throw await conflictRefusal(tx, fact, deviceId, mutation.mutationId);

  const changes: ChangeRow[] = [];
  if (fact.factKind === 'reassignment' && !flags.includes('superseded')) {
    const move = await moveCase(tx, c, fact.toOfficerId, mutation.hlc, author.id);
    if (move.change) changes.push(move.change);
  }
  if (fact.factKind === 'flag_change' && !flags.includes('superseded')) {
    c.flags = { ...c.flags, [fact.flag]: fact.value };
    c.field_clocks = { ...c.field_clocks, [`flags.${fact.flag}`]: mutation.hlc };
    await saveCaseFields(tx, c);
    changes.push(caseChange(c, null));
  }
  // The fact travels to whoever holds the case now (after a reassignment in this very mutation).
  changes.unshift({
    entity: 'fact',
    entityId: fact.factId,
    branchId: c.branch_id,
    caseId: c.id,
    officerId: c.officer_id,
    originDeviceId: deviceId,
  });
  return { factId: fact.factId, flags, changes };
}

async function saveCaseFields(tx: Queryable, c: CaseRow): Promise<void> {
  await tx.query(
    'update cases set next_action_date = $2, flags = $3::jsonb, field_clocks = $4::jsonb, updated_at = now() where id = $1',
    [c.id, c.next_action_date, JSON.stringify(c.flags), JSON.stringify(c.field_clocks)],
  );
}

async function applyCaseUpdate(tx: Queryable, ctx: MutationContext, c: CaseRow): Promise<Applied> {
  const update = parsePayload(caseUpdatePayloadSchema, ctx.mutation.payload);
  checkCaseAccess(ctx, c, false);
  const hlc = ctx.mutation.hlc;
  let won = 0;
  let lost = 0;
  if (update.nextActionDate !== undefined) {
    if (compareHlc(hlc, c.field_clocks.nextActionDate) > 0) {
      c.next_action_date = update.nextActionDate;
      c.field_clocks = { ...c.field_clocks, nextActionDate: hlc };
      won++;
    } else lost++;
  }
  for (const [flag, value] of Object.entries(update.flags ?? {}) as [
    CaseFlagName,
    boolean | undefined,
  ][]) {
    if (value === undefined) continue;
    const field = `flags.${flag}`;
    if (compareHlc(hlc, c.field_clocks[field]) > 0) {
      c.flags = { ...c.flags, [flag]: value };
      c.field_clocks = { ...c.field_clocks, [field]: hlc };
      won++;
    } else lost++;
  }
  if (won > 0) await saveCaseFields(tx, c);
  // When a field lost to a newer stamp, the case goes back to the pushing device too, so it
  // converges on the winning value.
  return {
    factId: null,
    flags: lost > 0 ? ['superseded'] : [],
    changes: [caseChange(c, lost > 0 ? null : ctx.deviceId)],
  };
}

async function applyContactPoint(
  tx: Queryable,
  ctx: MutationContext,
  c: CaseRow,
): Promise<Applied> {
  const p = parsePayload(contactPointPayloadSchema, ctx.mutation.payload);
  checkCaseAccess(ctx, c, false);
  const rows = await tx.query<{ borrower_id: string; hlc: string }>(
    'select borrower_id, hlc from contact_points where id = $1 for update',
    [p.contactPointId],
  );
  const current = rows[0];
  if (current && current.borrower_id !== c.borrower_id) {
    throw new Refusal('unknown_contact_point', 'This contact point belongs to another borrower', {
      contactPointId: p.contactPointId,
    });
  }
  if (current && compareHlc(ctx.mutation.hlc, current.hlc) <= 0) {
    const back = await borrowerChangeRows(
      tx,
      c.borrower_id,
      'contact_point',
      p.contactPointId,
      null,
    );
    return { factId: null, flags: ['superseded'], changes: back };
  }
  await tx.query(
    `insert into contact_points (id, borrower_id, kind, value, party, contact_name, relation, status, hlc)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (id) do update set kind = excluded.kind, value = excluded.value, party = excluded.party,
       contact_name = excluded.contact_name, relation = excluded.relation, status = excluded.status,
       hlc = excluded.hlc, updated_at = now()`,
    [
      p.contactPointId,
      c.borrower_id,
      p.kind,
      p.value,
      p.party,
      p.name,
      p.relation,
      p.status,
      ctx.mutation.hlc,
    ],
  );
  return {
    factId: null,
    flags: [],
    changes: await borrowerChangeRows(
      tx,
      c.borrower_id,
      'contact_point',
      p.contactPointId,
      ctx.deviceId,
    ),
  };
}

export async function applyMutation(tx: Queryable, ctx: MutationContext): Promise<Applied> {
  const c = ctx.batch.case(ctx.mutation.caseId);
  if (!c)
    throw new Refusal('unknown_case', 'This case is not known to the server', {
      caseId: ctx.mutation.caseId,
    });
  switch (ctx.mutation.kind) {
    case 'fact':
      return applyFact(tx, ctx, c);
    case 'case_update':
      return applyCaseUpdate(tx, ctx, c);
    case 'contact_point':
      return applyContactPoint(tx, ctx, c);
    default:
      throw new Refusal(
        'unknown_kind',
        `This server does not know the mutation kind "${ctx.mutation.kind.slice(0, 40)}"`,
        {
          kind: ctx.mutation.kind.slice(0, 40),
        },
      );
  }
}
