// The dev bridge's ledger: the demo ledger in its data folder, encrypted with the dev key
// file beside it (and it says so: that file is for development only).
import type { CallContext, ApiHandlers } from '../../shared/api/contract';
import { ensureDemoLedger, openCaseLedger } from '../ledger';

export interface BridgeLedger {
  handlers: ApiHandlers;
  callContext: () => CallContext;
  close(): void;
}

export function openBridgeLedger(options: { dataDir: string; today?: string | undefined }): BridgeLedger {
  const demo = ensureDemoLedger({ dataDir: options.dataDir, ...(options.today ? { today: options.today } : {}) });
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
    close: () => ledger.close(),
  };
}
