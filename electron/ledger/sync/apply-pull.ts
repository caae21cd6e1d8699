// Applies one page of the server's change feed to the ledger. Every item is an upsert
// keyed by id, so applying a page twice (a retry after a lost answer) changes nothing:
// a fact already present is skipped, which is what keeps each payment exactly once.
// The caller runs this and the cursor write in ONE transaction.
import { businessDate } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
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
import { PULL_ITEM_ORDER, pullItemId } from '../../../shared/sync/records';
import { DEFAULT_PACK_ID } from '../../../shared/policy/built-in-packs';
import type { LedgerDb } from '../db';
import { deriveCase, deriveCases, refreshDerived } from '../derive';
import { insertFact } from '../facts';
import { hlcNodeFor } from '../hlc';
import { readBranch } from '../ledger';
import { getMeta, META, setMeta } from '../meta';
import { ledgerPolicyFor, type LedgerPolicy } from '../policy';
import { insertBorrower, insertCase } from '../seed';
import { namePinyin, routeKey } from '../pinyin';
import { stmt } from '../statements';
import { applyPlanDecision, planDecisionPayload } from '../manager/plan-decision';
import { applyOverrideReview } from '../manager/overrides';
import { applyReassignment, recordReassignmentOnly } from '../manager/reassign';
import {
  factBusinessDate,
  factFromSync,
  type BareFact,
  type DecisionFact,
  type ReassignmentFact,
  type ReviewFact,
} from './fact-from-sync';
import { ensureUserRow, UNASSIGNED_OFFICER_ID } from './placeholders';
import { hasPendingMutations, removeCase } from './remove-case';
import { restoreRefusedFacts } from './refusals';

export interface PageOutcome {
  applied: number;
  /** Facts already on this device (sent twice, or recorded here). */
  skippedFacts: number;
  casesRemoved: number;
  /** Removals waiting for this device's pending mutations on the case to be pushed. */
  removalsDeferred: number;
  /**
   * Items of this page that could not be applied (e.g. a fact whose case this device does
   * not hold yet): kept in sync_pending_items and retried at the end of every later page.
   */
  unapplied: { type: string; id: string; why: string }[];
  /** Items kept from earlier pages that this page let apply. */
  retried: number;
  /** Borrowers whose own, case, contact point or loan rows this page wrote (search text). */
  borrowers: Set<string>;
  /** Cases whose derived state this page may have changed (the cases it inserted among them). */
  touched: Set<string>;
  /** Cases this page inserted (they were not on the device before it). */
  inserted: Set<string>;
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
  /** Any removal waiting (else an arriving case has none to cancel); set when one is added. */
  removalsWaiting: boolean;
  /**
   * Cases this page inserted (PageOutcome.inserted), and the facts of theirs it wrote. Such
   * a case had no facts before the page, so while the page's own items are applied in
   * their first pass a fact of it is new unless this page wrote it already: no lookup in
   * `facts` (a first download holds 10,000). Retries look it up.
   */
  newCases: Set<string>;
  newCaseFacts: Set<string>;
  firstPass: boolean;
  /** Borrowers this page wrote, with the place their cases copy. */
  borrowers: Map<string, { township: string; village: string }>;
  /** Loans this page wrote or read, with their case and how many snapshots they had. */
  loans: Map<string, { caseId: string; snapshotSeq: number }>;
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
  const inserted = new Set<string>();
  const ctx: PageContext = {
    timezone: readBranch(db)?.timezone ?? 'Asia/Shanghai',
    users: new Set(),
    cases: new Set(),
    pendingContactPoints:
      stmt(
        db,
        `SELECT 1 FROM outbox WHERE kind = 'contact_point' AND status = 'pending' LIMIT 1`,
      ).get() !== undefined,
    removalsWaiting: stmt(db, 'SELECT 1 FROM sync_case_removals LIMIT 1').get() !== undefined,
    newCases: inserted,
    newCaseFacts: new Set(),
    firstPass: true,
    borrowers: new Map(),
    loans: new Map(),
  };
  const out: PageOutcome = {
    applied: 0,
    skippedFacts: 0,
    casesRemoved: 0,
    removalsDeferred: 0,
    unapplied: [],
    retried: 0,
    borrowers: new Set(),
    touched: new Set(),
    inserted,
  };
  const touched = out.touched;
  const deviceId = getMeta(db, META.deviceId);
  const clock = deviceId
    ? new HybridLogicalClock(hlcNodeFor(deviceId), getMeta(db, META.hlcLast))
    : null;
  // The clock takes the page's latest stamp once, at the end: stamps compare as strings,
  // and moving past the latest moves past them all (a first sync sees ~30,000).
  let latestStamp: string | null = null;
  const seeStamp = (stamp: string): void => {
    if (latestStamp === null || stamp > latestStamp) latestStamp = stamp;
  };

