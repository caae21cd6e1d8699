// The app's first start: create the demo ledger once (about 2,000 cases over 12
// officers) and leave it alone afterwards. It is generated into a temporary file and
// renamed into place, so an interrupted first start never leaves half a ledger behind.
import fs from 'node:fs';
import path from 'node:path';
import { businessDate, isIsoDate } from '../../../shared/dates';
import { AppError } from '../../../shared/errors';
import type { IsoDate } from '../../../shared/domain/types';
import { openLedger } from '../db';
import { loadOrCreateDevKey, type DevKey } from '../key-file';
import { migrate } from '../migrations';
import { DEMO_BRANCH, generateDemo, type DemoOptions, type DemoSummary } from './generate';

export const LEDGER_FILE_NAME = 'ledger.db';

export interface EnsureDemoLedgerOptions {
  dataDir: string;
  /** The ledger key. Default: the dev key file in dataDir (dev bridge, tests). */
  key?: Buffer;
  cases?: number;
  officers?: number;
  seed?: number;
  /**
   * Business date the demo history leads up to. Default: FIELDBOOK_TODAY when set (as
   * openCaseLedger does), else today in the demo branch's zone.
   */
  today?: IsoDate;
  signedInAs?: 'officer' | 'manager';
}

export interface DemoLedger {
  file: string;
  key: Buffer;
  /** Set when the key came from the dev key file (print its warning). */
  devKey: DevKey | null;
  /** Null when the ledger already existed. */
  created: DemoSummary | null;
}

function removeWithSidecars(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/**
 * Generates a demo ledger at `file` (replacing one that is there): written to a
 * temporary file first and renamed into place when complete.
 */
export function writeDemoLedgerFile(
  options: DemoOptions & { file: string; key: Buffer },
): DemoSummary {
  const { file, key, ...demo } = options;
  const tmp = `${file}.generating`;
  removeWithSidecars(tmp);
  const db = openLedger({ file: tmp, key });
  let summary: DemoSummary;
  try {
    // A file that is discarded on any failure needs no write-ahead log while it is built:
    // writing every page once instead of twice (WAL, then checkpoint) halves the I/O.
    db.pragma('journal_mode = MEMORY');
    migrate(db);
    summary = generateDemo(db, demo);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    db.close();
    removeWithSidecars(tmp);
    throw err;
  }
  db.close();
  removeWithSidecars(file);
  fs.renameSync(tmp, file);
  // The WAL was checkpointed and is removed on close; clear any leftovers of the temp name.
  removeWithSidecars(tmp);
  return summary;
}

/** The pinned business date (option, else FIELDBOOK_TODAY), else today in the branch's zone. */
function demoToday(pinned: IsoDate | undefined): IsoDate {
  const today =
    pinned ??
    (process.env.FIELDBOOK_TODAY || undefined) ??
    businessDate(new Date(), DEMO_BRANCH.timezone);
  if (!isIsoDate(today)) {
    throw new AppError(
      'invalid_input',
      `The demo ledger's business date must be YYYY-MM-DD, got ${today}`,
      {
        field: 'today',
        reason: 'not_a_date',
      },
    );
  }
  return today;
}

export function ensureDemoLedger(options: EnsureDemoLedgerOptions): DemoLedger {
  const file = path.join(options.dataDir, LEDGER_FILE_NAME);
  const devKey = options.key ? null : loadOrCreateDevKey(options.dataDir);
  const key = options.key ?? (devKey as DevKey).key;
  if (fs.existsSync(file)) {
    if (devKey?.createdNow) {
      throw new AppError(
        'ledger_locked',
        `${file} exists but its dev key file was missing, so it cannot be opened; delete ${file} to start a new demo ledger`,
        { reason: 'key_file_missing' },
      );
    }
    return { file, key, devKey, created: null };
  }
  const summary = writeDemoLedgerFile({
    file,
    key,
    today: demoToday(options.today),
    ...(options.cases !== undefined && { cases: options.cases }),
    ...(options.officers !== undefined && { officers: options.officers }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.signedInAs !== undefined && { signedInAs: options.signedInAs }),
  });
  return { file, key, devKey, created: summary };
}
