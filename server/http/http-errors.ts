// Turns every failure into a stable JSON error body { error: { code, message, params } }
// with the right HTTP status, and a revoked device into the wipe instruction.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SyncErrorBody, SyncErrorCode, WipeInstruction } from '../../shared/sync/protocol';
import { ServerError, type ServerErrorCode, type ServerErrorParams } from '../errors';
import type { ServerMetrics } from './metrics';

const STATUS: Record<ServerErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  invalid_argument: 400,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  payload_too_large: 413,
  not_found: 404,
  unauthenticated: 401,
  device_unknown: 401,
  user_unauthenticated: 401,
  user_unknown: 401,
  bad_proof: 401,
  user_disabled: 403,
  user_not_on_device: 403,
  enrolment_code_invalid: 400,
  enrolment_code_expired: 400,
  enrolment_code_used: 409,
  resync_required: 409,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** Thrown when a revoked device calls: the answer is the wipe instruction, whatever the route. */
export class DeviceRevoked extends Error {
  constructor(readonly revokedAt: string) {
    super('device revoked');
    this.name = 'DeviceRevoked';
  }
}

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  // Names the field and the rule, never the value sent (it could be borrower data).
  throw new ServerError(
    'invalid_input',
    `Invalid ${what}${field ? ` at ${field}` : ''}: ${issue?.message ?? 'invalid'}`,
    {
      field,
      issues: parsed.error.issues.length,
    },
  );
}

function wireCode(code: ServerErrorCode): SyncErrorCode {
  return code === 'invalid_argument' ? 'invalid_input' : code;
}

function body(code: SyncErrorCode, message: string, params: ServerErrorParams = {}): SyncErrorBody {
  return { error: { code, message, params } };
}

function classify(err: FastifyError | Error): { status: number; body: SyncErrorBody } | null {
  if (err instanceof ServerError) {
    return { status: STATUS[err.code], body: body(wireCode(err.code), err.message, err.params) };
  }
  const code = (err as FastifyError).code;
  const statusCode = (err as FastifyError).statusCode;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: body(
          'payload_too_large',
          'The request body is larger than this route accepts; send smaller batches',
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: body('unsupported_media_type', 'Send JSON (Content-Type: application/json)'),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: body('invalid_json', 'The request body is empty') };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: body('invalid_input', 'Content-Length does not match the body') };
    case 'FST_CP_ERR_INVALID_CONTENT_ENCODING':
      return {
        status: 415,
        body: body('unsupported_encoding', 'Unsupported Content-Encoding; use gzip or br'),
      };
    case 'FST_CP_ERR_INVALID_CONTENT':
      return {
        status: 400,
        body: body('unsupported_encoding', 'The compressed body could not be decompressed'),
      };
    case 'FST_ERR_RATE_LIMITED':
      return { status: 429, body: body('rate_limited', err.message) };
  }
  if (err instanceof SyntaxError)
    return { status: 400, body: body('invalid_json', 'The request body is not valid JSON') };
  if (statusCode === 404) return { status: 404, body: body('not_found', 'No such route') };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: body('invalid_input', 'The request could not be read') };
  }
  return null;
}

export function errorHandler(metrics: ServerMetrics) {
  return async (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof DeviceRevoked) {
      metrics.wipes.inc();
      const wipe: WipeInstruction = {
        instruction: 'wipe',
        reason: 'device_revoked',
        message:
          'This device has been revoked by head office: delete the ledger and keys, then enrol again',
        revokedAt: err.revokedAt,
      };
      request.log.warn({ deviceRevoked: true }, 'revoked device answered with wipe');
      return reply.code(410).send(wipe);
    }
    const known = classify(err);
    if (known) {
      if (known.status === 429) {
        const retryAfter = (err as FastifyError & { ttl?: number }).ttl;
        if (typeof retryAfter === 'number')
          reply.header('retry-after', Math.ceil(retryAfter / 1000));
      }
      request.log.info({ code: known.body.error.code, status: known.status }, 'request refused');
      return reply.code(known.status).send(known.body);
    }
    request.log.error({ err }, 'request failed');
    return reply
      .code(500)
      .send(body('internal', 'Internal server error; the request can be retried'));
  };
}
