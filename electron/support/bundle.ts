// The support bundle: one .zip branch IT can e-mail to head office when a laptop misbehaves.
// Inside: the logs (redacted again, line by line, in case an older or foreign log holds
// something the logging hook did not), versions, sync state counts, system facts and the
// provisioning summary (server, branch, channel, key fingerprint — never the enrolment
// code). No ledger, no keys, no borrower data. Plain Node: runs in Electron main and in tests.
//
// Wiring (the lead's part), e.g. behind a "Save support bundle…" menu item:
//   const file = (await dialog.showSaveDialog({ defaultPath: defaultBundleName(new Date()) })).filePath;
//   await writeSupportBundle({ outFile: file, logFiles: [join(logDirectory(), 'main.log'),
//     join(logDirectory(), 'main.old.log')], versions: { app: app.getVersion(), electron:
//     process.versions.electron, chrome: process.versions.chrome, node: process.versions.node,
//     ledgerSchema: LEDGER_SCHEMA_VERSION, syncSchema: SYNC_SCHEMA_VERSION },
//     syncState: syncStateFromLedger(ledger.db), provisioning: summary, now: new Date() });
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { arch, cpus, freemem, homedir, platform, release, totalmem, uptime } from 'node:os';
import { basename } from 'node:path';
import { redactText, redactValue } from './redact';
import type { SyncStateCounts } from './sync-state';
import { zip, type ZipEntry } from './zip';

export interface BundleVersions {
  app: string;
  electron: string | null;
  chrome: string | null;
  node: string;
  ledgerSchema: number;
  syncSchema: number;
}

export interface BundleProvisioning {
  serverUrl: string;
  branchCode: string;
  updateChannel: string;
  keyFingerprint: string;
}

export interface SupportBundleInput {
  outFile: string;
  /** Log files to include; missing ones are noted, not an error. */
  logFiles: readonly string[];
  versions: BundleVersions;
  syncState: SyncStateCounts | null;
  provisioning: BundleProvisioning | null;
  now: Date;
  /** Replaced by ~ everywhere (default os.homedir()). */
  homeDir?: string;
  /** Only the last this-many bytes of each log (default 4 MB). */
  maxLogBytes?: number;
}

export interface SupportBundleResult {
  file: string;
  entries: string[];
  bytes: number;
}

export function defaultBundleName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `fieldbook-support-${stamp}.zip`;
}

/** The last maxBytes of a file, starting at a line boundary. */
function tail(file: string, maxBytes: number): { text: string; truncated: boolean } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    let text = buffer.toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, truncated: start > 0 };
  } finally {
    closeSync(fd);
  }
}

const README = `Fieldbook support bundle
========================
versions.json    app, Electron, Chromium, Node and schema versions
system.json      operating system, memory, processor count, uptime
sync-state.json  counts of changes waiting, sent and refused; ledger size in cases/facts
provisioning.json  the head-office server, branch, update channel and key fingerprint
logs/            the app's logs, with personal data replaced by [redacted], [cjk], [phone] ...

Not included, on purpose: the case ledger, its key, the device token, the enrolment code,
and any borrower name, phone number, ID number or address.
`;

export async function writeSupportBundle(input: SupportBundleInput): Promise<SupportBundleResult> {
  const homeDir = input.homeDir ?? homedir();
  const opts = { homeDir };
  const json = (value: unknown) =>
    Buffer.from(`${JSON.stringify(redactValue(value, opts), null, 2)}\n`, 'utf8');
  const entries: ZipEntry[] = [];
  const add = (name: string, data: Buffer) => entries.push({ name, data, mtime: input.now });

  add('README.txt', Buffer.from(README, 'utf8'));
  add('versions.json', json(input.versions));
  add(
    'system.json',
    json({
      platform: platform(),
      release: release(),
      arch: arch(),
      cpus: cpus().length,
      totalMemoryMb: Math.round(totalmem() / 1048576),
      freeMemoryMb: Math.round(freemem() / 1048576),
      uptimeHours: Math.round(uptime() / 360) / 10,
      madeAt: input.now.toISOString(),
    }),
  );
  add('sync-state.json', json(input.syncState ?? { note: 'no ledger open' }));
  add(
    'provisioning.json',
    json(input.provisioning ?? { note: 'not provisioned (demo or standalone)' }),
  );

  const missing: string[] = [];
  const usedNames = new Set<string>();
  for (const file of input.logFiles) {
    if (!existsSync(file)) {
      missing.push(basename(file));
      continue;
    }
    let name = basename(file).replace(/[^A-Za-z0-9._-]/g, '_');
    while (usedNames.has(name)) name = `_${name}`;
    usedNames.add(name);
    const { text, truncated } = tail(file, input.maxLogBytes ?? 4 * 1024 * 1024);
    const redacted = text
      .split('\n')
      .map((line) => redactText(line, opts))
      .join('\n');
    add(
      `logs/${name}`,
      Buffer.from((truncated ? '[… earlier lines left out]\n' : '') + redacted, 'utf8'),
    );
  }
  if (missing.length > 0)
    add('logs/MISSING.txt', Buffer.from(`Not found: ${missing.join(', ')}\n`, 'utf8'));

  const data = zip(entries);
  const tmp = `${input.outFile}.partial`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, input.outFile);
  return { file: input.outFile, entries: entries.map((e) => e.name), bytes: data.length };
}
