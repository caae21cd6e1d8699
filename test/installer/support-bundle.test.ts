// The support bundle a branch sends to head office: a real .zip (read back with `unzip`),
// with logs, versions and sync state, and not one borrower name, phone number, ID number or
// address — even when a log line leaked them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBundleName, writeSupportBundle } from '../../electron/support/bundle';
import { syncStateFromLedger } from '../../electron/support/sync-state';
import { zip } from '../../electron/support/zip';
import { buildFixture, IDS, LATE_BORROWER_NAME, type Fixture } from '../integration/ledger-fixture';
import { NOW, tempDir } from './helpers';

let fixture: Fixture | null = null;
afterEach(() => {
  fixture?.cleanup();
  fixture = null;
});

function unzip(file: string, into: string): Record<string, string> {
  execFileSync('unzip', ['-q', '-o', file, '-d', into]);
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'utf8');
    }
  };
  walk(into, '');
  return out;
}

/** Outbox rows as the sync client leaves them: waiting, sent, refused (a reason quoting the borrower). */
function seedOutbox(f: Fixture): void {
  const insert = f.db.prepare(
    `INSERT INTO outbox (kind, case_id, user_id, payload, hlc, schema_version, created_at, status, refusal_code, refusal_reason)
     VALUES ('fact', ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const payload = JSON.stringify({ note: `${LATE_BORROWER_NAME} 13800000001 promised` });
  insert.run(
    IDS.caseLate,
    IDS.officer,
    payload,
    '0001',
    '2026-11-27T01:00:00.000Z',
    'pending',
    null,
    null,
  );
  insert.run(
    IDS.caseLate,
    IDS.officer,
    payload,
    '0002',
    '2026-11-27T02:00:00.000Z',
    'pending',
    null,
    null,
  );
  insert.run(
    IDS.caseLate,
    IDS.officer,
    payload,
    '0003',
    '2026-11-27T03:00:00.000Z',
    'pending',
    null,
    null,
  );
  insert.run(
    IDS.caseCurrent,
    IDS.officer,
    payload,
    '0004',
    '2026-11-26T01:00:00.000Z',
    'sent',
    null,
    null,
  );
  insert.run(
    IDS.caseOther,
    IDS.officer,
    payload,
    '0005',
    '2026-11-26T02:00:00.000Z',
    'refused',
    'case_closed',
    `case of ${LATE_BORROWER_NAME} is closed`,
  );
}

describe('the support bundle', () => {
  it('holds logs, versions and sync counts, and no borrower data from the ledger', async () => {
    fixture = buildFixture();
    seedOutbox(fixture);
    const borrowers = fixture.db
      .prepare('SELECT name, address, id_number_masked AS idMasked FROM borrowers')
      .all() as { name: string; address: string; idMasked: string }[];
    const phones = fixture.db
      .prepare("SELECT value FROM contact_points WHERE kind = 'mobile'")
      .pluck()
      .all() as string[];
    expect(borrowers.length).toBeGreaterThan(2);
    expect(phones.length).toBeGreaterThan(1);
    const secrets = [
      ...borrowers.flatMap((b) => [b.name, b.address, b.idMasked]),
      ...phones,
      'Ouyang Chunyan',
      '/home/zhangwei',
    ];

    // Logs as a careless line of code, an old log from before redaction, or a crash could leave them.
    const dir = tempDir();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const b0 = borrowers[0] as { name: string; address: string; idMasked: string };
    writeFileSync(
      join(logs, 'main.log'),
      [
        '[2026-11-28 10:00:00.000] [info]  Fieldbook starting { version: "0.2.0" }',
        `[2026-11-28 10:01:00.000] [info]  contact recorded { caseId: "${IDS.caseLate}", borrowerName: "Ouyang Chunyan" }`,
        `[2026-11-28 10:02:00.000] [warn]  visit to ${b0.address} for ${b0.name}, tel ${phones[0]}, id ${b0.idMasked}`,
        `[2026-11-28 10:03:00.000] [error] Error: cannot read /home/zhangwei/Desktop/import.csv`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(logs, 'main.old.log'),
      `[2026-11-20 09:00:00.000] [info]  call to ${phones[1]} (${(borrowers[1] as { name: string }).name})\n`,
    );

    const outFile = join(dir, defaultBundleName(NOW));
    expect(outFile.endsWith('fieldbook-support-20261128-020000.zip')).toBe(true);
    const result = await writeSupportBundle({
      outFile,
      logFiles: [join(logs, 'main.log'), join(logs, 'main.old.log'), join(logs, 'renderer.log')],
      versions: {
        app: '0.2.0',
        electron: '45.5.0',
        chrome: '142.0.0.0',
        node: '22.20.0',
        ledgerSchema: 1,
        syncSchema: 1,
      },
      syncState: syncStateFromLedger(fixture.db),
      provisioning: {
        serverUrl: 'https://fieldbook.example.cn',
        branchCode: 'T-01',
        updateChannel: 'stable',
        keyFingerprint: 'ab'.repeat(32),
      },
      now: NOW,
      homeDir: '/home/zhangwei',
    });
    expect(result.entries).toEqual([
      'README.txt',
      'versions.json',
      'system.json',
      'sync-state.json',
      'provisioning.json',
      'logs/main.log',
      'logs/main.old.log',
      'logs/MISSING.txt',
    ]);

    execFileSync('unzip', ['-tq', outFile]); // a well-formed archive, CRCs and all
    const files = unzip(outFile, join(dir, 'extracted'));
    expect(Object.keys(files).sort()).toEqual([...result.entries].sort());

    const everything = Object.values(files).join('\n');
    for (const secret of secrets) expect(everything, `leaked: ${secret}`).not.toContain(secret);

    expect(JSON.parse(files['versions.json'] as string)).toMatchObject({
      app: '0.2.0',
      electron: '45.5.0',
      ledgerSchema: 1,
    });
    expect(JSON.parse(files['sync-state.json'] as string)).toMatchObject({
      outbox: { pending: 3, sent: 1, refused: 1 },
      refusedByCode: { case_closed: 1 },
      oldestPendingAt: '2026-11-27T01:00:00.000Z',
      ledger: { cases: 3, borrowers: 3 },
    });
    expect(JSON.parse(files['provisioning.json'] as string)).toMatchObject({
      branchCode: 'T-01',
      serverUrl: 'https://fieldbook.example.cn',
    });
    expect(files['logs/main.log']).toContain(`caseId: "${IDS.caseLate}"`); // ids stay: they are how support finds the case
    expect(files['logs/main.log']).toContain('[redacted]');
    expect(files['logs/main.log']).toContain('~/Desktop/import.csv');
    expect(files['logs/MISSING.txt']).toContain('renderer.log');
  });

  it('keeps only the tail of a huge log, starting at a whole line', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 20_000 }, (_, i) => `[info] line ${i} ${'x'.repeat(40)}`);
    writeFileSync(join(dir, 'main.log'), `${lines.join('\n')}\n`);
    const outFile = join(dir, 'b.zip');
    await writeSupportBundle({
      outFile,
      logFiles: [join(dir, 'main.log')],
      versions: {
        app: '0.2.0',
        electron: null,
        chrome: null,
        node: process.versions.node,
        ledgerSchema: 1,
        syncSchema: 1,
      },
      syncState: null,
      provisioning: null,
      now: NOW,
      maxLogBytes: 10_000,
    });
    const log = unzip(outFile, join(dir, 'x'))['logs/main.log'] as string;
    expect(log.startsWith('[… earlier lines left out]\n[info] line ')).toBe(true);
    expect(log).toContain('line 19999');
    expect(log.length).toBeLessThan(11_000);
  });
});

describe('the zip writer', () => {
  it('writes archives other tools read, with UTF-8 names and stored or deflated entries', () => {
    const dir = tempDir();
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const file = join(dir, 't.zip');
    writeFileSync(
      file,
      zip([
        { name: 'a.txt', data: Buffer.from('hello '.repeat(1000)), mtime: NOW },
        { name: 'dir/说明.txt', data: Buffer.from('中文'), mtime: NOW },
        { name: 'empty.txt', data: Buffer.alloc(0), mtime: NOW },
        { name: 'bin.dat', data: random, mtime: NOW },
      ]),
    );
    const listing = execFileSync('unzip', ['-Z', '-1', file], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(['a.txt', 'dir/说明.txt', 'empty.txt', 'bin.dat']);
    const files = unzip(file, join(dir, 'x'));
    expect(files['a.txt']).toBe('hello '.repeat(1000));
    expect(files['dir/说明.txt']).toBe('中文');
    expect(files['empty.txt']).toBe('');
    expect(readFileSync(join(dir, 'x', 'bin.dat')).equals(random)).toBe(true);
  });

  it('refuses entry names that would escape the folder it is unpacked into', () => {
    for (const name of ['../evil.txt', '/etc/passwd', 'a/../../b', 'a\\b']) {
      expect(() => zip([{ name, data: Buffer.from('x'), mtime: NOW }]), name).toThrow(
        /bad zip entry name/,
      );
    }
  });
});
