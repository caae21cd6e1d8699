// Shared bits for the installer tests: temp folders and a valid provisioning payload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ProvisioningPayloadInput } from '../../shared/provisioning';

const made: string[] = [];

/** A temp folder removed after the current test. */
export function tempDir(prefix = 'fieldbook-installer-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const NOW = new Date('2026-11-28T02:00:00.000Z');

export function payload(
  overrides: Partial<ProvisioningPayloadInput> = {},
): ProvisioningPayloadInput {
  return {
    serverUrl: 'https://fieldbook.example.cn',
    branchCode: 'PA-CG01',
    branchName: '平安县农村商业银行 城关支行',
    enrolmentCode: 'ABCD-EFGH-JKMN',
    enrolmentCodeExpiresAt: '2026-12-05T02:00:00.000Z',
    policyPackId: 'cn-default',
    defaultLanguage: 'zh-CN',
    updateChannel: 'stable',
    createdAt: '2026-11-28T01:00:00.000Z',
    expiresAt: '2026-12-05T02:00:00.000Z',
    createdBy: 'cli:it-admin',
    ...overrides,
  };
}
