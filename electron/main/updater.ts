// Updates from head office: electron-updater on the generic feed the sync server serves at
// <serverUrl>/updates/<channel> (server/updates), with the URL and channel taken from the
// laptop's provisioning — an unprovisioned (demo/standalone) laptop checks nothing.
//
// Downloads happen by themselves; installing never does while changes wait to be synced,
// unless the user has been told how many and said yes. Why: the outbox survives an update
// (it lives in the ledger, in the user data folder), but a newer app may speak a newer
// sync schema than head office accepts yet, so syncing first is the safe order.
//
// No runtime import of 'electron' or 'electron-updater' here: Electron main passes in
// `autoUpdater` (from electron-updater) and its dialogs, so the decisions are unit-tested.
// Wiring in electron/main/index.ts (the lead's part):
//   import { autoUpdater } from 'electron-updater';
//   const updates = createUpdateController({
//     updater: autoUpdater, feedUrl: updateFeedUrl(p.serverUrl, p.updateChannel), log,
//     pendingChanges: () => ledger.pendingMutationCount(),
//     confirm: (prompt) => askWithDialog(prompt),   // dialog.showMessageBox, translated by prompt.kind
//     notify: (notice) => sendToRenderer(notice),
//   });
//   updates.start();
//   app.on('before-quit', (e) => updates.onBeforeQuit(e));
import type { AppUpdater, UpdateDownloadedEvent } from 'electron-updater';

export type InstallTrigger =
  /** The download just finished. */
  | 'downloaded'
  /** The user chose "restart and update". */
  | 'user'
  /** The app is quitting. */
  | 'quit';

export type UpdatePrompt =
  /** Nothing waits to be synced: restart now to update? (no: it installs when the app quits) */
  | { kind: 'restart_now'; version: string }
  /** `pending` changes (null: unknown) are not synced yet: install anyway? */
  | { kind: 'pending_changes'; version: string; pending: number | null };

export type UpdateNotice =
  /** Downloaded; it installs once changes are synced (and the app quits or the user restarts). */
  { kind: 'ready_after_sync'; version: string; pending: number | null };

export type InstallDecision =
  | { action: 'install' }
  | { action: 'ask'; prompt: UpdatePrompt }
  | { action: 'defer'; notice: UpdateNotice | null };

/** The pending-change count, or null when it cannot be known (treated as "some"). */
export function readPending(pendingChanges: () => number): number | null {
  try {
    const n = pendingChanges();
    return Number.isInteger(n) && n >= 0 ? n : null;
  } catch {
    return null;
  }
}

/** What to do with a downloaded update. Pure: the whole policy is here. */
export function decideInstall(
  trigger: InstallTrigger,
  pending: number | null,
  version: string,
): InstallDecision {
  const clean = pending === 0;
  switch (trigger) {
    case 'downloaded':
      return clean
        ? { action: 'ask', prompt: { kind: 'restart_now', version } }
        : { action: 'defer', notice: { kind: 'ready_after_sync', version, pending } };
    case 'user':
      return clean
        ? { action: 'install' }
        : { action: 'ask', prompt: { kind: 'pending_changes', version, pending } };
    case 'quit':
      // Quitting is never held up by a question; the update waits for a clean quit.
      return clean ? { action: 'install' } : { action: 'defer', notice: null };
  }
}

export type UpdaterLike = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowDowngrade'
  | 'setFeedURL'
  | 'checkForUpdates'
  | 'quitAndInstall'
  | 'on'
> & { logger: AppUpdater['logger'] };

export interface UpdateLog {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

export type UpdateState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'downloading'; version: string; percent: number }
  | { status: 'ready'; version: string }
  | { status: 'installing'; version: string }
  | { status: 'error'; message: string };

export interface UpdateControllerOptions {
  updater: UpdaterLike;
  /** <serverUrl>/updates/<channel> (updateFeedUrl in shared/provisioning.ts). */
  feedUrl: string;
  /** Changes in the outbox not yet accepted by the server. */
  pendingChanges: () => number;
  /** Ask the user; resolves true for "install now". */
  confirm: (prompt: UpdatePrompt) => Promise<boolean>;
  notify?: (notice: UpdateNotice) => void;
  onState?: (state: UpdateState) => void;
  log: UpdateLog;
  /** First check after start (default 30 s), then every checkIntervalMs (default 4 h). */
  firstCheckDelayMs?: number;
  checkIntervalMs?: number;
}

