// Opens the desktop's ledger session: the key from safeStorage, then whatever the user
// data folder holds — a ledger enrolled with head office (sign-in first), the demo ledger,
// or nothing yet, which shows the first-run wizard (enrol with the provisioning file or a
// typed-in server and code, or run standalone on the demo). FIELDBOOK_FIRST_RUN=demo
// generates the demo ledger on first start instead (tests, trade-show laptops).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, net, powerMonitor } from 'electron';
import type { CallContext, CompleteApiHandlers } from '../../shared/api/contract';
import { ensureDemoLedger, LEDGER_FILE_NAME, setNativeBinding } from '../ledger';
import type { LedgerDb } from '../ledger/db';
import { createSessionHandlers, type LedgerSession } from '../ledger/session/session';
import { loadOrCreateLedgerKey } from './key-store';
import { startNetworkWatch } from './network-watch';
import { createProvisioningLoader, electronProvisioningLocations } from './provisioning-loader';

export interface DesktopLedger {
  handlers: CompleteApiHandlers;
  /** The ledger open now: it changes with enrolment, the first sign-in and a wipe (null in the wizard). */
  currentDb(): LedgerDb | null;
  session: LedgerSession;
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

function firstRunMode(): 'demo' | 'wizard' {
  const forced = process.env['FIELDBOOK_FIRST_RUN'];
  if (forced === 'demo' || forced === 'wizard') return forced;
  return app.isPackaged ? 'wizard' : 'demo';
}

export function openDesktopLedger(
  userDataDir: string,
  log: (message: string, err?: unknown) => void = () => undefined,
): DesktopLedger {
  configureDriverForElectron();
  const ledgerDir = join(userDataDir, 'ledger');
  const key = () => loadOrCreateLedgerKey(userDataDir).key;
  const provisioning = createProvisioningLoader({ locations: electronProvisioningLocations(app) });
  const session = createSessionHandlers({
    ledgerFile: join(ledgerDir, LEDGER_FILE_NAME),
    key,
    ensureDemo: () => {
      const k = key();
      const demo = ensureDemoLedger({ dataDir: ledgerDir, key: k });
      return { file: demo.file, key: k };
    },
    // A revoked laptop loses the ledger, its safeStorage-wrapped key and the ledger's caches;
    // the provisioning trust pin stays (the next file must come from the same head office).
    wipeLayout: {
      dataDir: ledgerDir,
      ledgerFile: LEDGER_FILE_NAME,
      keyFile: join('..', 'ledger.key.enc'),
      cacheDirs: [join(ledgerDir, 'cache')],
    },
    // `npm start` (unpackaged) opens the demo ledger straight away, so a newcomer sees work
    // at once; an installed build starts on the wizard (enrol, or choose the demo).
    // FIELDBOOK_FIRST_RUN=demo|wizard overrides either.
    firstRun: firstRunMode(),
    keyStorage: 'safe-storage',
    appVersion: app.getVersion(),
    provisioning: {
      discover: () => {
        const { found, skipped } = provisioning.discover();
        return {
          found,
          skipped: skipped.map((s) => ({ path: s.path, code: s.code, message: s.message })),
        };
      },
      markUsed: (found) => provisioning.markUsed(found),
      verifyFile: (path) => provisioning.verifyFile(path),
    },
    log,
  });
  const currentDb = () => session.caseLedger()?.db ?? null;
  // When sync runs (electron/ledger/sync/scheduler.ts): at sign-in (requests are signed with
  // the user's key, so nothing syncs before someone signs in), every 5 minutes while all is
  // well, on a backoff after failures, on "Sync now" — and here, when the network returns.
  const network = startNetworkWatch({
    isOnline: () => net.isOnline(),
    onBack: () => {
      log('network is back: syncing');
      session.networkBack();
    },
    onResume: (listener) => {
      powerMonitor.on('resume', listener);
      return () => powerMonitor.off('resume', listener);
    },
  });
  return {
    handlers: session.handlers,
    currentDb,
    session,
    callContext: () => session.callContext(),
    close: () => {
      network.stop();
      session.close();
    },
  };
}
