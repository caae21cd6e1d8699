// The releases folder the update feed serves: one sub-folder per channel, each holding
// what electron-builder produced for a release (latest*.yml, installers, blockmaps, the
// macOS zip) and the channel's rollout.json. Only names that look like release files are
// ever resolved, and only inside their channel folder: no "..", no slashes, no hidden
// files, no symbolic links that lead elsewhere.
import { realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

export const CHANNEL_RE = /^[a-z][a-z0-9-]{0,31}$/;
const FILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;
/** electron-updater's channel files: latest.yml (Windows), latest-mac.yml, latest-linux[-arch].yml. */
export const UPDATE_INFO_RE = /^latest(?:-(?:mac|linux)(?:-[a-z0-9]+)?)?\.yml$/;

/** Content types by extension (lower-cased). Anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.blockmap': 'application/octet-stream',
  '.appimage': 'application/vnd.appimage',
  '.deb': 'application/vnd.debian.binary-package',
  '.dmg': 'application/x-apple-diskimage',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

export function isValidChannel(channel: string): boolean {
  return CHANNEL_RE.test(channel);
}

export function contentTypeFor(name: string): string | null {
  const ext = extname(name).toLowerCase();
  if (ext === '.yml' && !UPDATE_INFO_RE.test(name)) return null;
  if (ext === '.txt' && !/^SHA256SUMS[A-Za-z0-9._-]*\.txt$/.test(name)) return null;
  return CONTENT_TYPES[ext] ?? null;
}

export interface ReleaseFile {
  path: string;
  size: number;
  mtime: Date;
  contentType: string;
  /** A latest*.yml: served with the channel's rollout applied, never cached. */
  isUpdateInfo: boolean;
}

export type ResolveResult =
  | { ok: true; file: ReleaseFile }
  | { ok: false; reason: 'bad_channel' | 'bad_name' | 'not_found' | 'outside' };

/**
 * Maps (channel, file name) from a URL to a file inside releasesDir/channel, or says why
 * not. Callers answer every failure with the same 404 so nothing about the disk leaks.
 */
export function resolveReleaseFile(
  releasesDir: string,
  channel: string,
  name: string,
): ResolveResult {
  if (!isValidChannel(channel)) return { ok: false, reason: 'bad_channel' };
  if (!FILE_NAME_RE.test(name) || name.includes('..')) return { ok: false, reason: 'bad_name' };
  const contentType = contentTypeFor(name);
  if (!contentType) return { ok: false, reason: 'bad_name' };
  const channelDir = resolve(releasesDir, channel);
  const candidate = join(channelDir, name);
  let real: string;
  let realChannelDir: string;
  try {
    real = realpathSync(candidate);
    realChannelDir = realpathSync(channelDir);
  } catch {
    return { ok: false, reason: 'not_found' };
  }
  if (!real.startsWith(realChannelDir + sep)) return { ok: false, reason: 'outside' };
  const stat = statSync(real);
  if (!stat.isFile()) return { ok: false, reason: 'not_found' };
  return {
    ok: true,
    file: {
      path: real,
      size: stat.size,
      mtime: stat.mtime,
      contentType,
      isUpdateInfo: UPDATE_INFO_RE.test(name),
    },
  };
}

/** Default releases folder: FIELDBOOK_RELEASES_DIR, else .data/releases beside the server's data. */
export function releasesDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.FIELDBOOK_RELEASES_DIR?.trim() || '.data/releases');
}
