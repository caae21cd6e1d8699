// Opens the desktop ledger: the key from safeStorage, the demo ledger on first start
// (provisioning and enrolment replace it once a branch connects to head office).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import { ensureDemoLedger, openCaseLedger, setNativeBinding } from '../ledger';
import type { LedgerDb } from '../ledger/db';
import { loadOrCreateLedgerKey } from './key-store';

export interface DesktopLedger {
  handlers: ApiHandlers;
  db: LedgerDb;
  callContext: () => CallContext;
  close(): void;
}

/**
 * Unpackaged runs (`npm start`) load the SQLite driver built for Electron's ABI by
 * scripts/electron-native.ts, because node_modules keeps the Node build for the tests.
 * Packaged apps get node_modules rebuilt for Electron by electron-builder.
 */
function configureDriverForElectron(): void {
  if (app.isPackaged) return;
  const binding = join(
    app.getAppPath(),
    '.electron-native',
    process.versions.electron,
    'better_sqlite3.node',
  );
  if (existsSync(binding)) setNativeBinding(binding);
}

export function openDesktopLedger(userDataDir: string): DesktopLedger {
  configureDriverForElectron();
  const { key } = loadOrCreateLedgerKey(userDataDir);
  const demo = ensureDemoLedger({ dataDir: join(userDataDir, 'ledger'), key });
  const ledger = openCaseLedger({
    file: demo.file,
    key,
    keyStorage: 'safe-storage',
    appVersion: app.getVersion(),
  });
  return {
    handlers: ledger.handlers,
    db: ledger.db,
    callContext: () => ({ userId: ledger.currentUserId }),
    close: () => ledger.close(),
  };
}
