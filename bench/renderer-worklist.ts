// The renderer at branch scale: the real worklist screen in Debian's Chromium against the
// dev bridge over a 20,000-case demo ledger. Measures, from performance marks the
// renderer sets (renderer/src/app/perf.ts):
//  (a) worklist.list answer arrived → its rows committed, over many filter changes
//      (target < 300 ms);
//  (b) logging a contact, from the submit click to the confirmation on screen
//      (target < 50 ms).
// Both are measured twice: on the production build of the renderer (what officers run;
// built here with Vite and served beside the bridge, which answers its API calls) and on
// the dev bridge's own Vite dev server (React's development build under StrictMode, which
// renders everything twice: slower, shown for comparison).
// The ledger is generated once into .data/bench-renderer/base (reused while its spec is
// unchanged) and copied for each run, so the contacts logged here never pile up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import { rendererConfig } from '../electron.vite.config';
import type { WorklistPage } from '../shared/api/contract';
import type { WireResult } from '../shared/errors';
import { ensureDemoLedger } from '../electron/ledger';
import type { BenchSection, Measurement } from './lib';

const ROOT = path.resolve('.data/bench-renderer');
const BASE_DIR = path.join(ROOT, 'base');
const WORK_DIR = path.join(ROOT, 'work');
const DIST_DIR = path.join(ROOT, 'dist');
const PORT = Number(process.env['FIELDBOOK_BENCH_PORT'] ?? 5193);
const URL = `http://127.0.0.1:${PORT}`;
const PROD_URL = `http://127.0.0.1:${PORT + 1}`;
const SPEC = { cases: 20_000, today: '2026-11-28', generator: 1 };
const FILTER_CHANGES = 40;
const CONTACTS = 30;
const WARMUP = 3;
/** The same Chromium flags as playwright.config.ts. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function ensureBaseLedger(): void {
  const specFile = path.join(BASE_DIR, 'spec.json');
  const wanted = JSON.stringify(SPEC);
  if (fs.existsSync(specFile) && fs.readFileSync(specFile, 'utf8') === wanted) return;
  fs.rmSync(BASE_DIR, { recursive: true, force: true });
  fs.mkdirSync(BASE_DIR, { recursive: true });
  console.log(
    `  building a ${SPEC.cases.toLocaleString('en')}-case demo ledger in ${BASE_DIR} (once) ...`,
  );
  const t0 = performance.now();
  ensureDemoLedger({ dataDir: BASE_DIR, cases: SPEC.cases, today: SPEC.today });
  fs.writeFileSync(specFile, wanted);
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function freshWorkCopy(): void {
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  fs.mkdirSync(WORK_DIR, { recursive: true });
  for (const f of fs.readdirSync(BASE_DIR)) {
    if (f !== 'spec.json') fs.copyFileSync(path.join(BASE_DIR, f), path.join(WORK_DIR, f));
  }
}

async function buildRenderer(): Promise<void> {
  const t0 = performance.now();
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'error',
    build: { ...rendererConfig.build, outDir: DIST_DIR, emptyOutDir: true },
  });
  console.log(`  production renderer built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves the built renderer and passes /api/ and /__e2e/ calls on to the bridge. */
function serveProductionBuild(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url.startsWith('/__e2e/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        fetch(`${URL}${url}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          body: Buffer.concat(chunks),
        })
          .then(async (r) => {
            res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? '' });
            res.end(Buffer.from(await r.arrayBuffer()));
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      });
      return;
    }
    const file = path.join(DIST_DIR, url === '/' ? 'index.html' : path.normalize(url));
    if (!file.startsWith(DIST_DIR) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(PORT + 1, '127.0.0.1', () => resolve(server)));
}

async function waitForBridge(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dev bridge exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${URL}/`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error('dev bridge did not start within 180 s');
}

async function api<T>(op: string, input: unknown): Promise<T> {
  const r = await fetch(`${URL}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as WireResult<T>;
  if (!body.ok) throw new Error(`${op}: ${body.error.code} ${body.error.message}`);
  return body.value;
}

