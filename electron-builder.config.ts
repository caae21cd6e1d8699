// electron-builder configuration (docs/INSTALLING.md for branch IT; scripts/packaging for
// how releases are made). TypeScript rather than electron-builder.yml because:
//   - it is type-checked against electron-builder's own Configuration type (npm run typecheck),
//     and validated against its JSON schema in test/installer/builder-config.test.ts;
//   - the node_modules that ship are computed from what the main bundle really imports
//     (scripts/packaging/runtime-deps.ts) instead of a hand-kept list;
//   - art paths and sizes are shared with the pre-check (scripts/packaging/art-spec.ts).
// electron-builder does not look for this file name by itself: every script passes
// `--config electron-builder.config.ts` (scripts/packaging/dist.ts does).
//
// Invariants:
//   - the ledger lives in app.getPath('userData'), which no installer, update or uninstall
//     touches (deleteAppDataOnUninstall: false; the uninstaller's "also delete my data"
//     box is unchecked by default, resources/installer/installer.nsh);
//   - the SQLite driver is rebuilt for Electron during packaging (npmRebuild) and unpacked
//     from the asar; afterPack refuses a package whose driver is not Electron's ABI and the
//     target's CPU, or that lacks a package the main bundle imports;
//   - the update URL below is a placeholder that never resolves (.invalid): the real feed
//     comes from the laptop's provisioning at run time (electron/main/updater.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { ART } from './scripts/packaging/art-spec';
import { checkPackedApp } from './scripts/packaging/packed-app';
import { mainBundleExternals, planRuntimeDependencies } from './scripts/packaging/runtime-deps';

export const APP_ID = 'cn.fieldbook.app';
export const PRODUCT_NAME = 'Fieldbook';
export const NATIVE_MODULE = 'better-sqlite3-multiple-ciphers';
export const NATIVE_BINARY = `node_modules/${NATIVE_MODULE}/build/Release/better_sqlite3.node`;
/** Never contacted: setFeedURL replaces it with <serverUrl>/updates/<channel> from the provisioning. */
export const PLACEHOLDER_UPDATE_URL = 'https://fieldbook-updates.invalid/updates/stable';

/** The driver ships as lib/ + the compiled binary; its C sources and build leftovers (~35 MB) do not. */
export const NATIVE_MODULE_TRIM: readonly string[] = [
  `!node_modules/${NATIVE_MODULE}/{deps,src,docs,benchmark,test}{,/**/*}`,
  `!node_modules/${NATIVE_MODULE}/build/{deps,Release/obj,Release/obj.target,Release/.deps}{,/**/*}`,
  `!node_modules/${NATIVE_MODULE}/build/Release/test_extension.node`,
  `!node_modules/${NATIVE_MODULE}/build/*.{mk,gypi,Makefile}`,
  `!node_modules/${NATIVE_MODULE}/build/Makefile`,
];

const projectDir = import.meta.dirname;

