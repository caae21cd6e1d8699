// electron-builder itself, run on this configuration as far as it goes without an Electron
// binary: a stand-in Electron folder (electronDist), no native rebuild (that would rewrite
// the shared node_modules and needs Electron's headers from the internet), the Linux `dir`
// target. It packs the app for real — file selection, node_modules exclusions, asar,
// asarUnpack, app-update.yml — and then afterPack must stop the build because the driver
// in node_modules is the Node build, which is exactly what it exists to catch.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NATIVE_BINARY, PLACEHOLDER_UPDATE_URL } from '../../electron-builder.config';
import { tempDir } from './helpers';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const asar = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))(
  '@electron/asar',
) as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
};

/**
 * electron-builder runs in the project itself (--projectDir), as scripts/packaging/dist.ts
 * runs it, so npm describes the real node_modules. Only the stand-in bundle, the
 * stand-in Electron folder, the config and the output live in a temp folder.
 *
 * Why not a temp project with node_modules symlinked in (what this test did first): npm
 * reads a symlinked node_modules correctly only while its hidden lockfile
 * (node_modules/.package-lock.json) is newer than every folder in node_modules. Anything
 * that adds an entry to node_modules afterwards (vitest's node_modules/.vite cache, on the
 * first test run after `npm ci`) makes npm walk the folders instead; through a link that
 * leads outside the project, every package there is "extraneous" and every dependency
 * "missing", `npm list` reports electron-updater and the driver with no dependencies, and
 * electron-builder, which packs what `npm list` reports, leaves fs-extra, bindings and
 * the rest out. A developer tree whose last `npm install` came after the .vite folder
 * passed; a fresh clone failed.
 */
function project(): { dir: string; config: string; output: string; mainBundle: string } {
  const dir = tempDir('fieldbook-pack-');
  // What electron-vite builds, reduced to the imports that decide what ships.
  const outDir = join(dir, 'out');
  mkdirSync(join(outDir, 'main'), { recursive: true });
  mkdirSync(join(outDir, 'preload'), { recursive: true });
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  const mainBundle = [
    'import { app } from "electron";',
    'import { z } from "zod";',
    'import { v7 } from "uuid";',
    'import { pinyin } from "pinyin-pro";',
    'import Database from "better-sqlite3-multiple-ciphers";',
    'import { autoUpdater } from "electron-updater";',
    'import log from "electron-log/main";',
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'main/index.js'), mainBundle);
  writeFileSync(join(outDir, 'preload/index.cjs'), '"use strict";\n');
  writeFileSync(join(outDir, 'renderer/index.html'), '<!doctype html><title>Fieldbook</title>\n');
  const fakeElectron = join(dir, 'fake-electron');
  mkdirSync(join(fakeElectron, 'resources'), { recursive: true });
  writeFileSync(join(fakeElectron, 'electron'), '#!/bin/sh\necho stand-in\n');
  chmodSync(join(fakeElectron, 'electron'), 0o755);
  writeFileSync(join(fakeElectron, 'version'), 'v45.5.0');
  writeFileSync(join(fakeElectron, 'LICENSE'), '');
  const output = join(dir, 'release');
  const config = join(dir, 'dry-run.config.ts');
  writeFileSync(
    config,
    [
      `import { buildConfig } from ${JSON.stringify(join(root, 'electron-builder.config'))};`,
      `import { mainBundleExternals } from ${JSON.stringify(join(root, 'scripts/packaging/runtime-deps'))};`,
      `const c = buildConfig({ mainExternals: mainBundleExternals(${JSON.stringify(dir)}) });`,
      // The real `files`, with the stand-in bundle in place of the project's out/ (which a
      // fresh clone does not have before `npm run build`).
      "const files = (c.files as string[]).filter((f) => f !== 'out/**/*');",
      'export default {',
      '  ...c,',
      `  files: [{ from: ${JSON.stringify(outDir)}, to: 'out', filter: ['**/*'] }, ...files],`,
      `  directories: { ...c.directories, output: ${JSON.stringify(output)} },`,
      '  npmRebuild: false,',
      '  electronFuses: null,',
      `  electronDist: ${JSON.stringify(fakeElectron)},`,
      "  linux: { ...c.linux, target: [{ target: 'dir', arch: ['x64'] }] },",
      '};',
      '',
    ].join('\n'),
  );
  return { dir, config, output, mainBundle };
}

