// Provisioning: create-provisioning (a signed fieldbook-provisioning.json with a fresh
// one-time enrolment code), provisioning-key (the signing key's fingerprint) and
// verify-provisioning (checks a file the way a laptop will). Only create-provisioning
// touches the database (it issues the code); the other two work on files (needsDb: false).
//
// The signing key is Ed25519, made on first use and kept in FIELDBOOK_PROVISIONING_KEY
// (default .data/keys/provisioning-ed25519.pem, mode 0600). Laptops pin its fingerprint
// the first time they accept a file, so keep it (back it up with the database) and do
// not replace it casually: see docs/INSTALLING.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createProvisioningFile,
  loadOrCreateSigningKey,
  serializeProvisioningFile,
  signingKeyFromPem,
  verifyProvisioningFile,
} from '../../../shared/node/provisioning';
import { builtInPack, DEFAULT_PACK_ID } from '../../../shared/policy/built-in-packs';
import {
  formatFingerprint,
  PROVISIONING_FILE_NAME,
  PROVISIONING_LANGUAGES,
  ProvisioningError,
  type ProvisioningLanguage,
  type VerifiedProvisioning,
} from '../../../shared/provisioning';
import { findBranchByCode } from '../../model/branches';
import { issueEnrolmentCode } from '../../model/devices';
import {
  CliUsageError,
  flag,
  requiredOption,
  stringOption,
  type BaseCommandContext,
  type CliCommand,
  type DbCliCommand,
  type FileCliCommand,
} from '../cli-types';
import { parseDuration } from './devices';

export const DEFAULT_PROVISIONING_KEY_FILE = '.data/keys/provisioning-ed25519.pem';
/** A provisioning file (and its enrolment code) lives 7 days unless told otherwise; at most 30. */
export const DEFAULT_PROVISIONING_TTL = '7d';
const MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function provisioningKeyFile(
  ctx: BaseCommandContext,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return resolve(
    stringOption(ctx, 'key-file') ??
      (env.FIELDBOOK_PROVISIONING_KEY?.trim() || DEFAULT_PROVISIONING_KEY_FILE),
  );
}

const keyFileOption = {
  type: 'string' as const,
  placeholder: 'FILE',
  description: `the signing key (default: FIELDBOOK_PROVISIONING_KEY or ${DEFAULT_PROVISIONING_KEY_FILE}; made on first use)`,
};

