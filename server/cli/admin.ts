// `npm run admin -- <command> [options]`: head-office administration (see run-admin.ts).
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { migrateUp } from '../db/migrate';
import { openDatabase, databaseLocationFromEnv } from '../db/open';
import { runAdmin } from './run-admin';

function systemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

const code = await runAdmin(process.argv.slice(2), {
  io: { out: (l) => console.log(l), err: (l) => console.error(l), readStdinLine },
  defaultActor: `cli:${systemUser()}`,
  openDb: async () => {
    const db = await openDatabase(databaseLocationFromEnv());
    await migrateUp(db);
    return db;
  },
});
process.exitCode = code;
