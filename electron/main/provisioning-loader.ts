// Finds and verifies the provisioning file for the first-run flow. Plain Node (no runtime
// import of 'electron'), so it is unit-tested; Electron main passes in its paths.
//
// Where a file is looked for, first match wins:
//   1. --provisioning=<path> on the command line (IT scripts, shortcuts);
//   2. beside the executable: the NSIS installer copies fieldbook-provisioning.json from
//      beside itself into the install folder; the portable .exe and the AppImage are
//      looked beside (PORTABLE_EXECUTABLE_DIR, APPIMAGE);
//   3. the machine-wide folder: %ProgramData%\Fieldbook (Windows), /etc/fieldbook (Linux),
//      /Library/Application Support/Fieldbook (macOS) — for software deployment tools;
//   4. the user data folder (where the ledger lives).
// The wizard can also hand over a file the user picked in a file dialog (verifyFile).
//
// How the first-run wizard (sync-client work) uses it, from Electron main:
//   const loader = createProvisioningLoader({ locations: electronProvisioningLocations(app) });
//   const { found, skipped } = loader.discover();   // found: VerifiedProvisioning | null
//   // show found.payload (server, branch, language) and formatFingerprint(found.keyFingerprint);
//   // skipped[] says why other files were not used (code + message, translated by code)
//   // ... enrol with found.payload.serverUrl + found.payload.enrolmentCode ...
//   loader.markUsed(found);                          // only after enrolment succeeded
// or, after a file dialog: loader.verifyFile(path) (throws ProvisioningError).
// With no file at all, the wizard offers "connect to a server" (URL + code typed in) or
// "run standalone on the demo ledger".
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { App } from 'electron';
import { verifyProvisioningFile } from '../../shared/node/provisioning';
import {
  PROVISIONING_FILE_NAME,
  PROVISIONING_MAX_BYTES,
  ProvisioningError,
  type ProvisioningErrorCode,
  type VerifiedProvisioning,
} from '../../shared/provisioning';

export const PROVISIONING_TRUST_FILE = 'provisioning-trust.json';

export type CandidateOrigin = 'argument' | 'beside-app' | 'machine' | 'user-data';

export interface ProvisioningCandidate {
  path: string;
  origin: CandidateOrigin;
}

export interface ProvisioningLocations {
  argv: readonly string[];
  /** The running executable (app.getPath('exe')). */
  exePath: string;
  userDataDir: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

export interface SkippedProvisioning extends ProvisioningCandidate {
  code: ProvisioningErrorCode;
  message: string;
}

export interface ProvisioningDiscovery {
  found: VerifiedProvisioning | null;
  /** Files that exist but cannot be used, and why (shown by the wizard, logged). */
  skipped: SkippedProvisioning[];
}

export interface TrustState {
  /** The head-office key this laptop accepted first; later files must be signed by it. */
  pinnedFingerprint: string | null;
  pinnedAt: string | null;
  /** SHA-256 of files already used to enrol (their codes work once). */
  usedFiles: string[];
}

export interface ProvisioningLoader {
  discover(): ProvisioningDiscovery;
  verifyFile(path: string): VerifiedProvisioning;
  markUsed(verified: VerifiedProvisioning): void;
  trustState(): TrustState;
}

function argumentPath(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--provisioning=')) return arg.slice('--provisioning='.length) || null;
    if (arg === '--provisioning' && i + 1 < argv.length) return argv[i + 1] as string;
  }
  return null;
}

function machineFolder(
  platform: NodeJS.Platform,
  env: ProvisioningLocations['env'],
): string | null {
  if (platform === 'win32')
    return env['ProgramData'] ? join(env['ProgramData'], 'Fieldbook') : null;
  if (platform === 'darwin') return '/Library/Application Support/Fieldbook';
  return '/etc/fieldbook';
}

/** Every place a provisioning file may be, in the order they are tried. */
export function provisioningCandidates(loc: ProvisioningLocations): ProvisioningCandidate[] {
  const out: ProvisioningCandidate[] = [];
  const add = (path: string | null, origin: CandidateOrigin) => {
    if (!path) return;
    const abs = resolve(path);
    if (!out.some((c) => c.path === abs)) out.push({ path: abs, origin });
  };
  add(argumentPath(loc.argv), 'argument');
  if (loc.env['PORTABLE_EXECUTABLE_DIR'])
    add(join(loc.env['PORTABLE_EXECUTABLE_DIR'], PROVISIONING_FILE_NAME), 'beside-app');
  if (loc.env['APPIMAGE'])
    add(join(dirname(loc.env['APPIMAGE']), PROVISIONING_FILE_NAME), 'beside-app');
  if (loc.platform !== 'darwin')
    add(join(dirname(loc.exePath), PROVISIONING_FILE_NAME), 'beside-app');
  const machine = machineFolder(loc.platform, loc.env);
  if (machine) add(join(machine, PROVISIONING_FILE_NAME), 'machine');
  add(join(loc.userDataDir, PROVISIONING_FILE_NAME), 'user-data');
  return out;
}

