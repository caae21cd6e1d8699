// Applies one page of the server's change feed to the ledger. Every item is an upsert
// keyed by id, so applying a page twice (a retry after a lost answer) changes nothing:
// a fact already present is skipped, which is what keeps each payment exactly once.
// The caller runs this and the cursor write in ONE transaction.
import { businessDate } from '../../../shared/dates';
import { compareHlc, HybridLogicalClock } from '../../../shared/sync/hlc';
import type {
  BorrowerRecord,
  BranchRecord,
  CaseRecord,
  ContactPointRecord,
  DirectoryUser,
  FactRecord as SyncFactRecord,
  LoanRecord,
  LoanSnapshotRecord,
  PullItem,
} from '../../../shared/sync/records';
import { DEFAULT_PACK_ID } from '../../../shared/policy/built-in-packs';
import type { LedgerDb } from '../db';
import { deriveCase, refreshDerived } from '../derive';
import { insertFact } from '../facts';
import { hlcNodeFor } from '../hlc';
import { readBranch } from '../ledger';
import { getMeta, META, setMeta } from '../meta';
import { ledgerPolicyFor } from '../policy';
import { insertBorrower, insertCase } from '../seed';
import { namePinyin, routeKey } from '../pinyin';
import { stmt } from '../statements';
import { factFromSync } from './fact-from-sync';
import { ensureUserRow, UNASSIGNED_OFFICER_ID } from './placeholders';
import { hasPendingMutations, removeCase } from './remove-case';

export interface PageOutcome {
  applied: number;
  /** Facts already on this device (sent twice, or recorded here). */
  skippedFacts: number;
  casesAdded: number;
  casesRemoved: number;
  /** Removals waiting for this device's pending mutations on the case to be pushed. */
  removalsDeferred: number;
  /** Items that could not be applied (e.g. a fact whose case this device never had). */
  unapplied: { type: string; id: string; why: string }[];
}

const FLAG_COLUMNS = {
  'flags.hardship': 'flag_hardship',
  'flags.vulnerable': 'flag_vulnerable',
  'flags.dispute': 'flag_dispute',
  'flags.doNotContact': 'flag_do_not_contact',
} as const;

/** Above this many touched cases a page re-derives everything in one sweep. */
const BULK_DERIVE_THRESHOLD = 200;

export interface ApplyOptions {
  /**
   * Leave derived case state for a later refreshDerived (a first download re-derives
   * every case once, at its last page, instead of page by page).
   */
  deferDerive?: boolean;
}

/**
 * What a page looks up again and again, read once per page: the branch (time zone of every
 * fact), users known to exist, cases present. A page is one transaction, so nothing else
 * changes these under it; entries are added as the page writes and dropped as it removes.
 */
interface PageContext {
  timezone: string;
  users: Set<string>;
  cases: Set<string>;
  /** Any contact point edit still to push (else no contact point needs the outbox checked). */
  pendingContactPoints: boolean;
}

function ensureUser(db: LedgerDb, ctx: PageContext, userId: string): void {
  if (ctx.users.has(userId)) return;
  ensureUserRow(db, userId);
  ctx.users.add(userId);
}

function caseHere(db: LedgerDb, ctx: PageContext, caseId: string): boolean {
  if (ctx.cases.has(caseId)) return true;
  const present = stmt<number>(db, 'SELECT 1 FROM cases WHERE id = ?').pluck().get(caseId) === 1;
  if (present) ctx.cases.add(caseId);
  return present;
}

