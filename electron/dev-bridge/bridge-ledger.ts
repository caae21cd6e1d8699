// The dev bridge's ledger session: the demo ledger in its data folder by default, encrypted
// with the dev key file beside it (and it says so: that file is for development only).
// FIELDBOOK_FIRST_RUN=wizard starts with no ledger instead, to try enrolment against a
// local server (npm run server); the session (electron/ledger/session) does the rest.
import path from 'node:path';
import type { CallContext, CompleteApiHandlers } from '../../shared/api/contract';
import { ensureDemoLedger, LEDGER_FILE_NAME, loadOrCreateDevKey, type CaseLedger } from '../ledger';
import { createSessionHandlers, type LedgerSession } from '../ledger/session/session';
import { createProvisioningLoader } from '../main/provisioning-loader';

export interface BridgeLedger {
  handlers: CompleteApiHandlers;
  callContext: () => CallContext;
  session: LedgerSession;
  /** For the e2e hook only (FIELDBOOK_E2E_HOOKS=1): see electron/dev-bridge/e2e-hooks.ts. */
  setClock(now: string | null): { now: string; today: string };
  close(): void;
}

export function openBridgeLedger(options: {
  dataDir: string;
  today?: string | undefined;
  firstRun?: 'demo' | 'wizard';
}): BridgeLedger {
  const { dataDir } = options;
  // The wizard's provisioning file: one beside the ledger (the "user data folder"), or one
  // opened with "Open provisioning file…" (uploaded to the bridge's files folder). The trust
  // pin is kept in the data folder, as the desktop keeps it in userData.
  const provisioning = createProvisioningLoader({
    locations: {
      argv: [],
      exePath: path.join(dataDir, 'dev-bridge'),
      userDataDir: dataDir,
      platform: process.platform,
      env: {},
    },
  });
  const session = createSessionHandlers({
    ledgerFile: path.join(dataDir, LEDGER_FILE_NAME),
    key: () => loadOrCreateDevKey(dataDir).key,
    ensureDemo: () => {
      const demo = ensureDemoLedger({
        dataDir,
        ...(options.today ? { today: options.today } : {}),
      });
      if (demo.devKey) console.warn(demo.devKey.warning);
      if (demo.created) console.log(`Fieldbook: generated a demo ledger in ${demo.file}`);
      return { file: demo.file, key: demo.key };
    },
    wipeLayout: { dataDir },
    firstRun: options.firstRun ?? 'demo',
    keyStorage: 'dev-key-file',
    ...(options.today ? { today: options.today } : {}),
    deviceName: 'dev bridge',
    provisioning: {
      discover: () => provisioning.discover(),
      markUsed: (found) => provisioning.markUsed(found),
      verifyFile: (file) => provisioning.verifyFile(file),
    },
    log: (message, err) =>
      console.warn(`Fieldbook: ${message}`, err instanceof Error ? err.message : (err ?? '')),
  });
  // The e2e clock stays pinned when the session opens another ledger (the demo's role
  // switch reopens it): the next call re-pins the new one before it runs.
  let pinned: { now: string; on: CaseLedger } | null = null;
  return {
    handlers: session.handlers,
    callContext: () => {
      const ledger = session.caseLedger();
      if (pinned && ledger && ledger !== pinned.on) {
        e2eClockControl(ledger)(pinned.now);
        pinned = { now: pinned.now, on: ledger };
      }
      return session.callContext();
    },
    session,
    setClock: (now) => {
      const ledger = session.caseLedger();
      if (!ledger) throw new Error('No ledger is open');
      pinned = now === null ? null : { now, on: ledger };
      return e2eClockControl(ledger)(now);
    },
    close: () => session.close(),
  };
}

/** The e2e clock hook's effect on a ledger: set or reset its clock, report what it reads now. */
export function e2eClockControl(
  ledger: CaseLedger,
): (now: string | null) => { now: string; today: string } {
  return (now) => {
    ledger.setClockForTests(now);
    return { now: ledger.ledger.clock.now().toISOString(), today: ledger.today() };
  };
}
