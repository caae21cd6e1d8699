// The Electron shell, kept thin on purpose: it finds the key, opens the ledger, wires the
// one IPC channel to the shared dispatcher and shows a hardened window. Everything with
// behaviour worth testing lives in electron/ledger and shared/, which run without Electron.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { dispatch } from '../../shared/api/dispatch';
import { openDesktopLedger, type DesktopLedger } from './ledger-session';
import { INVOKE_CHANNEL } from './channels';
import { startDesktopServices } from './desktop-services';
import { registerFileDialogs } from './file-dialogs';
import { hardenSession, hardenWindow } from './security';

let ledger: DesktopLedger | null = null;

// A data folder chosen from outside (the Electron smoke test, a portable install) must be
// set before anything reads userData. FIELDBOOK_TODAY, if set, pins the business date in
// openCaseLedger for deterministic tests.
const dataDirOverride = process.env['FIELDBOOK_DATA_DIR'];
if (dataDirOverride) app.setPath('userData', dataDirOverride);

const devRendererUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const rendererIndex = join(import.meta.dirname, '../renderer/index.html');

function isAppUrl(url: string): boolean {
  if (devRendererUrl) return url.startsWith(devRendererUrl);
  return (
    url === pathToFileURL(rendererIndex).href ||
    url.startsWith(`${pathToFileURL(rendererIndex).href}#`)
  );
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Fieldbook',
    backgroundColor: '#f5f7fa',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenWindow(win, isAppUrl);
  win.once('ready-to-show', () => win.show());
  if (devRendererUrl) void win.loadURL(devRendererUrl);
  else void win.loadFile(rendererIndex);
}

// Only the app's own page may call the ledger; every argument is validated by dispatch().
ipcMain.handle(INVOKE_CHANNEL, async (event, op: unknown, input: unknown) => {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(frameUrl) || !ledger) {
    return { ok: false, error: { code: 'forbidden', message: 'Not allowed', params: {} } };
  }
  return dispatch(ledger.handlers, op, input, ledger.callContext());
});

registerFileDialogs(isAppUrl);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(
    () => {
      hardenSession();
      const services = startDesktopServices();
      try {
        ledger = openDesktopLedger(app.getPath('userData'), (message, err) =>
          err === undefined ? services.log.info(message) : services.log.warn(message, err),
        );
        services.attachLedger(ledger.currentDb);
      } catch (err) {
        services.log.error('ledger could not be opened', err);
        dialog.showErrorBox(
          'Fieldbook',
          `The case ledger could not be opened.\n\n${(err as Error).message}`,
        );
        app.quit();
        return;
      }
      createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    },
    (err: unknown) => {
      dialog.showErrorBox('Fieldbook', String(err));
      app.quit();
    },
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    ledger?.close();
    ledger = null;
  });
}
