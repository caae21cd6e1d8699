// How the e2e tests read and drive the worklist screen. The list is virtual: only the
// rows on screen (plus a few either side) are in the DOM, each carrying its rank
// (aria-rowindex) and case id, so the tests compare what is drawn with the ledger's
// answer rank by rank.
import { expect, type Locator, type Page } from '@playwright/test';
import type { WorklistRow } from '../../../shared/api/contract';
import { SCREENSHOT_DIR } from './env';
import { expectedReasonLine, type E2eLanguage } from './reason-words';

export function worklistRows(page: Page): Locator {
  return page.locator('[data-testid="worklist-table"] [data-testid="worklist-row"]');
}

export async function waitForWorklist(page: Page): Promise<void> {
  await expect(worklistRows(page).first()).toBeVisible({ timeout: 60_000 });
}

interface DrawnRow {
  rank: number;
  caseId: string;
  name: string;
  reasons: string;
}

export async function drawnRows(page: Page): Promise<DrawnRow[]> {
  const rows = await worklistRows(page).evaluateAll((els) =>
    els.map((el) => ({
      rank: Number(el.getAttribute('aria-rowindex')),
      caseId: el.getAttribute('data-case-id') ?? '',
      name: el.querySelector('[data-testid="borrower-name"]')?.textContent ?? '',
      reasons: el.querySelector('[data-testid="reasons"]')?.textContent ?? '',
    })),
  );
  return rows.sort((a, b) => a.rank - b.rank);
}

/**
 * Every drawn row is the ledger's row of the same rank, with the same reasons in words.
 * `ledgerRows` starts at rank `firstRank` (1 for the top of the list).
 */
export async function expectTableToMatch(
  page: Page,
  ledgerRows: readonly WorklistRow[],
  lang: E2eLanguage,
  firstRank = 1,
): Promise<void> {
  await expect
    .poll(async () => {
      const drawn = await drawnRows(page);
      if (drawn.length === 0) return 'no rows drawn';
      for (const row of drawn) {
        const expected = ledgerRows[row.rank - firstRank];
        if (!expected) continue;
        if (row.caseId !== expected.caseId)
          return `rank ${row.rank}: ${row.name} instead of ${expected.borrowerName}`;
        const reasons = expectedReasonLine(expected.reasons, lang);
        if (row.reasons !== reasons)
          return `rank ${row.rank}: "${row.reasons}" instead of "${reasons}"`;
      }
      const covered = drawn.filter((r) => ledgerRows[r.rank - firstRank] !== undefined).length;
      return covered >= Math.min(5, ledgerRows.length) ? 'ok' : `only ${covered} rows compared`;
    })
    .toBe('ok');
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  // Let antd's transitions (tags, drawers, modals) settle so the picture shows the resting state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` });
}
