// The provisioning file branch IT puts beside the installer (fieldbook-provisioning.json):
// which head office a laptop talks to, its branch, a one-time enrolment code, the conduct
// policy pack, the default language and the update channel — signed by the head office's
// admin CLI with Ed25519 (shared/node/provisioning.ts signs and verifies).
//
// This module is the pure part (schemas, error codes, fingerprints for display) that the
// renderer's first-run wizard can import; it uses no Node APIs.
//
// Trust model (docs/INSTALLING.md): the file carries its signer's public key. A signature
// alone proves the file is intact, not who made it, so the app pins the key the first time
// it accepts a file (trust on first use) and refuses later files signed by another key;
// the wizard shows the key's fingerprint so IT can compare it with what the admin CLI
// printed. A build may also ship fingerprints it trusts from the start.
import { z } from 'zod';

export const PROVISIONING_FILE_NAME = 'fieldbook-provisioning.json';
export const PROVISIONING_FORMAT_VERSION = 1;
/** Domain separation: these bytes prefix what is signed, so no other signed text can pass as a provisioning file. */
export const PROVISIONING_SIGNING_CONTEXT = 'fieldbook-provisioning-v1\n';
/** Larger files are refused before parsing. */
export const PROVISIONING_MAX_BYTES = 64 * 1024;
/** How far in the future createdAt may be (a laptop clock that runs slow). */
export const PROVISIONING_CLOCK_SKEW_MS = 10 * 60 * 1000;

export const PROVISIONING_LANGUAGES = ['zh-CN', 'en'] as const;
export type ProvisioningLanguage = (typeof PROVISIONING_LANGUAGES)[number];

export const PROVISIONING_ERROR_CODES = [
  /** No provisioning file where one was looked for. */
  'not_found',
  /** The file exists but could not be read. */
  'unreadable',
  /** Over PROVISIONING_MAX_BYTES. */
  'too_large',
  /** Not JSON, or not shaped like a provisioning file (params.issues says where). */
  'malformed',
  /** A provisioning format this app does not know (made by a newer admin CLI). */
  'unknown_version',
  /** Signed with something other than Ed25519. */
  'unsupported_algorithm',
  /** The header's fingerprint is not the fingerprint of the header's public key. */
  'key_mismatch',
  /** The signature does not match the contents: the file was changed after signing. */
  'bad_signature',
  /** Signed by a key other than the one this laptop (or this build) trusts. */
  'untrusted_key',
  /** Past its expiry: ask head office for a new file. */
  'expired',
  /** Created in the future by this laptop's clock: check the date and time. */
  'not_yet_valid',
  /** This laptop already enrolled with this very file (its code works once). */
  'already_used',
] as const;
export type ProvisioningErrorCode = (typeof PROVISIONING_ERROR_CODES)[number];
export type ProvisioningErrorParams = Record<string, string | number | boolean | null>;

/** A provisioning file that cannot be used, with a stable code the wizard translates. */
export class ProvisioningError extends Error {
  readonly code: ProvisioningErrorCode;
  readonly params: ProvisioningErrorParams;

  constructor(code: ProvisioningErrorCode, message: string, params: ProvisioningErrorParams = {}) {
    super(message);
    this.name = 'ProvisioningError';
    this.code = code;
    this.params = params;
  }
}

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/,
    'expected a UTC instant like 2026-11-28T07:30:00.000Z',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid instant');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when plain http is tolerable without an explicit opt-in (a trial on this machine). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The head-office address: https (http only on loopback, or when the file says
 * allowInsecureHttp), no credentials, query or fragment; a path prefix is allowed
 * (https://ho.example.cn/fieldbook). Stored without a trailing slash.
 */
export const serverUrlSchema = z
  .string()
  .trim()
  .max(300)
  .transform((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must start with https://' });
      return z.NEVER;
    }
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: 'must not contain a user name, password, query or fragment',
      });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

export const updateChannelSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    'a channel is lower-case letters, digits and dashes, e.g. stable',
  );

export const provisioningPayloadSchema = z
  .object({
    serverUrl: serverUrlSchema,
    /** Set by `create-provisioning --allow-insecure-http`; the wizard warns about it. */
    allowInsecureHttp: z.boolean().optional(),
    branchCode: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, 'expected a branch code such as PA-CG01'),
    branchName: z.string().trim().min(1).max(100).optional(),
    /** One-time code for POST /v1/enrol; single use, expires at enrolmentCodeExpiresAt. */
    enrolmentCode: z.string().trim().min(4).max(64),
    enrolmentCodeExpiresAt: instant,
    policyPackId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a policy pack id such as cn-default'),
    defaultLanguage: z.enum(PROVISIONING_LANGUAGES),
    updateChannel: updateChannelSchema,
    createdAt: instant,
    expiresAt: instant,
    /** Who made the file (the admin CLI's --as), for the audit trail. */
    createdBy: z.string().trim().min(1).max(100),
  })
  .strict()
  .superRefine((p, ctx) => {
    const url = new URL(p.serverUrl);
    if (url.protocol === 'http:' && !isLoopbackUrl(url) && p.allowInsecureHttp !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['serverUrl'],
        message:
          'must use https:// (plain http is allowed only on this machine, or with allowInsecureHttp)',
      });
    }
    if (Date.parse(p.expiresAt) <= Date.parse(p.createdAt)) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after createdAt' });
    }
  });
export type ProvisioningPayload = z.infer<typeof provisioningPayloadSchema>;
/** What the admin CLI fills in (before defaults and normalisation). */
export type ProvisioningPayloadInput = z.input<typeof provisioningPayloadSchema>;

const base64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64')
    .refine(
      (s) =>
        Math.floor((s.length * 3) / 4) - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0) === bytes,
      `expected ${bytes} bytes`,
    );

export const provisioningHeaderSchema = z
  .object({
    alg: z.string().min(1).max(32),
    /** The raw 32-byte Ed25519 public key, base64. */
    publicKey: base64(32),
    /** Lower-case hex SHA-256 of the raw public key. */
    keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
  })
  .strict();
export type ProvisioningHeader = z.infer<typeof provisioningHeaderSchema>;

export const provisioningFileSchema = z
  .object({
    fieldbookProvisioning: z.literal(PROVISIONING_FORMAT_VERSION),
    header: provisioningHeaderSchema,
    payload: provisioningPayloadSchema,
    /** Ed25519 signature (64 bytes, base64) over PROVISIONING_SIGNING_CONTEXT + canonicalJson({ header, payload }). */
    signature: base64(64),
  })
  .strict();
export type ProvisioningFile = z.infer<typeof provisioningFileSchema>;

/** A file that passed every check, with what the wizard shows and the key it would pin. */
export interface VerifiedProvisioning {
  payload: ProvisioningPayload;
  keyFingerprint: string;
  /** Where it was found (a path), for the wizard and the logs. */
  source: string;
  /** SHA-256 of the file's bytes: recorded when used, so the same file is not offered twice. */
  fileSha256: string;
}

/**
 * The fingerprint as people compare it: the first 128 bits in eight groups of four hex
 * digits ("3f9a 0c12 …"). Enough to tell keys apart by eye or over the phone; the app
 * itself always compares all 256 bits.
 */
export function formatFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 32).match(/.{1,4}/g) ?? []).join(' ');
}

/** The update feed a provisioned laptop uses: <serverUrl>/updates/<channel>. */
export function updateFeedUrl(serverUrl: string, channel: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/updates/${channel}`;
}
