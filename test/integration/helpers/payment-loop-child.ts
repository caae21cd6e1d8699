// Child process for the durability test: records field payments in a loop through the
// API, printing each receipt number (and fact id) the moment its command has returned,
// until the parent kills it with SIGKILL. Run as: node --import tsx payment-loop-child.ts
// with LEDGER_FILE, LEDGER_KEY (hex) and FIELDBOOK_TODAY in the environment.
import fs from 'node:fs';
import { dispatch } from '../../../shared/api/dispatch';
import { openCaseLedger } from '../../../electron/ledger/index';

const file = process.env.LEDGER_FILE;
const keyHex = process.env.LEDGER_KEY;
if (!file || !keyHex) throw new Error('LEDGER_FILE and LEDGER_KEY are required');

const ledger = openCaseLedger({ file, key: Buffer.from(keyHex, 'hex'), keyStorage: 'test' });
const ctx = { userId: ledger.currentUserId };
const cases = (process.env.CASE_IDS ?? '').split(',').filter(Boolean);
fs.writeSync(1, 'ready\n');

for (let i = 0; ; i++) {
  const result = await dispatch(
    ledger.handlers,
    'payment.record',
    { caseId: cases[i % cases.length], amountFen: 100, method: 'cash' },
    ctx,
  );
  if (!result.ok) {
    fs.writeSync(2, `payment refused: ${JSON.stringify(result.error)}\n`);
    process.exit(3);
  }
  const { receiptNo, factId } = result.value as { receiptNo: string; factId: string };
  // Synchronous: the line is in the pipe before the next payment starts.
  fs.writeSync(1, `${receiptNo} ${factId}\n`);
}
