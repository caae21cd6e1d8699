// Packaging pre-checks: each one passes on what is committed and fails, with the reason, on
// a project that is wrong in that one way. Plus the pieces they use: image headers, native
// binary headers and the runtime dependency plan.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ART } from '../../scripts/packaging/art-spec';
import { checksumLines, verifyChecksums, writeChecksums } from '../../scripts/packaging/checksums';
import { bmpInfo, icoSizes, pngSize } from '../../scripts/packaging/image-info';
import { inspectNativeBinary } from '../../scripts/packaging/native-check';
import { runPrecheck, type CheckResult } from '../../scripts/packaging/precheck';
import {
  bareImports,
  packageNameOf,
  planRuntimeDependencies,
} from '../../scripts/packaging/runtime-deps';
import { tempDir } from './helpers';

const root = resolve(import.meta.dirname, '../..');

function failed(results: CheckResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => r.check);
}

/** A minimal project: package.json, lock file, the committed art and an electron-vite output. */
function project(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'fieldbook',
      version: '0.2.0',
      main: 'out/main/index.js',
      dependencies: { zod: '4', 'better-sqlite3-multiple-ciphers': '12' },
    }),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'fieldbook', version: '0.2.0', packages: { '': { version: '0.2.0' } } }),
  );
  cpSync(join(root, 'resources/icons'), join(dir, 'resources/icons'), { recursive: true });
  cpSync(join(root, 'resources/installer'), join(dir, 'resources/installer'), { recursive: true });
  mkdirSync(join(dir, 'out/main'), { recursive: true });
  mkdirSync(join(dir, 'out/preload'), { recursive: true });
  mkdirSync(join(dir, 'out/renderer/assets'), { recursive: true });
  writeFileSync(
    join(dir, 'out/main/index.js'),
    'import { app } from "electron";\nimport { z } from "zod";\nimport Database from "better-sqlite3-multiple-ciphers";\nimport path from "node:path";\n',
  );
  writeFileSync(join(dir, 'out/preload/index.cjs'), '"use strict";\n');
  writeFileSync(
    join(dir, 'out/renderer/index.html'),
    '<!doctype html><html><head><script type="module" crossorigin src="./assets/index-abc.js"></script><link rel="stylesheet" href="./assets/index-abc.css"></head><body></body></html>',
  );
  writeFileSync(join(dir, 'out/renderer/assets/index-abc.js'), '');
  writeFileSync(join(dir, 'out/renderer/assets/index-abc.css'), '');
  return dir;
}

describe('art checks', () => {
  it('pass on the committed icons and installer art', async () => {
    const results = await runPrecheck({ projectDir: root, phases: ['art'] });
    expect(results.length).toBeGreaterThanOrEqual(7);
    expect(failed(results)).toEqual([]);
  });

  it('fail on a sidebar of the wrong size, a missing Linux icon and an .ico without 256 px', async () => {
    const dir = project();
    copyFileSync(join(dir, ART.headerBmp), join(dir, ART.sidebarBmp));
    rmSync(join(dir, ART.linuxIconDir, '512x512.png'));
    copyFileSync(
      join(dir, ART.linuxIconDir, '48x48.png'),
      join(dir, ART.linuxIconDir, '64x64.png'),
    );
    writeFileSync(join(dir, ART.ico), icoHeader([16, 32, 48]));
    const results = await runPrecheck({ projectDir: dir, phases: ['art'] });
    const bad = results.filter((r) => !r.ok);
    expect(bad.map((r) => r.detail)).toEqual([
      '64x64.png is 48x48; 512x512.png missing',
      'missing 24, 64, 256',
      '150x57, 8-bit',
    ]);
  });
});

function icoHeader(sizes: number[]): Buffer {
  const buf = Buffer.alloc(6 + sizes.length * 16);
  buf.writeUInt16LE(0, 0);
  buf.writeUInt16LE(1, 2);
  buf.writeUInt16LE(sizes.length, 4);
  sizes.forEach((s, i) => {
    buf[6 + i * 16] = s === 256 ? 0 : s;
    buf[7 + i * 16] = s === 256 ? 0 : s;
  });
  return buf;
}

