// The case ledger's front door for Electron main, the dev bridge and tests:
// open (decrypt) → migrate → bring derived state to today → API handlers.
import type { AppInfo, ApiHandlers } from '../../shared/api/contract';
import { isIsoDate } from '../../shared/dates';
import { AppError } from '../../shared/errors';
import type { IsoDate } from '../../shared/domain/types';
import { createLedgerHandlers, ensureDerivedCurrent } from './api-handlers';
import { guardDuringImport } from './import/import-guard';
import {
  clockPinnedTo,
  clockStartingAt,
  switchableClock,
  systemClock,
  type LedgerClock,
} from './clock';
import { openLedger, type LedgerDb } from './db';
import { bindLedger, readBranch, type Ledger } from './ledger';
import { getMeta, META } from './meta';
import { keepSummariesAs, keepSummaryOnClose } from './manager/kept-summary';
import { migrate } from './migrations';

export interface OpenCaseLedgerOptions {
  file: string;
  /** 32 raw key bytes (from safeStorage in Electron, the dev key file in the dev bridge). */
  key: Buffer;
  /** Reported by app.info so the UI can say where the key lives. */
  keyStorage: AppInfo['keyStorage'];
  /**
   * Pins the business date (deterministic e2e runs). Default: the FIELDBOOK_TODAY
   * environment variable if set, else the branch's business date now. Recorded facts
   * then carry the pinned date with the real time of day.
   */
  today?: IsoDate;
  appVersion?: string;
  /** Replaces the system clock entirely (tests); `today` is ignored when given. */
  clock?: LedgerClock;
}

export interface CaseLedger {
  handlers: ApiHandlers;
  /** The user this device is signed in as (the transport puts it in CallContext). */
  currentUserId: string;
  ledger: Ledger;
  db: LedgerDb;
  /** Business date the derived state is computed for. */
  today(): IsoDate;
  /**
   * TEST HOOK, for the dev bridge's e2e route only (FIELDBOOK_E2E_HOOKS=1): makes the
   * ledger's clock read `instant` now and run on from there; null puts the clock the
   * ledger was opened with back. Derived state follows on the next call if the business
   * date changed. Electron main never calls this.
   */
  setClockForTests(instant: string | Date | null): void;
  close(): void;
}

export function openCaseLedger(options: OpenCaseLedgerOptions): CaseLedger {
  const db = openLedger({ file: options.file, key: options.key });
  try {
    migrate(db);
    const pinned = options.today ?? (process.env.FIELDBOOK_TODAY || undefined);
    if (pinned !== undefined && !isIsoDate(pinned)) {
      throw new AppError(
        'invalid_input',
        `The pinned business date must be YYYY-MM-DD, got ${pinned}`,
        {
          field: 'today',
          reason: 'not_a_date',
        },
      );
    }
    // A ledger without a branch is refused by bindLedger just below.
    const zone = readBranch(db)?.timezone ?? 'UTC';
    const clock = switchableClock(
      options.clock ?? (pinned !== undefined ? clockPinnedTo(pinned, zone) : systemClock),
    );
    const ledger = bindLedger(db, clock);
    keepSummariesAs(db, options.appVersion ?? 'dev');
    ensureDerivedCurrent(ledger);
    const currentUserId = getMeta(db, META.currentUserId);
    if (!currentUserId)
      throw new AppError('not_found', 'This ledger has no signed-in user', { entity: 'user' });
    // While a portfolio import holds its transaction, other operations are refused
    // (conflict / import_running) rather than reading or writing half an import.
    const handlers = guardDuringImport(
      ledger,
      createLedgerHandlers(ledger, {
        keyStorage: options.keyStorage,
        appVersion: options.appVersion ?? 'dev',
      }),
    );
    return {
      handlers,
      currentUserId,
      ledger,
      db,
      today: () => ensureDerivedCurrent(ledger),
      setClockForTests: (instant) => {
        if (instant === null) clock.reset();
        else clock.set(clockStartingAt(instant));
      },
      close: () => {
        if (!db.open) return;
        keepSummaryOnClose(ledger);
        db.pragma('optimize');
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

export { openLedger, setNativeBinding, type LedgerDb } from './db';
export { loadOrCreateDevKey, devKeyFileWarning, DEV_KEY_FILE_NAME, type DevKey } from './key-file';
export { migrate, LEDGER_SCHEMA_VERSION } from './migrations';
export { verifyAuditChain } from './audit';
export {
  ensureDemoLedger,
  writeDemoLedgerFile,
  LEDGER_FILE_NAME,
  type EnsureDemoLedgerOptions,
  type DemoLedger,
} from './demo/ensure-demo';
export type { LedgerClock } from './clock';
