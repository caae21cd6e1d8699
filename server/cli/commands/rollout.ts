// Update channels: publish-release, set-rollout, show-rollout. They work on the releases
// folder the update feed serves (FIELDBOOK_RELEASES_DIR, default .data/releases; or
// --releases-dir), not on the database, so they never open it (needsDb: false) and run
// while the server is up.
import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  listChannels,
  readRollout,
  summariseChannel,
  writeRollout,
  type ChannelSummary,
} from '../../updates/rollout';
import { isValidChannel, releasesDirFromEnv, UPDATE_INFO_RE } from '../../updates/release-files';
import { publishRelease } from '../../updates/publish';
import {
  CliUsageError,
  flag,
  requiredOption,
  stringOption,
  type BaseCommandContext,
  type FileCliCommand,
  type OptionSpec,
} from '../cli-types';

const releasesDirOption: OptionSpec = {
  type: 'string',
  placeholder: 'DIR',
  description:
    'the folder the update feed serves (default: FIELDBOOK_RELEASES_DIR or .data/releases)',
};

function releasesDir(ctx: BaseCommandContext): string {
  const explicit = stringOption(ctx, 'releases-dir');
  return explicit ? resolve(explicit) : releasesDirFromEnv();
}

export function parsePercent(text: string): number {
  const trimmed = text.trim().replace(/%$/, '');
  const n = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(n) || n < 0 || n > 100) {
    throw new CliUsageError(`--percent must be a whole number from 0 to 100, got "${text}"`);
  }
  return n;
}

function channelOf(ctx: BaseCommandContext): string {
  const channel = requiredOption(ctx, 'channel');
  if (!isValidChannel(channel))
    throw new CliUsageError(
      `"${channel}" is not a channel name: lower-case letters, digits and dashes, e.g. stable`,
    );
  return channel;
}

function describePercent(percent: number | null): string {
  if (percent === null || percent >= 100) return 'every laptop';
  if (percent === 0) return 'no laptop (paused)';
  return `about ${percent}% of laptops`;
}

function printSummary(ctx: BaseCommandContext, s: ChannelSummary): void {
  const r = s.rollout;
  ctx.io.out(
    `${s.channel}: ${r ? `rollout ${r.percent}% of ${r.version ?? 'any version'} (set ${r.updatedAt} by ${r.updatedBy})` : 'no rollout set: files served as they are'}`,
  );
  if (s.platforms.length === 0) ctx.io.out('  (no latest*.yml: nothing to update to)');
  for (const p of s.platforms) {
    const warn = p.mismatch
      ? `  <- version ${p.version} has no rollout: set one with set-rollout`
      : '';
    ctx.io.out(
      `  ${p.file.padEnd(22)} ${String(p.version ?? '?').padEnd(12)} reaches ${describePercent(p.servedPercent)}${warn}`,
    );
  }
}

