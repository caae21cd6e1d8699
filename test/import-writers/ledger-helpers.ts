// A fresh encrypted ledger for the import tests: one branch, a manager who imports, and
// officers whose logins are the samples' officer codes.
import crypto from 'node:crypto';
import { join } from 'node:path';
import { fixedClock, type LedgerClock } from '../../electron/ledger/clock';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { bindLedger, type Ledger } from '../../electron/ledger/ledger';
import { migrate } from '../../electron/ledger/migrations';
import { initBranch } from '../../electron/ledger/seed';
import {
  inspectPortfolio,
  previewPortfolio,
  type PortfolioPreview,
} from '../../shared/node/portfolio-import';
import type { IsoDate } from '../../shared/domain/types';
import { OFFICER_CODES } from './helpers';

export const MANAGER_ID = '01900000-0000-7000-8000-000000000001';
export const officerId = (code: string): string =>
  `01900000-0000-7000-8000-${String(100 + OFFICER_CODES.indexOf(code)).padStart(12, '0')}`;

export interface TestLedger {
  ledger: Ledger;
  db: LedgerDb;
  file: string;
  key: Buffer;
}

export function createTestLedger(
  dir: string,
  clock: LedgerClock = fixedClock('2026-11-20T02:00:00Z'),
  name = 'ledger.db',
): TestLedger {
  const file = join(dir, name);
  const key = crypto.randomBytes(32);
  const db = openLedger({ file, key });
  migrate(db);
  initBranch(db, {
    branch: {
      id: '01900000-0000-7000-8000-0000000000b1',
      code: 'PA01',
      name: '平安县支行',
      county: '平安县',
      timezone: 'Asia/Shanghai',
      policyPackId: 'cn-default',
    },
    users: [
      { id: MANAGER_ID, login: 'manager', name: '张敏', role: 'manager' },
      ...OFFICER_CODES.map((code) => ({
        id: officerId(code),
        login: code,
        name: `外勤${code}`,
        role: 'officer' as const,
      })),
    ],
    currentUserId: MANAGER_ID,
    demo: false,
  });
  return { ledger: bindLedger(db, clock), db, file, key };
}

/** Inspect + preview as the import screen does, with the ledger's officers. */
export async function previewFor(
  t: TestLedger,
  file: string,
  asOfDate: IsoDate,
): Promise<PortfolioPreview> {
  const inspection = await inspectPortfolio(file);
  return previewPortfolio(file, {
    mapping: inspection.mapping,
    readOptions: inspection.readOptions,
    context: { asOfDate, officers: OFFICER_CODES.map((code) => ({ code })) },
  });
}
