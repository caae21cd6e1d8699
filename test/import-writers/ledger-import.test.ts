// The portfolio import into the desktop ledger, and the reconciliation export from it:
// what a branch manager with no server sees after loading core banking's file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import type { LedgerClock } from '../../electron/ledger/clock';
import { recordPayment } from '../../electron/ledger/commands/record-payment';
import { recordPromise } from '../../electron/ledger/commands/record-promise';
import { reversePayment } from '../../electron/ledger/commands/reverse-payment';
import {
  createImportHandlers,
  exportReconciliation,
  importPortfolioIntoLedger,
  importRunning,
} from '../../electron/ledger/import';
import { AppError } from '../../shared/errors';
import { SAMPLE_AS_OF, SAMPLE_EN, SAMPLE_ZH, loanLine, tempDir, writeCsv } from './helpers';
import {
  createTestLedger,
  MANAGER_ID,
  officerId,
  previewFor,
  type TestLedger,
} from './ledger-helpers';

const dir = tempDir();

interface CaseView {
  status: string;
  officer_id: string;
  dpd: number;
  arrears_fen: number;
  outstanding_fen: number;
}

function caseOf(t: TestLedger, loanNo: string): CaseView & { case_id: string; loan_id: string } {
  return t.db
    .prepare(
      `SELECT c.id AS case_id, l.id AS loan_id, c.status, c.officer_id, c.dpd, c.arrears_fen, c.outstanding_fen
       FROM loans l JOIN cases c ON c.id = l.case_id WHERE l.loan_no = ?`,
    )
    .get(loanNo) as CaseView & { case_id: string; loan_id: string };
}

function count(t: TestLedger, sql: string): number {
  return t.db.prepare(sql).pluck().get() as number;
}

function movableClock(instant: string): LedgerClock & { set(i: string): void } {
  let now = new Date(instant);
  return { now: () => new Date(now), set: (i) => (now = new Date(i)) };
}

async function importFile(
  t: TestLedger,
  file: string,
  asOf: string,
  options: { full?: boolean; validOnly?: boolean } = {},
) {
  const preview = await previewFor(t, file, asOf);
  return importPortfolioIntoLedger(t.ledger, file, preview, { actorId: MANAGER_ID, ...options });
}

