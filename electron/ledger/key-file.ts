// The dev bridge's key storage: a key file beside the ledger. Electron keeps the key
// with safeStorage instead (electron/main); this file exists so a browser-driven dev
// session and the test harness can open the same encrypted ledger without Electron.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { LEDGER_KEY_BYTES } from './db';

export const DEV_KEY_FILE_NAME = 'ledger.devkey';

export function devKeyFileWarning(file: string): string {
  return `Fieldbook: the ledger key is stored unprotected in ${file} — for development only; the desktop app keeps it with the OS keychain (Electron safeStorage).`;
}

export interface DevKey {
  key: Buffer;
  file: string;
  /** True when this call generated the key (so the ledger beside it must be new too). */
  createdNow: boolean;
  warning: string;
}

/** Returns `<dataDir>/ledger.devkey`, creating it (mode 0600, exclusive) on first use. */
export function loadOrCreateDevKey(dataDir: string): DevKey {
  const file = path.join(dataDir, DEV_KEY_FILE_NAME);
  fs.mkdirSync(dataDir, { recursive: true });
  let createdNow = false;
  try {
    // 'wx' fails if another process created it first; then we read theirs.
    fs.writeFileSync(file, `${crypto.randomBytes(LEDGER_KEY_BYTES).toString('hex')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    createdNow = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new AppError(
      'ledger_locked',
      `The dev key file ${file} is damaged: expected 64 hex digits`,
      {
        reason: 'bad_key_file',
      },
    );
  }
  return { key: Buffer.from(text, 'hex'), file, createdNow, warning: devKeyFileWarning(file) };
}
