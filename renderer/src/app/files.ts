// Picking files, in Electron and in a plain browser alike. Screens call these and pass the
// resulting absolute path to the ledger's import / export operations:
//   - in Electron, the preload's `fieldbook.files` opens native dialogs (electron/main/file-dialogs.ts);
//   - in the dev bridge, an opened file is uploaded to the bridge, which answers where it put
//     it, and a save reserves a path under the bridge's exports folder and then downloads the
//     written file (electron/dev-bridge/file-routes.ts).
import type {
  FileFilter,
  OpenFileRequest,
  PickedFile,
  SaveFileRequest,
} from '../../../shared/api/file-host';

export type { FileFilter, PickedFile };

export interface SaveTarget extends PickedFile {
  /** Call once the file has been written: the browser downloads it; Electron has nothing to do. */
  deliver(): Promise<void>;
}

interface ElectronFiles {
  open(request: OpenFileRequest): Promise<PickedFile | null>;
  save(request: SaveFileRequest): Promise<PickedFile | null>;
  printToPdf(path: string): Promise<void>;
}

function electronFiles(): ElectronFiles | null {
  const bridge = (globalThis as { fieldbook?: { files?: ElectronFiles } }).fieldbook;
  return bridge?.files ?? null;
}

export class FileHostError extends Error {
  constructor(readonly status: number) {
    super(`The file could not be handed over (HTTP ${status})`);
    this.name = 'FileHostError';
  }
}

function acceptOf(filters: FileFilter[]): string {
  return filters.flatMap((f) => f.extensions.map((e) => `.${e}`)).join(',');
}

/** Asks the user for a file to read; null when they cancel. */
export async function pickFileToOpen(request: OpenFileRequest): Promise<PickedFile | null> {
  const electron = electronFiles();
  if (electron) return electron.open(request);
  const file = await chooseInBrowser(acceptOf(request.filters));
  if (!file) return null;
  const response = await fetch(`/__files/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  if (!response.ok) throw new FileHostError(response.status);
  return (await response.json()) as PickedFile;
}

/** Asks where to save a file; null when they cancel. Write to target.path, then deliver(). */
export async function pickFileToSave(request: SaveFileRequest): Promise<SaveTarget | null> {
  const electron = electronFiles();
  if (electron) {
    const picked = await electron.save(request);
    return picked && { ...picked, deliver: () => Promise.resolve() };
  }
  const response = await fetch('/__files/reserve', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: request.defaultName }),
  });
  if (!response.ok) throw new FileHostError(response.status);
  const picked = (await response.json()) as PickedFile;
  return {
    ...picked,
    deliver: () => {
      const link = document.createElement('a');
      link.href = `/__files/download?path=${encodeURIComponent(picked.path)}`;
      link.download = picked.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      return Promise.resolve();
    },
  };
}

/**
 * Prints the current page to a PDF at target.path (Electron), or opens the browser's print
 * dialog, where "Save as PDF" does the same (dev bridge).
 */
export async function printToPdf(target: SaveTarget | null): Promise<void> {
  const electron = electronFiles();
  if (electron && target) {
    await electron.printToPdf(target.path);
    return;
  }
  window.print();
}

/** True where printToPdf writes the file itself (Electron); false where the browser's print dialog does. */
export function canPrintToFile(): boolean {
  return electronFiles() !== null;
}

function chooseInBrowser(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.dataset['testid'] = 'file-picker-input';
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.appendChild(input);
    input.click();
  });
}