export const createProvisioningCommand: DbCliCommand = {
  name: 'create-provisioning',
  summary: 'write a signed provisioning file for one laptop (with a fresh one-time enrolment code)',
  details: [
    `Put the file beside the installer as ${PROVISIONING_FILE_NAME}; the installer and the app pick it up.`,
    'It holds a one-time enrolment code: treat it like a password until the laptop is enrolled.',
    'Example: npm run admin -- create-provisioning --branch PA-CG01 --server-url https://fieldbook.example.cn',
  ],
  options: {
    branch: {
      type: 'string',
      placeholder: 'CODE',
      description: 'branch the laptop will belong to',
      required: true,
    },
    'server-url': {
      type: 'string',
      placeholder: 'URL',
      description: 'the address laptops reach this server at (https://…)',
      required: true,
    },
    'policy-pack': {
      type: 'string',
      placeholder: 'ID',
      description: `conduct policy pack (default ${DEFAULT_PACK_ID})`,
    },
    language: {
      type: 'string',
      placeholder: PROVISIONING_LANGUAGES.join('|'),
      description: 'default language on the laptop (default zh-CN)',
    },
    channel: {
      type: 'string',
      placeholder: 'NAME',
      description: 'update channel (default stable)',
    },
    'expires-in': {
      type: 'string',
      placeholder: 'DURATION',
      description: `lifetime of the file and its code: 24h, 7d (default ${DEFAULT_PROVISIONING_TTL}, at most 30d)`,
    },
    'device-name': {
      type: 'string',
      placeholder: 'NAME',
      description: 'name to record for the device, e.g. "Li Wei laptop"',
    },
    out: {
      type: 'string',
      placeholder: 'FILE',
      description: `where to write it (default ./${PROVISIONING_FILE_NAME})`,
    },
    force: { type: 'boolean', description: 'replace the output file if it exists' },
    'allow-insecure-http': {
      type: 'boolean',
      description:
        'allow an http:// server URL (traffic unencrypted: trials on a closed network only)',
    },
    'key-file': keyFileOption,
  },
  async run(ctx) {
    const language = (stringOption(ctx, 'language') ?? 'zh-CN') as ProvisioningLanguage;
    if (!PROVISIONING_LANGUAGES.includes(language))
      throw new CliUsageError(`--language must be one of ${PROVISIONING_LANGUAGES.join(', ')}`);
    const policyPackId = stringOption(ctx, 'policy-pack') ?? DEFAULT_PACK_ID;
    if (!builtInPack(policyPackId))
      throw new CliUsageError(
        `--policy-pack "${policyPackId}" is not a policy pack this version knows`,
      );
    const ttlMs = parseDuration(stringOption(ctx, 'expires-in') ?? DEFAULT_PROVISIONING_TTL);
    if (ttlMs > MAX_TTL_MS)
      throw new CliUsageError(
        '--expires-in may be at most 30d (the enrolment code inside cannot live longer)',
      );
    const out = resolve(stringOption(ctx, 'out') ?? PROVISIONING_FILE_NAME);
    if (existsSync(out) && !flag(ctx, 'force'))
      throw new CliUsageError(`${out} exists; choose another --out or add --force`);

    const { key, createdNow } = loadOrCreateSigningKey(provisioningKeyFile(ctx));
    const now = ctx.now();
    // Check the payload before issuing a code, so a typo in the URL leaves no stray code behind.
    const draft = {
      serverUrl: requiredOption(ctx, 'server-url'),
      ...(flag(ctx, 'allow-insecure-http') ? { allowInsecureHttp: true } : {}),
      branchCode: requiredOption(ctx, 'branch').trim().toUpperCase(),
      policyPackId,
      defaultLanguage: language,
      updateChannel: stringOption(ctx, 'channel') ?? 'stable',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      createdBy: ctx.actor,
    };
    try {
      createProvisioningFile(
        { ...draft, enrolmentCode: 'XXXX-XXXX-XXXX', enrolmentCodeExpiresAt: draft.expiresAt },
        key,
      );
    } catch (err) {
      if (err instanceof ProvisioningError) throw new CliUsageError(err.message);
      throw err;
    }
    const { branch, issued } = await ctx.db.transaction(async (tx) => {
      const branch = await findBranchByCode(tx, draft.branchCode);
      const issued = await issueEnrolmentCode(tx, {
        branchId: branch.id,
        deviceName: stringOption(ctx, 'device-name') ?? null,
        issuedBy: ctx.actor,
        ttlMs,
        now,
      });
      return { branch, issued };
    });
    const file = createProvisioningFile(
      {
        ...draft,
        branchCode: branch.code,
        branchName: branch.name,
        enrolmentCode: issued.code,
        enrolmentCodeExpiresAt: issued.expiresAt,
      },
      key,
    );
    writeFileSync(out, serializeProvisioningFile(file), {
      mode: 0o600,
      flag: flag(ctx, 'force') ? 'w' : 'wx',
    });

    if (createdNow)
      ctx.io.out(
        `Made a new provisioning signing key in ${provisioningKeyFile(ctx)}: back it up; laptops pin it.`,
      );
    ctx.io.out(`Wrote ${out}`);
    ctx.io.out(
      `  server   ${file.payload.serverUrl}${file.payload.allowInsecureHttp ? '  (PLAIN HTTP: not encrypted)' : ''}`,
    );
    ctx.io.out(`  branch   ${branch.code} ${branch.name}`);
    ctx.io.out(`  valid    until ${file.payload.expiresAt}; its enrolment code works once`);
    ctx.io.out(
      `  key      ${formatFingerprint(key.fingerprint)}  (the laptop's set-up screen shows the same)`,
    );
  },
};

export const provisioningKeyCommand: FileCliCommand = {
  needsDb: false,
  name: 'provisioning-key',
  summary: "show the provisioning signing key's fingerprint (making the key if there is none)",
  details: [
    'Record the fingerprint: laptops show it when they are set up, so IT can check the file came from here.',
  ],
  options: {
    json: { type: 'boolean', description: 'print JSON' },
    'key-file': keyFileOption,
  },
  async run(ctx) {
    const file = provisioningKeyFile(ctx);
    const { key, createdNow } = loadOrCreateSigningKey(file);
    if (flag(ctx, 'json')) {
      return ctx.io.out(
        JSON.stringify({ keyFile: file, fingerprint: key.fingerprint, createdNow }, null, 2),
      );
    }
    ctx.io.out(`${createdNow ? 'Made a new key' : 'Key'}: ${file}`);
    ctx.io.out(`Fingerprint: ${formatFingerprint(key.fingerprint)}`);
    ctx.io.out(`Full SHA-256: ${key.fingerprint}`);
  },
};

