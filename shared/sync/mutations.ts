// What a device may ask the server to do, one mutation at a time. The push envelope
// (protocol.ts) is checked for the whole request; each payload is checked here, per
// mutation, so that one malformed payload is refused on its own and never blocks the
// rest of the batch.
import { z } from 'zod';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  HARDSHIP_REASONS,
  PAYMENT_METHODS,
} from '../domain/types';
import {
  entityIdSchema,
  fenSchema,
  instantSchema,
  isoDateSchema,
  positiveFenSchema,
  shortTextSchema,
} from './common';
import { CONTACT_POINT_KINDS } from './records';

export const MUTATION_KINDS = ['fact', 'case_update', 'contact_point'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

const factBase = {
  /** Made by the device (UUIDv7), so a fact recorded offline never collides. */
  factId: entityIdSchema,
  occurredAt: instantSchema,
};

export const CASE_FLAG_NAMES = ['hardship', 'vulnerable', 'dispute', 'doNotContact'] as const;
export type CaseFlagName = (typeof CASE_FLAG_NAMES)[number];

export const factPayloadSchema = z.discriminatedUnion('factKind', [
  z
    .object({
      factKind: z.literal('contact'),
      ...factBase,
      channel: z.enum(CONTACT_CHANNELS),
      party: z.enum(CONTACT_PARTIES),
      contactPointId: entityIdSchema.optional(),
      outcome: z.enum(CONTACT_OUTCOMES),
      note: shortTextSchema.optional(),
      nextActionDate: isoDateSchema.optional(),
      secondCollectorId: entityIdSchema.optional(),
      /** Recorded against the conduct rules with a written reason (the manager reviews it). */
      override: z
        .object({
          reason: shortTextSchema.min(1),
          ruleCodes: z.array(z.string().min(1).max(64)).max(20),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('promise'),
      ...factBase,
      madeOn: isoDateSchema,
      dueDate: isoDateSchema,
      amountFen: positiveFenSchema,
      loanId: entityIdSchema.optional(),
      note: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('payment'),
      ...factBase,
      loanId: entityIdSchema,
      paidOn: isoDateSchema,
      amountFen: positiveFenSchema,
      method: z.enum(PAYMENT_METHODS),
      /** The number printed on the paper receipt; unique within a branch. */
      receiptNo: z.string().trim().min(1).max(64),
      note: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('payment_reversal'),
      ...factBase,
      paymentFactId: entityIdSchema,
      reason: shortTextSchema.min(1),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('plan_proposal'),
      ...factBase,
      hardshipReason: z.enum(HARDSHIP_REASONS),
      monthlyIncomeFen: fenSchema.optional(),
      monthlyEssentialExpensesFen: fenSchema.optional(),
      instalments: z
        .array(z.object({ dueDate: isoDateSchema, amountFen: positiveFenSchema }).strict())
        .min(1)
        .max(120),
      note: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('plan_decision'),
      ...factBase,
      proposalFactId: entityIdSchema,
      decision: z.enum(['approved', 'rejected']),
      note: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('note'),
      ...factBase,
      text: shortTextSchema.min(1),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('reassignment'),
      ...factBase,
      toOfficerId: entityIdSchema,
      /** Who held the case on the recording device (its history on other devices). */
      fromOfficerId: entityIdSchema.optional(),
      reason: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      /** A manager has looked at a contact recorded with a conduct override (once per contact). */
      factKind: z.literal('override_review'),
      ...factBase,
      contactFactId: entityIdSchema,
      comment: shortTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      factKind: z.literal('flag_change'),
      ...factBase,
      flag: z.enum(CASE_FLAG_NAMES),
      value: z.boolean(),
      note: shortTextSchema.optional(),
    })
    .strict(),
]);
export type FactPayload = z.infer<typeof factPayloadSchema>;

/** Mutable case fields; each field resolves last-writer-wins by the mutation's HLC. */
export const caseUpdatePayloadSchema = z
  .object({
    nextActionDate: isoDateSchema.nullable().optional(),
    flags: z
      .object({
        hardship: z.boolean().optional(),
        vulnerable: z.boolean().optional(),
        dispute: z.boolean().optional(),
        doNotContact: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => p.nextActionDate !== undefined || (p.flags && Object.keys(p.flags).length > 0), {
    message: 'a case update must change at least one field',
  });
export type CaseUpdatePayload = z.infer<typeof caseUpdatePayloadSchema>;

/** A contact point found or corrected in the field; the whole record is last-writer-wins. */
export const contactPointPayloadSchema = z
  .object({
    contactPointId: entityIdSchema,
    kind: z.enum(CONTACT_POINT_KINDS),
    value: z.string().trim().min(1).max(500),
    party: z.enum(CONTACT_PARTIES),
    name: z.string().trim().max(100).nullable(),
    relation: z.string().trim().max(100).nullable(),
    status: z.enum(['active', 'invalid']),
  })
  .strict();
export type ContactPointPayload = z.infer<typeof contactPointPayloadSchema>;

export const mutationPayloadSchemas = {
  fact: factPayloadSchema,
  case_update: caseUpdatePayloadSchema,
  contact_point: contactPointPayloadSchema,
} as const satisfies Record<MutationKind, z.ZodType>;

export type MutationPayload<K extends MutationKind> = z.infer<(typeof mutationPayloadSchemas)[K]>;
