// npm run bench [-- <section> ...]
// Runs every registered section (or the named ones) and prints its figures next to the
// targets. Add a benchmark by writing bench/sections/<name>.ts and listing it here.
import { formatMeasurement, type BenchSection } from './lib';
import { importReadSection } from './import-read';
import { importWriteSection } from './import-write';
import { portfolioMetricsSection } from './portfolio-metrics';
import { rendererWorklistSection } from './renderer-worklist';
import { dashboardSection } from './sections/dashboard';
import { ledgerSection } from './sections/ledger';
import { serverSyncSection } from './server-sync';
import { syncClientSection } from './sync-client';

// Issue order: ledger (foundation), renderer (officer's day), dashboard metrics, import,
// server and sync. Server sections use PostgreSQL when DATABASE_URL is set.
const SECTIONS: BenchSection[] = [
  ledgerSection,
  rendererWorklistSection,
  portfolioMetricsSection,
  dashboardSection,
  importReadSection,
  importWriteSection,
  serverSyncSection,
  syncClientSection,
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
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
  for (const section of chosen) {
    console.log(`\n[${section.name}] ${section.description}`);
    const measurements = await section.run();
    for (const m of measurements) console.log(formatMeasurement(m));
  }
}

await main();
