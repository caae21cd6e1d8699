// The electron-builder configuration, validated against electron-builder's own JSON schema
// (node_modules/app-builder-lib/scheme.json, with the ajv electron-builder itself uses) and
// its own validateConfiguration, plus the properties branch IT relies on.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, NATIVE_BINARY, PLACEHOLDER_UPDATE_URL } from '../../electron-builder.config';

const root = resolve(import.meta.dirname, '../..');
const appBuilderLib = createRequire(join(root, 'node_modules/app-builder-lib/package.json'));

type ValidateFn = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params: Record<string, unknown> }[] | null;
};
interface AjvLike {
  compile(schema: unknown): ValidateFn;
}
type AjvCtor = new (options: Record<string, unknown>) => AjvLike;
type Matcher = new (pattern: string, options: { dot: boolean }) => { match(path: string): boolean };

// Same options as electron-builder (app-builder-lib/out/util/config/schemaValidator.js) but
// without coerceTypes, so a string where a boolean belongs is an error here. strict: false
// as there: the schema uses a custom "typeof" keyword that electron-builder ignores.
const Ajv = (appBuilderLib('ajv') as { default: AjvCtor }).default;
const validate = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')),
);
const { Minimatch } = appBuilderLib('minimatch') as { Minimatch: Matcher };

const MAIN_IMPORTS = ['better-sqlite3-multiple-ciphers', 'pinyin-pro', 'uuid', 'zod'];
const config = buildConfig({ mainExternals: MAIN_IMPORTS });
const files = (config.files as string[]).filter((p) => typeof p === 'string');
const excluded = (path: string) =>
  files.some((p) => p.startsWith('!') && new Minimatch(p.slice(1), { dot: true }).match(path));

describe("against electron-builder's own schema", () => {
  it('is valid', () => {
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator is not vacuous: a misspelt option, a wrong type and an unknown target are errors', () => {
    expect(validate({ ...config, nsis: { ...config.nsis, oneclick: false } })).toBe(false);
    expect(validate.errors?.some((e) => e.params.additionalProperty === 'oneclick')).toBe(true);
    expect(validate({ ...config, nsis: { ...config.nsis, perMachine: 'yes' } })).toBe(false);
    expect(validate({ ...config, asar: 'sometimes' })).toBe(false);
    expect(validate({ ...config, publish: [{ provider: 'ftp', url: 'x' }] })).toBe(false);
  });

  it("passes electron-builder's validateConfiguration as well", async () => {
    const { validateConfiguration } = appBuilderLib('./out/util/config/config') as {
      validateConfiguration(c: unknown, l: unknown): Promise<void>;
    };
    const { DebugLogger } = appBuilderLib('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('electron-builder can load the TypeScript file itself (its own loader)', async () => {
    const { getConfig } = appBuilderLib('./out/util/config/load') as {
      getConfig(
        request: {
          packageKey: string;
          configFilename: string;
          projectDir: string;
          packageMetadata: null;
        },
        path: string,
      ): Promise<{ result: unknown }>;
    };
    const request = {
      packageKey: 'build',
      configFilename: 'electron-builder',
      projectDir: root,
      packageMetadata: null,
    };
    if (existsSync(join(root, 'out/main/index.js'))) {
      const { result } = await getConfig(request, 'electron-builder.config.ts');
      expect(validate(result)).toBe(true);
    } else {
      // No build here: the file loads and asks for one, in words.
      await expect(getConfig(request, 'electron-builder.config.ts')).rejects.toThrow(
        /run `npm run build`/,
      );
    }
  });
});

describe('what branch IT relies on', () => {
  it('Windows: an assisted per-machine NSIS installer that keeps user data, plus a portable build', () => {
    expect(config.appId).toBe('cn.fieldbook.app');
    expect(config.productName).toBe('Fieldbook');
    expect(config.win?.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowElevation: true,
      deleteAppDataOnUninstall: false,
      include: 'resources/installer/installer.nsh',
    });
  });

  it('the uninstaller\'s "also delete my data" section is unchecked (/o) and skipped during updates', () => {
    const nsh = readFileSync(join(root, 'resources/installer/installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customUnInstallSection\s+Section \/o "un\./);
    expect(nsh).toMatch(/\$\{ifNot\} \$\{isUpdated\}/);
    expect(nsh).toContain('!macro customInstall');
    expect(nsh).toContain('$EXEDIR\\fieldbook-provisioning.json');
  });

  it('Linux AppImage and deb (with the keyring the ledger key needs); macOS dmg plus the zip the updater needs', () => {
    expect((config.linux?.target as { target: string }[]).map((t) => t.target)).toEqual([
      'AppImage',
      'deb',
    ]);
    expect(config.deb?.depends).toContain('libsecret-1-0');
    expect((config.mac?.target as { target: string }[]).map((t) => t.target)).toEqual([
      'dmg',
      'zip',
    ]);
  });

  it('updates: a generic feed whose placeholder URL can never resolve, latest*.yml whatever the version', () => {
    expect(config.publish).toEqual([
      { provider: 'generic', url: PLACEHOLDER_UPDATE_URL, useMultipleRangeRequest: false },
    ]);
    expect(new URL(PLACEHOLDER_UPDATE_URL).hostname.endsWith('.invalid')).toBe(true);
    expect(config.detectUpdateChannel).toBe(false);
  });

  it('the SQLite driver is rebuilt for Electron and unpacked from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack as string[];
    expect(unpack.some((p) => new Minimatch(p, { dot: true }).match(NATIVE_BINARY))).toBe(true);
    expect(excluded(NATIVE_BINARY)).toBe(false);
  });

  it("ships what main loads and leaves out the server, the renderer libraries and the driver's C sources", () => {
    for (const kept of [
      'node_modules/zod/index.js',
      'node_modules/better-sqlite3-multiple-ciphers/lib/index.js',
      'node_modules/electron-updater/out/main.js',
      'node_modules/electron-log/main.js',
      'node_modules/bindings/bindings.js',
    ]) {
      expect(excluded(kept), kept).toBe(false);
    }
    for (const dropped of [
      'node_modules/antd/lib/index.js',
      'node_modules/react-dom/index.js',
      'node_modules/echarts/index.js',
      'node_modules/fastify/fastify.js',
      'node_modules/@electric-sql/pglite/dist/index.js',
      'node_modules/pg/lib/index.js',
      'node_modules/prebuild-install/index.js',
      'node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3-multiple-ciphers/src/better_sqlite3.cpp',
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/obj/gen/x.o',
    ]) {
      expect(excluded(dropped), dropped).toBe(true);
    }
  });

  it('refuses to build when main imports a package that is not a declared dependency', () => {
    expect(() => buildConfig({ mainExternals: [...MAIN_IMPORTS, 'left-pad'] })).toThrow(/left-pad/);
  });

  it('names only art files that exist', () => {
    for (const p of [
      config.win?.icon,
      config.nsis?.installerSidebar,
      config.nsis?.installerHeader,
      config.mac?.icon,
      config.dmg?.background,
      config.linux?.icon,
    ]) {
      expect(typeof p === 'string' && existsSync(join(root, p)), String(p)).toBe(true);
    }
  });
});
