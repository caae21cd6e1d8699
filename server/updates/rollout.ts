// Staged rollout per channel: releasesDir/<channel>/rollout.json says what share of
// laptops may take which version. Set with `npm run admin -- set-rollout` or
// `publish-release`; read by the feed on every request (small file, no restart needed).
//
// Rules the feed applies to each latest*.yml it serves:
//   - no rollout.json: the file as it is (everyone, unless the file itself says otherwise);
//   - rollout.json for this file's version: stagingPercentage = percent (100: removed);
//   - rollout.json for another version: stagingPercentage 0. A release copied into the
//     folder by hand reaches nobody until someone sets its rollout, so a new version never
//     goes to every branch by accident.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isValidChannel, UPDATE_INFO_RE } from './release-files';
import { readUpdateInfo, withStagingPercentage } from './update-info';

export const ROLLOUT_FILE = 'rollout.json';

export const rolloutSchema = z
  .object({
    percent: z.number().int().min(0).max(100),
    /** The release this percentage is for; null: whatever the channel holds. */
    version: z.string().min(1).max(64).nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .strict();
export type Rollout = z.infer<typeof rolloutSchema>;

export class RolloutFileError extends Error {
  constructor(file: string, detail: string) {
    super(`${file} is not a valid rollout file: ${detail}`);
    this.name = 'RolloutFileError';
  }
}

export function readRollout(releasesDir: string, channel: string): Rollout | null {
  const file = join(resolve(releasesDir, channel), ROLLOUT_FILE);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new RolloutFileError(file, 'not JSON');
  }
  const parsed = rolloutSchema.safeParse(json);
  if (!parsed.success)
    throw new RolloutFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

export function writeRollout(releasesDir: string, channel: string, rollout: Rollout): void {
  if (!isValidChannel(channel))
    throw new Error(`"${channel}" is not a channel name (lower-case letters, digits, dashes)`);
  const dir = resolve(releasesDir, channel);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, ROLLOUT_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(rolloutSchema.parse(rollout), null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The stagingPercentage to serve for a release file of `version` (null: leave the file's own). */
export function effectivePercent(
  rollout: Rollout | null,
  version: string | null,
): { percent: number | null; mismatch: boolean } {
  if (!rollout) return { percent: null, mismatch: false };
  if (rollout.version !== null && rollout.version !== version)
    return { percent: 0, mismatch: true };
  return { percent: rollout.percent, mismatch: false };
}

/** A latest*.yml as the feed serves it, with the channel's rollout applied. */
export function applyRollout(
  ymlText: string,
  rollout: Rollout | null,
): { text: string; version: string | null; percent: number | null; mismatch: boolean } {
  const info = readUpdateInfo(ymlText);
  const { percent, mismatch } = effectivePercent(rollout, info.version);
  if (!rollout)
    return { text: ymlText, version: info.version, percent: info.stagingPercentage, mismatch };
  return {
    text: withStagingPercentage(ymlText, percent === 100 ? null : percent),
    version: info.version,
    percent,
    mismatch,
  };
}

export interface ChannelSummary {
  channel: string;
  rollout: Rollout | null;
  platforms: {
    file: string;
    version: string | null;
    servedPercent: number | null;
    mismatch: boolean;
  }[];
}

export function listChannels(releasesDir: string): string[] {
  if (!existsSync(releasesDir)) return [];
  return readdirSync(releasesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isValidChannel(d.name))
    .map((d) => d.name)
    .sort();
}

export function summariseChannel(releasesDir: string, channel: string): ChannelSummary {
  const dir = resolve(releasesDir, channel);
  const rollout = readRollout(releasesDir, channel);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => UPDATE_INFO_RE.test(f))
        .sort()
    : [];
  return {
    channel,
    rollout,
    platforms: files.map((file) => {
      const applied = applyRollout(readFileSync(join(dir, file), 'utf8'), rollout);
      return {
        file,
        version: applied.version,
        servedPercent: applied.percent,
        mismatch: applied.mismatch,
      };
    }),
  };
}