async function setClock(now: string | null): Promise<void> {
  const r = await fetch(`${URL}/__e2e/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });
  if (!r.ok) throw new Error(`/__e2e/clock answered ${r.status}`);
}

async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate(
    (n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration),
    name,
  );
}

async function waitForMeasureCount(page: Page, name: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([n, c]) => performance.getEntriesByName(n as string, 'measure').length >= (c as number),
    [name, count] as const,
    { timeout: 30_000 },
  );
}

async function chooseOption(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: label })
    .first()
    .click();
}

/** Filter changes an officer makes in a morning: buckets, quick toggles, promise and recency filters. */
async function filterChanges(page: Page, count: number): Promise<number[]> {
  const name = 'fb:worklist:first-page';
  // Start from the whole branch: 20,000 cases.
  let before = (await measures(page, name)).length;
  await chooseOption(page, 'filter-officer', '全部催收员');
  await waitForMeasureCount(page, name, before + 1);
  const steps: (() => Promise<void>)[] = [
    () => chooseOption(page, 'filter-bucket', 'M1'),
    () => chooseOption(page, 'filter-bucket', 'M3'),
    () => chooseOption(page, 'filter-bucket', 'M6+'),
    () => chooseOption(page, 'filter-bucket', '全部'),
    () => page.getByTestId('filter-hardship').click(),
    () => page.getByTestId('filter-hardship').click(),
    () => chooseOption(page, 'filter-promise', '今天到期或已过期'),
    () => chooseOption(page, 'filter-promise', '全部'),
    () => chooseOption(page, 'filter-not-contacted', '14天以上'),
    () => chooseOption(page, 'filter-not-contacted', '全部'),
  ];
  const startIndex = (await measures(page, name)).length;
  for (let i = 0; i < count + WARMUP; i++) {
    before = (await measures(page, name)).length;
    await steps[i % steps.length]!();
    await waitForMeasureCount(page, name, before + 1);
  }
  return (await measures(page, name)).slice(startIndex + WARMUP);
}

/** SMS to the borrower on successive cases (SMS has no daily caps), each confirmed on screen. */
async function logContacts(page: Page, caseIds: string[]): Promise<number[]> {
  const name = 'fb:contact:logged';
  for (let i = 0; i < caseIds.length; i++) {
    await page.evaluate((id) => {
      // Runs in the page (this file is type-checked against Node's lib, without the DOM).
      (globalThis as unknown as { location: { hash: string } }).location.hash =
        `#/case/${encodeURIComponent(id)}`;
    }, caseIds[i]!);
    await page.getByTestId('case-borrower-name').waitFor();
    await page.getByTestId('action-sms').click();
    const form = page.getByTestId('contact-form');
    await form.locator('[data-testid="conduct-status"][data-allowed="true"]').waitFor();
    await chooseOption(page, 'contact-outcome', '无人接听');
    const before = (await measures(page, name)).length;
    await form.getByTestId('contact-submit').click();
    await waitForMeasureCount(page, name, before + 1);
    await page.getByTestId('contact-confirmed').waitFor();
  }
  return (await measures(page, name)).slice(WARMUP);
}

interface RunFigures {
  firstPage: number[];
  contacts: number[];
}

async function measureScreen(
  browser: Browser,
  baseUrl: string,
  caseIds: string[],
): Promise<RunFigures> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('worklist-row').first().waitFor({ timeout: 120_000 });
    const firstPage = await filterChanges(page, FILTER_CHANGES);
    const contacts = await logContacts(page, caseIds);
    return { firstPage, contacts };
  } finally {
    await context.close();
  }
}

export const rendererWorklistSection: BenchSection = {
  name: 'renderer',
  description:
    'worklist screen in Debian Chromium against the dev bridge on a 20,000-case ledger (renderer performance marks)',
  async run(): Promise<Measurement[]> {
    ensureBaseLedger();
    freshWorkCopy();
    await buildRenderer();
    const bridge = spawn(process.execPath, ['--import', 'tsx', 'electron/dev-bridge/main.ts'], {
      env: {
        ...process.env,
        FIELDBOOK_DATA_DIR: WORK_DIR,
        FIELDBOOK_PORT: String(PORT),
        FIELDBOOK_TODAY: SPEC.today,
        FIELDBOOK_E2E_HOOKS: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let bridgeErrors = '';
    bridge.stderr?.on(
      'data',
      (d: Buffer) => (bridgeErrors = (bridgeErrors + d.toString()).slice(-4000)),
    );
    const prodServer = await serveProductionBuild();
    const browser = await chromium.launch({
      executablePath: process.env['FIELDBOOK_CHROMIUM'] ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      await waitForBridge(bridge).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${bridgeErrors}`);
      });
      // 10:00 in the branch: contact hours never depend on when the bench runs.
      await setClock(`${SPEC.today}T10:00:00+08:00`);
      const contactable = await api<WorklistPage>('worklist.list', { limit: 300, offset: 0 });
      const ids = contactable.rows
        .filter((r) => r.phone && !r.flags.doNotContact)
        .map((r) => r.caseId);
      const perRun = CONTACTS + WARMUP;
      const prod = await measureScreen(browser, PROD_URL, ids.slice(0, perRun));
      const dev = await measureScreen(browser, URL, ids.slice(perRun, 2 * perRun));
      await setClock(null);
      return [
        {
          label: 'worklist first page: data → rendered (production build)',
          samplesMs: prod.firstPage,
          target: { stat: 'p95', ms: 300 },
        },
        {
          label: 'log a contact: submit → confirmed (production build)',
          samplesMs: prod.contacts,
          target: { stat: 'p95', ms: 50 },
        },
        {
          label: 'worklist first page: data → rendered (Vite dev server)',
          samplesMs: dev.firstPage,
          target: { stat: 'p95', ms: 300 },
        },
        {
          label: 'log a contact: submit → confirmed (Vite dev server)',
          samplesMs: dev.contacts,
          target: { stat: 'p95', ms: 50 },
        },
      ];
    } finally {
      await browser.close();
      prodServer.close();
      bridge.kill('SIGTERM');
    }
  },
};
