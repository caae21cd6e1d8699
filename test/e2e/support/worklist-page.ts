// How the e2e tests read and drive the worklist screen.
import { expect, type Locator, type Page } from '@playwright/test';
import type { WorklistPage } from '../../../shared/api/contract';
import { expectedReasonLine, type E2eLanguage } from './reason-words';

export function worklistRows(page: Page): Locator {
  return page.locator('[data-testid="worklist-table"] tbody tr[data-row-key]');
}

export async function waitForWorklist(page: Page): Promise<void> {
  await expect(worklistRows(page).first()).toBeVisible({ timeout: 60_000 });
}

/** The table shows exactly the ledger's page: same cases, same order, same reasons in words. */
export async function expectTableToMatch(
  page: Page,
  ledgerPage: WorklistPage,
  lang: E2eLanguage,
): Promise<void> {
  const rows = worklistRows(page);
  await expect(rows).toHaveCount(ledgerPage.rows.length);
  await expect(rows.locator('[data-testid="borrower-name"]')).toHaveText(
    ledgerPage.rows.map((r) => r.borrowerName),
  );
  const keys = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-key')));
  expect(keys).toEqual(ledgerPage.rows.map((r) => r.caseId));
  await expect(rows.locator('[data-testid="reasons"]')).toHaveText(
    ledgerPage.rows.map((r) => expectedReasonLine(r.reasons, lang)),
  );
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  // Let antd's transitions (tags, drawer) settle so the picture shows the resting state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}
