// Never half a file: `npm run admin -- import-portfolio` killed (SIGKILL) while it writes a
// 10,000-row file leaves the PGlite database with none of the file's loans; run again, it
// imports all of them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import { openDatabase } from '../../server/db/open';
import { REPO_ROOT, tempDir } from './helpers';

const ROWS = 10_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** The admin CLI as one node process (no tsx wrapper), so a kill reaches the process that writes. */
function admin(args: string[], data: string, killWhen?: (out: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FIELDBOOK_SERVER_DATA: data, DATABASE_URL: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killWhen?.(out) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
  });
}

async function loanCount(data: string): Promise<number> {
  const db = await openDatabase({ dataDir: data });
  try {
    const rows = await db.query<{ n: number }>('select count(*)::int as n from loans');
    return rows[0]?.n ?? 0;
  } finally {
    await db.close();
  }
}

describe('import-portfolio killed halfway', () => {
  it('leaves nothing of the file; the next run imports every valid row', async () => {
    const dir = tempDir();
    const data = join(dir, 'server-data');
    const file = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(file, ROWS);
    const setup = await admin(['create-branch', '--code', 'PA01', '--name', '平安县支行'], data);
    expect(setup.code, setup.err).toBe(0);

    const args = [
      'import-portfolio',
      file,
      '--branch',
      'PA01',
      '--valid-only',
      '--unknown-officer',
      'warn',
    ];
    // Killed once the writer reports 30 % of the rows written: well inside the transaction.
    const written = (out: string): number =>
      Math.max(0, ...[...out.matchAll(/written (\d+)/g)].map((m) => Number(m[1])));
    const killed = await admin(args, data, (out) => written(out) >= ROWS * 0.3);
    expect(killed.signal, `${killed.out}\n${killed.err}`).toBe('SIGKILL');
    expect(killed.out).toMatch(/written \d+ \/ 10000 rows/);
    expect(killed.out).not.toMatch(/Imported/);
    expect(await loanCount(data)).toBe(0);

    const again = await admin(args, data);
    expect(again.code, again.err).toBe(0);
    // One row in a thousand of the generated file is broken (an impossible date).
    expect(await loanCount(data)).toBe(ROWS - ROWS / 1000);
  }, 240_000);
});
