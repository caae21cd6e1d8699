// afterPack's check on a packed app (a real asar made with electron-builder's own asar
// library): the driver must be unpacked, Electron's ABI, the package's CPU; every package
// main imports must be inside.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_BINARY, verifyPackedApp } from '../../electron-builder.config';
import { electronAbi } from '../../scripts/packaging/native-check';
import { checkPackedApp } from '../../scripts/packaging/packed-app';
import { tempDir } from './helpers';

const root = resolve(import.meta.dirname, '../..');
const ELECTRON = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const asar = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))(
  '@electron/asar',
) as {
  createPackageWithOptions(
    src: string,
    dest: string,
    options: { unpack: string },
  ): Promise<unknown>;
};
const nodeBuild = readFileSync(join(root, NATIVE_BINARY)); // node_modules holds the Node build

/** An ELF x64 addon that registers for `abi`. */
function fakeAddon(abi: number): Buffer {
  const elf = Buffer.alloc(256);
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[5] = 1;
  elf.writeUInt16LE(62, 18);
  elf.write(`node_register_module_v${abi}`, 100, 'latin1');
  return elf;
}

async function packedApp(options: {
  addon?: Buffer | null;
  mainImports?: string[];
  modules?: string[];
  /** package name -> its dependencies */
  deps?: Record<string, string[]>;
}): Promise<string> {
  const dir = tempDir();
  const app = join(dir, 'app');
  const imports = options.mainImports ?? ['zod', 'better-sqlite3-multiple-ciphers'];
  mkdirSync(join(app, 'out/main'), { recursive: true });
  writeFileSync(
    join(app, 'out/main/index.js'),
    imports.map((m, i) => `import m${i} from "${m}";`).join('\n'),
  );
  for (const name of options.modules ?? imports) {
    mkdirSync(join(app, 'node_modules', name), { recursive: true });
    const dependencies = Object.fromEntries((options.deps?.[name] ?? []).map((d) => [d, '*']));
    writeFileSync(
      join(app, 'node_modules', name, 'package.json'),
      JSON.stringify({ name, dependencies }),
    );
  }
  if (options.addon !== null) {
    mkdirSync(join(app, NATIVE_BINARY, '..'), { recursive: true });
    writeFileSync(join(app, NATIVE_BINARY), options.addon ?? nodeBuild);
  }
  const resources = join(dir, 'linux-unpacked', 'resources');
  mkdirSync(resources, { recursive: true });
  await asar.createPackageWithOptions(app, join(resources, 'app.asar'), { unpack: '*.node' });
  return join(dir, 'linux-unpacked');
}

const check = (appOutDir: string) =>
  checkPackedApp({
    resourcesDir: join(appOutDir, 'resources'),
    platform: 'linux',
    arch: 'x64',
    electronVersion: ELECTRON,
    projectDir: root,
    nativeBinary: NATIVE_BINARY,
  });

describe('the packed-app check', () => {
  const electronAbiNumber = electronAbi(ELECTRON, root);

  it("knows Electron's ABI (from node-abi, installed with electron-builder)", () => {
    expect(electronAbiNumber).toBeGreaterThan(Number(process.versions.modules));
  });

  it('passes a package with an Electron-ABI driver for its CPU and every imported package', async () => {
    expect(check(await packedApp({ addon: fakeAddon(electronAbiNumber as number) }))).toEqual([]);
  });

  it('refuses the Node build of the driver (the rebuild did not run)', async () => {
    const problems = check(await packedApp({}));
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `built for ABI ${process.versions.modules}, Electron ${ELECTRON} needs ${electronAbiNumber}`,
        ),
      ),
    ]);
  });

  it('refuses a driver for another CPU or operating system', async () => {
    const arm = fakeAddon(electronAbiNumber as number);
    arm.writeUInt16LE(183, 18);
    expect(check(await packedApp({ addon: arm }))).toEqual([
      expect.stringMatching(/built for arm64, this package is x64/),
    ]);
    const pe = Buffer.alloc(256);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.writeUInt32LE(0x00004550, 0x80);
    pe.writeUInt16LE(0x8664, 0x84);
    expect(check(await packedApp({ addon: pe }))).toEqual([
      expect.stringMatching(/a pe binary, not one for linux/),
    ]);
  });

  it('refuses a package whose driver stayed inside the asar (or is missing)', async () => {
    expect(check(await packedApp({ addon: null }))).toEqual([
      expect.stringMatching(/must be unpacked from the asar/),
    ]);
  });

  it('refuses a package that lacks a module the main bundle imports', async () => {
    const problems = check(
      await packedApp({
        addon: fakeAddon(electronAbiNumber as number),
        mainImports: ['zod', 'uuid'],
        modules: ['zod'],
      }),
    );
    expect(problems).toEqual([
      'the main bundle imports uuid, which is not in the app: a "files" exclusion dropped it',
    ]);
  });

  it("refuses a package that lacks a dependency of an imported module, found by Node's resolution", async () => {
    const addon = fakeAddon(electronAbiNumber as number);
    const ok = await packedApp({
      addon,
      mainImports: ['electron-updater'],
      modules: ['electron-updater', 'semver', 'js-yaml'],
      deps: { 'electron-updater': ['semver', 'js-yaml'], 'js-yaml': ['argparse'] },
    });
    expect(check(ok)).toEqual([
      'js-yaml needs argparse, which is not in the app: a "files" exclusion dropped it',
    ]);
  });

  it("runs as electron-builder's afterPack hook and stops the build with the reasons", async () => {
    const appOutDir = await packedApp({});
    const arch = 1; // electron-builder's Arch.x64
    await expect(
      verifyPackedApp({ appOutDir, electronPlatformName: 'linux', arch }),
    ).rejects.toThrow(/not fit to ship:\n {2}.*ABI/);
  });
});