export function electronProvisioningLocations(
  app: Pick<App, 'getPath'>,
  proc: Pick<NodeJS.Process, 'argv' | 'platform' | 'env'> = process,
): ProvisioningLocations {
  return {
    argv: proc.argv,
    exePath: app.getPath('exe'),
    userDataDir: app.getPath('userData'),
    platform: proc.platform,
    env: proc.env,
  };
}

const EMPTY_TRUST: TrustState = { pinnedFingerprint: null, pinnedAt: null, usedFiles: [] };

export function readTrustState(userDataDir: string): TrustState {
  const file = join(userDataDir, PROVISIONING_TRUST_FILE);
  if (!existsSync(file)) return { ...EMPTY_TRUST, usedFiles: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A damaged pin must not silently become "trust anything": refuse until IT resets it.
    throw new Error(
      `${file} is damaged; delete it to trust the next provisioning file's key again`,
    );
  }
  const r = (raw ?? {}) as Partial<TrustState>;
  return {
    pinnedFingerprint:
      typeof r.pinnedFingerprint === 'string' && /^[0-9a-f]{64}$/.test(r.pinnedFingerprint)
        ? r.pinnedFingerprint
        : null,
    pinnedAt: typeof r.pinnedAt === 'string' ? r.pinnedAt : null,
    usedFiles: Array.isArray(r.usedFiles)
      ? r.usedFiles.filter((h): h is string => typeof h === 'string')
      : [],
  };
}

function writeTrustState(userDataDir: string, state: TrustState): void {
  mkdirSync(userDataDir, { recursive: true });
  const file = join(userDataDir, PROVISIONING_TRUST_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function readCandidate(path: string): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ProvisioningError('unreadable', `${path} cannot be read: ${(err as Error).message}`);
  }
  if (size > PROVISIONING_MAX_BYTES) {
    throw new ProvisioningError(
      'too_large',
      `${path} is ${size} bytes; a provisioning file is at most ${PROVISIONING_MAX_BYTES}`,
      { bytes: size },
    );
  }
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ProvisioningError('unreadable', `${path} cannot be read: ${(err as Error).message}`);
  }
}

export interface LoaderOptions {
  locations: ProvisioningLocations;
  now?: () => Date;
  /** Fingerprints a build trusts from the start (in addition to the pinned one). */
  builtInFingerprints?: readonly string[];
}

export function createProvisioningLoader(options: LoaderOptions): ProvisioningLoader {
  const now = options.now ?? (() => new Date());
  const userDataDir = options.locations.userDataDir;
  const builtIn = options.builtInFingerprints ?? [];

  function trusted(state: TrustState): string[] {
    return [...builtIn, ...(state.pinnedFingerprint ? [state.pinnedFingerprint] : [])];
  }

  function verifyAt(path: string, state: TrustState): VerifiedProvisioning {
    const verified = verifyProvisioningFile(readCandidate(path), {
      now: now(),
      trustedFingerprints: trusted(state),
      source: path,
    });
    if (state.usedFiles.includes(verified.fileSha256)) {
      throw new ProvisioningError(
        'already_used',
        `${path} was already used to set up this laptop; its enrolment code works once`,
      );
    }
    return verified;
  }

  return {
    discover() {
      const state = readTrustState(userDataDir);
      const skipped: SkippedProvisioning[] = [];
      for (const candidate of provisioningCandidates(options.locations)) {
        if (!existsSync(candidate.path)) {
          if (candidate.origin === 'argument') {
            skipped.push({
              ...candidate,
              code: 'not_found',
              message: `${candidate.path} does not exist`,
            });
          }
          continue;
        }
        try {
          return { found: verifyAt(candidate.path, state), skipped };
        } catch (err) {
          if (!(err instanceof ProvisioningError)) throw err;
          skipped.push({ ...candidate, code: err.code, message: err.message });
        }
      }
      return { found: null, skipped };
    },
    verifyFile(path) {
      if (!existsSync(path)) throw new ProvisioningError('not_found', `${path} does not exist`);
      return verifyAt(resolve(path), readTrustState(userDataDir));
    },
    markUsed(verified) {
      const state = readTrustState(userDataDir);
      const pinned = state.pinnedFingerprint ?? verified.keyFingerprint;
      if (pinned !== verified.keyFingerprint && !builtIn.includes(verified.keyFingerprint)) {
        throw new ProvisioningError(
          'untrusted_key',
          'This file is signed by a key other than the one this laptop trusts',
        );
      }
      writeTrustState(userDataDir, {
        pinnedFingerprint: pinned,
        pinnedAt: state.pinnedAt ?? now().toISOString(),
        usedFiles: [...new Set([...state.usedFiles, verified.fileSha256])],
      });
    },
    trustState() {
      return readTrustState(userDataDir);
    },
  };
}
