// The import operations as the import screen calls them: through dispatch() with the
// ledger's whole handler map, guarded while an import runs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import { createLedgerHandlers } from '../../electron/ledger/api-handlers';
import { guardDuringImport } from '../../electron/ledger/import';
import type { ApiHandlers, OpName } from '../../shared/api/contract';
import { dispatch } from '../../shared/api/dispatch';
import type { WireResult } from '../../shared/errors';
import { SAMPLE_AS_OF, SAMPLE_EN, SAMPLE_ZH, tempDir } from './helpers';
import { createTestLedger, MANAGER_ID, officerId, type TestLedger } from './ledger-helpers';

const dir = tempDir();
const MANAGER = { userId: MANAGER_ID };
const OFFICER = { userId: officerId('OF001') };

function handlersFor(t: TestLedger): ApiHandlers {
  return guardDuringImport(
    t.ledger,
    createLedgerHandlers(t.ledger, { keyStorage: 'test', appVersion: 'test' }),
  );
}

/** Calls an operation and returns its value, or throws with the wire error. */
async function call<T>(h: ApiHandlers, op: OpName, input: unknown, ctx = MANAGER): Promise<T> {
  const r = await dispatch(h, op, input, ctx);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

async function failure(
  h: ApiHandlers,
  op: OpName,
  input: unknown,
  ctx = MANAGER,
): Promise<Extract<WireResult<unknown>, { ok: false }>['error']> {
  const r = await dispatch(h, op, input, ctx);
  if (r.ok) throw new Error(`${op} succeeded, expected a refusal`);
  return r.error;
}

interface Inspected {
  meta: { headers: string[]; encoding: string };
  mapping: Record<string, unknown>;
  readOptions: Record<string, unknown>;
  savedMappingSource: string | null;
}

async function preview(h: ApiHandlers, file: string, runId: string): Promise<string> {
  const inspected = await call<Inspected>(h, 'import.inspect', { file });
  const p = await call<{ previewId: string; canImport: boolean }>(h, 'import.preview', {
    runId,
    file,
    mapping: inspected.mapping,
    asOfDate: SAMPLE_AS_OF,
    readOptions: inspected.readOptions,
    unknownOfficer: 'warning',
  });
  expect(p.canImport).toBe(true);
  return p.previewId;
}

interface Progress {
  stage: string;
  state: string;
  rowsRead?: number;
  totalRows?: number;
  errorCode?: string;
  result?: { loansCreated: number };
}

/**
 * Polls import.progress (as the screen does) until `until` holds; yields between polls.
 * Bounded by time, not by a number of polls: a large file's rows come from a worker thread
 * whose start-up leaves this thread idle for a while (a few polls a millisecond would pile
 * up hundreds of thousands of answers).
 */
async function pollUntil(
  h: ApiHandlers,
  runId: string,
  until: (p: Progress) => boolean,
): Promise<Progress[]> {
  const seen: Progress[] = [];
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const p = await call<Progress>(h, 'import.progress', { runId });
    seen.push(p);
    if (until(p)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`progress of ${runId} never reached the condition`);
}

function count(t: TestLedger, sql: string): number {
  return t.db.prepare(sql).pluck().get() as number;
}

/** Large enough for the import to drop and rebuild the worklist indexes (index-deferral.ts). */
const BIG_ROWS = 5_000;
let bigFile: string | undefined;
async function bigGbkFile(): Promise<string> {
  if (!bigFile) {
    bigFile = join(dir, 'big.csv');
    await generateGbkCsv(bigFile, BIG_ROWS);
  }
  return bigFile;
}

describe('import operations through dispatch', () => {
  it('officers are refused every import and export operation; a manager imports the sample and finds its loans by search', async () => {
    const t = createTestLedger(dir, undefined, 'roles.db');
    const h = handlersFor(t);
    const inputs: [OpName, unknown][] = [
      ['import.inspect', { file: SAMPLE_EN.file }],
      ['import.progress', { runId: 'x' }],
      ['import.cancel', { runId: 'x' }],
      ['import.mappings.list', {}],
      [
        'import.mappings.save',
        {
          sourceSystem: 'core',
          mapping: { columns: { loan_no: 'loan_no' } },
          headers: ['loan_no'],
        },
      ],
      [
        'export.reconciliation',
        { from: '2026-11-01', to: '2026-11-20', format: 'csv', file: join(dir, 'x.csv') },
      ],
    ];
    for (const [op, input] of inputs) {
      const error = await failure(h, op, input, OFFICER);
      expect({ op, code: error.code, reason: error.params['reason'] }).toEqual({
        op,
        code: 'forbidden',
        reason: 'manager_only',
      });
    }

    const previewId = await preview(h, SAMPLE_EN.file, 'p1');
    const result = await call<{ loansCreated: number; rowsRead: number }>(h, 'import.run', {
      runId: 'r1',
      previewId,
    });
    expect(result.loansCreated).toBe(result.rowsRead);
    expect(result.loansCreated).toBeGreaterThan(0);
    const done = await call<Progress>(h, 'import.progress', { runId: 'r1' });
    expect(done).toMatchObject({
      stage: 'run',
      state: 'done',
      result: { loansCreated: result.loansCreated },
    });
    expect(await call<Progress>(h, 'import.progress', { runId: 'never' })).toMatchObject({
      state: 'unknown',
    });

    // The search text, rebuilt once at the end of the import, finds a loan by its number and
    // its borrower's phone as the per-row triggers would.
    const loan = t.db
      .prepare(
        `SELECT l.loan_no, c.search_text, c.status,
           (SELECT value FROM contact_points WHERE borrower_id = c.borrower_id AND kind = 'mobile' LIMIT 1) AS phone
         FROM loans l JOIN cases c ON c.id = l.case_id WHERE c.status = 'open' ORDER BY l.loan_no LIMIT 1`,
      )
      .get() as { loan_no: string; search_text: string; phone: string };
    expect(loan.search_text).toContain(`|${loan.loan_no.toLowerCase()}|`);
    expect(loan.search_text).toContain(loan.phone);
    const found = await call<{ rows: { loanNo: string }[] }>(h, 'worklist.list', {
      search: loan.loan_no,
    });
    expect(found.rows.map((r) => r.loanNo)).toContain(loan.loan_no);
    expect(count(t, 'SELECT count(*) FROM search_text_deferred')).toBe(0);
    // Outside an import the triggers keep the search text current again.
    t.db
      .prepare(
        `INSERT INTO contact_points (id, borrower_id, kind, value, party, status)
         SELECT '01900000-0000-7000-8000-00000000c0de', c.borrower_id, 'mobile', '139 0000 7777', 'borrower', 'active'
         FROM cases c JOIN loans l ON l.case_id = c.id WHERE l.loan_no = ?`,
      )
      .run(loan.loan_no);
    const after = await call<{ rows: { loanNo: string }[] }>(h, 'worklist.list', {
      search: '13900007777',
    });
    expect(after.rows.map((r) => r.loanNo)).toEqual([loan.loan_no]);
  });

  it('progress can be polled while a run writes; other commands are refused with import_running until it commits', async () => {
    const t = createTestLedger(dir, undefined, 'progress.db');
    const h = handlersFor(t);
    const file = await bigGbkFile();
    const indexesBefore = count(t, `SELECT count(*) FROM sqlite_master WHERE type = 'index'`);
    const previewId = await preview(h, file, 'p-big');
    const run = dispatch(h, 'import.run', { runId: 'r-big', previewId, validOnly: true }, MANAGER);
    const polled = await pollUntil(
      h,
      'r-big',
      (p) => p.state === 'running' && (p.rowsRead ?? 0) > 0,
    );
    expect(polled.at(-1)).toMatchObject({ stage: 'run', state: 'running', totalRows: BIG_ROWS });

    const caseId = t.db.prepare('SELECT id FROM cases LIMIT 1').pluck().get() as string;
    const refused = await failure(h, 'note.record', { caseId, text: '上门未遇' });
    expect(refused).toMatchObject({ code: 'conflict', params: { reason: 'import_running' } });
    expect((await failure(h, 'worklist.list', {})).params['reason']).toBe('import_running');
    expect((await failure(h, 'import.run', { runId: 'r-2', previewId })).params['reason']).toBe(
      'import_running',
    );
    // Policy and the import screen's own polling still answer.
    expect((await dispatch(h, 'policy.get', {}, MANAGER)).ok).toBe(true);

    const finished = await run;
    expect(finished.ok).toBe(true);
    const last = await pollUntil(h, 'r-big', (p) => p.state !== 'running');
    expect(last.at(-1)).toMatchObject({ state: 'done', rowsRead: BIG_ROWS });
    // Rows seen rise while the run is going, never past the file.
    const rows = [...polled, ...last].map((p) => p.rowsRead ?? 0);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.reduce((a, b) => Math.max(a, b), 0)).toBe(BIG_ROWS);

    expect(count(t, 'SELECT count(*) FROM loans')).toBeGreaterThan(BIG_ROWS * 0.9);
    // The worklist indexes dropped for the bulk write are all back.
    expect(count(t, `SELECT count(*) FROM sqlite_master WHERE type = 'index'`)).toBe(indexesBefore);
    const open = t.db
      .prepare(`SELECT id, officer_id FROM cases WHERE status = 'open' ORDER BY id LIMIT 1`)
      .get() as { id: string; officer_id: string };
    const note = await dispatch(
      h,
      'note.record',
      { caseId: open.id, text: '上门未遇' },
      { userId: open.officer_id },
    );
    expect(note).toMatchObject({ ok: true });
  });

  it('cancel rolls the run back: nothing written, the progress says cancelled, the ledger takes writes again', async () => {
    const t = createTestLedger(dir, undefined, 'cancel.db');
    const h = handlersFor(t);
    const file = await bigGbkFile();
    const indexes = t.db
      .prepare(`SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name`)
      .pluck()
      .all();
    const previewId = await preview(h, file, 'p-cancel');
    const run = dispatch(
      h,
      'import.run',
      { runId: 'r-cancel', previewId, validOnly: true },
      MANAGER,
    );
    await pollUntil(h, 'r-cancel', (p) => (p.rowsRead ?? 0) > 0);
    expect(await call(h, 'import.cancel', { runId: 'r-cancel' })).toEqual({ cancelled: true });
    const result = await run;
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'conflict', params: { reason: 'cancelled' } },
    });
    expect(await call<Progress>(h, 'import.progress', { runId: 'r-cancel' })).toMatchObject({
      stage: 'run',
      state: 'cancelled',
      errorCode: 'conflict',
    });
    expect(count(t, 'SELECT count(*) FROM loans')).toBe(0);
    expect(count(t, 'SELECT count(*) FROM cases')).toBe(0);
    expect(count(t, 'SELECT count(*) FROM search_text_deferred')).toBe(0);
    expect(
      t.db
        .prepare(`SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name`)
        .pluck()
        .all(),
    ).toEqual(indexes);
    expect(await call(h, 'import.cancel', { runId: 'r-cancel' })).toEqual({ cancelled: false });
    // The preview is still there: the same file imports on the second try.
    const again = await call<{ loansCreated: number }>(h, 'import.run', {
      runId: 'r-again',
      previewId,
      validOnly: true,
    });
    expect(again.loansCreated).toBeGreaterThan(BIG_ROWS * 0.9);
  });

  it('saved mappings round trip: saved per source system, listed, replaced, and offered by inspect for a file with the same headers', async () => {
    const t = createTestLedger(dir, undefined, 'mappings.db');
    const h = handlersFor(t);
    expect(await call(h, 'import.mappings.list', {})).toEqual([]);
    const inspected = await call<Inspected>(h, 'import.inspect', { file: SAMPLE_ZH.file });
    expect(inspected.savedMappingSource).toBeNull();
    const saved = await call<{ sourceSystem: string; columns: Record<string, string> }>(
      h,
      'import.mappings.save',
      {
        sourceSystem: '信贷管理系统 V3',
        mapping: inspected.mapping,
        headers: inspected.meta.headers,
        encoding: 'gbk',
      },
    );
    expect(saved.sourceSystem).toBe('信贷管理系统 V3');
    expect(saved.columns).toEqual(inspected.mapping['columns']);
    const listed = await call<{ sourceSystem: string; encoding?: string }[]>(
      h,
      'import.mappings.list',
      {},
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ sourceSystem: '信贷管理系统 V3', encoding: 'gbk' });
    expect(
      (await call<Inspected>(h, 'import.inspect', { file: SAMPLE_ZH.file })).savedMappingSource,
    ).toBe('信贷管理系统 V3');
    // Saving under the same name replaces; the English file's headers do not fit it.
    await call(h, 'import.mappings.save', {
      sourceSystem: '信贷管理系统 V3',
      mapping: inspected.mapping,
      headers: inspected.meta.headers,
    });
    const relisted = await call<{ encoding?: string }[]>(h, 'import.mappings.list', {});
    expect(relisted).toHaveLength(1);
    expect(relisted[0]?.encoding).toBeUndefined();
    expect(
      (await call<Inspected>(h, 'import.inspect', { file: SAMPLE_EN.file })).savedMappingSource,
    ).toBeNull();
    expect(
      (
        await failure(h, 'import.mappings.save', {
          sourceSystem: '',
          mapping: { columns: {} },
          headers: [],
        })
      ).code,
    ).toBe('invalid_input');
  });
});
