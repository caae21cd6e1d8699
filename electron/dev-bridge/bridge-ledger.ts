// The dev bridge's ledger: the demo ledger in its data folder, encrypted with the dev key
// file beside it (and it says so: that file is for development only).
import type { CallContext, ApiHandlers } from '../../shared/api/contract';
import { ensureDemoLedger, openCaseLedger, type CaseLedger } from '../ledger';

export interface BridgeLedger {
  handlers: ApiHandlers;
  callContext: () => CallContext;
  /** For the e2e hook only (FIELDBOOK_E2E_HOOKS=1): see electron/dev-bridge/e2e-hooks.ts. */
  setClock(now: string | null): { now: string; today: string };
  close(): void;
}

export function openBridgeLedger(options: {
  dataDir: string;
  today?: string | undefined;
}): BridgeLedger {
  const demo = ensureDemoLedger({
    dataDir: options.dataDir,
    ...(options.today ? { today: options.today } : {}),
  });
  if (demo.devKey) console.warn(demo.devKey.warning);
  if (demo.created) console.log(`Fieldbook: generated a demo ledger in ${demo.file}`);
  const ledger = openCaseLedger({
    file: demo.file,
    key: demo.key,
    keyStorage: 'dev-key-file',
    ...(options.today ? { today: options.today } : {}),
  });
  return {
    handlers: ledger.handlers,
    callContext: () => ({ userId: ledger.currentUserId }),
    setClock: e2eClockControl(ledger),
    close: () => ledger.close(),
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
