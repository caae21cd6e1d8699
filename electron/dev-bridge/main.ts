// `npm run dev:web`: the real renderer in a plain browser, against the real ledger.
// Serves the renderer through Vite (same config as the Electron build) and the API
// contract on POST /api/<operation>, both on 127.0.0.1 only. Used for development on
// machines without the Electron binary, and by the Playwright e2e tests.
//
// Environment:
//   FIELDBOOK_DATA_DIR  data folder (default .data/dev): the ledger and its dev key file
//   FIELDBOOK_PORT      port on 127.0.0.1 (default 5190)
//   FIELDBOOK_TODAY     business date override, YYYY-MM-DD (deterministic tests and demos)
//   FIELDBOOK_E2E_HOOKS 1 enables the test-only /__e2e/ routes (e2e-hooks.ts): e2e runs only
//   FIELDBOOK_FIRST_RUN wizard: with no ledger yet, show the first-run wizard (enrol or
//                       demo) instead of generating the demo ledger (the default)
import { createServer as createHttpServer } from 'node:http';
import { resolve } from 'node:path';
import { createServer as createViteServer } from 'vite';
import { rendererConfig } from '../../electron.vite.config';
import { handleApiRequest } from './api-routes';
import { openBridgeLedger } from './bridge-ledger';
import { e2eHooksEnabled, handleE2eHookRequest } from './e2e-hooks';
import { createFileRoutes } from './file-routes';

const dataDir = resolve(process.env['FIELDBOOK_DATA_DIR'] ?? '.data/dev');
const port = Number(process.env['FIELDBOOK_PORT'] ?? 5190);
const today = process.env['FIELDBOOK_TODAY'];

const firstRun = process.env['FIELDBOOK_FIRST_RUN'] === 'wizard' ? 'wizard' : 'demo';
const ledger = openBridgeLedger({ dataDir, today, firstRun });
const e2eHooks = { enabled: e2eHooksEnabled(), setClock: ledger.setClock };
if (e2eHooks.enabled) console.warn('Fieldbook dev bridge: e2e test hooks are ON (/__e2e/clock)');

const fileRoutes = createFileRoutes(dataDir);

const httpServer = createHttpServer();
const vite = await createViteServer({
  ...rendererConfig,
  configFile: false,
  appType: 'spa',
  server: { middlewareMode: true, hmr: { server: httpServer } },
});

httpServer.on('request', (req, res) => {
  handleE2eHookRequest(req, res, e2eHooks)
    .then(
      async (hooked) =>
        hooked ||
        (await fileRoutes.handle(req, res)) ||
        handleApiRequest(req, res, { handlers: ledger.handlers, callContext: ledger.callContext }),
    )
    .then((handled) => {
      if (!handled) vite.middlewares(req, res);
    })
    .catch((err: unknown) => {
      console.error('dev bridge: request failed', err instanceof Error ? err.message : err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`Fieldbook dev bridge: http://127.0.0.1:${port}/  (ledger in ${dataDir})`);
});

function shutdown(): void {
  httpServer.close();
  void vite.close();
  ledger.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