export function applyPullPage(
  db: LedgerDb,
  items: readonly PullItem[],
  nowMs: number,
  options: ApplyOptions = {},
): PageOutcome {
  if (!db.inTransaction) throw new Error('applyPullPage must run inside a transaction');
  const ctx: PageContext = {
    timezone: readBranch(db)?.timezone ?? 'Asia/Shanghai',
    users: new Set(),
    cases: new Set(),
    pendingContactPoints:
      stmt(
        db,
        `SELECT 1 FROM outbox WHERE kind = 'contact_point' AND status = 'pending' LIMIT 1`,
      ).get() !== undefined,
  };
  const out: PageOutcome = {
    applied: 0,
    skippedFacts: 0,
    casesAdded: 0,
    casesRemoved: 0,
    removalsDeferred: 0,
    unapplied: [],
  };
  const touched = new Set<string>();
  const deviceId = getMeta(db, META.deviceId);
  const clock = deviceId
    ? new HybridLogicalClock(hlcNodeFor(deviceId), getMeta(db, META.hlcLast))
    : null;
  let sawStamp = false;
  const seeStamp = (stamp: string): void => {
    if (!clock) return;
    clock.receive(stamp, nowMs);
    sawStamp = true;
  };

  for (const item of dependencyOrder(items)) {
    switch (item.type) {
      case 'branch':
        upsertBranch(db, item.branch);
        ctx.timezone = readBranch(db)?.timezone ?? ctx.timezone;
        break;
      case 'user':
        upsertUser(db, item.user);
        ctx.users.delete(item.user.id);
        break;
      case 'borrower':
        upsertBorrower(db, item.borrower);
        break;
      case 'case': {
        const added = upsertCase(db, ctx, item.case);
        if (added === null) {
          out.unapplied.push({ type: 'case', id: item.case.id, why: 'borrower missing' });
          continue;
        }
        if (added) out.casesAdded++;
        for (const stamp of Object.values(item.case.clocks)) seeStamp(stamp);
        touched.add(item.case.id);
        break;
      }
      case 'case_removed':
        touched.delete(item.caseId);
        ctx.cases.delete(item.caseId);
        if (hasPendingMutations(db, item.caseId)) {
          stmt(
            db,
            'INSERT OR IGNORE INTO sync_case_removals (case_id, requested_at) VALUES (?, ?)',
          ).run(item.caseId, new Date(nowMs).toISOString());
          out.removalsDeferred++;
        } else if (removeCase(db, item.caseId)) {
          out.casesRemoved++;
        }
        break;
      case 'contact_point':
        if (!upsertContactPoint(db, ctx, item.contactPoint)) {
          out.unapplied.push({
            type: 'contact_point',
            id: item.contactPoint.id,
            why: 'borrower missing',
          });
          continue;
        }
        seeStamp(item.contactPoint.hlc);
        break;
      case 'loan':
        if (!upsertLoan(db, ctx, item.loan)) {
          out.unapplied.push({ type: 'loan', id: item.loan.id, why: 'case missing' });
          continue;
        }
        touched.add(item.loan.caseId);
        break;
      case 'loan_snapshot': {
        const caseId = applySnapshot(db, item.snapshot);
        if (caseId === null) {
          out.unapplied.push({ type: 'loan_snapshot', id: item.snapshot.id, why: 'loan missing' });
          continue;
        }
        touched.add(caseId);
        break;
      }
      case 'fact': {
        const result = applyFact(db, ctx, item.fact);
        if (result === 'skipped') {
          out.skippedFacts++;
          continue;
        }
        if (result !== 'applied') {
          out.unapplied.push({ type: 'fact', id: item.fact.id, why: result });
          continue;
        }
        seeStamp(item.fact.hlc);
        touched.add(item.fact.caseId);
        break;
      }
    }
    out.applied++;
  }

  // Later local stamps must sort after everything seen from other devices.
  if (clock && sawStamp) setMeta(db, META.hlcLast, clock.current());
  if (!options.deferDerive) rederive(db, touched, nowMs);
  return out;
}

/**
 * The server lists a page parents first, but facts in the order it collected them: a
 * reversal from the feed can come before the payment it reverses when that payment
 * arrives in the bundle of a case moved to this device. Facts that point at another fact
 * go after every other fact of the page (stable otherwise).
 */
function dependencyOrder(items: readonly PullItem[]): readonly PullItem[] {
  const dependent = (i: PullItem) =>
    i.type === 'fact' &&
    (i.fact.payload.factKind === 'payment_reversal' || i.fact.payload.factKind === 'plan_decision');
  if (!items.some(dependent)) return items;
  return [...items.filter((i) => !dependent(i)), ...items.filter(dependent)];
}

/** Re-derives every case (the end of a first download). */
export function rederiveAll(db: LedgerDb, nowMs: number): void {
  rederive(db, null, nowMs);
}