// The stand-in Electron folder has Linux's layout, and the check compares the driver with
// this machine's CPU: elsewhere the test says so and does not run. It takes ~20 s.
const SUPPORTED = process.platform === 'linux' && process.arch === 'x64';
if (!SUPPORTED)
  console.warn(
    `packaging dry run skipped: needs linux x64, this is ${process.platform} ${process.arch}`,
  );

describe('electron-builder on this configuration (stand-in Electron, no native rebuild)', () => {
  it.skipIf(!SUPPORTED)(
    'packs only what main needs, unpacks the driver, and afterPack refuses the Node-built driver',
    async () => {
      const { config, output, mainBundle } = project();
      const result = await run(
        join(root, 'node_modules/.bin/electron-builder'),
        ['--projectDir', root, '--config', config, '--linux', 'dir', '--publish', 'never'],
        {
          cwd: root,
          env: { ...process.env, CI: '1' },
          maxBuffer: 64 * 1024 * 1024,
        },
      ).then(
        () => ({ failed: false, output: '' }),
        (err: { stdout?: string; stderr?: string }) => ({
          failed: true,
          output: `${err.stdout ?? ''}\n${err.stderr ?? ''}`,
        }),
      );
      expect(result.failed).toBe(true);
      expect(result.output).toMatch(
        new RegExp(
          `The packed app is not fit to ship:[\\s\\S]*built for ABI ${process.versions.modules}, Electron 45\\.5\\.0 needs \\d+: the native rebuild did not run`,
        ),
      );
      expect(result.output).not.toContain('which is not in the app');

      const resources = join(output, 'linux-unpacked/resources');
      expect(existsSync(join(resources, 'app.asar.unpacked', NATIVE_BINARY))).toBe(true);
      const listed = new Set(asar.listPackage(join(resources, 'app.asar'), { isPack: false }));
      for (const f of [
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/package.json',
        '/node_modules/zod/package.json',
        '/node_modules/electron-updater/package.json',
        '/node_modules/electron-log/package.json',
        '/node_modules/bindings/package.json',
        '/node_modules/better-sqlite3-multiple-ciphers/lib/index.js',
      ]) {
        expect(listed.has(f), f).toBe(true);
      }
      // The stand-in, not a project out/ left by an earlier `npm run build`.
      expect(asar.extractFile(join(resources, 'app.asar'), 'out/main/index.js').toString()).toBe(
        mainBundle,
      );
      expect([...listed].filter((p) => /^\/out\/.*\./.test(p)).sort()).toEqual([
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
      ]);
      const packages = [...listed].filter((p) =>
        /^\/node_modules\/(?:@[^/]+\/)?[^/]+\/package\.json$/.test(p),
      );
      for (const dropped of [
        'antd',
        'react',
        'echarts',
        'fastify',
        'pg',
        '@electric-sql/pglite',
        'exceljs',
        'prebuild-install',
        'tslib',
        'ajv',
      ]) {
        expect(packages, dropped).not.toContain(`/node_modules/${dropped}/package.json`);
      }
      expect(
        [...listed].some((p) => p.startsWith('/node_modules/better-sqlite3-multiple-ciphers/deps')),
      ).toBe(false);
      expect(statSync(join(resources, 'app.asar')).size).toBeLessThan(30 * 1024 * 1024);
      const updateYml = readFileSync(join(resources, 'app-update.yml'), 'utf8');
      expect(updateYml).toContain(`url: ${PLACEHOLDER_UPDATE_URL}`);
      expect(updateYml).toContain('useMultipleRangeRequest: false');
    },
    180_000,
  );
});