  const apply = (item: PullItem): string | null =>
    applyItem(db, ctx, item, nowMs, out, touched, seeStamp);
  const parked: { item: PullItem; why: string }[] = [];
  for (const item of dependencyOrder(items)) {
    const why = apply(item);
    if (why === null) out.applied++;
    else parked.push({ item, why });
  }
  ctx.firstPass = false;
  // Items parked by earlier pages may find what they needed in this one; then this page's
  // own leftovers are parked for the next. Same transaction as the page and its cursor.
  out.retried = retryPending(db, apply);
  for (const p of parked) {
    // An item parked this page may have been applied by the retry pass (its parent came
    // later in this page): that pass only retried stored items, so try once more.
    const why = apply(p.item);
    if (why === null) {
      out.applied++;
      continue;
    }
    parkItem(db, p.item, why, nowMs);
    out.unapplied.push({ type: p.item.type, id: pullItemId(p.item), why });
  }

  // A case that came back brings its refused facts back to its timeline (refusals.ts).
  restoreRefusedFacts(db);
  // Later local stamps must sort after everything seen from other devices.
  if (clock && latestStamp !== null) {
    clock.receive(latestStamp, nowMs);
    setMeta(db, META.hlcLast, clock.current());
  }
  if (!options.deferDerive) rederive(db, touched, nowMs);
  return out;
}

/** Applies one item; null when applied (or already here), else why it could not be. */
function applyItem(
  db: LedgerDb,
  ctx: PageContext,
  item: PullItem,
  nowMs: number,
  out: PageOutcome,
  touched: Set<string>,
  seeStamp: (stamp: string) => void,
): string | null {
  switch (item.type) {
    case 'branch':
      upsertBranch(db, item.branch);
      ctx.timezone = readBranch(db)?.timezone ?? ctx.timezone;
      return null;
    case 'user':
      upsertUser(db, item.user);
      ctx.users.delete(item.user.id);
      return null;
    case 'borrower':
      upsertBorrower(db, ctx, item.borrower);
      out.borrowers.add(item.borrower.id);
      return null;
    case 'case': {
      const added = upsertCase(db, ctx, item.case);
      if (added === null) return 'borrower missing';
      out.borrowers.add(item.case.borrowerId);
      if (added) ctx.newCases.add(item.case.id);
      for (const stamp of Object.values(item.case.clocks)) seeStamp(stamp);
      touched.add(item.case.id);
      return null;
    }
    case 'case_removed':
      touched.delete(item.caseId);
      ctx.cases.delete(item.caseId);
      ctx.newCases.delete(item.caseId);
      if (hasPendingMutations(db, item.caseId)) {
        stmt(
          db,
          'INSERT OR IGNORE INTO sync_case_removals (case_id, requested_at) VALUES (?, ?)',
        ).run(item.caseId, new Date(nowMs).toISOString());
        ctx.removalsWaiting = true;
        out.removalsDeferred++;
      } else if (removeCase(db, item.caseId)) {
        out.casesRemoved++;
        // Its loans (and a borrower left without cases) went with it.
        ctx.loans.clear();
        ctx.borrowers.clear();
      }
      return null;
    case 'contact_point':
      if (!upsertContactPoint(db, ctx, item.contactPoint)) return 'borrower missing';
      out.borrowers.add(item.contactPoint.borrowerId);
      seeStamp(item.contactPoint.hlc);
      return null;
    case 'loan':
      if (!upsertLoan(db, ctx, item.loan)) return 'case missing';
      out.borrowers.add(item.loan.borrowerId);
      touched.add(item.loan.caseId);
      return null;
    case 'loan_snapshot': {
      const caseId = applySnapshot(db, ctx, item.snapshot);
      if (caseId === null) return 'loan missing';
      touched.add(caseId);
      return null;
    }
    case 'fact': {
      const result = applyFact(db, ctx, item.fact);
      if (result === 'skipped') {
        out.skippedFacts++;
        return null;
      }
      if (result !== 'applied') return result;
      seeStamp(item.fact.hlc);
      touched.add(item.fact.caseId);
      return null;
    }
  }
}

