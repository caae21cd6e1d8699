// Reads of the dashboard kept in memory between calls, each under a stamp that changes
// whenever what it was read from may have changed; a changed stamp reads afresh. The
// cached values are the same rows a fresh read gives (test/manager/dashboard-cache.test.ts).
//
// Stamps:
// - other connections: SQLite's data_version (bumped by any other connection's commit);
// - case removal (sync): the count of cases (a removal deletes the case row);
// - loan positions: a generation this process bumps whenever loan-positions.ts writes
//   them. Every change of money, schedule or officer marks its case dirty (triggers of
//   0007) and the dashboard refreshes the positions before reading, so the generation
//   also moves with every payment, reversal and core-banking repayment. Each generation
//   records which cases it rewrote, so today's loan rows and the promise statuses are
//   patched for those cases only (cachedOrUpdated) instead of read whole;
// - a closed day's snapshot rows: written once (loan_snapshot_days.written_at);
// - promises: the count and newest fact id of the period's promises (promises are facts:
//   appended, or deleted by a refusal or a case removal);
// - everything on this connection: total_changes() (the whole-input memo only).
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

interface Slot {
  stamp: string;
  value: unknown;
}

const caches = new WeakMap<LedgerDb, Map<string, Slot>>();
const generations = new WeakMap<LedgerDb, number>();
/** Per db: a handful of keys (two snapshot dates, a period, a few officer scopes). */
const MAX_SLOTS = 24;

/**
 * Per db, the cases whose position rows each recent generation rewrote ('all': every
 * row, a rebuild). Kept for the last MAX_CHANGES generations: a kept read older than that
 * is read afresh.
 */
const changeLogs = new WeakMap<LedgerDb, Map<number, ReadonlySet<string> | 'all'>>();
const MAX_CHANGES = 64;

/**
 * Called by loan-positions.ts after any write to dashboard_loan_positions, with the cases
 * whose rows it rewrote ('all' when it rewrote the table).
 */
export function bumpPositionsGeneration(db: LedgerDb, changed: readonly string[] | 'all'): void {
  const generation = (generations.get(db) ?? 0) + 1;
  generations.set(db, generation);
  let log = changeLogs.get(db);
  if (!log) changeLogs.set(db, (log = new Map()));
  log.set(generation, changed === 'all' ? 'all' : new Set(changed));
  if (log.size > MAX_CHANGES) log.delete(log.keys().next().value as number);
}

/**
 * The cases whose position rows changed after generation `since` (empty when none); null
 * when a rebuild happened since, or the log no longer reaches back that far.
 */
export function positionsChangedSince(db: LedgerDb, since: number): ReadonlySet<string> | null {
  const now = generations.get(db) ?? 0;
  if (since === now) return new Set();
  if (since > now) return null;
  const log = changeLogs.get(db);
  const out = new Set<string>();
  for (let g = since + 1; g <= now; g++) {
    const changed = log?.get(g);
    if (changed === undefined || changed === 'all') return null;
    for (const id of changed) out.add(id);
  }
  return out;
}

/** Past this many changed cases a kept read is read again whole rather than patched. */
export const INCREMENTAL_CASES = 2000;

/**
 * The cases whose position rows changed after generation `since` when a kept read can be
 * patched for them (empty: nothing changed); null when it must be read again whole (no
 * generation, a rebuild since, a log that no longer reaches back, or more than
 * INCREMENTAL_CASES cases).
 */
export function casesToPatch(db: LedgerDb, since: number | null): ReadonlySet<string> | null {
  if (since === null) return null;
  const changed = positionsChangedSince(db, since);
  return changed === null || changed.size > INCREMENTAL_CASES ? null : changed;
}

/**
 * Told before and after refreshPositions rewrites the rows of a few cases on `asOf`, inside
 * a transaction (`generation`: the one the rewrite is recorded under), and when a
 * transaction that began with positionsTransaction('begin') committed ('commit'; one
 * that rolled back is never told). Kept sums use it to take those cases' old rows out and
 * their new rows in (snapshot-figures.ts), once the rewrite is committed.
 */
export interface PositionsRewriteListener {
  before(db: LedgerDb, asOf: string, caseIds: readonly string[], generation: number): void;
  after(db: LedgerDb, asOf: string, caseIds: readonly string[], generation: number): void;
  transaction(db: LedgerDb, phase: 'begin' | 'commit'): void;
}
const rewriteListeners: PositionsRewriteListener[] = [];
export function onPositionsRewrite(listener: PositionsRewriteListener): void {
  rewriteListeners.push(listener);
}
/** Called by loan-positions.ts around the rewrite of `caseIds`' rows. */
export function positionsRewriting(
  phase: 'before' | 'after',
  db: LedgerDb,
  asOf: string,
  caseIds: readonly string[],
): void {
  // writePositions bumps the generation between the two calls.
  const generation = positionsGeneration(db) + (phase === 'before' ? 1 : 0);
  for (const l of rewriteListeners) l[phase](db, asOf, caseIds, generation);
}
/**
 * `fn` in its own immediate transaction, the listeners told when it began and after it
 * committed. Inside another transaction (which may still roll back) `fn` just runs.
 */