describe('build checks', () => {
  it('pass on a complete electron-vite output', async () => {
    expect(failed(await runPrecheck({ projectDir: project(), phases: ['build'] }))).toEqual([]);
  });

  it('fail without the preload, with a missing renderer asset, or a network script', async () => {
    const dir = project();
    rmSync(join(dir, 'out/preload/index.cjs'));
    rmSync(join(dir, 'out/renderer/assets/index-abc.css'));
    expect(failed(await runPrecheck({ projectDir: dir, phases: ['build'] }))).toEqual([
      'out/preload/index.cjs exists (preload)',
      'out/renderer/index.html loads a script and its assets exist',
    ]);
    writeFileSync(
      join(dir, 'out/renderer/index.html'),
      '<script src="https://cdn.example.com/x.js"></script>',
    );
    expect(failed(await runPrecheck({ projectDir: dir, phases: ['build'] }))).toContain(
      'out/renderer/index.html loads nothing from the network',
    );
  });

  it('fail when main loads a package that is not a dependency (it would be missing in the installed app)', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'out/main/index.js'),
      'import { z } from "zod";\nconst x = require("left-pad");\n',
    );
    const bad = (await runPrecheck({ projectDir: dir, phases: ['build'] })).filter((r) => !r.ok);
    expect(bad).toHaveLength(1);
    expect(bad[0]?.detail).toBe('not in dependencies: left-pad');
  });
});

describe('version checks', () => {
  it('pass when package.json, the lock file and the tag agree', async () => {
    expect(
      failed(await runPrecheck({ projectDir: project(), phases: ['versions'], tag: 'v0.2.0' })),
    ).toEqual([]);
  });

  it('fail on a lock file left behind, a tag for another version, and a non-semver version', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({ version: '0.1.0', packages: { '': { version: '0.1.0' } } }),
    );
    expect(
      failed(await runPrecheck({ projectDir: dir, phases: ['versions'], tag: 'v0.2.1' })),
    ).toEqual(['package-lock.json has the same version', 'release tag v0.2.1 is v0.2.0']);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '2' }));
    expect(failed(await runPrecheck({ projectDir: dir, phases: ['versions'] }))).toContain(
      'package.json version is semver (electron-updater compares versions)',
    );
  });
});

describe('configuration checks', () => {
  it('pass on this repository: driver unpacked and not excluded, rebuilt, electron-builder accepts the config', async () => {
    const results = await runPrecheck({ projectDir: root, phases: ['config'] });
    expect(results.map((r) => r.check)).toEqual([
      'the SQLite driver (node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node) is unpacked from the asar (native code cannot load from inside it)',
      'no "files" exclusion drops the SQLite driver',
      'native modules are rebuilt for Electron while packaging (npmRebuild)',
      "electron-builder's own validation accepts the configuration",
      'every icon and art file the configuration names exists',
    ]);
    expect(failed(results)).toEqual([]);
  });
});

describe('image headers', () => {
  it('read the sizes of the committed PNG, BMP and ICO files', () => {
    expect(pngSize(readFileSync(join(root, ART.iconPng)))).toEqual({ width: 1024, height: 1024 });
    expect(bmpInfo(readFileSync(join(root, ART.sidebarBmp)))).toMatchObject({
      width: 164,
      height: 314,
    });
    expect(icoSizes(readFileSync(join(root, ART.ico)))?.map((s) => s.width)).toEqual([
      16, 24, 32, 48, 64, 256,
    ]);
  });

  it('say null for files that are not what their name says', () => {
    const junk = Buffer.from('not an image at all, just text');
    expect(pngSize(junk)).toBeNull();
    expect(bmpInfo(junk)).toBeNull();
    expect(icoSizes(junk)).toBeNull();
  });
});

