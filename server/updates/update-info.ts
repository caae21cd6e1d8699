// Reading and adjusting electron-builder's latest*.yml without a YAML library. The files
// have a fixed, simple shape (js-yaml output of UpdateInfo):
//
//   version: 0.2.0
//   files:
//     - url: Fieldbook-Setup-0.2.0.exe
//       sha512: <base64>
//       size: 91234567
//   path: Fieldbook-Setup-0.2.0.exe
//   sha512: <base64>
//   releaseDate: '2026-11-28T10:00:00.000Z'
//
// Only top-level scalar keys and the files list are read; anything else (releaseNotes
// blocks, isAdminRightsRequired …) is passed through untouched when the rollout is set.

export interface UpdateFileEntry {
  url: string;
  sha512: string | null;
  size: number | null;
}

export interface UpdateInfoSummary {
  version: string | null;
  files: UpdateFileEntry[];
  stagingPercentage: number | null;
}

function scalar(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2)
    return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2)
    return v.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  return v;
}

const TOP_KEY_RE = /^([A-Za-z][A-Za-z0-9_]*):(?:\s+(.*))?$/;
const ITEM_START_RE = /^\s+-\s+([A-Za-z][A-Za-z0-9_]*):\s*(.*)$/;
const ITEM_KEY_RE = /^\s+([A-Za-z][A-Za-z0-9_]*):\s*(.*)$/;

export function readUpdateInfo(text: string): UpdateInfoSummary {
  const out: UpdateInfoSummary = { version: null, files: [], stagingPercentage: null };
  let inFiles = false;
  let current: Partial<Record<string, string>> | null = null;
  const flush = () => {
    if (current?.url) {
      const size = current.size !== undefined ? Number(current.size) : NaN;
      out.files.push({
        url: current.url,
        sha512: current.sha512 ?? null,
        size: Number.isFinite(size) ? size : null,
      });
    }
    current = null;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const top = TOP_KEY_RE.exec(line);
    if (top) {
      flush();
      const key = top[1] as string;
      const value = top[2] !== undefined ? scalar(top[2]) : '';
      inFiles = key === 'files';
      if (key === 'version') out.version = value || null;
      if (key === 'stagingPercentage') {
        const n = Number(value);
        out.stagingPercentage = Number.isFinite(n) ? n : null;
      }
      continue;
    }
    if (!inFiles) continue;
    const start = ITEM_START_RE.exec(line);
    if (start) {
      flush();
      current = { [start[1] as string]: scalar(start[2] as string) };
      continue;
    }
    const item = ITEM_KEY_RE.exec(line);
    if (item && current) current[item[1] as string] = scalar(item[2] as string);
  }
  flush();
  return out;
}

/**
 * The same file with its top-level stagingPercentage set to `percent`, or removed when
 * percent is null (everyone gets the release). electron-updater compares the percentage
 * with a random id it keeps per installation (.updaterId in the user data folder), so a
 * laptop's answer stays the same as the percentage rises.
 */
export function withStagingPercentage(text: string, percent: number | null): string {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const kept = lines.filter((l) => !/^stagingPercentage:/.test(l));
  if (percent !== null) kept.push(`stagingPercentage: ${percent}`);
  return `${kept.join('\n')}\n`;
}
