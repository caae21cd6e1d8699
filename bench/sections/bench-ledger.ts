// The 50,000-case bench ledger shared by the ledger and dashboard sections: built once
// under .data/bench/ (reused while the generator spec and schema are unchanged), each
// section measuring its own copy so its writes never change the cached file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { dispatch } from '../../shared/api/dispatch';
import type { CallContext, OpName } from '../../shared/api/contract';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { clockStartingAt } from '../../electron/ledger/clock';
import { writeDemoLedgerFile } from '../../electron/ledger/demo/ensure-demo';
import { loadOrCreateDevKey } from '../../electron/ledger/key-file';
import { LEDGER_SCHEMA_VERSION, migrate } from '../../electron/ledger/migrations';

export const BENCH_DIR = path.resolve('.data/bench');

/** The schema the migrations build today, hashed: a changed migration rebuilds the cached ledger. */
function schemaFingerprint(): string {
  const db = new Database(':memory:');
  try {
    migrate(db);
    const sql = db
      .prepare(
        `SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)`,
      )
      .pluck()
      .get() as string;
    return crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16);
  } finally {
    db.close();
  }
}

// Bump `generator` when the demo generator changes what it writes.
export const SPEC = {
  cases: 50_000,
  seed: 1,
  officers: 12,
  activity: 1.6,
  today: '2026-11-28',
  generator: 2,
  schema: `${LEDGER_SCHEMA_VERSION}:${schemaFingerprint()}`,
};

export function ensureBenchLedger(key: Buffer): string {
  const file = path.join(BENCH_DIR, 'ledger-50k.db');
  const specFile = path.join(BENCH_DIR, 'ledger-50k.json');
  const wanted = JSON.stringify(SPEC);
  if (
    fs.existsSync(file) &&
    fs.existsSync(specFile) &&
    fs.readFileSync(specFile, 'utf8') === wanted
  )
    return file;
  console.log(
    `  building ${SPEC.cases.toLocaleString('en')} cases in ${file} (once; reused by later runs) ...`,
  );
  fs.rmSync(specFile, { force: true });
  const summary = writeDemoLedgerFile({ file, key, ...SPEC });
  fs.writeFileSync(specFile, wanted);
  console.log(
    `  built: ${summary.facts.toLocaleString('en')} facts in ${(summary.ms / 1000).toFixed(1)} s`,
  );
  return file;
}

export async function call(
  ledger: CaseLedger,
  ctx: CallContext,
  op: OpName,
  input: unknown,
): Promise<unknown> {
  const result = await dispatch(ledger.handlers, op, input, ctx);
  if (!result.ok) throw new Error(`${op} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * Opens a fresh copy of the bench ledger as `workName` in .data/bench/, on a clock that
 * starts at 10:00 in the branch on the bench's business date: the conduct rules' contact
 * hours then never depend on when the benchmark runs.
 */
export function openBenchLedgerCopy(workName: string): {
  ledger: CaseLedger;
  key: Buffer;
  work: string;
} {
  const { key } = loadOrCreateDevKey(BENCH_DIR);
  const base = ensureBenchLedger(key);
  const work = path.join(BENCH_DIR, workName);
  for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(base, work);
  const ledger = openCaseLedger({
    file: work,
    key,
    keyStorage: 'dev-key-file',
    clock: clockStartingAt(`${SPEC.today}T10:00:00+08:00`),
  });
  return { ledger, key, work };
}

/** Removes a copy made by openBenchLedgerCopy (after its ledger is closed). */
export function discardBenchCopy(work: string): void {
  for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
}
