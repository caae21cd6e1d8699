// Checks a packed app (electron-builder's afterPack, before any installer is made):
//   - the SQLite driver sits in app.asar.unpacked (native code cannot load from an asar),
//     built for this Electron's ABI and the package's CPU — a Node build left in by a
//     rebuild that did not run fails on the laptop with "compiled against a different
//     Node.js version";
//   - every package the main bundle imports is in the app, with everything those need
//     (runtime-deps.ts excludes the rest; an exclusion too many must fail here, not on a
//     laptop).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { electronAbi, EXPECTED_FORMAT, inspectNativeBinary, type BinaryArch } from './native-check';
import { bareImports, INSTALL_TIME_ONLY } from './runtime-deps';

export interface PackedAppInput {
  /** The folder holding app.asar (resources/, or Contents/Resources on macOS). */
  resourcesDir: string;
  /** electron-builder's platform name: linux, win32, darwin. */
  platform: string;
  arch: BinaryArch | 'armv7l';
  electronVersion: string;
  /** Where node_modules (with @electron/asar and node-abi) is. */
  projectDir: string;
  /** The driver's path inside the app. */
  nativeBinary: string;
}

interface AsarModule {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
}

function loadAsar(projectDir: string): AsarModule {
  // @electron/asar comes with electron-builder (app-builder-lib depends on it).
  const fromBuilder = createRequire(join(projectDir, 'node_modules/app-builder-lib/package.json'));
  return fromBuilder('@electron/asar') as AsarModule;
}

/** Problems found in the packed app; empty when it is fit to ship. */
export function checkPackedApp(input: PackedAppInput): string[] {
  const problems: string[] = [];
  const asarFile = join(input.resourcesDir, 'app.asar');
  if (!existsSync(asarFile)) return [`${asarFile} is missing: the app must be packed into an asar`];

  const binary = join(input.resourcesDir, 'app.asar.unpacked', input.nativeBinary);
  if (!existsSync(binary)) {
    problems.push(`${binary} is missing: the SQLite driver must be unpacked from the asar`);
  } else {
    const info = inspectNativeBinary(readFileSync(binary));
    const wantAbi = electronAbi(input.electronVersion, input.projectDir);
    if (wantAbi === null) {
      problems.push(
        `cannot tell Electron ${input.electronVersion}'s ABI (node-abi, installed with electron-builder, is missing or too old)`,
      );
    } else if (info.abi !== null && info.abi !== wantAbi) {
      problems.push(
        `${binary} is built for ABI ${info.abi}, Electron ${input.electronVersion} needs ${wantAbi}: the native rebuild did not run`,
      );
    }
    if (!EXPECTED_FORMAT[input.platform]?.includes(info.format)) {
      problems.push(`${binary} is a ${info.format} binary, not one for ${input.platform}`);
    } else if (
      info.arch !== 'universal' &&
      input.arch !== 'universal' &&
      info.arch !== input.arch
    ) {
      problems.push(`${binary} is built for ${info.arch}, this package is ${input.arch}`);
    }
  }

  const asar = loadAsar(input.projectDir);
  const listed = new Set(
    asar.listPackage(asarFile, { isPack: false }).map((p) => p.replace(/\\/g, '/')),
  );
  let main: string;
  try {
    main = asar.extractFile(asarFile, 'out/main/index.js').toString('utf8');
  } catch {
    return [...problems, `${asarFile} has no out/main/index.js`];
  }
  // Node's resolution inside the asar: from each package folder up through node_modules.
  const resolveIn = (fromDir: string, name: string): string | null => {
    let dir = fromDir;
    for (;;) {
      const candidate = `${dir === '/' ? '' : dir}/node_modules/${name}`;
      if (listed.has(`${candidate}/package.json`)) return candidate;
      if (dir === '/') return null;
      dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
    }
  };
  for (const name of bareImports(main)) {
    if (!resolveIn('/', name)) {
      problems.push(
        `the main bundle imports ${name}, which is not in the app: a "files" exclusion dropped it`,
      );
    }
  }
  // And everything those packages need, transitively.
  const queue = bareImports(main)
    .map((name) => resolveIn('/', name))
    .filter((d): d is string => d !== null);
  const seen = new Set(queue);
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    const pkg = JSON.parse(
      asar.extractFile(asarFile, `${dir.slice(1)}/package.json`).toString('utf8'),
    ) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (INSTALL_TIME_ONLY.includes(dep)) continue; // left out on purpose: never loaded at run time
      const found = resolveIn(dir, dep);
      if (!found) {
        problems.push(
          `${dir.slice('/node_modules/'.length)} needs ${dep}, which is not in the app: a "files" exclusion dropped it`,
        );
      } else if (!seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return problems;
}
