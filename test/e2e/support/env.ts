// Fixed inputs of the e2e runs: the business date the dev bridge is pinned to, and where
// screenshots for people to look at are written (a gitignored artifact).
export const E2E_TODAY = '2026-11-28';
export const E2E_PORT = Number(process.env['FIELDBOOK_E2E_PORT'] ?? 5191);
export const E2E_DATA_DIR = `.data/e2e-${E2E_PORT}`;
export const SCREENSHOT_DIR = 'test-results/screenshots';
