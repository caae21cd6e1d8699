// Logging for Electron main: electron-log to a file (what support bundles collect) and the
// console, with every record passed through the redaction in electron/support/redact.ts
// before any transport sees it — so borrower data never reaches the disk.
//
// Files (electron-log's defaults, named after the app: package.json "name" fieldbook):
// Windows %APPDATA%\fieldbook\logs\main.log, Linux ~/.config/fieldbook/logs/main.log,
// macOS ~/Library/Logs/fieldbook/main.log; at 5 MB the file is moved to main.old.log, so
// at most ~10 MB are kept.
//
// Wiring (the lead's part), first thing in electron/main/index.ts:
//   const log = initLogging({ packaged: app.isPackaged });
//   log.info('Fieldbook starting', { version: app.getVersion() });
// and hand `log` to the updater (createUpdateController({ log, ... })).
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import log from 'electron-log/main';
import { redactingLogHook } from '../support/redact';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;

export interface LoggingOptions {
  packaged: boolean;
}

export type MainLog = typeof log;

let initialised = false;

export function initLogging(options: LoggingOptions): MainLog {
  if (initialised) return log;
  initialised = true;
  // Runs before every transport: the file never holds what the hook removes.
  log.hooks.push(redactingLogHook({ homeDir: homedir() }));
  log.transports.file.level = 'info';
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.console.level = options.packaged ? 'warn' : 'debug';
  // Unhandled errors in main are logged (redacted like everything else), never shown as a raw dialog.
  log.errorHandler.startCatching({ showDialog: false });
  return log;
}

/** The folder holding main.log and main.old.log (for the support bundle). */
export function logDirectory(): string {
  return dirname(log.transports.file.getFile().path);
}
