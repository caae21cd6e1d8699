// Never half a file on the desktop either: a process importing a 10,000-row file into the
// encrypted ledger, killed (SIGKILL) in the middle of its transaction, leaves the ledger as
// it was (no loan, the worklist indexes the import dropped still there, no search guard
// row); the next import writes every valid row.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import { fixedClock } from '../../electron/ledger/clock';
import { openLedger } from '../../electron/ledger/db';
import { importPortfolioIntoLedger } from '../../electron/ledger/import';
import { bindLedger } from '../../electron/ledger/ledger';
import { REPO_ROOT, tempDir } from './helpers';
import { createTestLedger, MANAGER_ID, previewFor } from './ledger-helpers';

const ROWS = 10_000;

function importInChild(
  ledgerFile: string,
  key: Buffer,
  csv: string,
  killAt: number,
): Promise<{ signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/import-writers/ledger-import-child.ts',
        ledgerFile,
        key.toString('hex'),
        csv,
      ],
      { cwd: REPO_ROOT },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const written = Math.max(0, ...[...out.matchAll(/written (\d+)/g)].map((m) => Number(m[1])));
      if (written >= killAt && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => resolve({ signal, out, err }));
  });
}

describe('ledger import killed halfway', () => {
  it('leaves the ledger as it was; the next import writes every valid row', async () => {
    const dir = tempDir();
    const csv = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(csv, ROWS);
    const t = createTestLedger(dir);
    const schema = (): unknown[] =>
      t.db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all();
    const before = schema();
    t.db.close();

    const killed = await importInChild(t.file, t.key, csv, ROWS * 0.3);
    expect(killed.signal, `${killed.out}\n${killed.err}`).toBe('SIGKILL');
    expect(killed.out).toMatch(/written \d+/);
    expect(killed.out).not.toMatch(/Imported/);
    // Killed inside the import's rollback-journal transaction: a hot journal is left behind.
    expect(existsSync(`${t.file}-journal`)).toBe(true);

    const db = openLedger({ file: t.file, key: t.key });
    // Opening rolled the hot journal back and the ledger is in WAL mode again.
    expect(existsSync(`${t.file}-journal`)).toBe(false);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const reopened = { ...t, db, ledger: bindLedger(db, fixedClock('2026-11-20T02:00:00Z')) };
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    expect(count('SELECT count(*) FROM loans')).toBe(0);
    expect(count('SELECT count(*) FROM borrowers')).toBe(0);
    expect(count('SELECT count(*) FROM search_text_deferred')).toBe(0);
    expect(
      db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all(),
    ).toEqual(before);

    const preview = await previewFor(reopened, csv, '2026-11-20');
    const r = await importPortfolioIntoLedger(reopened.ledger, csv, preview, {
      actorId: MANAGER_ID,
      validOnly: true,
    });
    // One row in a thousand of the generated file is broken (an impossible date).
    expect(r.loansCreated).toBe(ROWS - ROWS / 1000);
    expect(count('SELECT count(*) FROM loans')).toBe(ROWS - ROWS / 1000);
    // A finished import puts the ledger back in WAL mode, with nothing left to checkpoint.
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(existsSync(`${t.file}-journal`)).toBe(false);
    db.close();
  }, 240_000);
});
