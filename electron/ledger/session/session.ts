// The device session: which ledger is open (the demo, none yet, or one enrolled with head
// office), who is signed in, and the sync engine and scheduler of an enrolled ledger. Both
// transports (Electron main, the dev bridge) serve its handlers: the session operations
// (shared/api/sync-contract.ts) answered here, every other operation passed to the open
// case ledger only while a user is signed in and the screen is not locked.
//
// Invariants:
// - Auth keys (Map userId → authKey) live in this object only, never on disk; they are
//   kept across lock and switch user (a shared laptop's pending work stays signable) and
//   dropped on wipe and close.
// - Lockout (5 failures → 15 minutes) is the sync client's signInOffline, kept in the ledger.
// - Auto-lock after 10 idle minutes is evaluated lazily on every call, with the injected
//   clock; any call counts as activity except the ones the renderer polls.
// - On the server's wipe answer the ledger, its key and caches are deleted and the
//   session returns to not_enrolled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  OP_NAMES,
  type AppInfo,
  type CallContext,
  type CompleteApiHandlers,
  type OpName,
} from '../../../shared/api/contract';
import type {
  DeviceMode,
  DeviceSetupView,
  ProvisioningOffer,
  SessionOpName,
  SessionStateView,
  SignInResult,
  SyncStatusView,
} from '../../../shared/api/sync-contract';
import { AppError } from '../../../shared/errors';
import type { SyncHttpOptions } from '../../../shared/node/sync-http';
import { serverUrlSchema, formatFingerprint } from '../../../shared/provisioning';
import { ProvisioningError, type VerifiedProvisioning } from '../../../shared/provisioning';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerClock } from '../clock';
import { openLedger, type LedgerDb } from '../db';
import { openCaseLedger, type CaseLedger } from '../index';
import { getMeta, META, setMeta } from '../meta';
import { enrolDevice, isEnrolled } from '../sync/enrol';
import { SyncScheduler, type SchedulerTimers } from '../sync/scheduler';
import { AUTO_LOCK_IDLE_MS, shouldAutoLock, signInOffline } from '../sync/sign-in';
import { isRetryable, SyncEngine } from '../sync/sync-engine';
import { dismissRefusal } from '../sync/refusals';
import { ensureSyncSchema } from '../sync/sync-schema';
import { wipeDataFolder, type DataFolderLayout } from '../sync/wipe';
import { deviceUsers, enrolledStatus, idleStatus, sessionUser } from './session-status';

export interface ProvisioningSource {
  discover(): {
    found: VerifiedProvisioning | null;
    skipped: { path: string; code: string; message: string }[];
  };
  markUsed(found: VerifiedProvisioning): void;
  /** A file the user opened in the wizard; throws ProvisioningError when it cannot be used. */
  verifyFile?(path: string): VerifiedProvisioning;
}

export interface SessionOptions {
  /** The ledger file (<dataDir>/ledger.db). */
  ledgerFile: string;
  /** Loads the ledger key, creating one when there is none (after a wipe, a new one). */
  key(): Buffer;
  /** Creates (once) and returns the demo ledger's file and key. */
  ensureDemo(): { file: string; key: Buffer };
  /** What a wipe removes: ledger, key file, caches. */
  wipeLayout: DataFolderLayout;
  /** With no ledger yet: open the demo at once (dev bridge), or show the wizard (desktop). */
  firstRun: 'demo' | 'wizard';
  keyStorage: AppInfo['keyStorage'];
  appVersion?: string;
  today?: IsoDate;
  /** Wall clock in epoch ms: lockout, auto-lock, sync times. Default Date.now. */
  now?(): number;
  /** The case ledger's clock (tests). */
  ledgerClock?: LedgerClock;
  provisioning?: ProvisioningSource;
  http?: Omit<SyncHttpOptions, 'baseUrl'>;
  /** Sync at sign-in and on a schedule (off in tests, which call sync.now). */
  autoSync?: boolean;
  timers?: SchedulerTimers;
  idleLockMs?: number;
  deviceName?: string;
  log?(message: string, err?: unknown): void;
}

