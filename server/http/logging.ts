// Logger options: pino through Fastify, with every borrower field redacted wherever it
// appears in a log object, request bodies never logged, and errors reduced to what is
// safe (a database error's detail and parameters can hold borrower data).
import type { FastifyServerOptions } from 'fastify';

const BORROWER_FIELDS = [
  'name',
  'borrowerName',
  'contactName',
  'display_name',
  'phone',
  'mobile',
  'value',
  'idNumber',
  'id_number',
  'idNumberMasked',
  'address',
  'township',
  'village',
  'county',
  'note',
  'text',
  'reason',
  'payload',
  'body',
  'params',
  'query',
];

/** Redacted at the top level and two levels down (pino paths have no deep wildcard). */
export const REDACT_PATHS = [
  ...BORROWER_FIELDS,
  ...BORROWER_FIELDS.map((f) => `*.${f}`),
  ...BORROWER_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers["x-fieldbook-proof"]',
];

interface LoggableError {
  name?: string;
  message?: string;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  stack?: string;
  statusCode?: unknown;
}

export interface SafeError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

export function safeError(err: LoggableError): SafeError {
  const isDatabaseError = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
  const message = String(err.message ?? '');
  return {
    type: err.name ?? 'Error',
    // Quoted parts of a database message are values ('invalid input syntax for type date: "…"').
    message: isDatabaseError ? message.replace(/"[^"]*"/g, '"…"') : message,
    code: err.code,
    ...(isDatabaseError ? { constraint: err.constraint, table: err.table } : {}),
    statusCode: err.statusCode,
    // A database error's stack starts with its message: keep only the frames.
    stack: (err.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n'),
  };
}

export interface LogOptions {
  level?: string;
  /** Where log lines go (tests capture them); stdout when absent. */
  stream?: { write(line: string): void };
}

export function loggerOptions(options: LogOptions): FastifyServerOptions['logger'] {
  return {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        // The path only: query strings are not logged.
        url: req.url?.split('?')[0],
        ip: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: LoggableError) => safeError(err),
    },
    ...(options.stream ? { stream: options.stream } : {}),
  };
}
