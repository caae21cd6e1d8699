// Durability: a payment is on disk the moment its command returns. A child process
// records payments in a loop and is killed with SIGKILL at random moments; after each
// kill the ledger reopens with every confirmed payment exactly once, nothing half-written
// (each payment has its fact, its side row, its outbox row and its audit entry, and
// receipt numbers run without gaps), the audit chain intact, and derived state equal to
// what the facts give.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/ledger/audit';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { refreshDerived } from '../../electron/ledger/derive';
import { bindLedger } from '../../electron/ledger/ledger';
import { getMeta, META } from '../../electron/ledger/meta';
import { buildFixture, IDS, NOW, TODAY, type Fixture } from './ledger-fixture';
import { fixedClock } from '../../electron/ledger/clock';

const CHILD = path.join(import.meta.dirname, 'helpers', 'payment-loop-child.ts');
const ROUNDS = 5;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface RunResult {
  confirmed: { receiptNo: string; factId: string }[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the child, waits until it has confirmed some payments, then kills it after a random pause. */
function runAndKill(f: Fixture, pauseMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        LEDGER_FILE: f.file,
        LEDGER_KEY: f.key.toString('hex'),
        FIELDBOOK_TODAY: TODAY,
        CASE_IDS: [IDS.caseLate, IDS.caseOther].join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const confirmed: RunResult['confirmed'] = [];
    let buffer = '';
    let stderr = '';
    let killScheduled = false;
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [receiptNo, factId] = line.split(' ');
        if (receiptNo && factId) confirmed.push({ receiptNo, factId });
      }
      // Kill while it is busy writing, at a moment the test does not choose.
      if (!killScheduled && confirmed.length >= 3) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), pauseMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(watchdog);
      resolve({ confirmed, signal, stderr });
    });
  });
}

function count(db: LedgerDb, sql: string, ...params: unknown[]): number {
  return db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}

describe('a ledger killed in the middle of recording payments', () => {
  it('keeps every confirmed payment exactly once and nothing half-written', async () => {
    const f = buildFixture();
    cleanups.push(f.cleanup);
    const prefix = getMeta(f.db, META.receiptPrefix) as string;
    f.db.close();

    const confirmed: RunResult['confirmed'] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const run = await runAndKill(f, Math.floor(Math.random() * 250));
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.confirmed.length, run.stderr).toBeGreaterThanOrEqual(3);
      confirmed.push(...run.confirmed);

      const db = openLedger({ file: f.file, key: f.key });
      try {
        // Every confirmed payment, exactly once, with the fact id its command returned.
        for (const c of confirmed) {
          expect(
            db
              .prepare('SELECT fact_id FROM payments WHERE receipt_no = ?')
              .pluck()
              .all(c.receiptNo),
          ).toEqual([c.factId]);
        }
        const payments = count(db, 'SELECT count(*) FROM payments');
        // At most the one payment whose confirmation was cut off by the kill went unprinted.
        expect(payments - confirmed.length).toBeGreaterThanOrEqual(0);
        expect(payments - confirmed.length).toBeLessThanOrEqual(round + 1);
        // Nothing half-written: fact, side row, outbox row and audit entry for each payment.
        expect(count(db, `SELECT count(*) FROM facts WHERE kind = 'payment'`)).toBe(payments);
        expect(count(db, `SELECT count(*) FROM facts`)).toBe(payments);
        expect(
          count(
            db,
            `SELECT count(*) FROM payments p
             WHERE (SELECT count(*) FROM outbox o WHERE o.kind = 'fact' AND json_extract(o.payload, '$.factId') = p.fact_id) = 1
               AND (SELECT count(*) FROM audit a WHERE a.action = 'payment.record' AND a.entity_id = p.fact_id) = 1`,
          ),
        ).toBe(payments);
        expect(count(db, 'SELECT count(*) FROM outbox')).toBe(payments);
        // Receipt numbers run from 1 without a gap or a repeat: the sequence moved with the payment.
        const numbers = db
          .prepare('SELECT receipt_no FROM payments ORDER BY receipt_no')
          .pluck()
          .all() as string[];
        expect(numbers).toEqual(
          Array.from({ length: payments }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`),
        );
        expect(getMeta(db, META.receiptSeq)).toBe(String(payments));
        expect(verifyAuditChain(db)).toEqual({
          ok: true,
          entries: payments,
          headHash: expect.any(String) as string,
        });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        // The worklist columns agree with the facts: deriving again changes nothing.
        const ledger = bindLedger(db, fixedClock(NOW));
        expect(refreshDerived(db, TODAY, ledger.policy).rewritten).toBe(0);
        expect(
          count(db, 'SELECT arrears_fen FROM cases WHERE id = ?', IDS.caseLate) +
            count(db, 'SELECT arrears_fen FROM cases WHERE id = ?', IDS.caseOther),
        ).toBe(300_000 + 100_000 - payments * 100);
      } finally {
        db.close();
      }
    }
  }, 180_000);
});
