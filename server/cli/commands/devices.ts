// Devices: issue-enrolment-code, list-devices, revoke-device; and compact-feed.
import { findBranchByCode } from '../../model/branches';
import { issueEnrolmentCode, listDevices, revokeDevice } from '../../model/devices';
import { compactChangeFeed } from '../../sync/compaction';
import { CliUsageError, flag, requiredOption, stringOption, type CliCommand } from '../cli-types';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m) throw new CliUsageError(`"${text}" is not a duration; write e.g. 30m, 24h or 7d`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

export const issueEnrolmentCodeCommand: CliCommand = {
  name: 'issue-enrolment-code',
  summary: 'issue a one-time code that enrols one laptop for a branch',
  details: ['The code works once and expires (default after 24h). Only its hash is stored.'],
  options: {
    branch: {
      type: 'string',
      placeholder: 'CODE',
      description: 'branch the device will belong to',
    },
    'head-office': {
      type: 'boolean',
      description: 'a head-office device instead (admins without a branch)',
    },
    'device-name': {
      type: 'string',
      placeholder: 'NAME',
      description: 'name to record for the device, e.g. "Li Wei laptop"',
    },
    'expires-in': {
      type: 'string',
      placeholder: 'DURATION',
      description: 'lifetime of the code: 30m, 24h, 7d (default 24h)',
    },
  },
  async run(ctx) {
    const code = stringOption(ctx, 'branch');
    const headOffice = flag(ctx, 'head-office');
    if (!code === !headOffice)
      throw new CliUsageError('give either --branch CODE or --head-office');
    const ttl = parseDuration(stringOption(ctx, 'expires-in') ?? '24h');
    const issued = await ctx.db.transaction(async (tx) => {
      const branch = code ? await findBranchByCode(tx, code) : null;
      return issueEnrolmentCode(tx, {
        branchId: branch?.id ?? null,
        deviceName: stringOption(ctx, 'device-name') ?? null,
        issuedBy: ctx.actor,
        ttlMs: ttl,
        now: ctx.now(),
      });
    });
    ctx.io.out(`Enrolment code: ${issued.code}`);
    ctx.io.out(
      `For ${code ? `branch ${code.toUpperCase()}` : 'head office'}; valid once, until ${issued.expiresAt}.`,
    );
  },
};

export const listDevicesCommand: CliCommand = {
  name: 'list-devices',
  summary: 'list enrolled devices (revoked ones with --all)',
  options: {
    branch: { type: 'string', placeholder: 'CODE', description: 'only this branch' },
    all: { type: 'boolean', description: 'include revoked devices' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(ctx) {
    const code = stringOption(ctx, 'branch');
    const branch = code ? await findBranchByCode(ctx.db, code) : undefined;
    const rows = await listDevices(ctx.db, {
      ...(branch ? { branchId: branch.id } : {}),
      includeRevoked: flag(ctx, 'all'),
    });
    if (flag(ctx, 'json')) return ctx.io.out(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return ctx.io.out('No devices.');
    for (const d of rows) {
      const state = d.revoked_at
        ? `REVOKED ${d.revoked_at}`
        : `last seen ${d.last_seen_at ?? 'never'}`;
      ctx.io.out(
        `${d.id}  ${(d.branch_code ?? '(head office)').padEnd(14)} ${d.name.padEnd(24)} enrolled ${d.enrolled_at} by ${d.enrolled_by}; ${state}`,
      );
    }
  },
};

export const revokeDeviceCommand: CliCommand = {
  name: 'revoke-device',
  summary: 'revoke a device: at its next contact it is told to wipe its ledger and keys',
  options: {
    device: {
      type: 'string',
      placeholder: 'DEVICE_ID',
      description: 'the device (see list-devices)',
      required: true,
    },
  },
  async run(ctx) {
    const device = await ctx.db.transaction((tx) =>
      revokeDevice(tx, requiredOption(ctx, 'device'), ctx.actor),
    );
    ctx.io.out(
      `Revoked ${device.id} (${device.name}). Its next request will be answered with a wipe instruction.`,
    );
  },
};

export const compactFeedCommand: CliCommand = {
  name: 'compact-feed',
  summary: 'drop change-feed rows older than N days (devices further behind resync)',
  options: {
    'older-than-days': {
      type: 'string',
      placeholder: 'N',
      description: 'age in days (at least 1)',
      required: true,
    },
  },
  async run(ctx) {
    const days = Number(requiredOption(ctx, 'older-than-days'));
    if (!Number.isInteger(days) || days < 1)
      throw new CliUsageError('--older-than-days must be a whole number of at least 1');
    const { removed, floorSeq } = await compactChangeFeed(ctx.db, days);
    ctx.io.out(`Removed ${removed} change rows; the feed now starts after ${floorSeq}.`);
  },
};