function rederive(db: LedgerDb, touched: Set<string> | null, nowMs: number): void {
  if (touched?.size === 0) return;
  const branch = readBranch(db);
  if (!branch) return;
  const policy = ledgerPolicyFor(branch.policyPackId);
  const asOf = getMeta(db, META.derivedAsOf) ?? businessDate(new Date(nowMs), branch.timezone);
  if (touched === null || touched.size > BULK_DERIVE_THRESHOLD) {
    refreshDerived(db, asOf, policy);
    return;
  }
  for (const id of touched) deriveCase(db, id, asOf, policy);
}

function upsertBranch(db: LedgerDb, b: BranchRecord): void {
  stmt(
    db,
    `INSERT INTO branches (id, code, name, county, timezone, policy_pack_id) VALUES (?, ?, ?, '', ?, ?)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, timezone = excluded.timezone`,
  ).run(b.id, b.code, b.name, b.timezone, DEFAULT_PACK_ID);
  if (!getMeta(db, META.branchId)) setMeta(db, META.branchId, b.id);
}

function upsertUser(db: LedgerDb, u: DirectoryUser): void {
  const branchId = u.branchId ?? getMeta(db, META.branchId);
  if (!branchId) return;
  // A disabled user arrives without a verifier: nobody can sign in as them here.
  const active = !u.disabled && u.passwordVerifier !== null ? 1 : 0;
  stmt(
    db,
    `INSERT INTO users (id, branch_id, login, name, role, password_verifier, active) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET branch_id = excluded.branch_id, login = excluded.login, name = excluded.name,
       role = excluded.role, password_verifier = excluded.password_verifier, active = excluded.active`,
  ).run(u.id, branchId, u.username, u.name, u.role, u.passwordVerifier, active);
}

function upsertBorrower(db: LedgerDb, b: BorrowerRecord): void {
  const exists = stmt<number>(db, 'SELECT 1 FROM borrowers WHERE id = ?').pluck().get(b.id);
  if (!exists) {
    insertBorrower(db, { ...b, county: b.county });
    return;
  }
  const py = namePinyin(b.name);
  stmt(
    db,
    `UPDATE borrowers SET name = ?, name_initials = ?, name_pinyin = ?, gender = ?, id_number_masked = ?,
       county = ?, township = ?, village = ?, address = ? WHERE id = ?`,
  ).run(
    b.name,
    py.initials,
    py.full,
    b.gender,
    b.idNumberMasked,
    b.county,
    b.township,
    b.village,
    b.address,
    b.id,
  );
  stmt(db, 'UPDATE cases SET township = ?, village = ?, route_key = ? WHERE borrower_id = ?').run(
    b.township,
    b.village,
    routeKey(b.township, b.village),
    b.id,
  );
}

/**
 * True when the case is new here, false when updated, null when its borrower is missing.
 * Mutable fields: the server's value wins unless this device holds a pending edit of the
 * same field with a later stamp (it will be pushed and judged by the server, which
 * sends the case back if the edit lost). Without a pending edit the server is the
 * authority, whatever the stamps say: its rules (a manager's reassignment, a refused
 * edit) may have decided against a later local stamp.
 */