export const setRolloutCommand: FileCliCommand = {
  needsDb: false,
  name: 'set-rollout',
  summary: 'set the share of laptops that take the release in an update channel',
  details: [
    'Laptops decide by a random id they keep, so one that updated at 20% still updates at 50%.',
    'The percentage applies to the version in the channel now (or --version); a different',
    'release copied in later reaches nobody until its own rollout is set.',
    'Example: npm run admin -- set-rollout --channel stable --percent 20',
  ],
  options: {
    channel: {
      type: 'string',
      placeholder: 'NAME',
      description: 'update channel, e.g. stable or pilot',
      required: true,
    },
    percent: {
      type: 'string',
      placeholder: '0-100',
      description: 'share of laptops; 0 pauses, 100 is everyone',
      required: true,
    },
    version: {
      type: 'string',
      placeholder: 'X.Y.Z',
      description: 'the release it is for (default: the one in the channel)',
    },
    'releases-dir': releasesDirOption,
  },
  async run(ctx) {
    const dir = releasesDir(ctx);
    const channel = channelOf(ctx);
    const percent = parsePercent(requiredOption(ctx, 'percent'));
    const channelDir = resolve(dir, channel);
    const present = existsSync(channelDir)
      ? readdirSync(channelDir).filter((f) => UPDATE_INFO_RE.test(f))
      : [];
    if (present.length === 0)
      throw new CliUsageError(
        `channel ${channel} holds no release in ${dir}; publish one first (publish-release)`,
      );
    const versions = [
      ...new Set(
        summariseChannel(dir, channel)
          .platforms.map((p) => p.version)
          .filter((v): v is string => v !== null),
      ),
    ];
    let version = stringOption(ctx, 'version') ?? null;
    if (version === null) {
      if (versions.length !== 1) {
        throw new CliUsageError(
          `channel ${channel} holds more than one version (${versions.join(', ')}); say which with --version`,
        );
      }
      version = versions[0] as string;
    } else if (!versions.includes(version)) {
      throw new CliUsageError(
        `channel ${channel} holds ${versions.join(', ') || 'no version'}, not ${version}`,
      );
    }
    const before = readRollout(dir, channel);
    writeRollout(dir, channel, {
      percent,
      version,
      updatedAt: ctx.now().toISOString(),
      updatedBy: ctx.actor,
    });
    ctx.io.out(
      `Channel ${channel}: ${version} now reaches ${describePercent(percent)}` +
        (before ? ` (was ${before.percent}% of ${before.version ?? 'any version'}).` : '.'),
    );
    printSummary(ctx, summariseChannel(dir, channel));
  },
};

export const showRolloutCommand: FileCliCommand = {
  needsDb: false,
  name: 'show-rollout',
  summary: 'show each update channel: its release per platform and who gets it',
  options: {
    channel: { type: 'string', placeholder: 'NAME', description: 'only this channel' },
    json: { type: 'boolean', description: 'print JSON' },
    'releases-dir': releasesDirOption,
  },
  async run(ctx) {
    const dir = releasesDir(ctx);
    const only = stringOption(ctx, 'channel');
    if (only !== undefined && !isValidChannel(only))
      throw new CliUsageError(`"${only}" is not a channel name`);
    const channels = only ? [only] : listChannels(dir);
    const summaries = channels.map((c) => summariseChannel(dir, c));
    if (flag(ctx, 'json')) return ctx.io.out(JSON.stringify(summaries, null, 2));
    if (summaries.length === 0)
      return ctx.io.out(`No update channels in ${dir}. Publish a release with publish-release.`);
    summaries.forEach((s) => printSummary(ctx, s));
  },
};

export const publishReleaseCommand: FileCliCommand = {
  needsDb: false,
  name: 'publish-release',
  summary:
    'copy a release (installers + latest*.yml) into an update channel, checked, with its rollout',
  details: [
    'Checks every file a latest*.yml names against its size and SHA-512, and SHA256SUMS.txt if',
    'present, before anything is copied. Artifacts go in first, the latest*.yml files last.',
    'Example: npm run admin -- publish-release --channel stable --from ./Fieldbook-0.2.0 --percent 10',
  ],
  options: {
    channel: {
      type: 'string',
      placeholder: 'NAME',
      description: 'update channel, e.g. stable',
      required: true,
    },
    from: {
      type: 'string',
      placeholder: 'DIR',
      description: 'folder with the downloaded release files',
      required: true,
    },
    percent: {
      type: 'string',
      placeholder: '0-100',
      description: 'share of laptops that take it at first (raise later with set-rollout)',
      required: true,
    },
    'releases-dir': releasesDirOption,
  },
  async run(ctx) {
    const dir = releasesDir(ctx);
    const result = await publishRelease({
      from: requiredOption(ctx, 'from'),
      releasesDir: dir,
      channel: channelOf(ctx),
      percent: parsePercent(requiredOption(ctx, 'percent')),
      actor: ctx.actor,
      now: ctx.now(),
    });
    ctx.io.out(
      `Published ${result.version} to channel ${result.channel} (${result.copied.length} files), reaching ${describePercent(result.percent)}.`,
    );
    printSummary(ctx, summariseChannel(dir, result.channel));
  },
};

export const ROLLOUT_COMMANDS: readonly FileCliCommand[] = [
  publishReleaseCommand,
  setRolloutCommand,
  showRolloutCommand,
];
