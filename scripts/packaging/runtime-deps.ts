// What the packaged app needs from node_modules, worked out from what it really loads.
//
// electron-builder copies every production dependency into the app. Ours include the
// server's (fastify, pg, PGlite) and the renderer's (react, antd, echarts — already bundled
// into out/renderer by Vite), several hundred megabytes the app never loads. The main
// bundle (out/main/index.js) names the packages it loads at run time as bare imports;
// their dependency closure is what must ship, and every other production package is
// excluded with a `!node_modules/...` pattern in electron-builder's `files`.
//
// electron-builder applies only the exclusions of `files` to node_modules, matched against
// each module's path in the app (mostly npm's layout: node_modules/a, node_modules/a/
// node_modules/b). electron-builder.config.ts's afterPack checks the packed app really has
// every package main imports, so an exclusion too many fails the build, not the laptop.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/** Loaded by main at run time but not through the bundle's imports (none today; electron-updater and electron-log are imported). */
export const ALWAYS_KEEP: readonly string[] = ['electron-updater', 'electron-log'];

/**
 * Dependencies of kept packages that only run when the package is installed (downloading
 * a prebuilt binary), never in the app: better-sqlite3-multiple-ciphers' prebuild-install.
 */
export const INSTALL_TIME_ONLY: readonly string[] = ['prebuild-install'];

const BUILTINS = new Set(builtinModules);

/** The npm package a bare specifier belongs to, or null for relative paths, builtins and electron. */
export function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  if (BUILTINS.has(name) || name === 'electron') return null;
  if (!/^(?:@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name)) return null;
  return name;
}

/** Package names a bundled ES module or CommonJS file imports (static, dynamic, require). */
export function bareImports(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:\*|\{[^}]*\})\s+from\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const name = packageNameOf(m[1] as string);
      if (name) found.add(name);
    }
  }
  return [...found].sort();
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson | null {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** Node's lookup: node_modules/<name> in fromDir and each parent, up to the project root. */
export function resolvePackageDir(
  projectDir: string,
  fromDir: string,
  name: string,
): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === projectDir || dirname(dir) === dir) return null;
    dir = dirname(dir);
    // Skip the node_modules folders themselves and scope folders on the way up.
    while (
      dir !== projectDir &&
      (dir.endsWith(`${sep}node_modules`) || dir.split(sep).pop()?.startsWith('@'))
    )
      dir = dirname(dir);
  }
}

/** Every installed package reachable from `roots` (by dependencies, optional and installed peer deps), as paths relative to projectDir. */
export function dependencyClosure(
  projectDir: string,
  roots: readonly string[],
  skip: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const seen = new Map<string, string>(); // relative dir -> package name
  const queue: { from: string; name: string; optional: boolean }[] = roots.map((name) => ({
    from: projectDir,
    name,
    optional: false,
  }));
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift() as {
      from: string;
      name: string;
      optional: boolean;
    };
    if (skip.has(name)) continue;
    const dir = resolvePackageDir(projectDir, from, name);
    if (!dir) {
      if (!optional)
        throw new Error(
          `${name} (needed from ${relative(projectDir, from) || 'the project'}) is not installed`,
        );
      continue;
    }
    const rel = relative(projectDir, dir).split(sep).join('/');
    if (seen.has(rel)) continue;
    seen.set(rel, name);
    const pkg = readPackageJson(dir) ?? {};
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      queue.push({ from: dir, name: dep, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      queue.push({ from: dir, name: dep, optional: true });
    for (const dep of Object.keys(pkg.peerDependencies ?? {}))
      queue.push({ from: dir, name: dep, optional: true });
  }
  return seen;
}

export function productionRoots(projectDir: string): string[] {
  const pkg = readPackageJson(projectDir) ?? {};
  return Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
}

/** The packages the main bundle loads, read from the built out/main/index.js. */
export function mainBundleExternals(projectDir: string, bundle = 'out/main/index.js'): string[] {
  const file = join(projectDir, bundle);
  if (!existsSync(file)) {
    throw new Error(
      `${bundle} is missing: run \`npm run build\` (electron-vite build) before packaging`,
    );
  }
  return bareImports(readFileSync(file, 'utf8'));
}

export interface RuntimeDependencyPlan {
  /** Packages the app keeps (relative dir -> name). */
  keep: Map<string, string>;
  /** `!node_modules/...` patterns for every other production package. */
  exclusions: string[];
  /** Imported by the main bundle but not declared in package.json dependencies: would be missing at run time. */
  undeclared: string[];
}

export function planRuntimeDependencies(
  projectDir: string,
  mainImports: readonly string[],
): RuntimeDependencyPlan {
  const declared = new Set(productionRoots(projectDir));
  const undeclared = mainImports.filter((name) => !declared.has(name));
  const roots = [
    ...new Set([
      ...mainImports.filter((n) => declared.has(n)),
      ...ALWAYS_KEEP.filter((n) => declared.has(n)),
    ]),
  ];
  const keep = dependencyClosure(projectDir, roots, new Set(INSTALL_TIME_ONLY));
  const all = dependencyClosure(projectDir, [...declared]);
  const keptNames = new Set(keep.values());
  const exclusions: string[] = [];
  const namesDone = new Set<string>();
  for (const [rel, name] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    if (keep.has(rel)) continue;
    if (!keptNames.has(name)) {
      // electron-builder may place a nested copy elsewhere in the app than npm did (it
      // hoists a copy whose top-level namesake is a dev dependency), so a package nothing
      // kept needs is excluded by name, at any depth.
      if (!namesDone.has(name)) exclusions.push(`!**/node_modules/${name}{,/**/*}`);
      namesDone.add(name);
    } else {
      exclusions.push(`!${rel}{,/**/*}`);
    }
  }
  return { keep, exclusions, undeclared };
}
