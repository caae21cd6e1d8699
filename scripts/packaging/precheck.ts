// Packaging pre-checks: what must be true before electron-builder runs, each failure with
// the fix. Run by scripts/packaging/dist.ts and the release workflow; by hand:
//
//   npx tsx scripts/packaging/precheck.ts            all checks (after `npm run build`)
//   npx tsx scripts/packaging/precheck.ts --art-only icons and installer art only
//   npx tsx scripts/packaging/precheck.ts --tag v0.2.0   also: the release tag matches
//
// Checks: icons and installer art exist with the sizes their consumers need; the
// electron-vite output has the main, preload and renderer entries (and the renderer's
// assets); version numbers agree (package.json, package-lock.json, tag); every package
// the main bundle imports is a declared dependency; the builder configuration passes
// electron-builder's own validation; the SQLite driver is unpacked from the asar and
// not excluded from the package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ART, ICO_SIZES, ICON_PNG_SIZES } from './art-spec';
import { bmpInfo, icoSizes, pngSize } from './image-info';
import { bareImports, productionRoots } from './runtime-deps';

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export type Phase = 'art' | 'build' | 'versions' | 'config';
export const ALL_PHASES: readonly Phase[] = ['art', 'build', 'versions', 'config'];

export interface PrecheckOptions {
  projectDir: string;
  phases?: readonly Phase[];
  /** A release tag such as v0.2.0 (CI: GITHUB_REF_NAME) that must match the version. */
  tag?: string;
}

const SEMVER_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function checkArt(dir: string): CheckResult[] {
  const out: CheckResult[] = [];
  const file = (rel: string) => join(dir, rel);
  const exists = (rel: string) => existsSync(file(rel));

  const png = exists(ART.iconPng) ? pngSize(readFileSync(file(ART.iconPng))) : null;
  out.push({
    check: `${ART.iconPng} is a square PNG of at least 512 px (macOS icon source)`,
    ok: png !== null && png.width === png.height && png.width >= 512,
    detail: png
      ? `${png.width}x${png.height}`
      : 'missing or not a PNG; run npx tsx scripts/packaging/make-art.ts',
  });

  const wrong: string[] = [];
  for (const size of ICON_PNG_SIZES) {
    const rel = `${ART.linuxIconDir}/${size}x${size}.png`;
    const got = exists(rel) ? pngSize(readFileSync(file(rel))) : null;
    if (!got || got.width !== size || got.height !== size)
      wrong.push(`${size}x${size}.png${got ? ` is ${got.width}x${got.height}` : ' missing'}`);
  }
  out.push({
    check: `${ART.linuxIconDir}/ has ${ICON_PNG_SIZES.map((s) => `${s}x${s}`).join(', ')} PNGs of those sizes (Linux)`,
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? 'all present' : wrong.join('; '),
  });

  const ico = exists(ART.ico) ? icoSizes(readFileSync(file(ART.ico))) : null;
  const icoHave = new Set((ico ?? []).filter((s) => s.width === s.height).map((s) => s.width));
  const icoMissing = ICO_SIZES.filter((s) => !icoHave.has(s));
  out.push({
    check: `${ART.ico} holds ${ICO_SIZES.join(', ')} px images (Windows, installer)`,
    ok: ico !== null && icoMissing.length === 0,
    detail: ico
      ? icoMissing.length
        ? `missing ${icoMissing.join(', ')}`
        : [...icoHave].sort((a, b) => a - b).join(', ')
      : 'missing or not an .ico',
  });

  for (const [rel, [w, h], what] of [
    [ART.sidebarBmp, ART.sidebarSize, 'NSIS welcome/finish sidebar'],
    [ART.headerBmp, ART.headerSize, 'NSIS page header'],
  ] as const) {
    const bmp = exists(rel) ? bmpInfo(readFileSync(file(rel))) : null;
    out.push({
      check: `${rel} is a ${w}x${h} BMP (${what})`,
      ok: bmp !== null && bmp.width === w && bmp.height === h,
      detail: bmp
        ? `${bmp.width}x${bmp.height}, ${bmp.bitsPerPixel}-bit`
        : 'missing or not a Windows BMP',
    });
  }

  const [dw, dh] = ART.dmgBackgroundSize;
  const dmg = exists(ART.dmgBackground) ? pngSize(readFileSync(file(ART.dmgBackground))) : null;
  out.push({
    check: `${ART.dmgBackground} is a ${dw}x${dh} PNG (macOS disk image window)`,
    ok: dmg !== null && dmg.width === dw && dmg.height === dh,
    detail: dmg ? `${dmg.width}x${dmg.height}` : 'missing or not a PNG',
  });

  out.push({
    check: `${ART.nsisInclude} exists (NSIS provisioning copy, keep-data uninstall)`,
    ok: exists(ART.nsisInclude),
    detail: '',
  });
  return out;
}

