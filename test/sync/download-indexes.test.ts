// A first download into an empty ledger sets the secondary indexes of the tables it fills
// aside and builds them once at its end (electron/ledger/sync/index-deferral.ts). What a
// user would notice is that nothing differs: the ledger afterwards has exactly the schema
// and rows of one written through every index, and a download that never finishes (the
// app killed or the pull abandoned) does not leave the ledger without its indexes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../electron/ledger/db';
import { openLedger } from '../../electron/ledger/db';
import { migrate } from '../../electron/ledger/migrations';
import {
  DEFERRED_INDEXES,
  DEFERRED_TRIGGERS,
  deferDownloadIndexes,
  indexesDeferred,
  restoreDeferredIndexes,
} from '../../electron/ledger/sync/index-deferral';
import { SyncEngine } from '../../electron/ledger/sync/sync-engine';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';
import { setSyncState, SYNC_KEYS } from '../../electron/ledger/sync/sync-store';
import type { World } from '../server/helpers/world';
import {
  caseIds,
  makeDevice,
  recordContact,
  recordPayment,
  useSyncWorld,
  type TestDevice,
  ledgerRows,
} from './helpers';

let world: World;
const { keep } = useSyncWorld((w) => (world = w));
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Tables, indexes and triggers as SQLite keeps them (their CREATE statements), by name. */
function schema(db: LedgerDb): unknown[] {
  return db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all();
}

function triggerNames(db: LedgerDb): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
    .pluck()
    .all() as string[];
}

/** The contact tally as the dashboard sums it (rows at zero count for nothing). */
function tally(db: LedgerDb): unknown[] {
  return db
    .prepare(
      `SELECT business_date, officer_id, party, outcome, contacts FROM dashboard_contact_tally
        WHERE contacts > 0 ORDER BY business_date, officer_id, party, outcome`,
    )
    .all();
}

/** The tally counted from the contacts themselves. */
function tallyOfContacts(db: LedgerDb): unknown[] {
  return db
    .prepare(
      `SELECT c.business_date, f.recorded_by AS officer_id, c.party, c.outcome, count(*) AS contacts
         FROM contacts c JOIN facts f ON f.id = c.fact_id
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
    .all();
}

function indexNames(db: LedgerDb): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`)
    .pluck()
    .all() as string[];
}

/** A second engine on a device's ledger that writes its first download through every index. */
function engineKeepingIndexes(d: TestDevice, pullLimit: number): SyncEngine {
  const userId = [...d.keys.keys()][0]!;
  return new SyncEngine({
    db: d.db,
    signedInUserId: () => userId,
    authorKeys: () => d.keys,
    wipe: () => {},
    pullLimit,
    deferDownloadIndexes: false,
  });
}

