// Hybrid-logical-clock stamps for this device (format and rules: shared/sync/hlc.ts).
// The last stamp issued is kept in meta inside the caller's transaction, so a rolled-back
// command does not advance the clock, and a wall clock set backwards never makes a later
// stamp sort before an earlier one.
import crypto from 'node:crypto';
import { HybridLogicalClock, type Hlc } from '../../shared/sync/hlc';
import type { LedgerDb } from './db';
import { getMeta, META, setMeta } from './meta';

/** The 16-hex-digit HLC node id of a device: stable for its device id, whatever that id's form. */
export function hlcNodeFor(deviceId: string): string {
  return crypto.createHash('sha256').update(deviceId, 'utf8').digest('hex').slice(0, 16);
}

/** Issues the next local stamp: strictly greater than every stamp issued before on this device. */
export function nextHlc(db: LedgerDb, deviceId: string, nowMs: number): Hlc {
  const clock = new HybridLogicalClock(hlcNodeFor(deviceId), getMeta(db, META.hlcLast));
  const stamp = clock.send(nowMs);
  setMeta(db, META.hlcLast, stamp);
  return stamp;
}