function upsertCase(db: LedgerDb, ctx: PageContext, c: CaseRecord): boolean | null {
  const borrower = stmt<{ township: string; village: string }>(
    db,
    'SELECT township, village FROM borrowers WHERE id = ?',
  ).get(c.borrowerId);
  if (!borrower) return null;
  const officerId = c.officerId ?? UNASSIGNED_OFFICER_ID;
  ensureUser(db, ctx, officerId);
  stmt(db, 'DELETE FROM sync_case_removals WHERE case_id = ?').run(c.id);
  const local = stmt<{ field_clocks: string }>(
    db,
    'SELECT field_clocks FROM cases WHERE id = ?',
  ).get(c.id);
  ctx.cases.add(c.id);
  if (!local) {
    insertCase(db, {
      id: c.id,
      branchId: c.branchId,
      borrowerId: c.borrowerId,
      township: borrower.township,
      village: borrower.village,
      openedOn: businessDate(c.updatedAt, ctx.timezone),
      officerId,
      flags: c.flags,
      nextActionDate: c.nextActionDate,
    });
    stmt(db, 'UPDATE cases SET status = ?, field_clocks = ? WHERE id = ?').run(
      c.status,
      JSON.stringify(c.clocks),
      c.id,
    );
    return true;
  }
  const clocks = JSON.parse(local.field_clocks) as Record<string, string>;
  const pending = pendingFieldStamps(db, c.id);
  const take = (field: string): boolean => {
    const mine = pending.get(field);
    return mine === undefined || compareHlc(c.clocks[field], mine) >= 0;
  };
  const sets: string[] = ['status = ?', 'officer_id = ?'];
  const values: unknown[] = [c.status, officerId];
  if (take('nextActionDate')) {
    sets.push('next_action_date = ?');
    values.push(c.nextActionDate);
    setClock(clocks, 'nextActionDate', c.clocks.nextActionDate);
  }
  for (const [field, column] of Object.entries(FLAG_COLUMNS)) {
    if (!take(field)) continue;
    const name = field.slice('flags.'.length) as keyof CaseRecord['flags'];
    sets.push(`${column} = ?`);
    values.push(c.flags[name] ? 1 : 0);
    setClock(clocks, field, c.clocks[field]);
  }
  setClock(clocks, 'officerId', c.clocks.officerId);
  sets.push('field_clocks = ?');
  values.push(JSON.stringify(clocks));
  stmt(db, `UPDATE cases SET ${sets.join(', ')} WHERE id = ?`).run(...values, c.id);
  return false;
}

function setClock(clocks: Record<string, string>, field: string, stamp: string | undefined): void {
  if (stamp === undefined) delete clocks[field];
  else clocks[field] = stamp;
}

/** The latest stamp of each case field this device still has to push. */
function pendingFieldStamps(db: LedgerDb, caseId: string): Map<string, string> {
  const rows = stmt<{ kind: string; payload: string; hlc: string }>(
    db,
    `SELECT kind, payload, hlc FROM outbox WHERE case_id = ? AND status = 'pending' ORDER BY mutation_id`,
  ).all(caseId);
  const out = new Map<string, string>();
  for (const r of rows) {
    const p = JSON.parse(r.payload) as Record<string, unknown>;
    if (r.kind === 'case_update') {
      if (p.nextActionDate !== undefined) out.set('nextActionDate', r.hlc);
      const flags = (p.flags ?? {}) as Record<string, unknown>;
      for (const f of Object.keys(flags)) out.set(`flags.${f}`, r.hlc);
    } else if (r.kind === 'fact') {
      if (p.factKind === 'flag_change' && typeof p.flag === 'string')
        out.set(`flags.${p.flag}`, r.hlc);
      if (p.factKind === 'contact' && typeof p.nextActionDate === 'string')
        out.set('nextActionDate', r.hlc);
    }
  }
  return out;
}

function upsertContactPoint(db: LedgerDb, ctx: PageContext, c: ContactPointRecord): boolean {
  const borrower = stmt<number>(db, 'SELECT 1 FROM borrowers WHERE id = ?')
    .pluck()
    .get(c.borrowerId);
  if (!borrower) return false;
  const pending = ctx.pendingContactPoints
    ? stmt<string>(
        db,
        `SELECT hlc FROM outbox WHERE kind = 'contact_point' AND status = 'pending'
           AND json_extract(payload, '$.contactPointId') = ? ORDER BY mutation_id DESC LIMIT 1`,
      )
        .pluck()
        .get(c.id)
    : undefined;
  if (typeof pending === 'string' && compareHlc(c.hlc, pending) < 0) return true;
  stmt(
    db,
    `INSERT INTO contact_points (id, borrower_id, kind, value, party, name, relation, status, field_clocks)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, json_object('record', ?))
     ON CONFLICT (id) DO UPDATE SET borrower_id = excluded.borrower_id, kind = excluded.kind, value = excluded.value,
       party = excluded.party, name = excluded.name, relation = excluded.relation, status = excluded.status,
       field_clocks = excluded.field_clocks`,
  ).run(c.id, c.borrowerId, c.kind, c.value, c.party, c.name, c.relation, c.status, c.hlc);
  return true;
}