describe('secondary indexes during a first download', () => {
  it('are set aside while pages arrive and the ledger ends with the schema and rows of one written through them', async () => {
    // Contacts by an officer, so the download brings some to tally.
    const officer = await makeDevice(world, 'idx-contacts', world.users.officerA1);
    keep(officer);
    await officer.engine.sync();
    for (const caseId of caseIds(officer.db).slice(0, 3)) recordContact(officer, caseId);
    await officer.engine.sync();
    const seen: { page: number; indexes: number; triggers: number; deferred: boolean }[] = [];
    const holder: { db: LedgerDb | null } = { db: null };
    const deferred = await makeDevice(world, 'idx-deferred', world.users.managerA, {
      pullLimit: 7,
      hooks: {
        beforePageCommit(page: number) {
          seen.push({
            page,
            indexes: indexNames(holder.db!).length,
            triggers: triggerNames(holder.db!).length,
            deferred: indexesDeferred(holder.db!),
          });
        },
      },
    });
    keep(deferred);
    holder.db = deferred.db;
    const before = indexNames(deferred.db);
    const triggersBefore = triggerNames(deferred.db);
    const through = await makeDevice(world, 'idx-through', world.users.managerA);
    keep(through);

    await deferred.engine.sync();
    await engineKeepingIndexes(through, 7).sync();

    // Pages before the last ran without the set-aside indexes; the last one built them.
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[0]!.deferred).toBe(true);
    expect(seen[0]!.indexes).toBe(before.length - DEFERRED_INDEXES.length);
    expect(seen.at(-1)!.indexes).toBe(before.length);
    // The dashboard's insert triggers were held the same way and are back.
    expect(seen[0]!.triggers).toBe(triggersBefore.length - DEFERRED_TRIGGERS.length);
    expect(seen.at(-1)!.triggers).toBe(triggersBefore.length);
    expect(triggerNames(deferred.db)).toEqual(triggersBefore);
    expect(indexesDeferred(deferred.db)).toBe(false);
    expect(indexNames(deferred.db)).toEqual(before);
    expect(caseIds(deferred.db).length).toBeGreaterThan(0);
    expect(schema(deferred.db)).toEqual(schema(through.db));
    expect(ledgerRows(deferred.db)).toEqual(ledgerRows(through.db));
    // The tally counted once at the end is the one the trigger kept row by row.
    expect(tally(deferred.db).length).toBeGreaterThan(0);
    expect(tally(deferred.db)).toEqual(tally(through.db));
    expect(tally(deferred.db)).toEqual(tallyOfContacts(deferred.db));
    expect(deferred.db.pragma('integrity_check', { simple: true })).toBe('ok');

    // A contact recorded afterwards is tallied by the trigger again.
    const tallied = (db: LedgerDb) =>
      db.prepare('SELECT coalesce(sum(contacts), 0) FROM dashboard_contact_tally').pluck().get();
    const tallyBefore = tallied(deferred.db) as number;
    recordContact(deferred, caseIds(deferred.db)[0]!);
    expect(tallied(deferred.db)).toBe(tallyBefore + 1);

    // Later syncs into a ledger that holds cases write through the indexes as always.
    seen.length = 0;
    recordPayment(deferred, world.cases.a1[0]!, 4_200);
    await deferred.engine.sync();
    expect(seen.every((s) => !s.deferred && s.indexes === before.length)).toBe(true);
  }, 120_000);

  it('a download cut after some pages keeps them aside, then builds them when it finishes', async () => {
    let cut = true;
    const cutDevice = await makeDevice(world, 'idx-cut', world.users.managerA, {
      pullLimit: 5,
      hooks: {
        beforePageCommit(page: number) {
          if (page === 2 && cut) {
            cut = false;
            throw new Error('cut while applying page 3');
          }
        },
      },
    });
    keep(cutDevice);
    const full = indexNames(cutDevice.db);
    await expect(cutDevice.engine.sync()).rejects.toThrow(/cut while applying/);
    // Two pages committed with the indexes aside, their statements kept with them.
    expect(indexesDeferred(cutDevice.db)).toBe(true);
    expect(indexNames(cutDevice.db).length).toBeLessThan(full.length);

    await cutDevice.engine.sync();
    const steady = await makeDevice(world, 'idx-cut-steady', world.users.managerA);
    keep(steady);
    await engineKeepingIndexes(steady, 5).sync();
    expect(indexesDeferred(cutDevice.db)).toBe(false);
    expect(schema(cutDevice.db)).toEqual(schema(steady.db));
    expect(ledgerRows(cutDevice.db)).toEqual(ledgerRows(steady.db));
  }, 120_000);

  /**
   * A manager's first download stopped by the app after its first page: the indexes and
   * triggers are set aside. With the schema a complete ledger has.
   */
  async function abandonedAfterFirstPage(
    name: string,
  ): Promise<{ device: Awaited<ReturnType<typeof makeDevice>>; full: ReturnType<typeof schema> }> {
    const device = await makeDevice(world, name, world.users.managerA, {
      pullLimit: 5,
      hooks: {
        beforePageCommit(page: number) {
          if (page === 1) throw new Error('the app stops here');
        },
      },
    });
    keep(device);
    const full = schema(device.db);
    await expect(device.engine.sync()).rejects.toThrow(/the app stops/);
    expect(indexesDeferred(device.db)).toBe(true);
    return { device, full };
  }

  it('an abandoned download gets its indexes back when the ledger is next opened', async () => {
    const { device: killed, full } = await abandonedAfterFirstPage('idx-abandoned');
    // The first page's contacts went in with the tally trigger held.
    expect(triggerNames(killed.db)).not.toContain('dashboard_contact_tally_insert');
    const contactsIn = killed.db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
    killed.db.close();

    // What the app does when it starts (session.ts): open, then ensureSyncSchema.
    const db = openLedger({ file: path.join(killed.dir, 'ledger.db'), key: killed.key });
    ensureSyncSchema(db);
    expect(indexesDeferred(db)).toBe(false);
    expect(schema(db)).toEqual(full);
    expect(tally(db)).toEqual(tallyOfContacts(db));
    expect(
      db.prepare('SELECT coalesce(sum(contacts), 0) FROM dashboard_contact_tally').pluck().get(),
    ).toBe(contactsIn);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);

  it('an abandoned download gets its indexes back at the start of a pull that does not continue it', async () => {
    const { device: d, full } = await abandonedAfterFirstPage('idx-next-pull');
    // Its progress forgotten while its cursor stays: the next pull is an everyday one.
    setSyncState(d.db, SYNC_KEYS.firstDownload, null);
    const restoredAtStart: boolean[] = [];
    const engine = new SyncEngine({
      db: d.db,
      signedInUserId: () => [...d.keys.keys()][0]!,
      authorKeys: () => d.keys,
      wipe: () => {},
      hooks: {
        beforePageCommit() {
          restoredAtStart.push(!indexesDeferred(d.db));
        },
      },
    });
    await engine.sync();
    expect(restoredAtStart.length).toBeGreaterThan(0);
    expect(restoredAtStart.every(Boolean)).toBe(true);
    expect(schema(d.db)).toEqual(full);
  }, 120_000);
});