function electronVersion(): string {
  return (
    JSON.parse(readFileSync(join(projectDir, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal. */
  arch: number;
}

const ARCH_NAMES: Record<number, 'ia32' | 'x64' | 'armv7l' | 'arm64' | 'universal'> = {
  0: 'ia32',
  1: 'x64',
  2: 'armv7l',
  3: 'arm64',
  4: 'universal',
};

/**
 * afterPack: fails the build when the packed driver is not built for this Electron and
 * this CPU, or when a package the main bundle imports did not make it into the app.
 */
export async function verifyPackedApp(context: PackContext): Promise<void> {
  const resourcesDir =
    context.electronPlatformName === 'darwin'
      ? join(context.appOutDir, `${PRODUCT_NAME}.app`, 'Contents', 'Resources')
      : join(context.appOutDir, 'resources');
  const problems = checkPackedApp({
    resourcesDir,
    platform: context.electronPlatformName,
    arch: ARCH_NAMES[context.arch] ?? 'x64',
    electronVersion: electronVersion(),
    projectDir,
    nativeBinary: NATIVE_BINARY,
  });
  if (problems.length > 0)
    throw new Error(`The packed app is not fit to ship:\n  ${problems.join('\n  ')}`);
}

export interface BuildConfigOptions {
  /** Packages out/main/index.js imports (mainBundleExternals); decides which node_modules ship. */
  mainExternals: readonly string[];
  projectDir?: string;
}

export function buildConfig(options: BuildConfigOptions): Configuration {
  const plan = planRuntimeDependencies(options.projectDir ?? projectDir, options.mainExternals);
  if (plan.undeclared.length > 0) {
    throw new Error(
      `The main bundle imports ${plan.undeclared.join(', ')}, which package.json does not list in dependencies`,
    );
  }
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: 'Copyright © Fieldbook contributors',
    directories: { output: 'release/${version}', buildResources: 'resources/installer' },
    files: ['out/**/*', 'package.json', '!out/**/*.map', ...plan.exclusions, ...NATIVE_MODULE_TRIM],
    asar: true,
    asarUnpack: [`**/${NATIVE_BINARY}`],
    // Rebuild native dependencies for Electron's ABI in node_modules while packaging
    // (prebuilt binaries when the driver publishes them, else node-gyp). dist.ts puts the
    // Node build back afterwards, so `npm test` keeps working on a developer machine.
    npmRebuild: true,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    nativeRebuilder: 'sequential',
    afterPack: verifyPackedApp,
    // Electron hardening that costs nothing here: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or
    // --inspect on the shipped binary, app code only from the asar, cookies encrypted.
    electronFuses: {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    },
    // latest*.yml always, whatever the version's pre-release tag: channels are folders on
    // the head-office server (server/updates), not names inside the version.
    detectUpdateChannel: false,
    generateUpdatesFilesForAllChannels: false,
    publish: [{ provider: 'generic', url: PLACEHOLDER_UPDATE_URL, useMultipleRangeRequest: false }],

    win: {
      target: [
        { target: 'nsis', arch: ['x64'] },
        { target: 'portable', arch: ['x64'] },
      ],
      icon: ART.ico,
      executableName: PRODUCT_NAME,
      // Signing: WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD (or azureSignOptions); see release.yml.
    },
    nsis: {
      oneClick: false,
      perMachine: true,
      allowElevation: true,
      allowToChangeInstallationDirectory: true,
      deleteAppDataOnUninstall: false,
      createDesktopShortcut: true,
      createStartMenuShortcut: true,
      shortcutName: PRODUCT_NAME,
      menuCategory: false,
      runAfterFinish: true,
      installerIcon: ART.ico,
      uninstallerIcon: ART.ico,
      installerSidebar: ART.sidebarBmp,
      uninstallerSidebar: ART.sidebarBmp,
      installerHeader: ART.headerBmp,
      include: ART.nsisInclude,
      installerLanguages: ['zh_CN', 'en_US'],
      language: '2052',
      multiLanguageInstaller: true,
      displayLanguageSelector: false,
      uninstallDisplayName: '${productName} ${version}',
      differentialPackage: true,
      artifactName: 'Fieldbook-Setup-${version}.${ext}',
    },
    portable: {
      artifactName: 'Fieldbook-${version}-portable.${ext}',
      requestExecutionLevel: 'user',
    },

    linux: {
      target: [
        { target: 'AppImage', arch: ['x64'] },
        { target: 'deb', arch: ['x64'] },
      ],
      icon: ART.linuxIconDir,
      category: 'Office',
      executableName: 'fieldbook',
      synopsis: 'Offline field collections for small lenders',
      description:
        'Encrypted local case ledger, worklist, visits, promises and payments; syncs with head office.',
      maintainer: 'Fieldbook <fieldbook@example.invalid>',
      desktop: {
        entry: {
          Name: PRODUCT_NAME,
          'Name[zh_CN]': PRODUCT_NAME,
          Comment: 'Offline field collections',
          'Comment[zh_CN]': '离线外勤催收',
          StartupWMClass: 'fieldbook',
        },
      },
    },
    appImage: { artifactName: 'Fieldbook-${version}-${arch}.${ext}' },
    deb: {
      artifactName: 'fieldbook_${version}_${arch}.${ext}',
      // electron-builder's defaults, spelled out; libsecret + a keyring hold the ledger key (safeStorage).
      depends: [
        'libgtk-3-0',
        'libnotify4',
        'libnss3',
        'libxss1',
        'libxtst6',
        'xdg-utils',
        'libatspi2.0-0',
        'libuuid1',
        'libsecret-1-0',
      ],
      recommends: ['gnome-keyring'],
      priority: 'optional',
    },

    mac: {
      target: [
        { target: 'dmg', arch: ['x64', 'arm64'] },
        // electron-updater on macOS installs from the zip, not the dmg.
        { target: 'zip', arch: ['x64', 'arm64'] },
      ],
      icon: ART.iconPng,
      category: 'public.app-category.business',
      hardenedRuntime: true,
      gatekeeperAssess: false,
      artifactName: 'Fieldbook-${version}-${arch}-mac.${ext}',
      // Signing and notarisation: CSC_LINK / CSC_KEY_PASSWORD and APPLE_ID /
      // APPLE_APP_SPECIFIC_PASSWORD / APPLE_TEAM_ID (or APPLE_API_KEY*); see release.yml.
    },
    dmg: {
      artifactName: 'Fieldbook-${version}-${arch}.${ext}',
      background: ART.dmgBackground,
      iconSize: 96,
      window: { width: ART.dmgBackgroundSize[0], height: ART.dmgBackgroundSize[1] },
      contents: [
        { x: 130, y: 200 },
        { x: 410, y: 200, type: 'link', path: '/Applications' },
      ],
    },
  };
}

/** electron-builder calls this when it loads the file (after `electron-vite build`). */
export default function config(): Configuration {
  return buildConfig({ mainExternals: mainBundleExternals(projectDir) });
}
