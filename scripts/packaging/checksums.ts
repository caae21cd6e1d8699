// SHA-256 checksums of release artifacts, in `sha256sum` format ("<hex>  <name>"), so
// branch IT can check a download with `sha256sum -c SHA256SUMS.txt` (Linux, macOS:
// `shasum -a 256 -c`) or `Get-FileHash` (Windows), and publish-release checks it too.
//
//   npx tsx scripts/packaging/checksums.ts release/0.2.0                 writes SHA256SUMS.txt there
//   npx tsx scripts/packaging/checksums.ts release/0.2.0 --out SHA256SUMS-linux.txt
//   npx tsx scripts/packaging/checksums.ts release/0.2.0 --check SHA256SUMS.txt
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** What a release consists of (electron-builder's installers, update metadata, blockmaps). */
export const ARTIFACT_RE = /\.(?:exe|dmg|zip|AppImage|deb|blockmap|yml)$/;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function checksumLines(dir: string, names?: readonly string[]): Promise<string[]> {
  const files = (
    names ?? readdirSync(dir).filter((n) => ARTIFACT_RE.test(n) && statSync(join(dir, n)).isFile())
  )
    .slice()
    .sort();
  const lines: string[] = [];
  for (const name of files) lines.push(`${await sha256File(join(dir, name))}  ${name}`);
  return lines;
}

export async function writeChecksums(
  dir: string,
  outName = 'SHA256SUMS.txt',
): Promise<{ file: string; count: number }> {
  const lines = await checksumLines(dir);
  const file = join(dir, outName);
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '');
  return { file, count: lines.length };
}

/** Files that are missing or differ from a checksum file. */
export async function verifyChecksums(dir: string, sumsFile: string): Promise<string[]> {
  const problems: string[] = [];
  for (const line of readFileSync(sumsFile, 'utf8').split(/\r?\n/)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line.trim());
    if (!m) continue;
    const name = basename((m[2] as string).trim());
    const file = join(dir, name);
    if (!existsSync(file)) problems.push(`${name}: missing`);
    else if ((await sha256File(file)) !== (m[1] as string).toLowerCase())
      problems.push(`${name}: checksum differs`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dirArg, ...rest] = process.argv.slice(2);
  if (!dirArg) {
    console.error('usage: checksums.ts <release folder> [--out NAME | --check FILE]');
    process.exit(2);
  }
  const dir = resolve(dirArg);
  const check = rest.includes('--check') ? rest[rest.indexOf('--check') + 1] : undefined;
  if (check) {
    const problems = await verifyChecksums(dir, resolve(check));
    console.log(problems.length ? problems.join('\n') : 'All files match.');
    process.exitCode = problems.length ? 1 : 0;
  } else {
    const out = rest.includes('--out') ? rest[rest.indexOf('--out') + 1] : undefined;
    const { file, count } = await writeChecksums(dir, out);
    console.log(`${count} checksums written to ${file}`);
  }
}
