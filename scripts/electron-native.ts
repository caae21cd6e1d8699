// Prepares what `npm start` needs from Electron without touching the Node build the
// tests use:
//   1. the Electron binary (npm's allowScripts keeps electron's own download script
//      from running during install, so machines without internet can still `npm ci`);
//   2. better-sqlite3-multiple-ciphers compiled for Electron's ABI, into
//      .electron-native/<electron version>/better_sqlite3.node. Electron main passes that
//      file to the driver as `nativeBinding`; node_modules keeps the Node 20 build.
// Both need internet (Electron's release download and its headers). Where there is none,
// this says so plainly and exits non-zero; `npm run dev:web` is the way in then.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');

export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
    .version;
}

export function electronNativeBindingPath(version = electronVersion()): string {
  return join(root, '.electron-native', version, 'better_sqlite3.node');
}

function hasElectronBinary(): boolean {
  try {
    const version = readFileSync(join(root, 'node_modules/electron/dist/version'), 'utf8').trim();
    return version.replace(/^v/, '') === electronVersion();
  } catch {
    return false;
  }
}

function ensureElectronBinary(): void {
  if (hasElectronBinary()) return;
  console.log(`Downloading the Electron ${electronVersion()} binary…`);
  execFileSync(process.execPath, [join(root, 'node_modules/electron/install.js')], { stdio: 'inherit' });
}

function ensureNativeModule(): void {
  const version = electronVersion();
  const target = electronNativeBindingPath(version);
  if (existsSync(target)) return;
  console.log(`Building better-sqlite3-multiple-ciphers for Electron ${version} (takes a minute or two)…`);
  const source = dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'fieldbook-native-'));
  try {
    // Build in a copy so node_modules keeps the Node ABI build for tests and tools.
    cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', {
      paths: [dirname(process.execPath), '/usr/lib/node_modules/npm', join(dirname(process.execPath), '../lib/node_modules/npm')],
    });
    execFileSync(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
      { cwd: work, stdio: 'inherit' },
    );
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(work, 'build/Release/better_sqlite3.node'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureElectronBinary();
    ensureNativeModule();
  } catch (err) {
    console.error(
      '\nFieldbook cannot start Electron on this machine: ' +
        (err instanceof Error ? err.message : String(err)) +
        '\nThe Electron binary and headers are downloaded on first start and need internet access.' +
        '\nWithout them, run the same app in a browser: npm run dev:web\n',
    );
    process.exit(1);
  }
}
