// npm run bench [-- <section> ...]
// Runs every registered section (or the named ones) and prints its figures next to the
// targets. Add a benchmark by writing bench/sections/<name>.ts and listing it here.
// Each section runs in a process of its own that loads only that section: one section's
// modules, heap and JIT state do not weigh on the next one's figures (the sync client's
// device, for one, would otherwise carry the renderer section's bundler in its heap).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatMeasurement, type BenchSection } from './lib';

// Issue order: ledger (foundation), renderer (officer's day), dashboard metrics, import,
// server and sync. Server sections use PostgreSQL when DATABASE_URL is set.
const SECTIONS: { name: string; load: () => Promise<BenchSection> }[] = [
  { name: 'ledger', load: async () => (await import('./sections/ledger')).ledgerSection },
  {
    name: 'renderer',
    load: async () => (await import('./renderer-worklist')).rendererWorklistSection,
  },
  {
    name: 'portfolio-metrics',
    load: async () => (await import('./portfolio-metrics')).portfolioMetricsSection,
  },
  { name: 'dashboard', load: async () => (await import('./sections/dashboard')).dashboardSection },
  { name: 'import-read', load: async () => (await import('./import-read')).importReadSection },
  { name: 'import-write', load: async () => (await import('./import-write')).importWriteSection },
  { name: 'server-sync', load: async () => (await import('./server-sync')).serverSyncSection },
  { name: 'sync-client', load: async () => (await import('./sync-client')).syncClientSection },
];

/** Set in the process that runs one section for the parent. */
const CHILD_FLAG = 'FIELDBOOK_BENCH_SECTION_CHILD';

async function runSection(name: string): Promise<void> {
  const entry = SECTIONS.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown section ${name}`);
  const section = await entry.load();
  if (section.name !== name) throw new Error(`section ${name} loads as ${section.name}`);
  console.log(`\n[${section.name}] ${section.description}`);
  const measurements = await section.run();
  for (const m of measurements) console.log(formatMeasurement(m));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (process.env[CHILD_FLAG] === '1') {
    await runSection(wanted[0] ?? '');
    return;
  }
  const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const chosen = wanted.length > 0 ? SECTIONS.filter((s) => wanted.includes(s.name)) : SECTIONS;
  console.log(
    `Fieldbook benchmarks — Node ${process.version}, ${process.platform}/${process.arch}`,
  );
  let failed = 0;
  for (const { name } of chosen) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), name],
      { stdio: 'inherit', env: { ...process.env, [CHILD_FLAG]: '1' } },
    );
    if (child.status !== 0) {
      failed++;
      console.error(`bench: section ${name} failed (exit ${child.status ?? child.signal})`);
    }
  }
  if (failed > 0) process.exit(1);
}

await main();