describe('the dashboard during a first download', () => {
  /** Builds the dashboard's positions and keeps a summary after the first page (a manager looking). */
  function dashboardBuiltAfterFirstPage(holder: { db: LedgerDb | null }) {
    return {
      beforePageCommit(page: number) {
        if (page !== 0) return;
        const db = holder.db!;
        db.prepare(
          `INSERT INTO dashboard_positions_state (id, valid_on) VALUES (1, '2026-11-28')`,
        ).run();
        db.prepare(
          `INSERT INTO dashboard_kept_summary (scope, as_of, policy, summary, kept_at)
           VALUES ('', '2026-11-28', 'p', '{}', '2026-11-28T01:00:00.000Z')`,
        ).run();
      },
    };
  }
  const dirty = (db: LedgerDb) =>
    db.prepare('SELECT case_id FROM dashboard_dirty_cases ORDER BY case_id').pluck().all();
  const kept = (db: LedgerDb) =>
    db.prepare('SELECT count(*) FROM dashboard_kept_summary').pluck().get();

  it('a dashboard built mid-download still sees every case the download brought as changed', async () => {
    const heldAt: { db: LedgerDb | null } = { db: null };
    const held = await makeDevice(world, 'idx-dash-held', world.users.managerA, {
      pullLimit: 7,
      hooks: dashboardBuiltAfterFirstPage(heldAt),
    });
    keep(held);
    heldAt.db = held.db;
    const throughAt: { db: LedgerDb | null } = { db: null };
    const through = await makeDevice(world, 'idx-dash-through', world.users.managerA);
    keep(through);
    throughAt.db = through.db;
    const userId = [...through.keys.keys()][0]!;
    await held.engine.sync();
    await new SyncEngine({
      db: through.db,
      signedInUserId: () => userId,
      authorKeys: () => through.keys,
      wipe: () => {},
      pullLimit: 7,
      deferDownloadIndexes: false,
      hooks: dashboardBuiltAfterFirstPage(throughAt),
    }).sync();

    // Through the triggers: the cases of later pages are marked; held: every case, a
    // superset (recomputing a case that did not change gives the same position).
    const marked = dirty(held.db);
    expect(dirty(through.db).length).toBeGreaterThan(0);
    for (const c of dirty(through.db)) expect(marked).toContain(c);
    expect(marked).toEqual(caseIds(held.db).sort());
    // The summary kept mid-download is forgotten either way.
    expect(kept(through.db)).toBe(0);
    expect(kept(held.db)).toBe(0);
  }, 120_000);
});

