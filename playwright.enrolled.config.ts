// The enrolled device's e2e (test/e2e/enrolled.spec.ts): the same browser settings as
// playwright.config.ts, but the dev bridge starts with an EMPTY data folder and the
// first-run wizard (FIELDBOOK_FIRST_RUN=wizard) instead of the demo ledger; the spec starts
// its own head office (a real sync server on PGlite, set up with the admin CLI).
//   FIELDBOOK_E2E_PORT=5206 npx playwright test -c playwright.enrolled.config.ts
// The sync server listens on the port + 1001, the slow link in front of it on + 1002.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import { E2E_DATA_DIR as DATA_DIR, E2E_PORT as PORT, E2E_TODAY } from './test/e2e/support/env';

export default defineConfig({
  ...base,
  testMatch: 'enrolled.spec.ts',
  testIgnore: [],
  // Its own folder: another run of the main config empties test-results/artifacts as it starts.
  outputDir: `test-results/artifacts-enrolled-${PORT}`,
  // One long story (enrol, sync, go offline, lock out, revoke): setting up the head office
  // and restarting its server take most of it.
  timeout: 600_000,
  webServer: {
    command: `node -e "require('node:fs').rmSync('${DATA_DIR}', { recursive: true, force: true })" && npm run dev:web`,
    url: `http://127.0.0.1:${PORT}/`,
    env: {
      FIELDBOOK_DATA_DIR: DATA_DIR,
      FIELDBOOK_TODAY: E2E_TODAY,
      FIELDBOOK_PORT: String(PORT),
      FIELDBOOK_FIRST_RUN: 'wizard',
      FIELDBOOK_E2E_HOOKS: '1',
    },
    timeout: 240_000,
    // Never someone else's bridge: this one must start with an empty data folder.
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
