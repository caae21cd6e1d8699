// A policy pack: the conduct rules and derivation settings a lender chooses per branch.
// Every number a regulator or lender could change lives here, never in code. Packs are JSON
// (resources/policy-packs) validated with this schema before use.
import { z } from 'zod';
import { bucketListProblems } from '../domain/buckets';
import { isTimeZone, parseMinuteOfDay } from '../dates';

const localTime = z
  .string()
  .refine(
    (s) => parseMinuteOfDay(s) !== null,
    'expected a local time HH:MM between 00:00 and 24:00',
  );
const timeZoneName = z.string().min(1).refine(isTimeZone, 'unknown IANA time zone');
/** A positive limit, or null for "this pack sets no limit". */
const limit = z.number().int().min(1).nullable();

const channelRuleSchema = z
  .object({
    /** The pack permits this channel at all. */
    allowed: z.boolean(),
    /** Contact on this channel only inside the contact window. */
    withinContactWindow: z.boolean(),
    /** At least two collectors must be present (China: field visits, CBA 2026 art. 22). */
    secondCollectorRequired: z.boolean(),
  })
  .strict();

const bucketSchema = z
  .object({
    code: z.string().min(1).max(16),
    minDays: z.number().int().min(0),
    maxDays: z.number().int().min(0).nullable(),
  })
  .strict();

export const policyPackSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected lower-case letters, digits and dashes'),
    name: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).strict(),
    version: z.number().int().min(1),
    /** Regulations or guidelines the numbers come from, for the reader of the pack. */
    sources: z.array(z.string().min(1)).default([]),
    /**
     * Which clock the contact window and the per-day counts use: the debtor's local time
     * (falling back to `zone` when the debtor's zone is unknown), or always `zone`.
     */
    timeZone: z.object({ basis: z.enum(['debtor_local', 'fixed']), zone: timeZoneName }).strict(),
    /** Contact allowed from start (inclusive) to end (exclusive), local time. */
    contactWindow: z
      .object({ start: localTime, end: localTime })
      .strict()
      .refine(
        (w) => {
          const start = parseMinuteOfDay(w.start);
          const end = parseMinuteOfDay(w.end);
          // A malformed time is reported by its own field; only compare two good ones.
          return start === null || end === null || start < end;
        },
        {
          message: 'start must be before end',
          path: ['end'],
        },
      ),
    channels: z
      .object({
        call: channelRuleSchema,
        sms: channelRuleSchema,
        visit: channelRuleSchema,
        letter: channelRuleSchema,
      })
      .strict(),
    caps: z
      .object({
        /** Effective (answered) voice calls about the debtor per local day. */
        effectiveCallsPerDebtorPerDay: limit,
        /** Call attempts, answered or not, to one number per local day. */
        attemptsPerNumberPerDay: limit,
        /** Call attempts on the case in 7 consecutive local days, today included. */
        callsPerDebtPer7Days: limit,
        /** Days (the conversation's day counting as the first) without calls after a conversation with the debtor. */
        quietDaysAfterConversation: limit,
      })
      .strict(),
    thirdParty: z
      .object({
        /** Third parties (spouse, relatives, guarantor, references, others) may be contacted at all. */
        allowed: z.boolean(),
        /** ... once every phone number of the debtor is marked invalid. */
        whenDebtorNumbersInvalid: z.boolean(),
        /** ... once this many attempts in a row to reach the debtor failed. */
        afterConsecutiveFailedAttempts: limit,
        /** Effective contacts with one third party (US: to learn location, usually once). */
        maxContactsPerPerson: limit,
        /** Never disclose the debt to a third party: no pack may change this. */
        mayDiscloseDebt: z.literal(false),
      })
      .strict(),
    /** Days after a promise's due date in which a payment still keeps it. */
    promiseGraceDays: z.number().int().min(0).max(60),
    buckets: z.array(bucketSchema).superRefine((buckets, ctx) => {
      for (const problem of bucketListProblems(buckets))
        ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** Threatening or abusive terms a note is checked for (a gentle warning, never a block). */
    abusiveWords: z
      .object({ zh: z.array(z.string().trim().min(1)), en: z.array(z.string().trim().min(1)) })
      .strict(),
  })
  .strict();

export type PolicyPack = z.output<typeof policyPackSchema>;
export type ChannelRule = z.output<typeof channelRuleSchema>;

export class PolicyPackError extends Error {
  /** One line per problem: 'caps.attemptsPerNumberPerDay: Too small: expected number to be >=1'. */
  readonly problems: string[];

  constructor(packLabel: string, problems: string[]) {
    super(`Invalid policy pack ${packLabel}:\n  ${problems.join('\n  ')}`);
    this.name = 'PolicyPackError';
    this.problems = problems;
  }
}

/** Validates parsed JSON (or JSON text) as a policy pack; throws PolicyPackError listing every bad field. */
export function parsePolicyPack(json: unknown): PolicyPack {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      throw new PolicyPackError('(not JSON)', [err instanceof Error ? err.message : String(err)]);
    }
  }
  const result = policyPackSchema.safeParse(value);
  if (result.success) return result.data;
  const label =
    typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string'
      ? `'${value.id}'`
      : '(no id)';
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
  throw new PolicyPackError(label, problems);
}