function itemCase(item: PullItem): string | null {
  switch (item.type) {
    case 'case':
      return item.case.id;
    case 'loan':
      return item.loan.caseId;
    case 'fact':
      return item.fact.caseId;
    default:
      return null;
  }
}

/** Keeps an item for the next pages (a newer version of the same item replaces it). */
function parkItem(db: LedgerDb, item: PullItem, why: string, nowMs: number): void {
  stmt(
    db,
    `INSERT INTO sync_pending_items (item_key, case_id, item, why, first_seen_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (item_key) DO UPDATE SET item = excluded.item, why = excluded.why, attempts = attempts + 1`,
  ).run(
    `${item.type}:${pullItemId(item)}`,
    itemCase(item),
    JSON.stringify(item),
    why,
    new Date(nowMs).toISOString(),
  );
}

/**
 * Retries every parked item, parents first, until a pass applies nothing more (a reversal
 * waiting for a payment that itself waited for its loan). Returns how many were applied.
 */
function retryPending(db: LedgerDb, apply: (item: PullItem) => string | null): number {
  let applied = 0;
  for (;;) {
    const rows = stmt<{ item_key: string; item: string }>(
      db,
      'SELECT item_key, item FROM sync_pending_items ORDER BY first_seen_at, item_key',
    ).all();
    if (rows.length === 0) return applied;
    const parsed = rows.map((r) => ({ key: r.item_key, item: JSON.parse(r.item) as PullItem }));
    const ordered = [...parsed].sort(
      (a, b) => PULL_ITEM_ORDER[a.item.type] - PULL_ITEM_ORDER[b.item.type],
    );
    let now = 0;
    for (const p of dependencyOrder(ordered.map((o) => o.item))) {
      const key = `${p.type}:${pullItemId(p)}`;
      const why = apply(p);
      if (why === null) {
        stmt(db, 'DELETE FROM sync_pending_items WHERE item_key = ?').run(key);
        now++;
      } else {
        stmt(
          db,
          'UPDATE sync_pending_items SET why = ?, attempts = attempts + 1 WHERE item_key = ?',
        ).run(why, key);
      }
    }
    applied += now;
    if (now === 0) return applied;
  }
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

/** Re-derives these cases (after a refusal took a fact's effect out). */
export function rederiveCases(db: LedgerDb, caseIds: Set<string>, nowMs: number): void {
  rederive(db, caseIds, nowMs);
}

/** Re-derives every case (the end of a first download). */
export function rederiveAll(db: LedgerDb, nowMs: number): void {
  rederive(db, null, nowMs);
}

/** What cases are derived with: the ledger's business date (else today in the branch) and policy. */
export interface Derivation {
  asOf: IsoDate;
  policy: LedgerPolicy;
}

/** The Derivation of this ledger now, or null before its branch is known. */
export function derivation(db: LedgerDb, nowMs: number): Derivation | null {
  const branch = readBranch(db);
  if (!branch) return null;
  return {
    asOf: getMeta(db, META.derivedAsOf) ?? businessDate(new Date(nowMs), branch.timezone),
    policy: ledgerPolicyFor(branch.policyPackId),
  };
}

/**
 * Derives these cases with `d` in id-ordered sweeps (a first download's page derives the
 * cases it brought whole). Does not move meta.derived_as_of: the caller does, once every
 * case is derived for that date.
 */
export function deriveCasesFor(db: LedgerDb, caseIds: Iterable<string>, d: Derivation): void {
  const ordered = stmt<string>(db, 'SELECT value FROM json_each(?) ORDER BY value')
    .pluck()
    .all(JSON.stringify([...caseIds]));
  deriveCases(db, ordered, d.asOf, d.policy);
}

function rederive(db: LedgerDb, touched: Set<string> | null, nowMs: number): void {
  if (touched?.size === 0) return;
  const d = derivation(db, nowMs);
  if (!d) return;
  const { asOf, policy } = d;
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

function upsertBorrower(db: LedgerDb, ctx: PageContext, b: BorrowerRecord): void {
  const exists =
    ctx.borrowers.has(b.id) ||
    stmt<number>(db, 'SELECT 1 FROM borrowers WHERE id = ?').pluck().get(b.id) === 1;
  ctx.borrowers.set(b.id, { township: b.township, village: b.village });
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

/** `cache`'s entry for `key`, else what `read` finds, kept for the rest of the page. */
function remembered<T>(
  cache: Map<string, T>,
  key: string,
  read: () => T | undefined,
): T | undefined {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const found = read();
  if (found !== undefined) cache.set(key, found);
  return found;
}

/** The borrower's place (what its cases copy), or undefined when not on the device. */
function borrowerPlace(
  db: LedgerDb,
  ctx: PageContext,
  borrowerId: string,
): { township: string; village: string } | undefined {
  return remembered(ctx.borrowers, borrowerId, () =>
    stmt<{ township: string; village: string }>(
      db,
      'SELECT township, village FROM borrowers WHERE id = ?',
    ).get(borrowerId),
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
  const borrower = borrowerPlace(db, ctx, c.borrowerId);
  if (!borrower) return null;
  const officerId = c.officerId ?? UNASSIGNED_OFFICER_ID;
  ensureUser(db, ctx, officerId);
  if (ctx.removalsWaiting) stmt(db, 'DELETE FROM sync_case_removals WHERE case_id = ?').run(c.id);
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
      // The same date as businessDate, with the zone's offset looked up once per hour.
      openedOn: factBusinessDate(c.updatedAt, ctx.timezone),
      officerId,
      flags: c.flags,
      nextActionDate: c.nextActionDate,
      status: c.status,
      fieldClocks: JSON.stringify(c.clocks),
    });
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
  if (!borrowerPlace(db, ctx, c.borrowerId)) return false;
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
  const row = stmt<{ snapshot_seq: number }>(
    db,
    `INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months,
       annual_rate_pct, status, snapshot_at, snapshot_as_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id, borrower_id = excluded.borrower_id,
       loan_no = excluded.loan_no, product = excluded.product, principal_fen = excluded.principal_fen,
       disbursed_on = excluded.disbursed_on, term_months = excluded.term_months, status = excluded.status
     RETURNING snapshot_seq`,
  ).get(
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
  if (row) ctx.loans.set(l.id, { caseId: l.caseId, snapshotSeq: row.snapshot_seq });
  return true;
}

/** The loan's case and snapshot count, or undefined when the loan is not on the device. */
function loanHere(
  db: LedgerDb,
  ctx: PageContext,
  loanId: string,
): { caseId: string; snapshotSeq: number } | undefined {
  return remembered(ctx.loans, loanId, () => {
    const row = stmt<{ case_id: string; snapshot_seq: number }>(
      db,
      'SELECT case_id, snapshot_seq FROM loans WHERE id = ?',
    ).get(loanId);
    return row && { caseId: row.case_id, snapshotSeq: row.snapshot_seq };
  });
}

/**
 * A core-banking snapshot replaces the loan's schedule and what core banking has seen
 * paid. Paid amounts arrive per instalment (no receipt numbers), so each becomes one
 * core repayment dated on its instalment's due date. Returns the loan's case, or null.
 */
function applySnapshot(db: LedgerDb, ctx: PageContext, s: LoanSnapshotRecord): string | null {
  const loan = loanHere(db, ctx, s.loanId);
  if (!loan) return null;
  stmt(
    db,
    'UPDATE loans SET status = ?, snapshot_at = ?, snapshot_as_of = ?, snapshot_seq = snapshot_seq + 1 WHERE id = ?',
  ).run(s.status, s.receivedAt, s.asOf, s.loanId);
  const replaces = loan.snapshotSeq > 0;
  loan.snapshotSeq++;
  // A loan's first snapshot (snapshot_seq 0) has nothing to replace yet.
  if (replaces) {
    stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(s.loanId);
    stmt(db, 'DELETE FROM core_repayments WHERE loan_id = ?').run(s.loanId);
  }
  // A first sync writes ~27,000 instalments: one statement per schedule (rows in one
  // VALUES list, a statement per row count, prepared once) instead of one per row.
  const instalments: unknown[] = [];
  const repayments: unknown[] = [];
  for (const i of s.schedule) {
    instalments.push(s.loanId, i.seq, i.dueDate, i.principalFen, i.interestFen);
    if (i.paidFen > 0)
      repayments.push(loan.caseId, s.loanId, `${s.id}:${i.seq}`, i.dueDate, i.paidFen);
  }
  insertRows(
    db,
    'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen) VALUES',
    '(?, ?, ?, ?, ?)',
    instalments,
  );
  insertRows(
    db,
    'INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no) VALUES',
    "(?, ?, ?, ?, ?, 'counter', NULL)",
    repayments,
  );
  return loan.caseId;
}

/** Rows per statement at most (SQLite allows 32,766 parameters; 64 rows of 5 is 320). */
const ROWS_PER_INSERT = 64;

/** Inserts `values` (row after row, `row`'s parameters each) in statements of many rows. */
export function insertRows(
  db: LedgerDb,
  head: string,
  row: string,
  values: readonly unknown[],
): void {
  const width = row.split('?').length - 1;
  const rows = values.length / width;
  for (let from = 0; from < rows; from += ROWS_PER_INSERT) {
    const n = Math.min(ROWS_PER_INSERT, rows - from);
    const sql = `${head} ${Array.from({ length: n }, () => row).join(', ')}`;
    stmt(db, sql).run(...values.slice(from * width, (from + n) * width));
  }
}

type FactResult = 'applied' | 'skipped' | string;

function applyFact(db: LedgerDb, ctx: PageContext, f: SyncFactRecord): FactResult {
  const knownNew = ctx.firstPass && ctx.newCases.has(f.caseId) && !ctx.newCaseFacts.has(f.id);
  if (knownNew) ctx.newCaseFacts.add(f.id);
  else if (stmt<number>(db, 'SELECT 1 FROM facts WHERE id = ?').pluck().get(f.id) === 1)
    return 'skipped';
  if (!caseHere(db, ctx, f.caseId)) return 'case missing';
  const mapped = factFromSync(db, f, ctx.timezone);
  if ('invalid' in mapped) return mapped.invalid;
  ensureUser(db, ctx, f.recordedBy);
  if ('bare' in mapped) {
    insertFactRow(db, mapped.bare);
    return 'applied';
  }
  if ('applied' in mapped) return applyCommandFact(db, ctx, mapped.applied, f.flags);
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
  if (
    (fact.kind === 'payment' || fact.kind === 'plan_proposal') &&
    !loanHere(db, ctx, fact.payload.loanId)
  )
    return 'loan missing';
  // Taken here by a payment or reversal still waiting for the server's answer: the server
  // keeps one; this device's is withdrawn when refused (refusals.ts), then this applies.
  if (
    fact.kind === 'payment' &&
    stmt<number>(db, 'SELECT 1 FROM payments WHERE receipt_no = ?')
      .pluck()
      .get(fact.payload.receiptNo) === 1
  )
    return 'receipt used on this device, awaiting the server';
  if (
    fact.kind === 'payment_reversal' &&
    stmt<number>(db, 'SELECT 1 FROM payment_reversals WHERE reverses_fact_id = ?')
      .pluck()
      .get(fact.payload.reversesFactId) === 1
  )
    return 'payment reversed on this device, awaiting the server';
  insertFact(db, fact);
  return 'applied';
}

function insertFactRow(db: LedgerDb, b: Omit<BareFact, 'payload'> & { payload: unknown }): void {
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
}

/**
 * Plan decisions, reassignments and override reviews from another device change the
 * ledger exactly as the manager's command did on that device: the same apply function
 * (side row, the loan's schedule, the case's officer), written in this page's transaction.
 * Each is idempotent through its fact id (or, for a review, the one review per override).
 */
function applyCommandFact(
  db: LedgerDb,
  ctx: PageContext,
  f: DecisionFact | ReassignmentFact | ReviewFact,
  flags: readonly string[],
): FactResult {
  switch (f.kind) {
    case 'plan_decision': {
      const proposal = stmt<{ loan_id: string; decided: string | null }>(
        db,
        `SELECT pp.loan_id, (SELECT fact_id FROM plan_decisions d WHERE d.proposal_fact_id = pp.fact_id) AS decided
         FROM plan_proposals pp WHERE pp.fact_id = ?`,
      ).get(f.proposalFactId);
      if (!proposal) return 'plan proposal missing';
      // Decided here too, by a decision still waiting for the server's answer: the server
      // keeps one, and a refused local decision is undone (refusals.ts); retried then.
      if (proposal.decided !== null) return 'plan decided on this device, awaiting the server';
      const payload = planDecisionPayload(
        f.proposalFactId,
        proposal.loan_id,
        f.decision,
        f.comment,
        f.businessDate,
      );
      insertFactRow(db, { ...f, payload });
      applyPlanDecision(db, {
        decisionFactId: f.id,
        caseId: f.caseId,
        decidedAt: f.occurredAt,
        payload,
      });
      return 'applied';
    }
    case 'reassignment': {
      const fromOfficerId =
        f.fromOfficerId ??
        stmt<string>(
          db,
          'SELECT to_officer_id FROM case_reassignments WHERE case_id = ? ORDER BY at DESC LIMIT 1',
        )
          .pluck()
          .get(f.caseId) ??
        UNASSIGNED_OFFICER_ID;
      ensureUser(db, ctx, f.toOfficerId);
      const payload = { fromOfficerId, toOfficerId: f.toOfficerId, reason: f.reason };
      insertFactRow(db, { ...f, payload });
      const record = {
        factId: f.id,
        caseId: f.caseId,
        fromOfficerId,
        toOfficerId: f.toOfficerId,
        businessDate: f.businessDate,
        at: f.occurredAt,
        reason: f.reason,
        hlc: f.hlc,
      };
      // A superseded reassignment is history only: the case stays where the server has it.
      if (flags.includes('superseded')) recordReassignmentOnly(db, record);
      else applyReassignment(db, record);
      return 'applied';
    }
    case 'override_review': {
      const override = stmt<string>(db, 'SELECT case_id FROM overrides WHERE contact_fact_id = ?')
        .pluck()
        .get(f.contactFactId);
      if (override === undefined) return 'override missing';
      const reviewed = stmt<number>(db, 'SELECT 1 FROM override_reviews WHERE override_fact_id = ?')
        .pluck()
        .get(f.contactFactId);
      if (reviewed === 1) {
        // Reviewed here too, by a review still waiting for the server: kept until answered.
        const mine = stmt<number>(
          db,
          `SELECT 1 FROM outbox WHERE status = 'pending' AND kind = 'fact'
             AND json_extract(payload, '$.factKind') = 'override_review'
             AND json_extract(payload, '$.contactFactId') = ? LIMIT 1`,
        )
          .pluck()
          .get(f.contactFactId);
        return mine === 1 ? 'override reviewed on this device, awaiting the server' : 'skipped';
      }
      applyOverrideReview(db, {
        overrideFactId: f.contactFactId,
        caseId: override,
        reviewedAt: f.occurredAt,
        reviewedOn: f.businessDate,
        reviewedBy: f.recordedBy,
        comment: f.comment,
      });
      return 'applied';
    }
  }
}