function checkBuild(dir: string): CheckResult[] {
  const out: CheckResult[] = [];
  const pkg = readJson<{ main?: string }>(join(dir, 'package.json'));
  for (const [rel, what] of [
    ['out/main/index.js', 'main process'],
    ['out/preload/index.cjs', 'preload'],
    ['out/renderer/index.html', 'renderer'],
  ] as const) {
    out.push({
      check: `${rel} exists (${what})`,
      ok: existsSync(join(dir, rel)),
      detail: existsSync(join(dir, rel)) ? '' : 'run npm run build (electron-vite build)',
    });
  }
  out.push({
    check: 'package.json "main" is the built main process (out/main/index.js)',
    ok: pkg.main === 'out/main/index.js',
    detail: `main: ${pkg.main ?? '(none)'}`,
  });
  const html = join(dir, 'out/renderer/index.html');
  if (existsSync(html)) {
    const text = readFileSync(html, 'utf8');
    const refs = [...text.matchAll(/\b(?:src|href)="(\.?\/?assets\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    const missing = refs.filter(
      (r) => !existsSync(join(dir, 'out/renderer', r.replace(/^\.?\//, ''))),
    );
    out.push({
      check: 'out/renderer/index.html loads a script and its assets exist',
      ok: /<script\b[^>]*\bsrc=/.test(text) && missing.length === 0,
      detail: missing.length ? `missing ${missing.join(', ')}` : `${refs.length} asset(s)`,
    });
    out.push({
      check: 'out/renderer/index.html loads nothing from the network',
      ok: !/\b(?:src|href)="(?:https?:)?\/\//.test(text),
      detail: '',
    });
  }
  const mainFile = join(dir, 'out/main/index.js');
  if (existsSync(mainFile)) {
    const imports = bareImports(readFileSync(mainFile, 'utf8'));
    const declared = new Set(productionRoots(dir));
    const undeclared = imports.filter((n) => !declared.has(n));
    out.push({
      check: 'every package the main bundle loads is in package.json "dependencies" (so it ships)',
      ok: undeclared.length === 0,
      detail: undeclared.length
        ? `not in dependencies: ${undeclared.join(', ')}`
        : imports.join(', ') || '(none)',
    });
  }
  return out;
}

function checkVersions(dir: string, tag: string | undefined): CheckResult[] {
  const out: CheckResult[] = [];
  const version = readJson<{ version?: string }>(join(dir, 'package.json')).version ?? '';
  out.push({
    check: 'package.json version is semver (electron-updater compares versions)',
    ok: SEMVER_RE.test(version),
    detail: version || '(none)',
  });
  const lockFile = join(dir, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lock = readJson<{ version?: string; packages?: Record<string, { version?: string }> }>(
      lockFile,
    );
    const lockVersions = [lock.version, lock.packages?.['']?.version].filter(
      (v): v is string => v !== undefined,
    );
    out.push({
      check: 'package-lock.json has the same version',
      ok: lockVersions.every((v) => v === version),
      detail: lockVersions.join(', ') || '(none)',
    });
  }
  if (tag !== undefined) {
    out.push({
      check: `release tag ${tag} is v${version}`,
      ok: tag === `v${version}`,
      detail: 'bump package.json (npm version) or tag the right commit',
    });
  }
  return out;
}

async function checkConfig(dir: string): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const { buildConfig, NATIVE_BINARY, NATIVE_MODULE } =
    await import('../../electron-builder.config');
  const mainFile = join(dir, 'out/main/index.js');
  const externals = existsSync(mainFile)
    ? bareImports(readFileSync(mainFile, 'utf8'))
    : [NATIVE_MODULE];
  let config: ReturnType<typeof buildConfig>;
  try {
    config = buildConfig({ mainExternals: externals, projectDir: dir });
  } catch (err) {
    return [
      {
        check: 'the builder configuration can be computed',
        ok: false,
        detail: (err as Error).message,
      },
    ];
  }
  const appBuilderLib = createRequire(join(dir, 'node_modules/app-builder-lib/package.json'));
  type Matcher = new (
    pattern: string,
    options: { dot: boolean },
  ) => { match(path: string): boolean };
  const { Minimatch } = appBuilderLib('minimatch') as { Minimatch: Matcher };

  const unpack = (
    Array.isArray(config.asarUnpack) ? config.asarUnpack : [config.asarUnpack ?? '']
  ).filter((p): p is string => typeof p === 'string');
  out.push({
    check: `the SQLite driver (${NATIVE_BINARY}) is unpacked from the asar (native code cannot load from inside it)`,
    ok:
      config.asar !== false &&
      unpack.some((p) => new Minimatch(p, { dot: true }).match(NATIVE_BINARY)),
    detail: unpack.join(', ') || '(no asarUnpack)',
  });
  const files = (Array.isArray(config.files) ? config.files : []).filter(
    (p): p is string => typeof p === 'string',
  );
  const excluding = files.filter(
    (p) => p.startsWith('!') && new Minimatch(p.slice(1), { dot: true }).match(NATIVE_BINARY),
  );
  out.push({
    check: 'no "files" exclusion drops the SQLite driver',
    ok: excluding.length === 0,
    detail: excluding.length
      ? excluding.join(', ')
      : `${files.filter((p) => p.startsWith('!node_modules')).length} node_modules exclusions checked`,
  });
  out.push({
    check: 'native modules are rebuilt for Electron while packaging (npmRebuild)',
    ok: config.npmRebuild !== false,
    detail: '',
  });

  try {
    const { validateConfiguration } = appBuilderLib('./out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = appBuilderLib('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await validateConfiguration(config, new DebugLogger(false));
    out.push({
      check: "electron-builder's own validation accepts the configuration",
      ok: true,
      detail: '',
    });
  } catch (err) {
    out.push({
      check: "electron-builder's own validation accepts the configuration",
      ok: false,
      detail: (err as Error).message,
    });
  }

  // Every art file the configuration names exists (electron-builder would fail late on a missing one).
  const named = [
    config.win?.icon,
    config.nsis?.installerSidebar,
    config.nsis?.installerHeader,
    config.nsis?.include,
    config.mac?.icon,
    config.dmg?.background,
  ].filter((p): p is string => typeof p === 'string');
  const absent = named.filter((p) => !existsSync(join(dir, p)));
  const linuxIcons = typeof config.linux?.icon === 'string' ? config.linux.icon : null;
  if (
    linuxIcons &&
    (!existsSync(join(dir, linuxIcons)) || readdirSync(join(dir, linuxIcons)).length === 0)
  )
    absent.push(linuxIcons);
  out.push({
    check: 'every icon and art file the configuration names exists',
    ok: absent.length === 0,
    detail: absent.join(', '),
  });
  return out;
}

export async function runPrecheck(options: PrecheckOptions): Promise<CheckResult[]> {
  const dir = resolve(options.projectDir);
  const phases = new Set(options.phases ?? ALL_PHASES);
  const results: CheckResult[] = [];
  if (phases.has('art')) results.push(...checkArt(dir));
  if (phases.has('build')) results.push(...checkBuild(dir));
  if (phases.has('versions')) results.push(...checkVersions(dir, options.tag));
  if (phases.has('config')) results.push(...(await checkConfig(dir)));
  return results;
}

export function formatResults(results: readonly CheckResult[]): string {
  return results
    .map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.check}${r.detail ? `\n        ${r.detail}` : ''}`)
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const tagArg =
    args.find((a) => a.startsWith('--tag='))?.slice('--tag='.length) ??
    (args.includes('--tag') ? args[args.indexOf('--tag') + 1] : undefined);
  const refTag = process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined;
  const results = await runPrecheck({
    projectDir: resolve(import.meta.dirname, '../..'),
    phases: args.includes('--art-only') ? ['art'] : ALL_PHASES,
    ...((tagArg ?? refTag) ? { tag: (tagArg ?? refTag) as string } : {}),
  });
  console.log(formatResults(results));
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} check(s) failed.` : `\nAll ${results.length} checks passed.`);
  process.exitCode = failed ? 1 : 0;
}
