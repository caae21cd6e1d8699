// The ledger's encryption key in Electron: 32 random bytes generated once, kept only
// encrypted by the OS (safeStorage: DPAPI on Windows, Keychain on macOS, libsecret/kwallet
// on Linux). The plain key never touches the disk.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeStorage } from 'electron';

export interface KeyStoreResult {
  key: Buffer;
  createdNow: boolean;
}

export function loadOrCreateLedgerKey(userDataDir: string): KeyStoreResult {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error(
      'The operating system offers no secure key storage (safeStorage). Fieldbook will not keep an unprotected ledger key.',
    );
  }
  // On Linux without a keyring, Electron falls back to a hard-coded password; refuse it.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    throw new Error(
      'No desktop keyring (gnome-libsecret or kwallet) is available to protect the ledger key.',
    );
  }
  const file = join(userDataDir, 'ledger.key.enc');
  if (existsSync(file)) {
    const hex = safeStorage.decryptString(readFileSync(file));
    return { key: Buffer.from(hex, 'hex'), createdNow: false };
  }
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so a crash never leaves a truncated key file behind.
  writeFileSync(`${file}.tmp`, safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return { key, createdNow: true };
}
