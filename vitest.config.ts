// Unit and integration tests (Node). Playwright owns test/e2e.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests live under test/, except pure renderer helpers tested beside their code.
    include: ['test/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // Forks, not threads: the native SQLite binding and process-wide env (FIELDBOOK_TODAY)
    // stay isolated per test file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
