// Builds the installers for this machine's OS (or the one named), the way the release
// workflow does, without leaving the Electron build of the SQLite driver behind:
//
//   npx tsx scripts/packaging/dist.ts            installers for this OS
//   npx tsx scripts/packaging/dist.ts --win      (--linux, --mac) one OS; cross-building
//                                                 needs that OS's tools, see docs/INSTALLING.md
//   npx tsx scripts/packaging/dist.ts --skip-build   reuse out/ from `npm run build`
//
// Steps: electron-vite build → pre-checks (scripts/packaging/precheck.ts) → keep a copy of
// the driver's Node build → electron-builder (rebuilds the driver for Electron in
// node_modules, packs, runs the afterPack ABI/CPU check) → put the Node build back, so
// `npm test` keeps working → SHA256SUMS.txt beside the installers in release/<version>/.
//
// Needs internet: Electron's release zip and headers (or the driver's prebuilt binary for
// Electron) are downloaded. Not runnable on machines without it (like the ones this
// project is developed on); the release workflow runs it on GitHub's runners.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NATIVE_BINARY } from '../../electron-builder.config';
import { writeChecksums } from './checksums';
import { inspectNativeBinary } from './native-check';
import { formatResults, runPrecheck } from './precheck';

const root = resolve(import.meta.dirname, '../..');

function run(command: string, args: string[]): void {
  console.log(`\n> ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const platformFlags = args.filter((a) => ['--win', '--linux', '--mac'].includes(a));
  const extra = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

  if (!args.includes('--skip-build')) run(join(root, 'node_modules/.bin/electron-vite'), ['build']);

  const results = await runPrecheck({
    projectDir: root,
    ...(process.env.GITHUB_REF_TYPE === 'tag'
      ? { tag: process.env.GITHUB_REF_NAME as string }
      : {}),
  });
  console.log(formatResults(results));
  if (results.some((r) => !r.ok)) throw new Error('pre-checks failed; nothing was packaged');

  const binary = join(root, NATIVE_BINARY);
  const backupDir = mkdtempSync(join(tmpdir(), 'fieldbook-node-abi-'));
  const backup = join(backupDir, 'better_sqlite3.node');
  if (existsSync(binary)) copyFileSync(binary, backup);
  try {
    run(join(root, 'node_modules/.bin/electron-builder'), [
      '--config',
      'electron-builder.config.ts',
      ...platformFlags,
      '--publish',
      'never',
      ...extra,
    ]);
  } finally {
    if (existsSync(backup)) {
      copyFileSync(backup, binary);
      const abi = inspectNativeBinary(readFileSync(binary)).abi;
      console.log(
        `\nRestored the Node build of the SQLite driver (ABI ${abi ?? '?'}, this Node: ${process.versions.modules}).`,
      );
    }
    rmSync(backupDir, { recursive: true, force: true });
  }

  const version = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const { file, count } = await writeChecksums(join(root, 'release', version));
  console.log(`${count} checksums in ${file}`);
}

main().catch((err: unknown) => {
  console.error(`\n${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
