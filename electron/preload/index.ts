// The preload exposes exactly one thing to the page: `window.fieldbook.invoke(op, input)`,
// which forwards an operation of the API contract to main. Operation names are checked
// against the contract before anything crosses IPC; main validates the input again.
import { contextBridge, ipcRenderer } from 'electron';
import { isOpName } from '../../shared/api/contract';
import type { WireResult } from '../../shared/errors';
import { INVOKE_CHANNEL } from '../main/channels';

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
} satisfies { invoke(op: string, input: unknown): Promise<WireResult<unknown>> };

contextBridge.exposeInMainWorld('fieldbook', fieldbook);
