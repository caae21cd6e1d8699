// The release workflow (.github/workflows/release.yml) cannot run here; what can be checked
// is that it says what docs/INSTALLING.md promises and agrees with the builder config:
// Windows, macOS and Linux runners build with scripts/packaging/dist.ts, every installer the
// config names is uploaded (a name the globs miss would silently drop out of the release),
// and one job checksums and publishes them, only for a version tag.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../electron-builder.config';

const root = resolve(import.meta.dirname, '../..');
// js-yaml and semver come with electron-updater (a dependency), minimatch with electron-builder.
const fromUpdater = createRequire(join(root, 'node_modules/electron-updater/package.json'));
const yaml = fromUpdater('js-yaml') as { load(text: string): unknown };
const semver = fromUpdater('semver') as {
  minVersion(range: string): { major: number } | null;
};
const { minimatch } = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))(
  'minimatch',
) as { minimatch(path: string, pattern: string): boolean };

interface Step {
  uses?: string;
  run?: string;
  name?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
}
interface Workflow {
  // js-yaml reads the key `on` as the string "on" (YAML 1.2 core schema).
  on: { push?: { tags?: string[] }; workflow_dispatch?: unknown };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = yaml.load(
  readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'),
) as Workflow;
const jobs = workflow.jobs;
const runs = (job: Job | undefined): string =>
  (job?.steps ?? []).map((s) => s.run ?? '').join('\n');
const nodeMajor = (job: Job | undefined): number =>
  Number(job?.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']);

/** What electron-builder names each target's files (artifactName in the config), for a version. */
function expectedArtifacts(version: string): string[] {
  const c = buildConfig({ mainExternals: ['better-sqlite3-multiple-ciphers'] });
  const fill = (template: string | null | undefined, arch: string, ext: string) =>
    (template ?? '').replace('${version}', version).replace('${arch}', arch).replace('${ext}', ext);
  const names = [
    fill(c.nsis?.artifactName, 'x64', 'exe'),
    `${fill(c.nsis?.artifactName, 'x64', 'exe')}.blockmap`,
    fill(c.portable?.artifactName, 'x64', 'exe'),
    fill(c.appImage?.artifactName, 'x86_64', 'AppImage'),
    fill(c.deb?.artifactName, 'amd64', 'deb'),
    'latest.yml',
    'latest-linux.yml',
    'latest-mac.yml',
  ];
  for (const arch of ['x64', 'arm64']) {
    names.push(
      fill(c.dmg?.artifactName, arch, 'dmg'),
      `${fill(c.dmg?.artifactName, arch, 'dmg')}.blockmap`,
    );
    names.push(
      fill(c.mac?.artifactName, arch, 'zip'),
      `${fill(c.mac?.artifactName, arch, 'zip')}.blockmap`,
    );
  }
  return names;
}

describe('the release workflow', () => {
  it('runs for version tags (and by hand), with read-only rights by default', () => {
    expect(workflow.on.push?.tags).toEqual(['v*']);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('tests first, on the Node the project runs on, including the packaging dry run', () => {
    expect(nodeMajor(jobs.test)).toBe(20);
    expect(runs(jobs.test)).toMatch(/npm ci/);
    expect(runs(jobs.test)).toMatch(/npm run test:unit/);
    expect(runs(jobs.test)).toMatch(/npm run typecheck/);
  });

  it('builds on Windows, macOS and Linux runners with scripts/packaging/dist.ts, after the tests', () => {
    const build = jobs.build;
    expect(build?.needs).toBe('test');
    expect(build?.strategy?.matrix.os.sort()).toEqual([
      'macos-latest',
      'ubuntu-latest',
      'windows-latest',
    ]);
    expect(build?.['runs-on']).toBe('${{ matrix.os }}');
    expect(runs(build)).toMatch(/npm ci/);
    expect(runs(build)).toMatch(/npx tsx scripts\/packaging\/dist\.ts/);
  });

  it("packages on a Node that electron-builder's rebuild and download tools accept", () => {
    for (const name of ['@electron/rebuild', '@electron/get']) {
      const pkg = JSON.parse(
        readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { engines?: { node?: string } };
      const min = semver.minVersion(pkg.engines?.node ?? '*');
      expect(nodeMajor(jobs.build), name).toBeGreaterThanOrEqual(min?.major ?? 0);
    }
  });

  it('uploads every file electron-builder makes for the release, and nothing collides', () => {
    const upload = jobs.build?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.['if-no-files-found']).toBe('error');
    const globs = String(upload?.with?.path ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const names = expectedArtifacts('1.2.3');
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(
        globs.some((g) => minimatch(`release/1.2.3/${name}`, g)),
        name,
      ).toBe(true);
    }
    // Per-OS SHA256SUMS.txt would collide when merged: the publish job writes one for all.
    expect(globs.some((g) => minimatch('release/1.2.3/SHA256SUMS.txt', g))).toBe(false);
  });

  it('checksums everything and drafts the GitHub release, only for a tag, with write rights only there', () => {
    const publish = jobs.publish;
    expect(publish?.needs).toBe('build');
    expect(publish?.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(publish?.permissions).toEqual({ contents: 'write' });
    expect(runs(publish)).toMatch(/sha256sum -- \* \| sort -k2 > SHA256SUMS\.txt/);
    expect(runs(publish)).toMatch(/gh release create "\$TAG" .*--draft/);
    for (const [name, job] of Object.entries(jobs)) {
      if (name !== 'publish') expect(job.permissions, name).toBeUndefined();
    }
  });
});
