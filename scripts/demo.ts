// npm run demo -- --cases 50000 [--seed 1] [--officers 12] [--out .data/demo/ledger.db]
//                 [--today 2026-11-28] [--activity 1] [--as officer|manager]
// Writes an encrypted demo ledger; its key is the dev key file beside it
// (ledger.devkey, created if missing), which is for development only.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { businessDate, isIsoDate } from '../shared/dates';
import { DEMO_BRANCH } from '../electron/ledger/demo/generate';
import { writeDemoLedgerFile } from '../electron/ledger/demo/ensure-demo';
import { loadOrCreateDevKey } from '../electron/ledger/key-file';

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    officers: { type: 'string', default: '12' },
    out: { type: 'string', default: '.data/demo/ledger.db' },
    today: { type: 'string' },
    activity: { type: 'string', default: '1' },
    as: { type: 'string', default: 'officer' },
  },
  strict: true,
});

const cases = Number(values.cases);
const seed = Number(values.seed);
const officers = Number(values.officers);
const activity = Number(values.activity);
if (!Number.isInteger(cases) || cases < 100 || cases > 100_000)
  fail('--cases must be a whole number from 100 to 100000');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');
if (!Number.isInteger(officers) || officers < 1 || officers > 200)
  fail('--officers must be 1..200');
if (!(activity > 0 && activity <= 5)) fail('--activity must be above 0 and at most 5');
if (values.as !== 'officer' && values.as !== 'manager') fail('--as must be officer or manager');
const today = values.today ?? businessDate(new Date(), DEMO_BRANCH.timezone);
if (!isIsoDate(today)) fail('--today must be a date, YYYY-MM-DD');

const file = path.resolve(values.out);
const devKey = loadOrCreateDevKey(path.dirname(file));
console.warn(devKey.warning);
const summary = writeDemoLedgerFile({
  file,
  key: devKey.key,
  cases,
  seed,
  officers,
  today,
  activity,
  signedInAs: values.as,
});
console.log(
  `demo ledger: ${file}\n  ${summary.cases} cases, ${summary.facts} facts, ${summary.officers} officers, seed ${summary.seed}, as of ${summary.today}\n  generated in ${(summary.ms / 1000).toFixed(1)} s`,
);