function upsertLoan(db: LedgerDb, ctx: PageContext, l: LoanRecord): boolean {
  if (!caseHere(db, ctx, l.caseId)) return false;
  // The snapshot that follows the loan fills snapshot_at / snapshot_as_of.
  stmt(
    db,
    `INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months,
       annual_rate_pct, status, snapshot_at, snapshot_as_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id, borrower_id = excluded.borrower_id,
       loan_no = excluded.loan_no, product = excluded.product, principal_fen = excluded.principal_fen,
       disbursed_on = excluded.disbursed_on, term_months = excluded.term_months, status = excluded.status`,
  ).run(
    l.id,
    l.caseId,
    l.borrowerId,
    l.loanNo,
    l.product,
    l.principalFen,
    l.disbursedOn,
    l.termMonths,
    l.status,
    `${l.disbursedOn}T00:00:00.000Z`,
    l.disbursedOn,
  );
  return true;
}

/**
 * A core-banking snapshot replaces the loan's schedule and what core banking has seen
 * paid. Paid amounts arrive per instalment (no receipt numbers), so each becomes one
 * core repayment dated on its instalment's due date. Returns the loan's case, or null.
 */
function applySnapshot(db: LedgerDb, s: LoanSnapshotRecord): string | null {
  const loan = stmt<{ case_id: string; snapshot_as_of: string; snapshot_seq: number }>(
    db,
    'SELECT case_id, snapshot_as_of, snapshot_seq FROM loans WHERE id = ?',
  ).get(s.loanId);
  if (!loan) return null;
  stmt(
    db,
    'UPDATE loans SET status = ?, snapshot_at = ?, snapshot_as_of = ?, snapshot_seq = snapshot_seq + 1 WHERE id = ?',
  ).run(s.status, s.receivedAt, s.asOf, s.loanId);
  // A loan's first snapshot (snapshot_seq 0) has nothing to replace yet.
  if (loan.snapshot_seq > 0) {
    stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(s.loanId);
    stmt(db, 'DELETE FROM core_repayments WHERE loan_id = ?').run(s.loanId);
  }
  const insertInstalment = stmt(
    db,
    'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen) VALUES (?, ?, ?, ?, ?)',
  );
  const insertRepayment = stmt(
    db,
    `INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no)
     VALUES (?, ?, ?, ?, ?, 'counter', NULL)`,
  );
  for (const i of s.schedule) {
    insertInstalment.run(s.loanId, i.seq, i.dueDate, i.principalFen, i.interestFen);
    if (i.paidFen > 0)
      insertRepayment.run(loan.case_id, s.loanId, `${s.id}:${i.seq}`, i.dueDate, i.paidFen);
  }
  return loan.case_id;
}

type FactResult = 'applied' | 'skipped' | string;

function applyFact(db: LedgerDb, ctx: PageContext, f: SyncFactRecord): FactResult {
  const present = stmt<number>(db, 'SELECT 1 FROM facts WHERE id = ?').pluck().get(f.id);
  if (present) return 'skipped';
  if (!caseHere(db, ctx, f.caseId)) return 'case missing';
  const mapped = factFromSync(db, f, ctx.timezone);
  if ('invalid' in mapped) return mapped.invalid;
  ensureUser(db, ctx, f.recordedBy);
  if ('bare' in mapped) {
    const b = mapped.bare;
    stmt(
      db,
      `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      b.id,
      b.caseId,
      b.kind,
      b.occurredAt,
      b.businessDate,
      b.recordedBy,
      b.deviceId,
      b.hlc,
      JSON.stringify(b.payload),
    );
    return 'applied';
  }
  const fact = mapped.ledger;
  if (fact.kind === 'contact') {
    const p = fact.payload;
    if (p.secondCollectorId) ensureUser(db, ctx, p.secondCollectorId);
    if (
      p.contactPointId &&
      !stmt<number>(db, 'SELECT 1 FROM contact_points WHERE id = ?').pluck().get(p.contactPointId)
    )
      p.contactPointId = null;
  }
  if (fact.kind === 'payment') {
    const loan = stmt<number>(db, 'SELECT 1 FROM loans WHERE id = ?')
      .pluck()
      .get(fact.payload.loanId);
    if (!loan) return 'loan missing';
  }
  insertFact(db, fact);
  return 'applied';
}
