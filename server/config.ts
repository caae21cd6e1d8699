// Server settings from the environment, checked once at start with readable errors.
import { z } from 'zod';
import { databaseLocationFromEnv, type DatabaseLocation } from './db/open';
import { DEFAULTS } from './http/app';

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FIELDBOOK_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULTS.rateLimitPerMinute),
  FIELDBOOK_ENROL_PER_MINUTE: z.coerce.number().int().positive().default(DEFAULTS.enrolPerMinute),
  FIELDBOOK_PUSH_BODY_LIMIT: z.coerce.number().int().min(1024).default(DEFAULTS.pushBodyLimit),
  FIELDBOOK_METRICS_TOKEN: z
    .string()
    .min(16, 'FIELDBOOK_METRICS_TOKEN needs at least 16 characters')
    .optional(),
  FIELDBOOK_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
});

export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  rateLimitPerMinute: number;
  enrolPerMinute: number;
  pushBodyLimit: number;
  metricsToken: string | null;
  trustProxy: boolean;
  database: DatabaseLocation;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid server settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.FIELDBOOK_RATE_LIMIT_PER_MINUTE,
    enrolPerMinute: e.FIELDBOOK_ENROL_PER_MINUTE,
    pushBodyLimit: e.FIELDBOOK_PUSH_BODY_LIMIT,
    metricsToken: e.FIELDBOOK_METRICS_TOKEN ?? null,
    trustProxy: e.FIELDBOOK_TRUST_PROXY === '1' || e.FIELDBOOK_TRUST_PROXY === 'true',
    database: databaseLocationFromEnv(env),
  };
}
