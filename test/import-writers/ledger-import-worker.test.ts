// The desktop import reads, validates and prepares a large file's rows in a worker thread
// while the main thread writes (electron/ledger/import/row-source.ts). What a manager sees
// must not depend on it: the same file gives the same ledger either way, and an error the
// worker meets (the file changed since the preview) reaches the caller as the same error,
// with nothing written.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import { importPortfolioIntoLedger } from '../../electron/ledger/import';
import { AppError } from '../../shared/errors';
import { tempDir } from './helpers';
import { createTestLedger, MANAGER_ID, previewFor, type TestLedger } from './ledger-helpers';

const ROWS = 3_000;

/** Everything an import writes, keyed by loan number instead of the generated ids. */
function contents(t: TestLedger): unknown {
  const all = (sql: string): unknown[] => t.db.prepare(sql).all();
  return {
    loans:
      all(`SELECT loan_no, product, principal_fen, disbursed_on, term_months, annual_rate_pct, status,
                  snapshot_as_of FROM loans ORDER BY loan_no`),
    instalments: all(`SELECT l.loan_no, i.seq, i.due_date, i.principal_fen, i.interest_fen
                      FROM instalments i JOIN loans l ON l.id = i.loan_id ORDER BY l.loan_no, i.seq`),
    coreLines: all(`SELECT l.loan_no, r.id, r.paid_on, r.amount_fen FROM core_repayments r
                    JOIN loans l ON l.id = r.loan_id ORDER BY l.loan_no, r.id`),
    cases:
      all(`SELECT l.loan_no, c.status, c.officer_id, c.township, c.village, c.route_key, c.dpd, c.bucket,
                  c.arrears_fen, c.outstanding_fen, c.priority_score, c.priority_reasons, c.search_text
                FROM cases c JOIN loans l ON l.case_id = c.id ORDER BY l.loan_no`),
    borrowers:
      all(`SELECT l.loan_no, b.name, b.name_initials, b.name_pinyin, b.id_number_masked, b.address
                    FROM borrowers b JOIN loans l ON l.borrower_id = b.id ORDER BY l.loan_no`),
    phones: all(`SELECT l.loan_no, p.kind, p.value, p.party, p.name FROM contact_points p
                 JOIN loans l ON l.borrower_id = p.borrower_id ORDER BY l.loan_no, p.value`),
  };
}

describe('ledger import rows from a worker thread', () => {
  it('writes the same ledger as reading on the main thread, first import and re-import', async () => {
    const dir = tempDir();
    const file = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(file, ROWS);
    const ledgers: TestLedger[] = [];
    const results: unknown[] = [];
    for (const worker of [true, false]) {
      const t = createTestLedger(dir, undefined, `ledger-${worker ? 'worker' : 'main'}.db`);
      const preview = await previewFor(t, file, '2026-11-20');
      for (let pass = 0; pass < 2; pass++) {
        const modes: string[] = [];
        const r = await importPortfolioIntoLedger(
          t.ledger,
          file,
          preview,
          { actorId: MANAGER_ID, validOnly: true },
          { rowsInWorker: worker, onRowSource: (m) => modes.push(m) },
        );
        expect(modes).toEqual([worker ? 'worker' : 'same-thread']);
        results.push({ ...r, ms: 0 });
      }
      ledgers.push(t);
    }
    const [viaWorker, onMain] = ledgers as [TestLedger, TestLedger];
    expect(results[0]).toEqual(results[2]);
    expect(results[1]).toEqual(results[3]);
    expect((results[0] as { loansCreated: number }).loansCreated).toBeGreaterThan(ROWS * 0.99);
    expect((results[1] as { loansUpdated: number }).loansUpdated).toBeGreaterThan(ROWS * 0.99);
    expect(contents(viaWorker)).toEqual(contents(onMain));
  });

  it('a file changed after the preview: the worker’s error reaches the caller, nothing is written', async () => {
    const dir = tempDir();
    const file = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(file, ROWS);
    const t = createTestLedger(dir);
    const preview = await previewFor(t, file, '2026-11-20');
    appendFileSync(file, Buffer.from('\r\n'));
    const err = await importPortfolioIntoLedger(
      t.ledger,
      file,
      preview,
      { actorId: MANAGER_ID, validOnly: true },
      { rowsInWorker: true },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).params.reason).toBe('file_changed');
    expect(t.db.prepare('SELECT count(*) FROM loans').pluck().get()).toBe(0);
    expect(t.db.inTransaction).toBe(false);
  });
});
