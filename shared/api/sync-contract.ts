// Operations of the device session: enrolment (the first-run wizard), offline sign-in with
// lockout, lock / switch user, and the sync status the header shows. They are answered by
// the session (electron/ledger/session), not by the case ledger, because they work before
// any ledger is open (not enrolled) or while nobody is signed in.
import { z } from 'zod';
import { noInput, op } from './operation';
import type { UserRole } from '../domain/types';

/** demo: the generated ledger, no server, no sign-in. not_enrolled: the wizard. */
export type DeviceMode = 'demo' | 'not_enrolled' | 'enrolled';

export interface SessionUser {
  id: string;
  name: string;
  role: UserRole;
  login: string;
}

export interface RefusedChange {
  mutationId: number;
  /** Mutation kind ('fact', 'case_update', …). */
  kind: string;
  caseId: string;
  /** Borrower of the case, when the case is still on this device. */
  borrowerName: string | null;
  recordedBy: string | null;
  createdAt: string;
  refusedAt: string | null;
  /** The server's stable refusal code (shared/sync/protocol.ts REFUSAL_CODES); the UI explains it. */
  code: string;
  message: string;
}

export interface FirstDownloadStatus {
  pages: number;
  cases: number;
  facts: number;
  items: number;
  startedAt: string;
}

export interface SyncStatusView {
  mode: DeviceMode;
  /** Last request reached the server; null before the first attempt (and always in the demo). */
  online: boolean | null;
  syncing: boolean;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  pendingCount: number;
  /** Pending changes that wait for their author to sign in on this device again. */
  awaitingSignInCount: number;
  refused: RefusedChange[];
  firstDownload: FirstDownloadStatus | null;
  serverUrl: string | null;
}

export interface SessionStateView {
  mode: DeviceMode;
  demo: boolean;
  signedIn: SessionUser | null;
  /** Signed in, but the screen is locked (idle, or locked by hand): the password unlocks it. */
  locked: boolean;
  /** Users who can sign in on this device (from head office), for the switch-user list. */
  users: SessionUser[];
  /** Epoch ms of the auto-lock if nothing happens before then; null when not signed in. */
  autoLockAt: number | null;
  /**
   * Set when head office revoked this device and the session wiped its ledger (until the
   * next enrolment or the demo): the wizard says why it is back.
   */
  wipedAt?: string;
}

export interface ProvisioningOffer {
  serverUrl: string;
  branchCode: string;
  branchName: string | null;
  /** Grouped for reading aloud ("3f9a 0c12 …"), compared with what the admin CLI printed. */
  fingerprint: string;
  source: string;
  insecureHttp: boolean;
  expiresAt: string;
  /** The laptop's default language the file asks for ('zh-CN' | 'en'); absent from older offers. */
  defaultLanguage?: string;
}

export interface DeviceSetupView {
  mode: DeviceMode;
  provisioning: ProvisioningOffer | null;
  /** Files found but unusable, with a stable code the wizard translates. */
  skipped: { path: string; code: string; message: string }[];
  defaultDeviceName: string;
}

export type SignInResult =
  | { ok: true; state: SessionStateView }
  | {
      ok: false;
      reason: 'unknown_user' | 'user_disabled' | 'wrong_password';
      failuresLeft: number;
    }
  | { ok: false; reason: 'locked'; lockedUntil: string };

const deviceName = z.string().trim().min(1).max(100);

export const enrolInputSchema = z.union([
  z
    .object({
      serverUrl: z.string().trim().min(1).max(300),
      code: z.string().trim().min(1).max(64),
      deviceName,
    })
    .strict(),
  z.object({ provisioningFile: z.literal(true), deviceName }).strict(),
  /** A file the user opened in the wizard (a path on the machine that runs the ledger). */
  z.object({ provisioningPath: z.string().min(1).max(4096), deviceName }).strict(),
]);

export const provisioningFromFileInputSchema = z
  .object({ file: z.string().min(1).max(4096) })
  .strict();

export const signInInputSchema = z
  .object({
    login: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(200),
  })
  .strict();

export const syncOps = {
  'sync.status': op<SyncStatusView>()(noInput),
  /** Runs a sync now (or joins the one running) and answers the status after it. */
  'sync.now': op<SyncStatusView>()(noInput),
  /**
   * Someone has dealt with a refused change (told the manager, recorded it again): it leaves
   * the refused list, whether or not its case is on this device. A refused fact stays on its
   * case's timeline, marked refused, and still counts nowhere. Answers the status after it.
   */
  'sync.dismissRefusal': op<SyncStatusView>()(
    z.object({ mutationId: z.number().int().positive() }).strict(),
  ),
  'device.setup': op<DeviceSetupView>()(noInput),
  'device.enrol': op<SessionStateView>()(enrolInputSchema),
  /**
   * First-run wizard, "Open provisioning file…": verifies the file (signature, trusted key,
   * expiry, not used before) and answers what it contains; enrol with { provisioningPath }.
   * A file that cannot be used is invalid_input with params { field: 'file', reason:
   * 'provisioning', code: <ProvisioningErrorCode> }.
   */
  'device.provisioningFromFile': op<ProvisioningOffer>()(provisioningFromFileInputSchema),
  /** First-run wizard: run standalone on the generated demo ledger. */
  'device.useDemo': op<SessionStateView>()(noInput),
  'session.state': op<SessionStateView>()(noInput),
  /** Demo ledger only: act as the branch's officer or its manager, to see both roles' screens. */
  'session.demoAs': op<SessionStateView>()(
    z.object({ role: z.enum(['officer', 'manager']) }).strict(),
  ),
  'session.signIn': op<SignInResult>()(signInInputSchema),
  'session.lock': op<SessionStateView>()(noInput),
  'session.switchUser': op<SessionStateView>()(noInput),
  /** The user did something (key, click): postpones the auto-lock. */
  'session.touch': op<SessionStateView>()(noInput),
} as const;

export type SessionOpName = keyof typeof syncOps;
export const SESSION_OP_NAMES = Object.keys(syncOps) as SessionOpName[];