describe('native binary headers', () => {
  it("read the installed driver: this machine's format and CPU, and Node's ABI", () => {
    const info = inspectNativeBinary(
      readFileSync(
        join(
          root,
          'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
        ),
      ),
    );
    expect(info.format).toBe(
      process.platform === 'win32' ? 'pe' : process.platform === 'darwin' ? 'macho' : 'elf',
    );
    expect(info.arch).toBe(process.arch);
    expect(info.abi).toBe(Number(process.versions.modules));
  });

  it('recognise Windows and macOS binaries by their headers', () => {
    const pe = Buffer.alloc(256);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.writeUInt32LE(0x00004550, 0x80);
    pe.writeUInt16LE(0xaa64, 0x84);
    pe.write('node_register_module_v140', 0x100 - 30, 'latin1');
    expect(inspectNativeBinary(pe)).toEqual({ format: 'pe', arch: 'arm64', abi: 140 });
    const macho = Buffer.alloc(64);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x01000007, 4);
    expect(inspectNativeBinary(macho)).toEqual({ format: 'macho', arch: 'x64', abi: null });
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    expect(inspectNativeBinary(fat).arch).toBe('universal');
  });
});

describe('runtime dependency plan', () => {
  it('reads bare imports from ESM and CommonJS bundles, ignoring builtins, electron and relative paths', () => {
    const code = [
      'import path from "node:path";',
      'import { app } from "electron";',
      'import { z } from "zod";',
      'import * as x from "@scope/pkg/sub/path.js";',
      'export { y } from "csv-parse/sync";',
      'const fs = require("fs"); const d = require("better-sqlite3-multiple-ciphers");',
      'const lazy = await import("electron-updater");',
      'import "./local.js";',
    ].join('\n');
    expect(bareImports(code)).toEqual([
      '@scope/pkg',
      'better-sqlite3-multiple-ciphers',
      'csv-parse',
      'electron-updater',
      'zod',
    ]);
    expect(packageNameOf('crypto')).toBeNull();
    expect(packageNameOf('node:crypto')).toBeNull();
  });

  it('keeps the closure of what main imports and excludes every other production package', () => {
    const plan = planRuntimeDependencies(root, ['zod', 'better-sqlite3-multiple-ciphers']);
    const kept = new Set(plan.keep.values());
    for (const name of [
      'zod',
      'better-sqlite3-multiple-ciphers',
      'bindings',
      'electron-updater',
      'electron-log',
      'builder-util-runtime',
    ])
      expect(kept.has(name), name).toBe(true);
    for (const name of [
      'antd',
      'fastify',
      'pg',
      '@electric-sql/pglite',
      'prebuild-install',
      'react',
    ])
      expect(kept.has(name), name).toBe(false);
    expect(plan.exclusions).toContain('!**/node_modules/antd{,/**/*}');
    expect(plan.exclusions).toContain('!**/node_modules/@electric-sql/pglite{,/**/*}');
    expect(plan.exclusions.some((p) => /node_modules\/zod\{/.test(p))).toBe(false);
    // a name kept in one place and not another is excluded by its exact path only
    expect(
      plan.exclusions.filter((p) => p.includes('/semver{')).every((p) => !p.startsWith('!**/')),
    ).toBe(true);
    expect(plan.undeclared).toEqual([]);
  });
});

describe('checksums', () => {
  it('lists artifacts in sha256sum format and finds a changed or missing file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'Fieldbook-Setup-0.2.0.exe'), 'installer');
    writeFileSync(join(dir, 'latest.yml'), 'version: 0.2.0\n');
    writeFileSync(join(dir, 'builder-debug.yml.txt'), 'not an artifact');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(await checksumLines(dir)).toEqual([
      `${sha('installer')}  Fieldbook-Setup-0.2.0.exe`,
      `${sha('version: 0.2.0\n')}  latest.yml`,
    ]);
    const { file, count } = await writeChecksums(dir);
    expect(count).toBe(2);
    expect(await verifyChecksums(dir, file)).toEqual([]);
    writeFileSync(join(dir, 'Fieldbook-Setup-0.2.0.exe'), 'tampered');
    rmSync(join(dir, 'latest.yml'));
    expect(await verifyChecksums(dir, file)).toEqual([
      'Fieldbook-Setup-0.2.0.exe: checksum differs',
      'latest.yml: missing',
    ]);
  });
});
