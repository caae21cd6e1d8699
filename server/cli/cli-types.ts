// The shape of an admin CLI command, kept apart from process I/O so tests run commands in-process.
import type { ScryptParams } from '../../shared/node/password';
import type { Database } from '../db/database';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The first line of standard input (for --password-stdin). */
  readStdinLine(): Promise<string>;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in usage as --name <placeholder>. */
  placeholder?: string;
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  db: Database;
  values: OptionValues;
  positionals: string[];
  io: CliIo;
  /** Who is acting, recorded on enrolment codes, assignments and revocations. */
  actor: string;
  scrypt: ScryptParams;
  now: () => Date;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Extra lines for `<command> --help`. */
  details?: string[];
  options: Record<string, OptionSpec>;
  positionals?: string;
  run(ctx: CommandContext): Promise<void>;
}

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredOption(ctx: CommandContext, name: string): string {
  const v = stringOption(ctx, name);
  if (v === undefined || v.trim() === '') throw new CliUsageError(`--${name} is required`);
  return v;
}

export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}