export interface UpdateController {
  start(): void;
  stop(): void;
  checkNow(): Promise<void>;
  /** The user's "restart and update" (menu or banner). Resolves true when installing. */
  installNow(): Promise<boolean>;
  /** Wire to app.on('before-quit'). */
  onBeforeQuit(event: { preventDefault(): void }): void;
  state(): UpdateState;
}

export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const { updater, log } = options;
  let state: UpdateState = { status: 'idle' };
  let downloaded: string | null = null;
  let installing = false;
  let asking = false;
  const timers: ReturnType<typeof setTimeout>[] = [];

  const setState = (next: UpdateState) => {
    state = next;
    options.onState?.(next);
  };

  updater.autoDownload = true;
  // Installing on quit is decided here (onBeforeQuit), never left to electron-updater.
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.logger = log;
  // One byte range per request: the feed answers exactly that (server/updates/range.ts).
  updater.setFeedURL({ provider: 'generic', url: options.feedUrl, useMultipleRangeRequest: false });

  updater.on('checking-for-update', () => setState({ status: 'checking' }));
  updater.on('update-not-available', () => setState({ status: 'idle' }));
  updater.on('update-available', (info) =>
    setState({ status: 'downloading', version: info.version, percent: 0 }),
  );
  updater.on('download-progress', (p) => {
    if (state.status === 'downloading') setState({ ...state, percent: Math.round(p.percent) });
  });
  updater.on('error', (err) => {
    // Offline is the normal state of a field laptop: log, show quietly, try again later.
    log.warn(`update check failed: ${err.message}`);
    if (!downloaded) setState({ status: 'error', message: err.message });
  });
  updater.on('update-downloaded', (info: UpdateDownloadedEvent) => {
    downloaded = info.version;
    setState({ status: 'ready', version: info.version });
    void handle('downloaded');
  });

  function install(trigger: InstallTrigger): void {
    if (!downloaded || installing) return;
    installing = true;
    setState({ status: 'installing', version: downloaded });
    log.info(`installing update ${downloaded} (${trigger})`);
    // Silent installer; restart the app afterwards unless the user was quitting anyway.
    updater.quitAndInstall(true, trigger !== 'quit');
  }

  async function handle(trigger: Exclude<InstallTrigger, 'quit'>): Promise<boolean> {
    if (!downloaded || installing || asking) return false;
    const version = downloaded;
    const decision = decideInstall(trigger, readPending(options.pendingChanges), version);
    if (decision.action === 'install') {
      install(trigger);
      return true;
    }
    if (decision.action === 'defer') {
      if (decision.notice) options.notify?.(decision.notice);
      log.info(`update ${version} downloaded; waiting for pending changes to sync`);
      return false;
    }
    asking = true;
    try {
      if (!(await options.confirm(decision.prompt))) return false;
      // Work may have been recorded while the question was open: look again.
      const pendingNow = readPending(options.pendingChanges);
      if (decision.prompt.kind === 'restart_now' && pendingNow !== 0) {
        if (!(await options.confirm({ kind: 'pending_changes', version, pending: pendingNow })))
          return false;
      }
      install(trigger);
      return true;
    } finally {
      asking = false;
    }
  }

  async function checkNow(): Promise<void> {
    try {
      await updater.checkForUpdates();
    } catch (err) {
      log.warn(`update check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    start() {
      const first = setTimeout(() => void checkNow(), options.firstCheckDelayMs ?? 30_000);
      const every = setInterval(
        () => void checkNow(),
        options.checkIntervalMs ?? 4 * 60 * 60 * 1000,
      );
      first.unref?.();
      every.unref?.();
      timers.push(first, every);
    },
    stop() {
      for (const t of timers.splice(0)) clearTimeout(t);
    },
    checkNow,
    installNow: () => handle('user'),
    onBeforeQuit(event) {
      if (!downloaded || installing) return;
      const decision = decideInstall('quit', readPending(options.pendingChanges), downloaded);
      if (decision.action !== 'install') {
        log.info(`update ${downloaded} not installed on quit: changes are waiting to be synced`);
        return;
      }
      // quitAndInstall quits the app itself once the installer is on its way.
      event.preventDefault();
      install('quit');
    },
    state: () => state,
  };
}
