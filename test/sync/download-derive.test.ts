// A first download derives each page's new cases in that page's transaction (the server
// sends a case whole), and at its end only the cases a later page touched; one resumed from
// an earlier run derives every case at its end. Either way the worklist must end exactly
// as a full derivation of every case would leave it: refreshDerived then rewrites nothing.
import { describe, expect, it } from 'vitest';
import { refreshDerived } from '../../electron/ledger/derive';
import type { LedgerDb } from '../../electron/ledger/db';
import { readBranch } from '../../electron/ledger/ledger';
import { getMeta, META } from '../../electron/ledger/meta';
import { ledgerPolicyFor } from '../../electron/ledger/policy';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';
import type { World } from '../server/helpers/world';
import { makeDevice, recordContact, recordPromise, useSyncWorld } from './helpers';

let world: World;
const { keep } = useSyncWorld((w) => (world = w));

/** Cases a full derivation would change (0: every case is derived as it should be). */
function staleCases(db: LedgerDb): number {
  const asOf = getMeta(db, META.derivedAsOf);
  const branch = readBranch(db);
  if (!asOf || !branch) throw new Error('the download did not derive its cases');
  return refreshDerived(db, asOf, ledgerPolicyFor(branch.policyPackId)).rewritten;
}

function outstanding(db: LedgerDb, caseId: string): number | undefined {
  return db.prepare('SELECT outstanding_fen FROM cases WHERE id = ?').pluck().get(caseId) as
    number | undefined;
}

describe('cases derived during a first download', () => {
  it('are derived page by page, and a case a later page touches again is derived at the end', async () => {
    const branchCases = [...world.cases.a1, ...world.cases.a2, ...world.cases.aUnassigned];
    const first = [...branchCases].sort()[0]!;
    // An officer holding the first case records a visit and a promise on it while the
    // manager's download is under way: they reach the manager in the feed after the
    // snapshot, on a later page than the case itself.
    const officer = keep(await makeDevice(world, 'derive-officer', world.users.officerA1));
    await officer.engine.sync();
    let pulls = 0;
    let derivedOnItsPage: number | undefined;
    const holder: { db: LedgerDb | null } = { db: null };
    const manager = keep(
      await makeDevice(world, 'derive-manager', world.users.managerA, {
        pullLimit: 7,
        fetch: async (input, init) => {
          if (String(input).includes('/v1/sync/pull') && ++pulls === 2) {
            recordContact(officer, first, 'came back after the harvest');
            recordPromise(officer, first, 500_00, '2026-12-20');
            await officer.engine.sync();
          }
          return nodeHttpFetch(input, init);
        },
        hooks: {
          beforePageCommit(page: number) {
            if (page === 0) derivedOnItsPage = outstanding(holder.db!, first);
          },
        },
      }),
    );
    holder.db = manager.db;
    await manager.engine.sync();

    expect(world.cases.a1).toContain(first);
    // Derived in the page that brought it: its loans' outstanding principal, not the default.
    expect(derivedOnItsPage).toBeGreaterThan(0);
    const last = manager.db
      .prepare('SELECT last_contact_at, promise_amount_fen FROM cases WHERE id = ?')
      .get(first) as { last_contact_at: string | null; promise_amount_fen: number | null };
    expect(last.last_contact_at).not.toBeNull();
    expect(last.promise_amount_fen).toBe(500_00);
    expect(manager.db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(branchCases.length);
    expect(staleCases(manager.db)).toBe(0);
  }, 60_000);

  it('are all derived at the end of a download resumed in a new run', async () => {
    let cut = true;
    const manager = keep(
      await makeDevice(world, 'derive-resumed', world.users.managerA, {
        pullLimit: 7,
        hooks: {
          beforePageCommit(page: number) {
            if (page === 1 && cut) {
              cut = false;
              throw new Error('the laptop went to sleep');
            }
          },
        },
      }),
    );
    await expect(manager.engine.sync()).rejects.toThrow('the laptop went to sleep');
    await manager.reopen();
    await manager.engine.sync();
    expect(staleCases(manager.db)).toBe(0);
  }, 60_000);
});
