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

/** What every command gets. */
export interface BaseCommandContext {
  values: OptionValues;
  positionals: string[];
  io: CliIo;
  /** Who is acting, recorded on enrolment codes, assignments and revocations. */
  actor: string;
  scrypt: ScryptParams;
  now: () => Date;
}

/** What a command that works on the head-office database gets. */
export interface CommandContext extends BaseCommandContext {
  db: Database;
}

interface CommandDescription {
  name: string;
  summary: string;
  /** Extra lines for `<command> --help`. */
  details?: string[];
  options: Record<string, OptionSpec>;
  positionals?: string;
}

/** A command on the database (the default): the CLI opens and migrates it first. */
export interface DbCliCommand extends CommandDescription {
  needsDb?: true;
  run(ctx: CommandContext): Promise<void>;
}

/**
 * A command on files only (the signing key, provisioning files, the releases folder).
 * The CLI does not open the database for it: with the embedded PGlite, opening it takes
 * the folder's lock, so such a command would fail while the server runs for no reason.
 */
export interface FileCliCommand extends CommandDescription {
  needsDb: false;
  run(ctx: BaseCommandContext): Promise<void>;
}

export type CliCommand = DbCliCommand | FileCliCommand;

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function stringOption(ctx: BaseCommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredOption(ctx: BaseCommandContext, name: string): string {
  const v = stringOption(ctx, name);
  if (v === undefined || v.trim() === '') throw new CliUsageError(`--${name} is required`);
  return v;
}

export function flag(ctx: BaseCommandContext, name: string): boolean {
  return ctx.values[name] === true;
}
