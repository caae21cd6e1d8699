// Child process of ledger-killed.test.ts: opens the test ledger (path and hex key in argv),
// previews and imports a file into it, printing 'written N' at every progress report so
// the parent can kill it (SIGKILL) in the middle of the transaction.
import { fixedClock } from '../../electron/ledger/clock';
import { openLedger } from '../../electron/ledger/db';
import { importPortfolioIntoLedger } from '../../electron/ledger/import';
import { bindLedger } from '../../electron/ledger/ledger';
import { MANAGER_ID, previewFor } from './ledger-helpers';

const [ledgerFile, keyHex, csv] = process.argv.slice(2) as [string, string, string];
const key = Buffer.from(keyHex, 'hex');
const db = openLedger({ file: ledgerFile, key });
const t = { ledger: bindLedger(db, fixedClock('2026-11-20T02:00:00Z')), db, file: ledgerFile, key };
const preview = await previewFor(t, csv, '2026-11-20');
const result = await importPortfolioIntoLedger(
  t.ledger,
  csv,
  preview,
  { actorId: MANAGER_ID, validOnly: true },
  { onProgress: (p) => process.stdout.write(`written ${p.loansWritten}\n`) },
);
process.stdout.write(`Imported ${result.loansCreated}\n`);
db.close();
