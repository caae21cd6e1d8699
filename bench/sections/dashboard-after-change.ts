// Diagnostic (not a registered section): the branch dashboard right after a payment or a
// contact on the 50,000-case bench ledger, wall and CPU time per call.
//   npx tsx bench/sections/dashboard-after-change.ts [payment|contact] [runs]
// Uses the primed copy dashboard-reopen.ts keeps (run that first).
// DASHBOARD_PROFILE=<file>: a V8 CPU profile of the last call (open it in DevTools).
import fs from 'node:fs';
import path from 'node:path';
import { openCaseLedger } from '../../electron/ledger/index';
import { clockStartingAt } from '../../electron/ledger/clock';
import { loadOrCreateDevKey } from '../../electron/ledger/key-file';
import { startCpuProfile } from '../lib';
import { BENCH_DIR, call, discardBenchCopy, SPEC } from './bench-ledger';

const kind = process.argv[2] === 'contact' ? 'contact' : 'payment';
const runs = Number(process.argv[3] ?? 8);
const primed = path.join(BENCH_DIR, 'work-dashboard-reopen-primed.db');
const work = path.join(BENCH_DIR, 'work-dashboard-after-change.db');
if (!fs.existsSync(primed)) {
  console.error('no primed ledger: run npx tsx bench/sections/dashboard-reopen.ts 1 first');
  process.exit(1);
}
discardBenchCopy(work);
fs.copyFileSync(primed, work);
const l = openCaseLedger({
  file: work,
  key: loadOrCreateDevKey(BENCH_DIR).key,
  keyStorage: 'dev-key-file',
  clock: clockStartingAt(`${SPEC.today}T10:00:00+08:00`),
});
try {
  const db = l.db;
  const manager = {
    userId: db
      .prepare(
        `SELECT id FROM users WHERE role IN ('manager','admin') AND active = 1 ORDER BY login LIMIT 1`,
      )
      .pluck()
      .get() as string,
  };
  // The cases dashboard.ts records on: the worklist's top 40.
  const cases = db
    .prepare(
      `SELECT id, officer_id FROM cases WHERE status = 'open' AND flag_do_not_contact = 0
       ORDER BY priority_score DESC LIMIT 40`,
    )
    .all() as { id: string; officer_id: string }[];
  await call(l, manager, 'manager.dashboard', {});
  await call(l, manager, 'manager.dashboard', {});
  const profileFile = process.env.DASHBOARD_PROFILE;
  let profile: Awaited<ReturnType<typeof startCpuProfile>> | null = null;
  for (let i = 0; i < runs; i++) {
    const c = cases[(i + 20) % cases.length]!;
    const officer = { userId: c.officer_id };
    if (kind === 'payment') {
      await call(l, officer, 'payment.record', { caseId: c.id, amountFen: 10_000, method: 'cash' });
    } else {
      await call(l, officer, 'contact.record', {
        caseId: c.id,
        channel: 'call',
        party: 'borrower',
        outcome: 'no_answer',
      });
    }
    if (profileFile && i === runs - 1) profile = await startCpuProfile();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await call(l, manager, 'manager.dashboard', {});
    const cpu = process.cpuUsage(c0);
    console.log(
      `after a ${kind} ${i + 1}: wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    );
  }
  if (profile && profileFile) await profile.stop(profileFile);
} finally {
  l.close();
  discardBenchCopy(work);
}
