// A release folder as the release workflow publishes it: installers, blockmaps,
// latest*.yml in electron-builder's format (sha512 base64, sizes) and SHA256SUMS.txt.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReleaseFixture {
  dir: string;
  version: string;
  files: Record<string, Buffer>;
}

export function sha512Base64(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64');
}

export function updateInfoYml(version: string, artifact: string, data: Buffer, extra = ''): string {
  const sha = sha512Base64(data);
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${artifact}`,
    `    sha512: ${sha}`,
    `    size: ${data.length}`,
    ...(artifact.endsWith('.exe') ? ['    isAdminRightsRequired: true'] : []),
    `path: ${artifact}`,
    `sha512: ${sha}`,
    `releaseDate: '2026-11-28T10:00:00.000Z'`,
    extra,
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

export function makeRelease(
  dir: string,
  version = '0.2.0',
  options: { sums?: boolean } = {},
): ReleaseFixture {
  mkdirSync(dir, { recursive: true });
  const exe = `Fieldbook-Setup-${version}.exe`;
  const appImage = `Fieldbook-${version}-x86_64.AppImage`;
  const files: Record<string, Buffer> = {
    [exe]: randomBytes(200_000),
    [`${exe}.blockmap`]: randomBytes(2_000),
    [appImage]: randomBytes(150_000),
  };
  files['latest.yml'] = Buffer.from(updateInfoYml(version, exe, files[exe] as Buffer));
  files['latest-linux.yml'] = Buffer.from(
    updateInfoYml(version, appImage, files[appImage] as Buffer),
  );
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  if (options.sums !== false) {
    const sums = Object.entries(files)
      .map(([name, data]) => `${createHash('sha256').update(data).digest('hex')}  ${name}`)
      .sort()
      .join('\n');
    files['SHA256SUMS.txt'] = Buffer.from(`${sums}\n`);
    writeFileSync(join(dir, 'SHA256SUMS.txt'), files['SHA256SUMS.txt']);
  }
  return { dir, version, files };
}
