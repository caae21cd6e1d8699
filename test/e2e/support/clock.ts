// The dev bridge's test hook (FIELDBOOK_E2E_HOOKS=1, set in playwright.config.ts): pins
// the ledger's clock to an instant, or gives the real clock back.
import { expect, type APIRequestContext } from '@playwright/test';

export async function setLedgerClock(
  request: APIRequestContext,
  now: string | null,
): Promise<void> {
  const response = await request.post('/__e2e/clock', { data: { now } });
  expect(response.status(), 'POST /__e2e/clock (is FIELDBOOK_E2E_HOOKS=1 set?)').toBe(200);
}