describe('deferDownloadIndexes', () => {
  function freshLedger(): LedgerDb {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-defer-'));
    dirs.push(dir);
    const db = openLedger({ file: path.join(dir, 'ledger.db'), key: Buffer.alloc(32, 9) });
    migrate(db);
    return db;
  }

  it('drops only the indexes it names and builds them again from their own statements', () => {
    const db = freshLedger();
    const before = indexNames(db);
    const statements = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`)
      .all();
    // Every name on the list is an index of a migrated ledger (a stale name is a lost gain).
    for (const name of DEFERRED_INDEXES) expect(before).toContain(name);
    const triggers = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
      .all();
    const dropped = db.transaction(() => deferDownloadIndexes(db)).immediate();
    expect(dropped).toBe(DEFERRED_INDEXES.length + DEFERRED_TRIGGERS.length);
    expect(indexNames(db)).toEqual(before.filter((n) => !DEFERRED_INDEXES.includes(n)));
    expect(triggerNames(db)).toEqual(
      (triggers as { name: string }[])
        .map((t) => t.name)
        .filter((n) => !DEFERRED_TRIGGERS.includes(n)),
    );
    // Kept: what the download reads through, and every primary key and UNIQUE constraint.
    for (const kept of ['cases_borrower', 'contact_points_borrower', 'loans_case'])
      expect(indexNames(db)).toContain(kept);
    expect(indexNames(db).filter((n) => n.startsWith('sqlite_autoindex_'))).toEqual(
      before.filter((n) => n.startsWith('sqlite_autoindex_')),
    );
    expect(restoreDeferredIndexes(db)).toBe(DEFERRED_INDEXES.length);
    expect(
      db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all(),
    ).toEqual(statements);
    expect(
      db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all(),
    ).toEqual(triggers);
    db.close();
  });

  it('holds only AFTER INSERT triggers whose effect it knows how to put back', () => {
    const db = freshLedger();
    const sqlOf = new Map(
      (
        db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as {
          name: string;
          sql: string;
        }[]
      ).map((t) => [t.name, t.sql.replace(/\s+/g, ' ')]),
    );
    // restoreHeldTriggers counts the tally again, marks every case dirty when the loan
    // positions are built, and forgets the kept summary: each held trigger must be one of
    // those three, with the guard that makes the last two right.
    for (const name of DEFERRED_TRIGGERS) {
      const sql = sqlOf.get(name);
      expect(sql, name).toBeDefined();
      expect(sql).toMatch(/ AFTER INSERT ON /);
      if (name === 'dashboard_contact_tally_insert') continue;
      if (name.startsWith('dashboard_dirty_'))
        expect(sql).toMatch(
          /WHEN EXISTS \(SELECT 1 FROM dashboard_positions_state\) BEGIN INSERT OR IGNORE INTO dashboard_dirty_cases /,
        );
      else {
        expect(name).toMatch(/^dashboard_kept_forget_/);
        expect(sql).toMatch(
          /WHEN EXISTS \(SELECT 1 FROM dashboard_kept_summary\) BEGIN DELETE FROM dashboard_kept_summary; END/,
        );
      }
    }
    db.close();
  });

  it('never sets aside an index a query names with INDEXED BY (that query would fail)', () => {
    const named = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name))
          for (const m of fs.readFileSync(file, 'utf8').matchAll(/INDEXED\s+BY\s+(\w+)/gi))
            named.add(m[1]!);
      }
    };
    const root = path.resolve(__dirname, '../..');
    for (const dir of ['electron', 'shared', 'renderer/src']) walk(path.join(root, dir));
    expect(named.size).toBeGreaterThan(0);
    for (const name of named) expect(DEFERRED_INDEXES).not.toContain(name);
  });

  it('does nothing outside a transaction, or in a ledger that already holds cases', async () => {
    const db = freshLedger();
    expect(() => deferDownloadIndexes(db)).toThrow(/inside a transaction/);
    db.close();
    const synced = await makeDevice(world, 'idx-holds-cases', world.users.officerA1);
    keep(synced);
    await synced.engine.sync();
    expect(caseIds(synced.db).length).toBeGreaterThan(0);
    const before = indexNames(synced.db);
    expect(synced.db.transaction(() => deferDownloadIndexes(synced.db)).immediate()).toBe(0);
    expect(indexNames(synced.db)).toEqual(before);
  }, 60_000);
});