export function positionsTransaction<T>(db: LedgerDb, fn: () => T): T {
  // Nested: a savepoint, as db.transaction gives inside a transaction.
  if (db.inTransaction) return db.transaction(fn).immediate();
  for (const l of rewriteListeners) l.transaction(db, 'begin');
  const result = db.transaction(fn).immediate();
  for (const l of rewriteListeners) l.transaction(db, 'commit');
  return result;
}

export function positionsGeneration(db: LedgerDb): number {
  return generations.get(db) ?? 0;
}

/** Other connections' commits and case removals. */
export function baseStamp(db: LedgerDb): string {
  const cases = stmt<number>(db, 'SELECT count(*) FROM cases').pluck().get() ?? 0;
  return `${String(db.pragma('data_version', { simple: true }))}:${cases}`;
}

/** Any change through this connection or another one. */
export function ledgerChangeStamp(db: LedgerDb): string {
  const changes = stmt<number>(db, 'SELECT total_changes()').pluck().get();
  return `${changes}:${String(db.pragma('data_version', { simple: true }))}:g${positionsGeneration(db)}`;
}

/**
 * The promises of a period (made in it, or falling due in it): their count and newest
 * fact id, counted over those date ranges of the covering indexes only, not over every
 * promise the ledger holds (~100,000 on a branch of 50,000 cases).
 */
export function promisesStamp(db: LedgerDb, from: string, to: string): string {
  // Count and newest id in one pass over each range (two aggregates of one scan).
  const row = stmt<[string, string]>(
    db,
    `SELECT (SELECT count(*) || ':' || ifnull(max(fact_id), '')
               FROM promises INDEXED BY promises_made_on_cover
              WHERE made_on >= @from AND made_on <= @to),
            (SELECT count(*) || ':' || ifnull(max(fact_id), '')
               FROM promises INDEXED BY promises_due_date_cover
              WHERE due_date >= @from AND due_date <= @to AND made_on < @from)`,
  )
    .raw()
    .get({ from, to });
  return `${row?.[0] ?? ''}:${row?.[1] ?? ''}`;
}

/**
 * The value kept under `key` when its stamp is still `stamp`, else `read()` kept anew.
 * Inside a transaction nothing is kept (the transaction may still roll back). A stamp
 * given as a function is taken only when a value is kept to compare with, and after a
 * read: with nothing kept (after a restart) a stamp that reads what `read` reads anyway
 * does not read it cold first. Nothing is written between the read and the stamp (one
 * synchronous call), so the stamp is that of what was read.
 */
export function cached<T>(
  db: LedgerDb,
  key: string,
  stamp: string | (() => string),
  read: () => T,
): T {
  if (db.inTransaction || bypassed.has(db)) return read();
  const stampNow = typeof stamp === 'string' ? (): string => stamp : stamp;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit !== undefined && hit.stamp === stampNow()) return hit.value as T;
  const value = read();
  cache.delete(key);
  cache.set(key, { stamp: stampNow(), value });
  if (cache.size > MAX_SLOTS) cache.delete(cache.keys().next().value as string);
  return value;
}

/**
 * Like cached(), but a kept value under another stamp is first offered to
 * `update(previous, previousStamp)`, which returns the value for `stamp` derived from it
 * (reading only what changed), or null when it cannot (then `read()`).
 */
export function cachedOrUpdated<T>(
  db: LedgerDb,
  key: string,
  stamp: string,
  read: () => T,
  update: (previous: T, previousStamp: string) => T | null,
): T {
  if (db.inTransaction || bypassed.has(db)) return read();
  const hit = caches.get(db)?.get(key);
  if (hit === undefined || hit.stamp === stamp) return cached(db, key, stamp, read);
  const updated = update(hit.value as T, hit.stamp);
  return cached(db, key, stamp, updated === null ? read : () => updated);
}

/**
 * The positions generation in a kept stamp written as `${fixed}|${generation}`, or null
 * when its fixed part is not `fixed` (another base or day: the value cannot be patched).
 */
export function keptGeneration(previousStamp: string, fixed: string): number | null {
  const cut = previousStamp.lastIndexOf('|');
  return previousStamp.slice(0, cut) === fixed ? Number(previousStamp.slice(cut + 1)) : null;
}

const bypassed = new WeakSet<LedgerDb>();

/** Runs `fn` with every read of `db` fresh and nothing kept (tests compare the two). */
export function withoutDashboardCache<T>(db: LedgerDb, fn: () => T): T {
  bypassed.add(db);
  try {
    return fn();
  } finally {
    bypassed.delete(db);
  }
}

/** A filtered copy kept per source array and key, so equal inputs stay the same object. */
const filtered = new WeakMap<readonly object[], Map<string, readonly object[]>>();
export function filteredOnce<T extends object>(
  rows: readonly T[],
  key: string,
  keep: (row: T) => boolean,
): readonly T[] {
  let byKey = filtered.get(rows);
  if (!byKey) filtered.set(rows, (byKey = new Map()));
  let out = byKey.get(key) as readonly T[] | undefined;
  if (out === undefined) byKey.set(key, (out = rows.filter(keep)));
  return out;
}
