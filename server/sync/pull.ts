// GET /v1/sync/pull: what changed since the device's cursor, filtered to what its
// signed-in user may see (partial replication).
//
// A first sync (no cursor) walks the visible cases by id and sends each whole (the
// "snapshot"), then continues with the feed from the counter noted when it began. After
// that, pages come from the change feed in seq order. Each item is the entity's current
// state, so a row that changed five times is sent once.
//
// Who sees what (every rule applies to the signed-in user of the request):
//   officer: cases assigned to them; a case moved to them arrives whole; a case moved
//            away arrives as 'case_removed'.
//   manager: every case of their branch.   admin: every case.
//   everyone: the users of the device's branch (offline sign-in) and their branch.
import type { UserRole } from '../../shared/domain/types';
import { PULL_ITEM_ORDER, pullItemId, type PullItem } from '../../shared/sync/records';
import type { PullResponse } from '../../shared/sync/protocol';
import type { Database, Queryable, SqlParam } from '../db/database';
import { ServerError } from '../errors';
import { branchDirectory, directoryUsersById } from '../model/users';
import type { ChangeEntity } from './change-feed';
import { decodeCursor, encodeCursor, type PullCursor } from './cursor';
import {
  loadBorrowers,
  loadBranches,
  loadCases,
  loadContactPoints,
  loadContactPointsOfBorrowers,
  loadFacts,
  loadLatestSnapshots,
  loadLoans,
  loadSnapshots,
} from './records-load';

export interface PullScope {
  userId: string;
  role: UserRole;
  userBranchId: string | null;
  deviceId: string;
  deviceBranchId: string | null;
}

/** Items a case brings, reckoned for page sizes (a first sync's chunks use the same figure). */
const BUNDLE_ITEMS = 8;

function itemKey(item: PullItem): string {
  return `${item.type}:${pullItemId(item)}`;
}

/** Collects items once each and hands them out parents first. */
class PageItems {
  private readonly byKey = new Map<string, PullItem>();

  add(item: PullItem): void {
    this.byKey.set(itemKey(item), item);
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): PullItem[] {
    return [...this.byKey.values()].sort((a, b) => PULL_ITEM_ORDER[a.type] - PULL_ITEM_ORDER[b.type]);
  }
}

/** Everything a device holds for these cases: the case, its borrower and contact points, loans, latest snapshots, facts. */
async function addCaseBundles(
  q: Queryable,
  caseIds: readonly string[],
  page: PageItems,
): Promise<void> {
  if (caseIds.length === 0) return;
  const cases = await loadCases(q, caseIds);
  const borrowerIds = [...new Set(cases.map((c) => c.borrowerId))];
  // One after another: a transaction is one connection, and pg runs its queries in turn anyway.
  const borrowers = await loadBorrowers(q, borrowerIds);
  const contactPoints = await loadContactPointsOfBorrowers(q, borrowerIds);
  const loans = await loadLoans(q, caseIds, 'case_id');
  const facts = await loadFacts(q, caseIds, 'case_id');
  const snapshots = await loadLatestSnapshots(
    q,
    loans.map((l) => l.id),
  );
  for (const borrower of borrowers) page.add({ type: 'borrower', borrower });
  for (const c of cases) page.add({ type: 'case', case: c });
  for (const contactPoint of contactPoints) page.add({ type: 'contact_point', contactPoint });
  for (const loan of loans) page.add({ type: 'loan', loan });
  for (const snapshot of snapshots) page.add({ type: 'loan_snapshot', snapshot });
  for (const fact of facts) page.add({ type: 'fact', fact });
}

async function addDirectory(q: Queryable, scope: PullScope, page: PageItems): Promise<void> {
  const branches =
    scope.role === 'admin'
      ? await loadBranches(q, 'all')
      : await loadBranches(q, scope.userBranchId ? [scope.userBranchId] : []);
  for (const branch of branches) page.add({ type: 'branch', branch });
  for (const user of await branchDirectory(q, scope.deviceBranchId))
    page.add({ type: 'user', user });
}

function caseScope(scope: PullScope, firstParam: number): { sql: string; params: SqlParam[] } {
  switch (scope.role) {
    case 'admin':
      return { sql: 'true', params: [] };
    case 'manager':
      return { sql: `branch_id = $${firstParam}`, params: [scope.userBranchId] };
    case 'officer':
      return { sql: `officer_id = $${firstParam}`, params: [scope.userId] };
  }
}

