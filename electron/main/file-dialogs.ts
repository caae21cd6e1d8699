// Native file dialogs and print-to-PDF for the page. Only the app's own page may ask; the
// requests are validated like every other input. Paths picked here are then passed to the
// ledger's import and export operations, which validate them again.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import {
  openFileRequestSchema,
  saveFileRequestSchema,
  type PickedFile,
} from '../../shared/api/file-host';
import { FILE_OPEN_CHANNEL, FILE_SAVE_CHANNEL, PRINT_TO_PDF_CHANNEL } from './channels';

const printRequestSchema = z.object({ path: z.string().min(1).max(4096) }).strict();

export function registerFileDialogs(isAppUrl: (url: string) => boolean): void {
  const windowOf = (event: IpcMainInvokeEvent): BrowserWindow => {
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!win || !isAppUrl(event.senderFrame?.url ?? '')) throw new Error('Not allowed');
    return win;
  };

  ipcMain.handle(FILE_OPEN_CHANNEL, async (event, raw: unknown): Promise<PickedFile | null> => {
    const win = windowOf(event);
    const request = openFileRequestSchema.parse(raw);
    const result = await dialog.showOpenDialog(win, {
      properties: ['openFile'],
      filters: request.filters,
    });
    const path = result.canceled ? undefined : result.filePaths[0];
    return path ? { path, name: basename(path) } : null;
  });

  ipcMain.handle(FILE_SAVE_CHANNEL, async (event, raw: unknown): Promise<PickedFile | null> => {
    const win = windowOf(event);
    const request = saveFileRequestSchema.parse(raw);
    const result = await dialog.showSaveDialog(win, {
      defaultPath: request.defaultName,
      filters: request.filters,
    });
    if (result.canceled || !result.filePath) return null;
    return { path: result.filePath, name: basename(result.filePath) };
  });

  ipcMain.handle(PRINT_TO_PDF_CHANNEL, async (event, raw: unknown): Promise<void> => {
    windowOf(event);
    const { path } = printRequestSchema.parse(raw);
    const pdf = await event.sender.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
    });
    await writeFile(path, pdf);
  });
}
