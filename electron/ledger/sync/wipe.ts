// What a revoked device does on the server's wipe answer: close and delete the ledger,
// its WAL and shared-memory files, the key file and caches, so nothing of the branch's
// borrowers stays on the laptop; the app then shows enrolment again.
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerDb } from '../db';

export interface DataFolderLayout {
  dataDir: string;
  ledgerFile?: string;
  keyFile?: string;
  /** Folders of caches to remove whole. */
  cacheDirs?: string[];
}

/** The dev bridge's layout: <dataDir>/ledger.db (+ -wal, -shm), ledger.devkey, cache/. */
export function wipeDataFolder(layout: DataFolderLayout, db?: LedgerDb): string[] {
  if (db?.open) db.close();
  const ledger = path.join(layout.dataDir, layout.ledgerFile ?? 'ledger.db');
  const files = [
    ledger,
    `${ledger}-wal`,
    `${ledger}-shm`,
    `${ledger}-journal`,
    path.join(layout.dataDir, layout.keyFile ?? 'ledger.devkey'),
  ];
  const removed: string[] = [];
  for (const f of files) {
    if (fs.existsSync(f)) {
      fs.rmSync(f, { force: true });
      removed.push(f);
    }
  }
  for (const dir of layout.cacheDirs ?? [path.join(layout.dataDir, 'cache')]) {
    if (fs.existsSync(dir)) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}