/** Which change rows a user may see; parameters $3.. (after seq and limit). */
function feedScope(scope: PullScope): { sql: string; params: SqlParam[] } {
  const directory = `(case_id is null and ((entity = 'user' and branch_id is not distinct from $3) or (entity = 'branch' and branch_id = $4)))`;
  const base: SqlParam[] = [scope.deviceBranchId, scope.userBranchId];
  switch (scope.role) {
    case 'admin':
      return { sql: `(case_id is not null or entity = 'branch' or ${directory})`, params: base };
    case 'manager':
      return { sql: `((case_id is not null and branch_id = $4) or ${directory})`, params: base };
    case 'officer':
      return {
        sql: `(officer_id = $5 or prev_officer_id = $5 or ${directory})`,
        params: [...base, scope.userId],
      };
  }
}

interface ChangeRowRead {
  seq: number;
  entity: ChangeEntity;
  entity_id: string;
  change_kind: 'upsert' | 'assignment' | 'bundle';
  case_id: string | null;
  officer_id: string | null;
  prev_officer_id: string | null;
  origin_device_id: string | null;
}

async function addFeedRows(
  q: Queryable,
  scope: PullScope,
  rows: readonly ChangeRowRead[],
  page: PageItems,
): Promise<void> {
  const wanted = new Map<ChangeEntity, Set<string>>();
  const caseOf = new Map<string, string>(); // entity key -> case id, to drop what a removed case owned
  const removed = new Set<string>();
  const expand = new Set<string>();
  for (const row of rows) {
    if (scope.role === 'officer' && row.change_kind === 'assignment' && row.case_id) {
      if (row.officer_id === scope.userId) {
        expand.add(row.case_id);
        removed.delete(row.case_id);
      } else if (row.prev_officer_id === scope.userId) {
        removed.add(row.case_id);
        expand.delete(row.case_id);
      }
      continue;
    }
    // A whole case (a portfolio import writes one row per case it creates), sent as it is now.
    if (row.change_kind === 'bundle' && row.case_id) {
      if (!removed.has(row.case_id)) expand.add(row.case_id);
      continue;
    }
    // A device already holds what it pushed and won with; it learns the rest from the push answer.
    if (row.origin_device_id === scope.deviceId) continue;
    let set = wanted.get(row.entity);
    if (!set) wanted.set(row.entity, (set = new Set()));
    set.add(row.entity_id);
    if (row.case_id) caseOf.set(`${row.entity}:${row.entity_id}`, row.case_id);
  }
  const ids = (entity: ChangeEntity) => [...(wanted.get(entity) ?? [])];
  const branches = await loadBranches(q, ids('branch'));
  const users = await directoryUsersById(q, ids('user'));
  const cases = await loadCases(q, ids('case'));
  const borrowers = await loadBorrowers(q, ids('borrower'));
  const contactPoints = await loadContactPoints(q, ids('contact_point'));
  const loans = await loadLoans(q, ids('loan'));
  const snapshots = await loadSnapshots(q, ids('loan_snapshot'));
  const facts = await loadFacts(q, ids('fact'));
  const keep = (entity: ChangeEntity, id: string) => {
    const caseId = caseOf.get(`${entity}:${id}`);
    return !(caseId && removed.has(caseId));
  };
  for (const branch of branches) page.add({ type: 'branch', branch });
  for (const user of users) page.add({ type: 'user', user });
  for (const borrower of borrowers)
    if (keep('borrower', borrower.id)) page.add({ type: 'borrower', borrower });
  for (const c of cases) if (keep('case', c.id)) page.add({ type: 'case', case: c });
  for (const contactPoint of contactPoints)
    if (keep('contact_point', contactPoint.id)) page.add({ type: 'contact_point', contactPoint });
  for (const loan of loans) if (keep('loan', loan.id)) page.add({ type: 'loan', loan });
  for (const snapshot of snapshots)
    if (keep('loan_snapshot', snapshot.id)) page.add({ type: 'loan_snapshot', snapshot });
  for (const fact of facts) if (keep('fact', fact.id)) page.add({ type: 'fact', fact });
  await addCaseBundles(q, [...expand], page);
  for (const caseId of removed) page.add({ type: 'case_removed', caseId });
}

function resync(message: string): ServerError {
  return new ServerError(
    'resync_required',
    `${message}; start again without a cursor (pending changes on the device are kept)`,
  );
}

