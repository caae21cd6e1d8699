// Copies a release (what the release workflow published: latest*.yml, installers,
// blockmaps, SHA256SUMS.txt) from a folder into a channel of the releases folder, after
// checking every file a latest*.yml names is there with the size and SHA-512 it states
// (a mismatch would make every laptop's download fail its checksum). Order matters for
// laptops checking meanwhile: artifacts first, then rollout.json, then the latest*.yml
// files, so a feed never points at a file that is not there yet.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { contentTypeFor, isValidChannel, UPDATE_INFO_RE } from './release-files';
import { writeRollout } from './rollout';
import { readUpdateInfo } from './update-info';

export interface PublishResult {
  channel: string;
  version: string;
  copied: string[];
  updateInfoFiles: string[];
  percent: number;
}

export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

async function digest(
  file: string,
  algorithm: 'sha512' | 'sha256',
  encoding: 'base64' | 'hex',
): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest(encoding);
}

/** Lines "<hex>  <name>" (sha256sum format; a '*' before the name is allowed). */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) sums.set(basename((m[2] as string).trim()), (m[1] as string).toLowerCase());
  }
  return sums;
}

export async function publishRelease(input: {
  from: string;
  releasesDir: string;
  channel: string;
  percent: number;
  actor: string;
  now: Date;
}): Promise<PublishResult> {
  const { channel, percent } = input;
  if (!isValidChannel(channel))
    throw new PublishError(
      `"${channel}" is not a channel name (lower-case letters, digits, dashes)`,
    );
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new PublishError('--percent must be a whole number from 0 to 100');
  const from = resolve(input.from);
  if (!existsSync(from) || !statSync(from).isDirectory())
    throw new PublishError(`${from} is not a folder`);

  const names = readdirSync(from);
  const infoFiles = names.filter((n) => UPDATE_INFO_RE.test(n)).sort();
  if (infoFiles.length === 0)
    throw new PublishError(
      `${from} holds no latest*.yml: copy the whole release (installers and latest*.yml) there`,
    );

  const versions = new Set<string>();
  const toCopy = new Set<string>();
  for (const info of infoFiles) {
    const parsed = readUpdateInfo(readFileSync(join(from, info), 'utf8'));
    if (!parsed.version) throw new PublishError(`${info} has no version`);
    versions.add(parsed.version);
    if (parsed.files.length === 0) throw new PublishError(`${info} lists no files`);
    for (const entry of parsed.files) {
      const name = decodeURIComponent(entry.url);
      if (name !== basename(name) || !contentTypeFor(name))
        throw new PublishError(`${info} names "${entry.url}", which is not a release file name`);
      const file = join(from, name);
      if (!existsSync(file))
        throw new PublishError(`${info} names ${name}, which is not in ${from}`);
      if (entry.size !== null && statSync(file).size !== entry.size) {
        throw new PublishError(
          `${name} is ${statSync(file).size} bytes but ${info} says ${entry.size}: the copy is incomplete`,
        );
      }
      if (entry.sha512 && (await digest(file, 'sha512', 'base64')) !== entry.sha512) {
        throw new PublishError(
          `${name} does not match the SHA-512 in ${info}: the copy is damaged`,
        );
      }
      toCopy.add(name);
      if (existsSync(`${file}.blockmap`)) toCopy.add(`${name}.blockmap`);
    }
  }
  if (versions.size !== 1)
    throw new PublishError(
      `The latest*.yml files disagree on the version (${[...versions].join(', ')}): publish one release at a time`,
    );
  const version = [...versions][0] as string;

  for (const sums of names.filter((n) => /^SHA256SUMS[A-Za-z0-9._-]*\.txt$/.test(n))) {
    const expected = parseSha256Sums(readFileSync(join(from, sums), 'utf8'));
    for (const [name, hex] of expected) {
      if (!existsSync(join(from, name))) continue; // sums of other platforms' files
      if ((await digest(join(from, name), 'sha256', 'hex')) !== hex)
        throw new PublishError(`${name} does not match ${sums}: the copy is damaged`);
    }
    toCopy.add(sums);
  }

  const dir = resolve(input.releasesDir, channel);
  mkdirSync(dir, { recursive: true });
  const copy = (name: string) => {
    const tmp = join(dir, `.${name}.partial`);
    copyFileSync(join(from, name), tmp);
    renameSync(tmp, join(dir, name));
  };
  const artifacts = [...toCopy].sort();
  artifacts.forEach(copy);
  writeRollout(input.releasesDir, channel, {
    percent,
    version,
    updatedAt: input.now.toISOString(),
    updatedBy: input.actor,
  });
  infoFiles.forEach(copy);
  return {
    channel,
    version,
    copied: [...artifacts, ...infoFiles],
    updateInfoFiles: infoFiles,
    percent,
  };
}
