// What the desktop import lifts while it writes (insert triggers that are no-ops for it,
// search text rebuilt by the trigger's own UPDATE) must come back exactly, and the
// dashboard must still learn of every new case once it has been built.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import { importPortfolioIntoLedger } from '../../electron/ledger/import';
import { SAMPLE_AS_OF, SAMPLE_EN, tempDir } from './helpers';
import { createTestLedger, MANAGER_ID, previewFor, type TestLedger } from './ledger-helpers';

const dir = tempDir();

async function importFile(t: TestLedger, file: string, asOf: string, signal?: AbortSignal) {
  const preview = await previewFor(t, file, asOf);
  return importPortfolioIntoLedger(
    t.ledger,
    file,
    preview,
    { actorId: MANAGER_ID, validOnly: true },
    signal ? { signal } : {},
  );
}

function triggers(t: TestLedger): unknown[] {
  return t.db
    .prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
    .all();
}

function searchTexts(t: TestLedger): unknown[] {
  return t.db.prepare('SELECT id, search_text FROM cases ORDER BY id').all();
}

describe('what the import lifts while it writes', () => {
  it('puts every trigger back as it was, and writes the search text the triggers would', async () => {
    const t = createTestLedger(tempDir());
    const before = triggers(t);
    expect(before.length).toBeGreaterThan(10);
    const file = join(dir, 'lifted.csv');
    await generateGbkCsv(file, 600);
    expect(await importFile(t, file, '2026-11-20')).toMatchObject({ loansCreated: 600 });
    expect(triggers(t)).toEqual(before);
    const texts = searchTexts(t);
    expect(texts).toHaveLength(600);
    for (const row of texts as { search_text: string }[])
      expect(row.search_text).toMatch(/^\|.+\|$/);
    // The triggers rebuild the same text: a no-op update of every case fires them.
    t.db.exec('UPDATE cases SET borrower_id = borrower_id');
    expect(searchTexts(t)).toEqual(texts);
    // And, back in place, they keep it current for the next write.
    const caseId = (texts[0] as { id: string }).id;
    t.db.prepare(`UPDATE loans SET loan_no = 'NEWNO-1' WHERE case_id = ?`).run(caseId);
    expect(
      t.db.prepare('SELECT search_text FROM cases WHERE id = ?').pluck().get(caseId),
    ).toContain('|newno-1|');
  });

  it('a cancelled import leaves the triggers as they were', async () => {
    const t = createTestLedger(tempDir());
    const before = triggers(t);
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the test'));
    await expect(importFile(t, SAMPLE_EN.file, SAMPLE_AS_OF, controller.signal)).rejects.toThrow(
      'cancelled by the test',
    );
    expect(triggers(t)).toEqual(before);
    expect(t.db.prepare('SELECT count(*) FROM loans').pluck().get()).toBe(0);
  });

  it('once the dashboard is built, every case the import opens is marked for it', async () => {
    const t = createTestLedger(tempDir());
    // The dashboard's positions exist (as after a manager opened it): new loans must reach it.
    t.db
      .prepare(`INSERT INTO dashboard_positions_state (id, valid_on) VALUES (1, '2026-11-20')`)
      .run();
    const result = await importFile(t, SAMPLE_EN.file, SAMPLE_AS_OF);
    expect(result.loansCreated).toBeGreaterThan(0);
    const cases = t.db.prepare('SELECT id FROM cases ORDER BY id').pluck().all();
    expect(
      t.db.prepare('SELECT case_id FROM dashboard_dirty_cases ORDER BY case_id').pluck().all(),
    ).toEqual(cases);
  });

  it('before the dashboard is built, nothing is marked (as the triggers would do)', async () => {
    const t = createTestLedger(tempDir());
    await importFile(t, SAMPLE_EN.file, SAMPLE_AS_OF);
    expect(t.db.prepare('SELECT count(*) FROM dashboard_dirty_cases').pluck().get()).toBe(0);
  });
});