export async function pull(
  db: Database,
  scope: PullScope,
  query: { cursor?: string | undefined; limit: number },
): Promise<PullResponse> {
  return db.transaction(async (tx) => {
    // One consistent view for the whole page: the counter read first covers every row read after it.
    await tx.query('set transaction isolation level repeatable read, read only');
    const state = (
      await tx.query<{ instance_id: string; feed_floor_seq: number }>(
        'select instance_id, feed_floor_seq from server_state',
      )
    )[0];
    if (!state) throw new Error('server_state is empty');
    const maxSeq =
      (
        await tx.query<{ max: number }>('select coalesce(max(seq), 0)::bigint as max from changes')
      )[0]?.max ?? 0;

    let cursor: PullCursor;
    if (query.cursor === undefined) {
      cursor = { v: 1, i: state.instance_id, u: scope.userId, m: 's', s: maxSeq, a: null };
    } else {
      const decoded = decodeCursor(query.cursor);
      if (!decoded) throw resync('This cursor is not one this server issued');
      if (decoded.i !== state.instance_id)
        throw resync('This cursor comes from another server database');
      if (decoded.u !== scope.userId) throw resync('This cursor was issued to another user');
      if (decoded.s > maxSeq)
        throw resync('This cursor is ahead of the server (was the database restored?)');
      if (decoded.m === 'f' && decoded.s < state.feed_floor_seq)
        throw resync('This cursor is older than the oldest change the server keeps');
      cursor = decoded;
    }

    const page = new PageItems();
    const limit = query.limit;

    if (cursor.m === 's') {
      if (cursor.a === null) await addDirectory(tx, scope, page);
      const cases = caseScope(scope, 3);
      let after = cursor.a;
      let done = false;
      // At least one chunk per page, so a page can never consist of the directory alone forever.
      do {
        const chunk = Math.min(500, Math.max(1, Math.ceil((limit - page.size) / BUNDLE_ITEMS)));
        const rows = await tx.query<{ id: string }>(
          `select id from cases where ${cases.sql} and ($1::text is null or id > $1) order by id limit $2`,
          [after, chunk, ...cases.params],
        );
        await addCaseBundles(
          tx,
          rows.map((r) => r.id),
          page,
        );
        if (rows.length > 0) after = (rows[rows.length - 1] as { id: string }).id;
        if (rows.length < chunk) done = true;
      } while (!done && page.size < limit);
      if (!done) {
        return {
          items: page.list(),
          cursor: encodeCursor({ ...cursor, a: after }),
          hasMore: true,
          serverTime: new Date().toISOString(),
        };
      }
      cursor = { v: 1, i: cursor.i, u: cursor.u, m: 'f', s: cursor.s };
      if (page.size >= limit) {
        return {
          items: page.list(),
          cursor: encodeCursor(cursor),
          hasMore: cursor.s < maxSeq,
          serverTime: new Date().toISOString(),
        };
      }
    }

    const rowBudget = Math.max(1, limit - page.size);
    const visible = feedScope(scope);
    const rows = await tx.query<ChangeRowRead>(
      `select seq, entity, entity_id, change_kind, case_id, officer_id, prev_officer_id, origin_device_id
         from changes where seq > $1 and ${visible.sql} order by seq limit $2`,
      [cursor.s, rowBudget + 1, ...visible.params],
    );
    // A bundle row brings a whole case (~6 items): counted as BUNDLE_ITEMS rows, so a page of
    // them stays near the limit, as a first sync's chunks of cases do. At least one row a page.
    let weight = 0;
    let take = 0;
    for (const row of rows) {
      if (take === rowBudget) break;
      const w = row.change_kind === 'bundle' ? BUNDLE_ITEMS : 1;
      if (take > 0 && weight + w > rowBudget) break;
      weight += w;
      take++;
    }
    const hasMore = rows.length > take;
    const pageRows = hasMore ? rows.slice(0, take) : rows;
    await addFeedRows(tx, scope, pageRows, page);
    const lastSeq =
      pageRows.length > 0 ? (pageRows[pageRows.length - 1] as ChangeRowRead).seq : cursor.s;
    const next = hasMore ? lastSeq : Math.max(lastSeq, maxSeq);
    return {
      items: page.list(),
      cursor: encodeCursor({ v: 1, i: cursor.i, u: cursor.u, m: 'f', s: next }),
      hasMore,
      serverTime: new Date().toISOString(),
    };
  });
}
