// The opened ledger as the rest of the ledger code sees it: the connection plus who this
// device is (branch, device id) and where time comes from.
import { v7 as uuidv7 } from 'uuid';
import crypto from 'node:crypto';
import { businessDate } from '../../shared/dates';
import { AppError } from '../../shared/errors';
import type { IsoDate } from '../../shared/domain/types';
import { systemClock, type LedgerClock } from './clock';
import type { LedgerDb } from './db';
import { getMeta, META, setMeta } from './meta';
import { ledgerPolicyFor, type LedgerPolicy } from './policy';
import { stmt } from './statements';

export interface BranchInfo {
  id: string;
  code: string;
  name: string;
  county: string;
  timezone: string;
  policyPackId: string;
}

export interface Ledger {
  db: LedgerDb;
  clock: LedgerClock;
  deviceId: string;
  branch: BranchInfo;
  policy: LedgerPolicy;
}

// Crockford base32 without I, L, O, U: readable on a printed receipt.
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Gives the ledger a device id and receipt prefix once; later calls return the stored ones. */
export function ensureDeviceIdentity(db: LedgerDb): { deviceId: string; receiptPrefix: string } {
  return db
    .transaction(() => {
      let deviceId = getMeta(db, META.deviceId);
      let receiptPrefix = getMeta(db, META.receiptPrefix);
      if (!deviceId) {
        deviceId = uuidv7();
        setMeta(db, META.deviceId, deviceId);
      }
      if (!receiptPrefix) {
        const bytes = crypto.randomBytes(4);
        receiptPrefix = Array.from(bytes, (b) => RECEIPT_ALPHABET[b % 32]).join('');
        setMeta(db, META.receiptPrefix, receiptPrefix);
        setMeta(db, META.receiptSeq, '0');
      }
      return { deviceId, receiptPrefix };
    })
    .immediate();
}

interface BranchRow {
  id: string;
  code: string;
  name: string;
  county: string;
  timezone: string;
  policy_pack_id: string;
}

export function readBranch(db: LedgerDb): BranchInfo | null {
  const id = getMeta(db, META.branchId);
  if (!id) return null;
  const row = stmt<BranchRow>(db, 'SELECT * FROM branches WHERE id = ?').get(id);
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    county: row.county,
    timezone: row.timezone,
    policyPackId: row.policy_pack_id,
  };
}

export function bindLedger(db: LedgerDb, clock: LedgerClock = systemClock): Ledger {
  const branch = readBranch(db);
  if (!branch) {
    throw new AppError(
      'not_found',
      'This ledger has no branch yet: enrol the device or create the demo ledger',
      {
        entity: 'branch',
      },
    );
  }
  const { deviceId } = ensureDeviceIdentity(db);
  return { db, clock, deviceId, branch, policy: ledgerPolicyFor(branch.policyPackId) };
}

/** The business date now, in the branch's time zone. */
export function ledgerToday(ledger: Ledger): IsoDate {
  return businessDate(ledger.clock.now(), ledger.branch.timezone);
}