describe('importPortfolioIntoLedger', () => {
  it('imports the English sample: loans with schedules, open cases for delinquent loans assigned by officer code, the file’s arrears and DPD in the worklist', async () => {
    const t = createTestLedger(tempDir());
    const result = await importFile(t, SAMPLE_EN.file, SAMPLE_AS_OF);
    const rows = SAMPLE_EN.full ? 200 : 30;
    expect(result).toMatchObject({
      rowsRead: rows,
      loansCreated: rows,
      loansUpdated: 0,
      rowsLeftOut: 0,
    });
    expect(count(t, 'SELECT count(*) FROM loans')).toBe(rows);
    expect(count(t, 'SELECT count(DISTINCT loan_id) FROM instalments')).toBe(rows);
    // LN110000003: two instalments of 847.98 unpaid, 39 days late, officer OF003.
    expect(caseOf(t, 'LN110000003')).toMatchObject({
      status: 'open',
      officer_id: officerId('OF003'),
      dpd: 39,
      arrears_fen: 169_596,
    });
    // LN110000002 is current: its case waits, closed, out of the worklist.
    expect(caseOf(t, 'LN110000002')).toMatchObject({ status: 'closed', dpd: 0, arrears_fen: 0 });
    // The worklist's figures are the file's for (nearly) every loan: arrears always, DPD unless the file contradicts itself.
    const text = readFileSync(SAMPLE_EN.file, 'utf8').trim().split('\n').slice(1);
    let arrearsSame = 0;
    let dpdSame = 0;
    for (const line of text) {
      const cells = line.split(',');
      const c = caseOf(t, cells[0] as string);
      if (c.arrears_fen === Math.round(Number(cells[13]) * 100)) arrearsSame++;
      if (c.dpd === Number(cells[14])) dpdSame++;
    }
    expect(arrearsSame).toBe(rows);
    expect(dpdSame / rows).toBeGreaterThan(0.9);
    expect(count(t, `SELECT count(*) FROM cases WHERE status = 'open'`)).toBe(
      count(t, `SELECT count(*) FROM cases WHERE arrears_fen > 0 OR dpd > 0`),
    );
    expect(importRunning(t.ledger)).toBe(false);
    // The import is in the audit trail.
    expect(count(t, `SELECT count(*) FROM audit WHERE action = 'portfolio.import'`)).toBe(1);
  });

  it('imports the GBK sample with Chinese headers, amounts with thousands separators and 2026/3/5 dates', async () => {
    const t = createTestLedger(tempDir());
    const result = await importFile(t, SAMPLE_ZH.file, SAMPLE_AS_OF);
    expect(result.loansCreated).toBe(SAMPLE_ZH.full ? 200 : 30);
    const row = t.db
      .prepare(
        `SELECT l.principal_fen, l.disbursed_on, b.name FROM loans l JOIN borrowers b ON b.id = l.borrower_id WHERE l.loan_no = 'LN120000000'`,
      )
      .get();
    expect(row).toEqual({ principal_fen: 10_000_000, disbursed_on: '2026-01-21', name: '廖壮震' });
    const phones = t.db
      .prepare(
        `SELECT cp.value FROM contact_points cp JOIN loans l ON l.borrower_id = cp.borrower_id WHERE l.loan_no = 'LN120000000' ORDER BY cp.party`,
      )
      .pluck()
      .all();
    expect(phones).toEqual(['17275253093', '13671628598']);
  });

  it('re-import updates the snapshot and keeps every fact; field payments after the snapshot still count', async () => {
    const clock = movableClock('2026-11-20T02:00:00Z');
    const t = createTestLedger(tempDir(), clock);
    const first = writeCsv(dir, 'ledger-re-1.csv', [
      loanLine({
        loanNo: 'RE-1',
        arrears: '1000.00',
        dpd: '5',
        nextDue: '2026-11-15',
        officer: 'OF001',
      }),
      loanLine({ loanNo: 'RE-2', officer: 'OF002' }),
    ]);
    await importFile(t, first, '2026-11-20');
    const re1 = caseOf(t, 'RE-1');
    expect(re1).toMatchObject({ status: 'open', dpd: 5, arrears_fen: 100_000 });

    // The officer takes 300 yuan, records a promise, and a 50 yuan payment reversed by mistake.
    clock.set('2026-11-21T03:00:00Z');
    recordPayment(t.ledger, officerId('OF001'), {
      caseId: re1.case_id,
      amountFen: 30_000,
      method: 'cash',
    });
    recordPromise(t.ledger, officerId('OF001'), {
      caseId: re1.case_id,
      dueDate: '2026-11-25',
      amountFen: 70_000,
    });
    const wrong = recordPayment(t.ledger, officerId('OF001'), {
      caseId: re1.case_id,
      amountFen: 5_000,
      method: 'cash',
    });
    reversePayment(t.ledger, officerId('OF001'), {
      paymentFactId: wrong.factId,
      reason: '录错金额',
    });
    const facts = count(t, 'SELECT count(*) FROM facts');
    expect(caseOf(t, 'RE-1').arrears_fen).toBe(70_000);

    // The same file again: nothing moves.
    await importFile(t, first, '2026-11-20');
    expect(count(t, 'SELECT count(*) FROM facts')).toBe(facts);
    expect(caseOf(t, 'RE-1').arrears_fen).toBe(70_000);
    expect(count(t, 'SELECT count(*) FROM core_repayments')).toBe(2);

    // Core banking's file of 11-22 has the 300 yuan posted: arrears 700, still 7 days late.
    clock.set('2026-11-22T03:00:00Z');
    const second = writeCsv(dir, 'ledger-re-2.csv', [
      loanLine({
        loanNo: 'RE-1',
        arrears: '700.00',
        dpd: '7',
        nextDue: '2026-11-15',
        officer: 'OF001',
        phone: '13900000009',
      }),
      loanLine({ loanNo: 'RE-2', officer: 'OF002' }),
    ]);
    const r = await importFile(t, second, '2026-11-22');
    expect(r).toMatchObject({ loansCreated: 0, loansUpdated: 2 });
    expect(count(t, 'SELECT count(*) FROM facts')).toBe(facts);
    expect(count(t, 'SELECT count(*) FROM payments')).toBe(2);
    expect(count(t, 'SELECT count(*) FROM payment_reversals')).toBe(1);
    // The field payment is not counted twice: the file's 700 are the arrears.
    expect(caseOf(t, 'RE-1')).toMatchObject({ dpd: 7, arrears_fen: 70_000 });
    expect(
      t.db.prepare(`SELECT snapshot_as_of FROM loans WHERE loan_no = 'RE-1'`).pluck().get(),
    ).toBe('2026-11-22');
    expect(
      t.db
        .prepare(
          `SELECT count(*) FROM contact_points cp JOIN loans l ON l.borrower_id = cp.borrower_id WHERE l.loan_no = 'RE-1'`,
        )
        .pluck()
        .get(),
    ).toBe(2);
  });

  it('a full import closes the loans the file no longer lists (not deleted) and their cases; a row rejected in the file keeps its loan open', async () => {
    const t = createTestLedger(tempDir());
    await importFile(
      t,
      writeCsv(dir, 'full-1.csv', [
        loanLine({ loanNo: 'F-1', arrears: '1000.00', dpd: '5', nextDue: '2026-11-15' }),
        loanLine({ loanNo: 'F-2', arrears: '1000.00', dpd: '5', nextDue: '2026-11-15' }),
        loanLine({ loanNo: 'F-3' }),
      ]),
      '2026-11-20',
    );
    const full = writeCsv(dir, 'full-2.csv', [
      loanLine({ loanNo: 'F-1' }),
      loanLine({ loanNo: 'F-2', principal: 'abc' }),
    ]);
    const r = await importFile(t, full, '2026-11-20', { full: true, validOnly: true });
    expect(r).toMatchObject({ loansUpdated: 1, rowsLeftOut: 1, loansClosed: 1, casesClosed: 0 });
    expect(count(t, 'SELECT count(*) FROM loans')).toBe(3);
    const status = Object.fromEntries(
      (
        t.db.prepare('SELECT loan_no, status FROM loans ORDER BY loan_no').all() as {
          loan_no: string;
          status: string;
        }[]
      ).map((l) => [l.loan_no, l.status]),
    );
    expect(status).toEqual({ 'F-1': 'active', 'F-2': 'active', 'F-3': 'closed' });
    expect(caseOf(t, 'F-3').status).toBe('closed');
    // F-1 cured, but its case stays open (the officer may have a plan running on it).
    expect(caseOf(t, 'F-1').status).toBe('open');
  });

  it('a file with bad rows imports nothing unless validOnly', async () => {
    const t = createTestLedger(tempDir());
    const file = writeCsv(dir, 'ledger-bad.csv', [
      loanLine({ loanNo: 'B-1' }),
      loanLine({ loanNo: 'B-2', outstanding: '99999.00' }),
      loanLine({ loanNo: 'B-1', name: '李四' }),
      loanLine({ loanNo: 'B-3' }),
    ]);
    const preview = await previewFor(t, file, '2026-11-20');
    expect(preview.report).toMatchObject({ validRows: 1, rejectedRows: 3 });
    const err = await importPortfolioIntoLedger(t.ledger, file, preview, {
      actorId: MANAGER_ID,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).params).toMatchObject({ reason: 'rows_rejected', rejectedRows: 3 });
    expect(count(t, 'SELECT count(*) FROM loans')).toBe(0);
    const r = await importPortfolioIntoLedger(t.ledger, file, preview, {
      actorId: MANAGER_ID,
      validOnly: true,
    });
    expect(r).toMatchObject({ loansCreated: 1, rowsLeftOut: 3 });
    expect(t.db.prepare('SELECT loan_no FROM loans').pluck().all()).toEqual(['B-3']);
  });

  it('only a manager or an admin may import', async () => {
    const t = createTestLedger(tempDir());
    const preview = await previewFor(t, SAMPLE_EN.file, SAMPLE_AS_OF);
    await expect(
      importPortfolioIntoLedger(t.ledger, SAMPLE_EN.file, preview, { actorId: officerId('OF001') }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('cancel rolls the whole import back; the ledger is usable right after', async () => {
    const t = createTestLedger(tempDir());
    const file = join(dir, 'cancel.csv');
    await generateGbkCsv(file, 6_000);
    const preview = await previewFor(t, file, '2026-11-20');
    const controller = new AbortController();
    const seen: number[] = [];
    const err = await importPortfolioIntoLedger(
      t.ledger,
      file,
      preview,
      { actorId: MANAGER_ID, validOnly: true },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.rowsRead);
          if (p.rowsRead >= 2_000) controller.abort(new Error('user cancelled'));
        },
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('user cancelled');
    expect(seen[0]).toBe(2_000);
    expect(count(t, 'SELECT count(*) FROM loans')).toBe(0);
    expect(count(t, 'SELECT count(*) FROM borrowers')).toBe(0);
    expect(t.db.inTransaction).toBe(false);
    expect(importRunning(t.ledger)).toBe(false);
    const r = await importPortfolioIntoLedger(t.ledger, file, preview, {
      actorId: MANAGER_ID,
      validOnly: true,
    });
    expect(r.loansCreated).toBe(6_000 - 6);
  });
});

describe('exportReconciliation', () => {
  it('hands back payments, reversals and promises with core loan numbers and receipt numbers (CSV and XLSX)', async () => {
    const t = createTestLedger(tempDir(), movableClock('2026-11-21T03:00:00Z'));
    await importFile(
      t,
      writeCsv(dir, 'recon.csv', [
        loanLine({ loanNo: 'CORE-778', arrears: '1000.00', dpd: '5', nextDue: '2026-11-15' }),
      ]),
      '2026-11-20',
    );
    const c = caseOf(t, 'CORE-778');
    const paid = recordPayment(t.ledger, officerId('OF001'), {
      caseId: c.case_id,
      amountFen: 45_050,
      method: 'wechat_pay',
    });
    const reversal = reversePayment(t.ledger, officerId('OF001'), {
      paymentFactId: paid.factId,
      reason: '重复记录',
    });
    recordPromise(t.ledger, officerId('OF001'), {
      caseId: c.case_id,
      dueDate: '2026-11-28',
      amountFen: 100_000,
    });

    const csv = join(dir, 'recon-out.csv');
    const written = await exportReconciliation(t.ledger, {
      from: '2026-11-21',
      to: '2026-11-21',
      format: 'csv',
      file: csv,
      lang: 'en',
      values: 'codes',
    });
    expect(written.rows).toBe(3);
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]?.slice(0, 7)).toEqual([
      'Business date',
      'Time',
      'Loan number',
      'Borrower',
      'Kind',
      'Receipt number',
      'Amount (yuan)',
    ]);
    const byKind = Object.fromEntries(lines.slice(1).map((l) => [l[4], l]));
    expect(byKind.payment?.slice(2, 8)).toEqual([
      'CORE-778',
      '张三',
      'payment',
      paid.receiptNo,
      '450.50',
      'wechat_pay',
    ]);
    expect(byKind.reversal?.slice(2, 7)).toEqual([
      'CORE-778',
      '张三',
      'reversal',
      paid.receiptNo,
      '-450.50',
    ]);
    expect(byKind.reversal?.[13]).toBe('重复记录');
    expect(byKind.reversal?.[14]).toBe(reversal.factId);
    expect(byKind.promise?.[8]).toBe('2026-11-28');

    // Another day's range is empty; XLSX has the same rows.
    const none = await exportReconciliation(t.ledger, {
      from: '2026-11-22',
      to: '2026-11-30',
      format: 'csv',
      file: join(dir, 'none.csv'),
    });
    expect(none.rows).toBe(0);
    const xlsx = await exportReconciliation(t.ledger, {
      from: '2026-11-01',
      to: '2026-11-30',
      format: 'xlsx',
      file: join(dir, 'recon.xlsx'),
    });
    expect(xlsx.rows).toBe(3);
    await expect(
      exportReconciliation(t.ledger, {
        from: '2026-11-30',
        to: '2026-11-01',
        format: 'csv',
        file: csv,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('createImportHandlers', () => {
  it('inspect → preview → run with progress, as the import screen will call them; officers are refused', async () => {
    const t = createTestLedger(tempDir());
    const events: string[] = [];
    const h = createImportHandlers(t.ledger, {
      onProgress: (e) => events.push(`${e.runId}:${e.stage}`),
    });
    const ctx = { userId: MANAGER_ID };
    const inspected = await h['import.inspect']({ file: SAMPLE_ZH.file }, ctx);
    expect(inspected.meta.encoding).toBe('gbk');
    expect(inspected.mapping.columns.loan_no).toBe('贷款编号');
    const preview = await h['import.preview'](
      {
        runId: 'p1',
        file: SAMPLE_ZH.file,
        mapping: inspected.mapping,
        asOfDate: SAMPLE_AS_OF,
        readOptions: inspected.readOptions,
        unknownOfficer: 'error',
      },
      ctx,
    );
    expect(preview.canImport).toBe(true);
    expect(preview.report.rejectedRows).toBe(0);
    const run = await h['import.run'](
      { runId: 'r1', previewId: preview.previewId, full: false, validOnly: false },
      ctx,
    );
    expect(run.loansCreated).toBe(SAMPLE_ZH.full ? 200 : 30);
    expect(events).toContain('r1:run');
    await expect(
      h['import.run'](
        { runId: 'r2', previewId: preview.previewId, full: false, validOnly: false },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      h['import.inspect']({ file: SAMPLE_ZH.file }, { userId: officerId('OF001') }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await h['import.cancel']({ runId: 'nothing' }, ctx)).toEqual({ cancelled: false });
  });
});
