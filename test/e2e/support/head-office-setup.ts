// `tsx test/e2e/support/head-office-setup.ts <server-url> <provisioning-out>`: sets up the
// enrolled e2e's head office with the admin CLI's own commands (runAdmin, the function
// behind `npm run admin`), in one process so the PGlite folder is opened once instead of
// once a command. Same environment as the CLI (FIELDBOOK_SERVER_DATA,
// FIELDBOOK_PROVISIONING_KEY). Prints one JSON line: passwords, the enrolment code.
//
// The branch: Li Wei (officer) works most of the cases, Wang Fang (officer) a few, Zhang
// Min is the manager. Li Wei's caseload is large enough that the first download takes
// several pages.
import { migrateUp } from '../../../server/db/migrate';
import { databaseLocationFromEnv, openDatabase } from '../../../server/db/open';
import { runAdmin } from '../../../server/cli/run-admin';
import { LI_WEI_CASES, PASSWORDS, WANG_FANG_CASES } from './head-office-people';

const [serverUrl, provisioningOut] = process.argv.slice(2);
if (!serverUrl || !provisioningOut) {
  console.error('usage: head-office-setup.ts <server-url> <provisioning-out>');
  process.exit(2);
}

const db = await openDatabase(databaseLocationFromEnv());
await migrateUp(db);
// Every command gets the same open database; it is closed once at the end.
const shared = { ...db, close: () => Promise.resolve() };
const lines: string[] = [];
let stdin = '';

async function admin(...argv: string[]): Promise<string[]> {
  const from = lines.length;
  const code = await runAdmin(argv, {
    io: {
      out: (l) => lines.push(l),
      err: (l) => lines.push(`! ${l}`),
      readStdinLine: () => Promise.resolve(stdin),
    },
    defaultActor: 'cli:e2e',
    openDb: () => Promise.resolve(shared),
  });
  if (code !== 0) throw new Error(`admin ${argv.join(' ')} failed:\n${lines.join('\n')}`);
  return lines.slice(from);
}

async function addUser(username: string, name: string, role: string): Promise<void> {
  stdin = PASSWORDS[username as keyof typeof PASSWORDS];
  await admin(
    'add-user',
    '--branch',
    'GZ01',
    '--username',
    username,
    '--name',
    name,
    '--role',
    role,
    '--password-stdin',
  );
}

try {
  await admin('create-branch', '--code', 'GZ01', '--name', '广州天河支行');
  await addUser('liwei', '李伟', 'officer');
  await addUser('wangfang', '王芳', 'officer');
  await addUser('zhangmin', '张敏', 'manager');
  await admin(
    'seed-demo',
    '--branch',
    'GZ01',
    '--cases',
    String(LI_WEI_CASES),
    '--officers',
    'liwei',
    '--seed',
    '7',
  );
  await admin(
    'seed-demo',
    '--branch',
    'GZ01',
    '--cases',
    String(WANG_FANG_CASES),
    '--officers',
    'wangfang',
    '--seed',
    '8',
  );
  const issued = await admin(
    'issue-enrolment-code',
    '--branch',
    'GZ01',
    '--device-name',
    'Li Wei laptop',
  );
  const code = /Enrolment code: (\S+)/.exec(issued.join('\n'))?.[1];
  if (!code) throw new Error(`no enrolment code in:\n${issued.join('\n')}`);
  await admin(
    'create-provisioning',
    '--branch',
    'GZ01',
    '--server-url',
    serverUrl,
    '--device-name',
    'Li Wei laptop',
    '--language',
    'zh-CN',
    '--out',
    provisioningOut,
  );
  console.log(JSON.stringify({ enrolmentCode: code }));
} finally {
  await db.close();
}
