// What the desktop shell adds around the ledger: redacted logs, a Help menu with the
// support bundle, and updates from head office once the laptop is provisioned.
// Each piece is written and tested in its own module; this file only wires them to
// Electron, which is why it stays small.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { autoUpdater } from 'electron-updater';
import { updateFeedUrl } from '../../shared/provisioning';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { LEDGER_SCHEMA_VERSION } from '../ledger';
import type { LedgerDb } from '../ledger/db';
import { defaultBundleName, writeSupportBundle } from '../support/bundle';
import { syncStateFromLedger } from '../support/sync-state';
import { initLogging, logDirectory, type MainLog } from './logging';
import { createProvisioningLoader, electronProvisioningLocations } from './provisioning-loader';
import { createUpdateController, type UpdateController, type UpdatePrompt } from './updater';

export interface DesktopServices {
  log: MainLog;
  /** Call once at start: menu and updates read the sync state of whichever ledger is open now. */
  attachLedger(currentDb: () => LedgerDb | null): void;
}

const zh = () => app.getLocale().startsWith('zh');

function promptText(prompt: UpdatePrompt): { message: string; detail: string } {
  if (prompt.kind === 'restart_now') {
    return zh()
      ? { message: `Fieldbook ${prompt.version} 已下载`, detail: '现在重启以完成更新？' }
      : {
          message: `Fieldbook ${prompt.version} is ready`,
          detail: 'Restart now to finish the update?',
        };
  }
  const n = prompt.pending === null ? '?' : String(prompt.pending);
  return zh()
    ? {
        message: `还有 ${n} 条记录未同步`,
        detail: '建议先联网同步再更新。仍要现在更新吗？未同步的记录会保留在本机。',
      }
    : {
        message: `${n} changes are not synced yet`,
        detail: 'Syncing first is safer. Update anyway? Unsynced changes stay on this laptop.',
      };
}

export function startDesktopServices(): DesktopServices {
  const log = initLogging({ packaged: app.isPackaged });
  let currentDb: () => LedgerDb | null = () => null;
  let updates: UpdateController | null = null;

  const currentSyncState = () => {
    const db = currentDb();
    return db ? syncStateFromLedger(db) : null;
  };

  const provisioning = createProvisioningLoader({ locations: electronProvisioningLocations(app) });

  async function saveSupportBundle(): Promise<void> {
    const win = BrowserWindow.getFocusedWindow();
    const now = new Date();
    const options = { defaultPath: join(app.getPath('desktop'), defaultBundleName(now)) };
    const { canceled, filePath } = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    if (canceled || !filePath) return;
    const found = provisioning.discover().found;
    const logs = logDirectory();
    const result = await writeSupportBundle({
      outFile: filePath,
      logFiles: [join(logs, 'main.log'), join(logs, 'main.old.log')],
      versions: {
        app: app.getVersion(),
        electron: process.versions.electron ?? null,
        chrome: process.versions.chrome ?? null,
        node: process.versions.node,
        ledgerSchema: LEDGER_SCHEMA_VERSION,
        syncSchema: SYNC_SCHEMA_VERSION,
      },
      syncState: currentSyncState(),
      provisioning: found
        ? {
            serverUrl: found.payload.serverUrl,
            branchCode: found.payload.branchCode,
            updateChannel: found.payload.updateChannel,
            keyFingerprint: found.keyFingerprint,
          }
        : null,
      now,
    });
    log.info('support bundle written', { entries: result.entries.length, bytes: result.bytes });
  }

  function buildMenu(): void {
    const help: MenuItemConstructorOptions = {
      label: zh() ? '帮助' : 'Help',
      submenu: [
        {
          label: zh() ? '保存支持包…' : 'Save support bundle…',
          click: () => {
            saveSupportBundle().catch((err: unknown) => {
              log.error('support bundle failed', err);
              dialog.showErrorBox('Fieldbook', String(err instanceof Error ? err.message : err));
            });
          },
        },
        { role: 'toggleDevTools', visible: !app.isPackaged },
      ],
    };
    const template: MenuItemConstructorOptions[] = [
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      help,
    ];
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function startUpdates(): void {
    // A demo or standalone laptop has no head office to update from.
    if (!app.isPackaged) return;
    const found = provisioning.discover().found;
    if (!found) return;
    updates = createUpdateController({
      updater: autoUpdater,
      feedUrl: updateFeedUrl(found.payload.serverUrl, found.payload.updateChannel),
      log,
      pendingChanges: () => currentSyncState()?.outbox.pending ?? 0,
      confirm: async (prompt) => {
        const text = promptText(prompt);
        const buttons = zh() ? ['现在更新', '稍后'] : ['Update now', 'Later'];
        const { response } = await dialog.showMessageBox({
          type: 'question',
          buttons,
          defaultId: 1,
          cancelId: 1,
          ...text,
        });
        return response === 0;
      },
    });
    updates.start();
    app.on('before-quit', (event) => updates?.onBeforeQuit(event));
  }

  return {
    log,
    attachLedger(getDb) {
      currentDb = getDb;
      buildMenu();
      startUpdates();
    },
  };
}
