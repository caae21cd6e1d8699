// One sync run: push the outbox in batches (one request per batch), pull the change feed
// by cursor in pages (each page and its cursor in ONE transaction, so an interrupted
// pull resumes after the last page applied), then take off the device the cases the
// server moved away once their pending mutations are pushed. A 'resync_required' answer
// starts the pull again without a cursor; the outbox is never touched by a pull, so
// every pending mutation survives. On the server's wipe answer the `wipe` callback runs.
import {
  SyncHttpClient,
  SyncHttpError,
  WipeRequired,
  type DeviceCredentials,
  type SyncHttpOptions,
} from '../../../shared/node/sync-http';
import {
  PULL_MAX_LIMIT,
  PUSH_MAX_MUTATIONS,
  type PullResponse,
} from '../../../shared/sync/protocol';
import type { PullItem } from '../../../shared/sync/records';
import type { LedgerDb } from '../db';
import { getMeta, META, setMeta } from '../meta';
import {
  applyPullPage,
  derivation,
  deriveCasesFor,
  type Derivation,
  rederiveAll,
  type PageOutcome,
} from './apply-pull';
import {
  nextPushBatch,
  pendingCounts,
  refusedMutations,
  settlePushResults,
  signPendingMutations,
  type AuthorKeys,
  type RefusedMutation,
} from './outbox-sync';
import { PullAhead } from './pull-ahead';
import { SearchTextDeferral } from '../import/search-deferral';
import { removeCasesNotListed, removeDeferredCases } from './remove-case';
import { getCursor, getSyncState, setCursor, setSyncState, SYNC_KEYS } from './sync-store';
import { useRollbackJournal } from '../journal-mode';
import {
  deferDownloadIndexes,
  restoreDeferredIndexes,
  restoreHeldTriggers,
} from './index-deferral';

export interface FirstDownloadProgress {
  pages: number;
  cases: number;
  facts: number;
  items: number;
  startedAt: string;
}

export interface SyncStatus {
  enrolled: boolean;
  /** Last request reached the server (any answer); null before the first attempt. */
  online: boolean | null;
  syncing: boolean;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** Mutations not yet accepted or refused. */
  pendingCount: number;
  /** Of those, how many wait for their author to sign in (no proof yet). */
  awaitingSignInCount: number;
  refused: RefusedMutation[];
  /** Counts while a first download (or a full resync) runs; null otherwise. */
  firstDownload: FirstDownloadProgress | null;
  /** Cases the server moved away that stay until their pending mutations are pushed. */
  removalsWaiting: number;
}

export interface SyncRunResult {
  pushRequests: number;
  pullRequests: number;
  accepted: number;
  refused: number;
  itemsApplied: number;
  casesRemoved: number;
  resynced: boolean;
  /** Items the ledger could not take (see PageOutcome.unapplied); expected to be empty. */
  unapplied: PageOutcome['unapplied'];
}

export interface SyncEngineHooks {
  /** TEST HOOK: runs inside a page's transaction, before its cursor is written. */
  beforePageCommit?(pageIndex: number, items: readonly PullItem[]): void;
}

export interface SyncEngineOptions {
  db: LedgerDb;
  /** The signed-in user the requests are made as (pull visibility and cursor are per user). */
  signedInUserId(): string | null;
  /** Auth keys of the users signed in now (signs their pending mutations). */
  authorKeys(): AuthorKeys;
  /** Deletes the ledger, keys and caches and returns the app to enrolment. */
  wipe(reason: WipeRequired): Promise<void> | void;
  now?(): number;
  pullLimit?: number;
  pushBatchSize?: number;
  /**
   * A first download into an empty ledger builds its secondary indexes once, at the end
   * (index-deferral.ts). Default true; false writes through every index (tests compare).
   */
  deferDownloadIndexes?: boolean;
  http?: Omit<SyncHttpOptions, 'baseUrl'>;
  hooks?: SyncEngineHooks;
}

/** Whole-request failures worth retrying later (network, cut bodies, 5xx, rate limits). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof WipeRequired) return false;
  if (err instanceof SyncHttpError) {
    return err.status >= 500 || err.status === 429 || err.code === 'internal' || err.status === 200;
  }
  return true;
}

/** synchronous = NORMAL until restore() puts back what the ledger had. */
function relaxDurability(db: LedgerDb): { restore(): void } {
  const before = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = NORMAL');
  return {
    restore: () => {
      if (db.open) db.pragma(`synchronous = ${Number(before)}`);
    },
  };
}

