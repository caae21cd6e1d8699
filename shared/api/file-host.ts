// What the renderer may ask its host (Electron main, or the dev bridge) about files: pick one
// to open, pick where to save, print the page to PDF. The ledger's operations then take the
// absolute path; the host, not the page, is what can see the file system.
import { z } from 'zod';

export const fileFilterSchema = z
  .object({
    name: z.string().min(1).max(100),
    extensions: z
      .array(z.string().regex(/^[a-z0-9]{1,8}$/))
      .min(1)
      .max(10),
  })
  .strict();
export type FileFilter = z.output<typeof fileFilterSchema>;

export const openFileRequestSchema = z
  .object({ filters: z.array(fileFilterSchema).max(10) })
  .strict();
export type OpenFileRequest = z.output<typeof openFileRequestSchema>;

export const saveFileRequestSchema = z
  .object({ defaultName: z.string().min(1).max(200), filters: z.array(fileFilterSchema).max(10) })
  .strict();
export type SaveFileRequest = z.output<typeof saveFileRequestSchema>;

export interface PickedFile {
  /** Absolute path on the machine that runs the ledger. */
  path: string;
  /** The file's base name, for showing. */
  name: string;
}

/** A file name safe on Windows, macOS and Linux: no separators, no reserved characters. */
export function safeFileName(name: string): string {
  const cleaned = Array.from(name, (ch) => (ch.charCodeAt(0) < 0x20 ? '_' : ch))
    .join('')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 180);
  return cleaned.length > 0 ? cleaned : 'file';
}