/** "3f9a 0c12 …" as printed, or the full hex: the hex digits, lower-case. */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$|^[0-9a-f]{64}$/.test(hex))
    throw new CliUsageError(
      '--fingerprint must be the 32 hex digits provisioning-key prints (spaces allowed), or the full 64',
    );
  return hex;
}

export const verifyProvisioningCommand: FileCliCommand = {
  needsDb: false,
  name: 'verify-provisioning',
  summary: 'check a provisioning file the way a laptop will: signature, signing key, expiry',
  details: [
    "Says who the file points at and until when it is valid, and whether this server's key signed it.",
    'It does not use the enrolment code: whether a laptop already enrolled with it shows in list-devices.',
    'Example: npm run admin -- verify-provisioning --file li-wei/fieldbook-provisioning.json',
  ],
  options: {
    file: {
      type: 'string',
      placeholder: 'FILE',
      description: 'the provisioning file to check',
      required: true,
    },
    fingerprint: {
      type: 'string',
      placeholder: 'HEX',
      description:
        "the key it must be signed by, as provisioning-key prints it (default: this server's key)",
    },
    json: { type: 'boolean', description: 'print JSON' },
    'key-file': {
      ...keyFileOption,
      description: `this server's signing key (default: FIELDBOOK_PROVISIONING_KEY or ${DEFAULT_PROVISIONING_KEY_FILE}); never made here`,
    },
  },
  async run(ctx) {
    const path = resolve(requiredOption(ctx, 'file'));
    if (!existsSync(path)) throw new CliUsageError(`${path} does not exist`);
    const explicit = stringOption(ctx, 'fingerprint');
    let trusted: string;
    let trustedFrom: string;
    if (explicit !== undefined) {
      trusted = normaliseFingerprint(explicit);
      trustedFrom = '--fingerprint';
    } else {
      const keyFile = provisioningKeyFile(ctx);
      // Checking must not make a key: a new key would "verify" nothing and break the pins.
      if (!existsSync(keyFile))
        throw new CliUsageError(
          `no signing key at ${keyFile}: give --key-file, or --fingerprint from the server that made the file`,
        );
      trusted = signingKeyFromPem(readFileSync(keyFile, 'utf8')).fingerprint;
      trustedFrom = keyFile;
    }
    // Signature and expiry first (any key), then whose key: so a file signed elsewhere
    // still says what it is, and the refusal names both fingerprints.
    let verified: VerifiedProvisioning;
    try {
      verified = verifyProvisioningFile(readFileSync(path), { now: ctx.now(), source: path });
    } catch (err) {
      if (err instanceof ProvisioningError)
        throw new Error(`${err.code}: ${err.message}`, { cause: err });
      throw err;
    }
    const p = verified.payload;
    const matches = verified.keyFingerprint.startsWith(trusted);
    if (flag(ctx, 'json')) {
      ctx.io.out(
        JSON.stringify(
          {
            file: path,
            keyFingerprint: verified.keyFingerprint,
            signedByTrustedKey: matches,
            fileSha256: verified.fileSha256,
            payload: { ...p, enrolmentCode: undefined },
          },
          null,
          2,
        ),
      );
    } else {
      ctx.io.out(`${path}: signature good`);
      ctx.io.out(
        `  server   ${p.serverUrl}${p.allowInsecureHttp ? '  (PLAIN HTTP: not encrypted)' : ''}`,
      );
      ctx.io.out(`  branch   ${p.branchCode} ${p.branchName}`);
      ctx.io.out(
        `  channel  ${p.updateChannel}; language ${p.defaultLanguage}; policy pack ${p.policyPackId}`,
      );
      ctx.io.out(`  valid    until ${p.expiresAt} (made ${p.createdAt} by ${p.createdBy})`);
      ctx.io.out(`  key      ${formatFingerprint(verified.keyFingerprint)}`);
    }
    if (!matches) {
      throw new Error(
        `untrusted_key: signed by ${formatFingerprint(verified.keyFingerprint)}, not by the key from ${trustedFrom} (${formatFingerprint(trusted)}); a laptop that trusts that key refuses it`,
      );
    }
    if (!flag(ctx, 'json')) ctx.io.out(`  signed by the key from ${trustedFrom}`);
  },
};

export const PROVISIONING_COMMANDS: readonly CliCommand[] = [
  createProvisioningCommand,
  provisioningKeyCommand,
  verifyProvisioningCommand,
];
