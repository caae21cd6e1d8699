// Enrolment: server URL + one-time code → device id and token, stored in the (encrypted)
// ledger with the branch and its users, so the first user can sign in offline at once.
// The first pull follows that sign-in (every sync request is signed by a user).
import { SyncHttpClient, type SyncHttpOptions } from '../../../shared/node/sync-http';
import type { EnrolResponse } from '../../../shared/sync/protocol';
import type { PullItem } from '../../../shared/sync/records';
import { AppError } from '../../../shared/errors';
import type { LedgerDb } from '../db';
import { getMeta, META, setMeta } from '../meta';
import { applyPullPage } from './apply-pull';
import { getSyncState, setSyncState, SYNC_KEYS } from './sync-store';

export interface EnrolOptions {
  db: LedgerDb;
  serverUrl: string;
  code: string;
  deviceName: string;
  http?: Omit<SyncHttpOptions, 'baseUrl'>;
  now?: () => number;
}

export function isEnrolled(db: LedgerDb): boolean {
  return getSyncState(db, SYNC_KEYS.deviceToken) !== null;
}

export async function enrolDevice(options: EnrolOptions): Promise<EnrolResponse> {
  const { db } = options;
  const now = options.now ?? Date.now;
  if (isEnrolled(db)) {
    throw new AppError('conflict', 'This device is already enrolled', {
      reason: 'already_enrolled',
    });
  }
  // The server's device id becomes this ledger's: every fact and mutation carries it.
  const anything = db
    .prepare('SELECT (SELECT count(*) FROM facts) + (SELECT count(*) FROM outbox)')
    .pluck()
    .get() as number;
  if (anything > 0 || getMeta(db, META.demo) === '1') {
    throw new AppError('conflict', 'Enrol into an empty ledger, not one with work or demo data', {
      reason: 'ledger_not_empty',
    });
  }
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const http = new SyncHttpClient({ ...options.http, baseUrl: serverUrl });
  const answer = await http.enrol(options.code, options.deviceName);
  const items: PullItem[] = [];
  if (answer.branch) items.push({ type: 'branch', branch: answer.branch });
  for (const user of answer.users) items.push({ type: 'user', user });
  db.transaction(() => {
    setMeta(db, META.deviceId, answer.deviceId);
    setMeta(db, META.demo, '0');
    setSyncState(db, SYNC_KEYS.serverUrl, serverUrl);
    setSyncState(db, SYNC_KEYS.deviceToken, answer.deviceToken);
    setSyncState(db, SYNC_KEYS.enrolledAt, new Date(now()).toISOString());
    applyPullPage(db, items, now());
  }).immediate();
  return answer;
}
