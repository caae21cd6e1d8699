// The preload exposes exactly one object to the page, `window.fieldbook`: invoke(op, input)
// forwards an operation of the API contract to main (names checked against the contract
// before anything crosses IPC; main validates the input again), and files.* asks main for a
// native open/save dialog or to print the page to PDF.
import { contextBridge, ipcRenderer } from 'electron';
import { isOpName } from '../../shared/api/contract';
import type { WireResult } from '../../shared/errors';
import type { OpenFileRequest, PickedFile, SaveFileRequest } from '../../shared/api/file-host';
import {
  FILE_OPEN_CHANNEL,
  FILE_SAVE_CHANNEL,
  INVOKE_CHANNEL,
  PRINT_TO_PDF_CHANNEL,
} from '../main/channels';

const fieldbook = {
  invoke(op: string, input: unknown): Promise<WireResult<unknown>> {
    if (!isOpName(op)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'unknown_operation',
          message: 'Unknown operation',
          params: { op: String(op).slice(0, 64) },
        },
      });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, op, input) as Promise<WireResult<unknown>>;
  },
  files: {
    open: (request: OpenFileRequest) =>
      ipcRenderer.invoke(FILE_OPEN_CHANNEL, request) as Promise<PickedFile | null>,
    save: (request: SaveFileRequest) =>
      ipcRenderer.invoke(FILE_SAVE_CHANNEL, request) as Promise<PickedFile | null>,
    printToPdf: (path: string) =>
      ipcRenderer.invoke(PRINT_TO_PDF_CHANNEL, { path }) as Promise<void>,
  },
};

contextBridge.exposeInMainWorld('fieldbook', fieldbook);