export interface LedgerSession {
  handlers: CompleteApiHandlers;
  callContext(): CallContext;
  mode(): DeviceMode;
  /** The open case ledger (demo, or enrolled once someone signed in), for test hooks. */
  caseLedger(): CaseLedger | null;
  /** The OS says the network is back. */
  networkBack(): void;
  close(): void;
}

/** Operations the renderer polls: they never count as user activity. */
const POLLED: ReadonlySet<OpName> = new Set<OpName>(['sync.status', 'session.state']);

interface Enrolled {
  kind: 'enrolled';
  db: LedgerDb;
  /** Opened at the first sign-in (a fresh enrolment has no current user yet). */
  ledger: CaseLedger | null;
  engine: SyncEngine;
  scheduler: SyncScheduler;
}
type Phase =
  | { kind: 'demo'; ledger: CaseLedger; file: string; key: Buffer }
  | { kind: 'not_enrolled' }
  | Enrolled;

function notAvailable(reason: string, message: string): AppError {
  return new AppError('forbidden', message, { reason });
}

export function createSessionHandlers(options: SessionOptions): LedgerSession {
  const now = options.now ?? Date.now;
  const idleMs = options.idleLockMs ?? AUTO_LOCK_IDLE_MS;
  const log = options.log ?? (() => undefined);
  const authKeys = new Map<string, string>();
  let signedIn: string | null = null;
  let locked = false;
  let lastActivity = now();
  /** When head office's wipe answer emptied this device (shown by the wizard). */
  let wipedAt: string | null = null;
  let phase: Phase = start();

  function openCase(file: string, key: Buffer): CaseLedger {
    return openCaseLedger({
      file,
      key,
      keyStorage: options.keyStorage,
      ...(options.appVersion !== undefined && { appVersion: options.appVersion }),
      ...(options.today !== undefined && { today: options.today }),
      ...(options.ledgerClock !== undefined && { clock: options.ledgerClock }),
    });
  }

  function openDemo(): Phase {
    const demo = options.ensureDemo();
    return { kind: 'demo', ledger: openCase(demo.file, demo.key), file: demo.file, key: demo.key };
  }

  function start(): Phase {
    if (!fs.existsSync(options.ledgerFile)) {
      return options.firstRun === 'demo' ? openDemo() : { kind: 'not_enrolled' };
    }
    const key = options.key();
    const db = openLedger({ file: options.ledgerFile, key });
    try {
      ensureSyncSchema(db);
      if (getMeta(db, META.demo) === '1') {
        db.close();
        return {
          kind: 'demo',
          ledger: openCase(options.ledgerFile, key),
          file: options.ledgerFile,
          key,
        };
      }
      if (!isEnrolled(db)) {
        // Left over from an enrolment that failed half way: the wizard starts again.
        db.close();
        return { kind: 'not_enrolled' };
      }
      return enrolledPhase(db, key);
    } catch (err) {
      if (db.open) db.close();
      throw err;
    }
  }

  /** An enrolled ledger: opened as a case ledger once it has had a signed-in user. */
  function enrolledPhase(db: LedgerDb, key: Buffer): Enrolled {
    let ledger: CaseLedger | null = null;
    let handle = db;
    if (getMeta(db, META.currentUserId) !== null) {
      db.close();
      ledger = openCase(options.ledgerFile, key);
      handle = ledger.db;
    }
    return withEngine(handle, ledger);
  }

  function withEngine(db: LedgerDb, ledger: CaseLedger | null): Enrolled {
    const engine = new SyncEngine({
      db,
      signedInUserId: () => signedIn,
      authorKeys: () => authKeys,
      wipe: () => wipe(),
      now,
      ...(options.http && { http: options.http }),
    });
    const scheduler = new SyncScheduler({
      run: () => engine.sync(),
      isRetryable,
      ...(options.timers && { timers: options.timers }),
      onError: (err) => log('sync failed', err),
    });
    return { kind: 'enrolled', db, ledger, engine, scheduler };
  }

  function closePhase(): void {
    if (phase.kind === 'demo') phase.ledger.close();
    if (phase.kind === 'enrolled') {
      phase.scheduler.stop();
      if (phase.ledger) phase.ledger.close();
      else if (phase.db.open) phase.db.close();
    }
  }

  function wipe(): void {
    log('head office revoked this device: wiping its ledger, keys and caches');
    closePhase();
    wipeDataFolder(options.wipeLayout);
    authKeys.clear();
    signedIn = null;
    locked = false;
    phase = { kind: 'not_enrolled' };
    wipedAt = new Date(now()).toISOString();
  }

  /** Locks the screen when the user has been idle long enough. */
  function checkIdle(): void {
    if (signedIn !== null && !locked && shouldAutoLock(lastActivity, now(), idleMs)) locked = true;
  }

  function state(): SessionStateView {
    checkIdle();
    const mode = phase.kind;
    if (phase.kind === 'demo') {
      const user = sessionUser(phase.ledger.db, phase.ledger.currentUserId);
      return { mode, demo: true, signedIn: user, locked: false, users: [], autoLockAt: null };
    }
    if (phase.kind === 'not_enrolled') {
      return {
        mode,
        demo: false,
        signedIn: null,
        locked: false,
        users: [],
        autoLockAt: null,
        ...(wipedAt !== null && { wipedAt }),
      };
    }
    return {
      mode,
      demo: false,
      signedIn: signedIn ? sessionUser(phase.db, signedIn) : null,
      locked,
      users: deviceUsers(phase.db),
      autoLockAt: signedIn && !locked ? lastActivity + idleMs : null,
    };
  }

  function syncStatus(): SyncStatusView {
    if (phase.kind !== 'enrolled') return idleStatus(phase.kind);
    return enrolledStatus(phase.db, phase.engine.status());
  }

  /** The ledger a work operation runs on, or why there is none. */
  function workingLedger(): CaseLedger {
    checkIdle();
    if (phase.kind === 'demo') return phase.ledger;
    if (phase.kind === 'not_enrolled')
      throw notAvailable('not_enrolled', 'This device is not set up yet');
    if (signedIn === null || phase.ledger === null)
      throw notAvailable('signed_out', 'Sign in first');
    if (locked) throw notAvailable('locked', 'The screen is locked; sign in again');
    return phase.ledger;
  }

  async function signIn(login: string, password: string): Promise<SignInResult> {
    if (phase.kind === 'demo') return { ok: true, state: state() };
    if (phase.kind === 'not_enrolled')
      throw notAvailable('not_enrolled', 'This device is not set up yet');
    const outcome = await signInOffline(phase.db, login, password, now());
    if (!outcome.ok) return outcome;
    authKeys.set(outcome.userId, outcome.authKey);
    signedIn = outcome.userId;
    locked = false;
    lastActivity = now();
    if (phase.ledger === null) {
      // The first sign-in after enrolment: the ledger now has a current user to open with.
      phase.scheduler.stop();
      phase.db.close();
      const ledger = openCase(options.ledgerFile, options.key());
      phase = withEngine(ledger.db, ledger);
    }
    if (options.autoSync !== false) void phase.scheduler.start();
    return { ok: true, state: state() };
  }

  async function enrol(
    input:
      | { serverUrl: string; code: string; deviceName: string }
      | { provisioningPath: string; deviceName: string }
      | { deviceName: string },
  ): Promise<SessionStateView> {
    if (phase.kind === 'enrolled')
      throw new AppError('conflict', 'This device is already enrolled', {
        reason: 'already_enrolled',
      });
    let provisioned: VerifiedProvisioning | null = null;
    let serverUrl: string;
    let code: string;
    if ('serverUrl' in input) {
      const url = serverUrlSchema.safeParse(input.serverUrl);
      if (!url.success)
        throw new AppError('invalid_input', 'Not a server address', {
          field: 'serverUrl',
          reason: 'not_a_url',
        });
      serverUrl = url.data;
      code = input.code;
    } else if ('provisioningPath' in input) {
      // Verified again here, not trusted from the wizard's earlier look: the file may have
      // changed, expired or been used since.
      provisioned = openedFile(input.provisioningPath);
      serverUrl = provisioned.payload.serverUrl;
      code = provisioned.payload.enrolmentCode;
    } else {
      provisioned = options.provisioning?.discover().found ?? null;
      if (!provisioned)
        throw new AppError('not_found', 'No usable provisioning file', {
          entity: 'provisioning',
        });
      serverUrl = provisioned.payload.serverUrl;
      code = provisioned.payload.enrolmentCode;
    }
    // The demo's made-up borrowers have no place in a real ledger: it starts empty.
    closePhase();
    phase = { kind: 'not_enrolled' };
    removeLedgerFile();
    const key = options.key();
    fs.mkdirSync(path.dirname(options.ledgerFile), { recursive: true });
    const db = openLedger({ file: options.ledgerFile, key });
    try {
      ensureSyncSchema(db);
      await enrolDevice({
        db,
        serverUrl,
        code,
        deviceName: input.deviceName,
        now,
        ...(options.http && { http: options.http }),
      });
    } catch (err) {
      db.close();
      removeLedgerFile();
      throw enrolError(err);
    }
    if (provisioned) options.provisioning?.markUsed(provisioned);
    wipedAt = null;
    authKeys.clear();
    signedIn = null;
    locked = false;
    phase = withEngine(db, null);
    return state();
  }

  function removeLedgerFile(): void {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${options.ledgerFile}${suffix}`, { force: true });
  }

  /** A provisioning file the user opened, verified, or an invalid_input the wizard translates. */
  function openedFile(file: string): VerifiedProvisioning {
    if (!options.provisioning?.verifyFile)
      throw new AppError('forbidden', 'This app cannot read provisioning files', {
        reason: 'provisioning_unsupported',
      });
    try {
      return options.provisioning.verifyFile(file);
    } catch (err) {
      if (err instanceof ProvisioningError)
        throw new AppError('invalid_input', err.message, {
          field: 'file',
          reason: 'provisioning',
          code: err.code,
        });
      throw err;
    }
  }

  function setup(): DeviceSetupView {
    const discovery = phase.kind === 'enrolled' ? null : (options.provisioning?.discover() ?? null);
    const found = discovery?.found ?? null;
    return {
      mode: phase.kind,
      provisioning: found ? offerOf(found) : null,
      skipped: (discovery?.skipped ?? []).map((s) => ({
        path: s.path,
        code: s.code,
        message: s.message,
      })),
      defaultDeviceName: options.deviceName ?? os.hostname(),
    };
  }

  const session: { [N in SessionOpName]: CompleteApiHandlers[N] } = {
    'sync.status': () => syncStatus(),
    'sync.now': async () => {
      if (phase.kind === 'demo')
        throw new AppError('conflict', 'The demo ledger has no server to sync with', {
          reason: 'demo_has_no_server',
        });
      if (phase.kind === 'not_enrolled')
        throw notAvailable('not_enrolled', 'This device is not set up yet');
      if (signedIn === null) throw notAvailable('signed_out', 'Sign in first');
      // Failures are recorded in the status (lastError, online); the answer is the status.
      await phase.scheduler.syncNow();
      return syncStatus();
    },
    'sync.dismissRefusal': (input) => {
      if (phase.kind !== 'enrolled')
        throw notAvailable(phase.kind, 'Only a device that syncs has refused changes');
      // Whoever is signed in (and not locked) may act on a refusal, the author or not.
      workingLedger();
      const by = signedIn;
      if (by === null) throw notAvailable('signed_out', 'Sign in first');
      dismissRefusal(phase.db, input.mutationId, by, new Date(now()).toISOString());
      return syncStatus();
    },
    'device.setup': () => setup(),
    'device.enrol': (input) =>
      enrol('provisioningFile' in input ? { deviceName: input.deviceName } : input),
    'device.provisioningFromFile': (input) => {
      if (phase.kind === 'enrolled')
        throw new AppError('conflict', 'This device is already enrolled', {
          reason: 'already_enrolled',
        });
      return offerOf(openedFile(input.file));
    },
    'device.useDemo': () => {
      if (phase.kind === 'enrolled')
        throw new AppError('conflict', 'This device is enrolled with head office', {
          reason: 'already_enrolled',
        });
      if (phase.kind === 'not_enrolled') {
        removeLedgerFile();
        phase = openDemo();
        wipedAt = null;
      }
      return state();
    },
    'session.demoAs': (input) => {
      if (phase.kind !== 'demo')
        throw new AppError('forbidden', 'Only the demo ledger can change who is signed in', {
          reason: 'not_demo',
        });
      const { file, key } = phase;
      const userId = demoUserWithRole(phase.ledger.db, input.role);
      if (userId !== phase.ledger.currentUserId) {
        // The demo ledger is one device: who it belongs to is its current-user meta row.
        setMeta(phase.ledger.db, META.currentUserId, userId);
        phase.ledger.close();
        phase = { kind: 'demo', ledger: openCase(file, key), file, key };
      }
      return state();
    },
    'session.state': () => state(),
    'session.signIn': (input) => signIn(input.login, input.password),
    'session.lock': () => {
      if (signedIn !== null) locked = true;
      return state();
    },
    'session.switchUser': () => {
      // The auth key stays: the user's pending work can still be signed and pushed.
      signedIn = null;
      locked = false;
      return state();
    },
    'session.touch': () => state(),
  };

  const handlers = {} as Record<OpName, (input: unknown, ctx: CallContext) => unknown>;
  const sessionNames = new Set<string>(Object.keys(session));
  for (const name of OP_NAMES) {
    if (sessionNames.has(name)) {
      const own = session[name as SessionOpName] as (input: unknown, ctx: CallContext) => unknown;
      handlers[name] = (input, ctx) => {
        checkIdle();
        if (!POLLED.has(name) && !locked) lastActivity = now();
        return own(input, ctx);
      };
    } else {
      handlers[name] = (input, ctx) => {
        const ledger = workingLedger();
        lastActivity = now();
        const handler = ledger.handlers[name as Exclude<OpName, SessionOpName>] as (
          input: unknown,
          ctx: CallContext,
        ) => unknown;
        return handler(input, ctx);
      };
    }
  }

  return {
    handlers: handlers as unknown as CompleteApiHandlers,
    callContext: () => {
      if (phase.kind === 'demo') return { userId: phase.ledger.currentUserId };
      return { userId: signedIn ?? '' };
    },
    mode: () => phase.kind,
    caseLedger: () => (phase.kind === 'not_enrolled' ? null : phase.ledger),
    networkBack: () => {
      if (phase.kind === 'enrolled' && signedIn !== null) void phase.scheduler.networkBack();
    },
    close: () => {
      closePhase();
      authKeys.clear();
      signedIn = null;
    },
  };
}

/** The demo branch's first active user of a role (by login: officer01, manager01). */
function demoUserWithRole(db: LedgerDb, role: 'officer' | 'manager'): string {
  const row = db
    .prepare('SELECT id FROM users WHERE role = ? AND active = 1 ORDER BY login LIMIT 1')
    .get(role) as { id: string } | undefined;
  if (!row) throw new AppError('not_found', `The demo ledger has no ${role}`, { entity: 'user' });
  return row.id;
}

/** What the wizard shows of a verified file (never its enrolment code). */
function offerOf(found: VerifiedProvisioning): ProvisioningOffer {
  return {
    serverUrl: found.payload.serverUrl,
    branchCode: found.payload.branchCode,
    branchName: found.payload.branchName ?? null,
    fingerprint: formatFingerprint(found.keyFingerprint),
    source: found.source,
    insecureHttp: found.payload.allowInsecureHttp === true,
    expiresAt: found.payload.enrolmentCodeExpiresAt,
    defaultLanguage: found.payload.defaultLanguage,
  };
}

/** Enrolment failures in the terms the wizard shows (server codes kept as the reason). */
function enrolError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string')
    return new AppError('forbidden', (err as Error).message, { reason: code });
  return new AppError('conflict', err instanceof Error ? err.message : String(err), {
    reason: 'server_unreachable',
  });
}
