// A first download writes through a rollback journal (sync-engine.ts rollbackJournal) and
// core-banking schedules in multi-row statements (apply-pull.ts insertRows): what a user
// would notice is that nothing differs — the ledger ends in WAL for everyday work, and a
// device that could not switch (another connection open) holds exactly the same rows.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { LoanSnapshotRecord, PullItem } from '../../shared/sync/records';
import { LEDGER_CIPHER, type LedgerDb } from '../../electron/ledger/db';
import { insertRows } from '../../electron/ledger/sync/apply-pull';
import type { World } from '../server/helpers/world';
import { caseIds, makeDevice, recordPayment, useSyncWorld, ledgerRows } from './helpers';

let world: World;
const { keep } = useSyncWorld((w) => (world = w));

function journalMode(db: LedgerDb): string {
  return String(db.pragma('journal_mode', { simple: true }));
}

describe('first download', () => {
  it('pages commit through a rollback journal, the ledger returns to WAL, and a device that stayed in WAL holds the same rows', async () => {
    const modes: string[] = [];
    const snapshots: LoanSnapshotRecord[] = [];
    const holder: { db: LedgerDb | null } = { db: null };
    const fast = await makeDevice(world, 'first-rollback', world.users.managerA, {
      pullLimit: 7,
      hooks: {
        beforePageCommit(_page: number, items: readonly PullItem[]) {
          modes.push(journalMode(holder.db!));
          for (const i of items) if (i.type === 'loan_snapshot') snapshots.push(i.snapshot);
        },
      },
    });
    keep(fast);
    holder.db = fast.db;

    // A second connection on the other device's ledger: the switch is refused, so its
    // first download takes the WAL path throughout.
    const walModes: string[] = [];
    const walHolder: { db: LedgerDb | null } = { db: null };
    const wal = await makeDevice(world, 'first-wal', world.users.managerA, {
      pullLimit: 7,
      hooks: {
        beforePageCommit() {
          walModes.push(journalMode(walHolder.db!));
        },
      },
    });
    keep(wal);
    walHolder.db = wal.db;
    const other = new Database(path.join(wal.dir, 'ledger.db'));
    other.pragma(`cipher='${LEDGER_CIPHER}'`);
    other.pragma(`key="x'${wal.key.toString('hex')}'"`);
    other.prepare('SELECT count(*) FROM sqlite_master').get();

    await fast.engine.sync();
    await wal.engine.sync();
    other.close();

    expect(modes.length).toBeGreaterThan(2);
    expect(new Set(modes)).toEqual(new Set(['delete']));
    expect(new Set(walModes)).toEqual(new Set(['wal']));
    expect(journalMode(fast.db)).toBe('wal');
    expect(fast.db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(caseIds(fast.db).length).toBeGreaterThan(0);
    expect(ledgerRows(fast.db)).toEqual(ledgerRows(wal.db));

    // Each loan's schedule and core-banking repayments are its last snapshot's.
    const last = new Map(snapshots.map((s) => [s.loanId, s]));
    expect(last.size).toBeGreaterThan(0);
    for (const s of last.values()) {
      const rows = fast.db
        .prepare(
          'SELECT seq, due_date, principal_fen, interest_fen FROM instalments WHERE loan_id = ? ORDER BY seq',
        )
        .raw()
        .all(s.loanId);
      expect(rows).toEqual(
        s.schedule.map((i) => [i.seq, i.dueDate, i.principalFen, i.interestFen]),
      );
      const paid = fast.db
        .prepare(
          'SELECT id, paid_on, amount_fen FROM core_repayments WHERE loan_id = ? ORDER BY id',
        )
        .raw()
        .all(s.loanId);
      expect(paid).toEqual(
        s.schedule
          .filter((i) => i.paidFen > 0)
          .map((i) => [`${s.id}:${i.seq}`, i.dueDate, i.paidFen])
          .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      );
    }

    // Everyday syncs after it keep the ledger's WAL.
    modes.length = 0;
    recordPayment(fast, world.cases.a1[0]!, 12_300);
    await fast.engine.sync();
    expect(modes.every((m) => m === 'wal')).toBe(true);
    expect(journalMode(fast.db)).toBe('wal');
  }, 120_000);

  it('a first download cut by a failure mid-page is back in WAL and resumes to the same rows', async () => {
    let crash = true;
    const holder: { db: LedgerDb | null } = { db: null };
    const cut = await makeDevice(world, 'first-cut', world.users.managerA, {
      pullLimit: 5,
      hooks: {
        beforePageCommit(page: number) {
          if (page === 2 && crash) {
            crash = false;
            // Written but not committed: the journal takes it back.
            holder.db!.prepare("UPDATE cases SET next_action_date = '2099-01-01'").run();
            throw new Error('cut while applying page 3');
          }
        },
      },
    });
    keep(cut);
    holder.db = cut.db;
    const steady = await makeDevice(world, 'first-steady', world.users.managerA, {
      pullLimit: 5,
    });
    keep(steady);
    await expect(cut.engine.sync()).rejects.toThrow(/cut while applying/);
    expect(journalMode(cut.db)).toBe('wal');
    expect(
      cut.db
        .prepare("SELECT count(*) FROM cases WHERE next_action_date = '2099-01-01'")
        .pluck()
        .get(),
    ).toBe(0);
    await cut.engine.sync();
    await steady.engine.sync();
    expect(ledgerRows(cut.db)).toEqual(ledgerRows(steady.db));
  }, 120_000);
});

describe('insertRows', () => {
  it('writes every row, in order, across several statements', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c INTEGER)');
    const values: unknown[] = [];
    for (let i = 1; i <= 150; i++) values.push(i, `row ${i}`, i * 10);
    insertRows(db, 'INSERT INTO t (a, b, c) VALUES', '(?, ?, ?)', values);
    insertRows(db, 'INSERT INTO t (a, b, c) VALUES', '(?, ?, ?)', []);
    const rows = db.prepare('SELECT a, b, c FROM t ORDER BY a').raw().all();
    expect(rows).toHaveLength(150);
    expect(rows[0]).toEqual([1, 'row 1', 10]);
    expect(rows[149]).toEqual([150, 'row 150', 1500]);
    db.close();
  });

  it('fails as a whole when one row breaks a constraint (the page rolls back)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY)');
    expect(() =>
      db.transaction(() => insertRows(db, 'INSERT INTO t (a) VALUES', '(?)', [1, 2, 2]))(),
    ).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    db.close();
  });
});