// A first download commits through a rollback journal (journal-mode.ts): its five commits
// took 570-730 ms in WAL and 290-410 ms through the journal (2,000 cases, loaded machine).
// A device killed mid-page rolls the page back with its cursor at the next open.

/**
 * Items asked for by the first pages of a download from nothing (then the client's limit).
 * The device cannot start before the server has built and sent the first page: a small one
 * arrives sooner (~45 ms instead of ~130 ms for 5,500 items), and the next, bigger pages
 * are built while it is applied. Six requests for 2,000 cases instead of five.
 */
const FIRST_DOWNLOAD_RAMP: readonly number[] = [1000, 3000];

export class NotEnrolledError extends Error {
  constructor() {
    super('This device is not enrolled with a server');
    this.name = 'NotEnrolledError';
  }
}

export class SyncEngine {
  private online: boolean | null = null;
  private running: Promise<SyncRunResult> | null = null;
  private wiped = false;
  private readonly now: () => number;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Runs one sync, or joins the one already running. */
  sync(): Promise<SyncRunResult> {
    this.running ??= this.runOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  status(): SyncStatus {
    const { db } = this.options;
    const enrolled = !this.wiped && db.open && getSyncState(db, SYNC_KEYS.deviceToken) !== null;
    if (!enrolled) {
      return {
        enrolled: false,
        online: this.online,
        syncing: false,
        lastSuccessAt: null,
        lastError: null,
        pendingCount: 0,
        awaitingSignInCount: 0,
        refused: [],
        firstDownload: null,
        removalsWaiting: 0,
      };
    }
    const counts = pendingCounts(db);
    const progress = getSyncState(db, SYNC_KEYS.firstDownload);
    const lastError = getSyncState(db, SYNC_KEYS.lastError);
    return {
      enrolled,
      online: this.online,
      syncing: this.running !== null,
      lastSuccessAt: getSyncState(db, SYNC_KEYS.lastSuccessAt),
      lastError: lastError ? (JSON.parse(lastError) as SyncStatus['lastError']) : null,
      pendingCount: counts.pending,
      awaitingSignInCount: counts.awaitingSignIn,
      refused: refusedMutations(db),
      firstDownload: progress ? (JSON.parse(progress) as FirstDownloadProgress) : null,
      removalsWaiting: db
        .prepare('SELECT count(*) FROM sync_case_removals')
        .pluck()
        .get() as number,
    };
  }

  private credentials(): { device: DeviceCredentials; serverUrl: string } {
    const { db } = this.options;
    const serverUrl = getSyncState(db, SYNC_KEYS.serverUrl);
    const deviceToken = getSyncState(db, SYNC_KEYS.deviceToken);
    const deviceId = getMeta(db, META.deviceId);
    if (!serverUrl || !deviceToken || !deviceId) throw new NotEnrolledError();
    return { device: { deviceId, deviceToken }, serverUrl };
  }

  private async runOnce(): Promise<SyncRunResult> {
    const { db } = this.options;
    const { device, serverUrl } = this.credentials();
    const userId = this.options.signedInUserId();
    const keys = this.options.authorKeys();
    const authKey = userId ? keys.get(userId) : undefined;
    if (!userId || !authKey)
      throw new SyncHttpError(401, 'user_unauthenticated', 'Nobody is signed in');
    const user = { id: userId, authKey };
    const http = new SyncHttpClient({ ...this.options.http, baseUrl: serverUrl });
    const result: SyncRunResult = {
      pushRequests: 0,
      pullRequests: 0,
      accepted: 0,
      refused: 0,
      itemsApplied: 0,
      casesRemoved: 0,
      resynced: false,
      unapplied: [],
    };
    try {
      await this.push(http, device, user, keys, result);
      await this.pull(http, device, user, result);
      // Pending mutations made during the pull may hold a removed case back: push them now.
      if (db.prepare('SELECT 1 FROM sync_case_removals LIMIT 1').get()) {
        await this.push(http, device, user, keys, result);
        db.transaction(() => {
          result.casesRemoved += removeDeferredCases(db).length;
        }).immediate();
      }
      this.online = true;
      db.transaction(() => {
        setSyncState(db, SYNC_KEYS.lastSuccessAt, new Date(this.now()).toISOString());
        setSyncState(db, SYNC_KEYS.lastError, null);
      })();
      return result;
    } catch (err) {
      if (err instanceof WipeRequired) {
        this.wiped = true;
        await this.options.wipe(err);
        throw err;
      }
      this.online = err instanceof SyncHttpError && err.status !== 200;
      if (db.open) {
        const code = err instanceof SyncHttpError ? err.code : 'network';
        const message = err instanceof Error ? err.message : String(err);
        setSyncState(
          db,
          SYNC_KEYS.lastError,
          JSON.stringify({ code, message, at: new Date(this.now()).toISOString() }),
        );
      }
      throw err;
    }
  }

  private async push(
    http: SyncHttpClient,
    device: DeviceCredentials,
    user: { id: string; authKey: string },
    keys: AuthorKeys,
    result: SyncRunResult,
  ): Promise<void> {
    const { db } = this.options;
    signPendingMutations(db, device.deviceId, keys);
    const size = Math.min(this.options.pushBatchSize ?? PUSH_MAX_MUTATIONS, PUSH_MAX_MUTATIONS);
    for (;;) {
      const batch = nextPushBatch(db, device.deviceId, size);
      if (batch.length === 0) return;
      const answer = await http.push(device, user, batch);
      result.pushRequests++;
      const settled = settlePushResults(db, answer.results, new Date(this.now()).toISOString());
      result.accepted += settled.accepted;
      result.refused += settled.refused;
      // An answer that settles nothing would loop forever: leave the rest for next time.
      if (settled.accepted + settled.refused === 0) return;
    }
  }

  private async pull(
    http: SyncHttpClient,
    device: DeviceCredentials,
    user: { id: string; authKey: string },
    result: SyncRunResult,
  ): Promise<void> {
    const { db } = this.options;
    const cursor = getCursor(db, user.id);
    const downloading = cursor === null || getSyncState(db, SYNC_KEYS.firstDownload) !== null;
    // Indexes set aside by a download this pull does not continue come back now.
    if (!downloading) restoreDeferredIndexes(db);
    const journal = downloading ? useRollbackJournal(db) : null;
    try {
      await this.pullPages(http, device, user, result, cursor, journal?.switched ?? false);
    } finally {
      journal?.restore();
    }
  }

  private async pullPages(
    http: SyncHttpClient,
    device: DeviceCredentials,
    user: { id: string; authKey: string },
    result: SyncRunResult,
    from: string | null,
    rollbackJournalOn: boolean,
  ): Promise<void> {
    const { db } = this.options;
    let cursor = from;
    let page = 0;
    const limit = this.options.pullLimit ?? PULL_MAX_LIMIT;
    // Page index at which a download from nothing began (its first pages ask for fewer items).
    let downloadFrom: number | null = from === null ? 0 : null;
    const limitFor = (n: number): number => {
      const ramp = downloadFrom === null ? undefined : FIRST_DOWNLOAD_RAMP[n - downloadFrom];
      return ramp === undefined ? limit : Math.min(limit, ramp);
    };
    // The next page is asked for while this one is applied (pull-ahead.ts).
    const ahead = new PullAhead((at, index, onNextCursor) =>
      http.pull(device, user, at, limitFor(index), { onNextCursor }),
    );
    // A first download that starts in this run derives each page's new cases in the page's
    // transaction (the server sends a case with everything it holds), and at its end only
    // the cases a later page touched. One resumed from an earlier run, or whose business
    // date changed on the way, derives every case at its end instead. (The policy comes from
    // provisioning, not from the server, so a download does not change it.)
    let derivedHere: { with: Derivation; stale: Set<string> } | null = null;
    for (;;) {
      let answer: PullResponse;
      try {
        answer = await ahead.take(cursor, page);
      } catch (err) {
        ahead.clear();
        if (err instanceof SyncHttpError && err.code === 'resync_required' && !result.resynced) {
          // Start again from nothing; the outbox (pending work) is left exactly as it is.
          result.resynced = true;
          setCursor(db, user.id, null, new Date(this.now()).toISOString());
          cursor = null;
          downloadFrom = page;
          continue;
        }
        throw err;
      }
      await ahead.after(answer, page);
      result.pullRequests++;
      const items = answer.items;
      const pageIndex = page++;
      const firstDownload = cursor === null || getSyncState(db, SYNC_KEYS.firstDownload) !== null;
      // A first download commits thousands of rows a page; without an fsync per page it is
      // several times faster. Safe in WAL only: WAL keeps the ledger consistent whatever
      // happens, and a page lost to a power cut loses its cursor with it, so it is simply
      // pulled again. Through the rollback journal the ledger's FULL stays (there, NORMAL
      // could leave a ledger a power cut corrupts). Every other write keeps its setting.
      const durability = firstDownload && !rollbackJournalOn ? relaxDurability(db) : null;
      try {
        db.transaction(() => {
          if (cursor === null) {
            // A full download sends everything again: nothing kept from before is needed.
            db.prepare('DELETE FROM sync_download_seen').run();
            db.prepare('DELETE FROM sync_pending_items').run();
            // Into an empty ledger: secondary indexes are built once, at the last page.
            if (this.options.deferDownloadIndexes !== false) deferDownloadIndexes(db);
          }
          // A first download writes a case, its borrower, phones and loans in one page: the
          // search text is built once per borrower at the end of the page, not on every row.
          const search = firstDownload ? new SearchTextDeferral(db) : null;
          search?.begin();
          const outcome = applyPullPage(db, items, this.now(), { deferDerive: firstDownload });
          if (search) {
            search.rebuild([...outcome.borrowers]);
            search.finish();
          }
          if (firstDownload && cursor === null) {
            const d = derivation(db, this.now());
            derivedHere = d === null ? null : { with: d, stale: new Set() };
          }
          if (firstDownload && derivedHere) {
            for (const id of outcome.touched)
              if (!outcome.inserted.has(id)) derivedHere.stale.add(id);
            deriveCasesFor(db, outcome.inserted, derivedHere.with);
          }
          if (firstDownload) {
            const seen: string[] = [];
            for (const it of items) if (it.type === 'case') seen.push(it.case.id);
            db.prepare(
              'INSERT OR IGNORE INTO sync_download_seen (case_id) SELECT value FROM json_each(?)',
            ).run(JSON.stringify(seen));
            if (!answer.hasMore) {
              // The dashboard's triggers first: removing a case takes its contacts off the tally.
              restoreHeldTriggers(db);
              const role = db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(user.id);
              result.casesRemoved += removeCasesNotListed(
                db,
                user.id,
                typeof role === 'string' ? role : null,
              ).removed;
              if (derivedHere && derivedHere.with.asOf === derivation(db, this.now())?.asOf) {
                deriveCasesFor(db, derivedHere.stale, derivedHere.with);
                setMeta(db, META.derivedAsOf, derivedHere.with.asOf);
              } else {
                rederiveAll(db, this.now());
              }
              restoreDeferredIndexes(db);
            }
          }
          result.itemsApplied += outcome.applied;
          result.casesRemoved += outcome.casesRemoved;
          result.unapplied.push(...outcome.unapplied);
          if (firstDownload) {
            const before = getSyncState(db, SYNC_KEYS.firstDownload);
            const p: FirstDownloadProgress = before
              ? (JSON.parse(before) as FirstDownloadProgress)
              : {
                  pages: 0,
                  cases: 0,
                  facts: 0,
                  items: 0,
                  startedAt: new Date(this.now()).toISOString(),
                };
            p.pages++;
            p.items += items.length;
            for (const it of items) {
              if (it.type === 'case') p.cases++;
              else if (it.type === 'fact') p.facts++;
            }
            setSyncState(db, SYNC_KEYS.firstDownload, answer.hasMore ? JSON.stringify(p) : null);
          }
          this.options.hooks?.beforePageCommit?.(pageIndex, items);
          setCursor(db, user.id, answer.cursor, new Date(this.now()).toISOString());
        }).immediate();
      } finally {
        durability?.restore();
      }
      cursor = answer.cursor;
      if (!answer.hasMore) return;
    }
  }
}
