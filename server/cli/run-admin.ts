// The admin CLI as a function: parses argv, runs one command (against the database, which
// it opens only for commands that need it), prints through io, returns the exit code
// (0 ok, 1 failed, 2 usage).
import { parseArgs } from 'node:util';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from '../../shared/node/password';
import type { Database } from '../db/database';
import { ServerError } from '../errors';
import {
  CliUsageError,
  type BaseCommandContext,
  type CliCommand,
  type CliIo,
  type OptionValues,
} from './cli-types';
import { PROVISIONING_COMMANDS } from './commands/provisioning';
import { ROLLOUT_COMMANDS } from './commands/rollout';
import { importPortfolioCommand } from './commands/import';
import {
  assignCaseCommand,
  listCasesCommand,
  reassignCaseCommand,
  seedDemoCommand,
} from './commands/cases';
import {
  compactFeedCommand,
  issueEnrolmentCodeCommand,
  listDevicesCommand,
  revokeDeviceCommand,
} from './commands/devices';
import {
  addUserCommand,
  createBranchCommand,
  disableUserCommand,
  listUsersCommand,
  resetPasswordCommand,
} from './commands/people';

export const COMMANDS: readonly CliCommand[] = [
  createBranchCommand,
  addUserCommand,
  disableUserCommand,
  resetPasswordCommand,
  listUsersCommand,
  assignCaseCommand,
  reassignCaseCommand,
  listCasesCommand,
  issueEnrolmentCodeCommand,
  listDevicesCommand,
  revokeDeviceCommand,
  importPortfolioCommand,
  seedDemoCommand,
  compactFeedCommand,
  ...PROVISIONING_COMMANDS,
  ...ROLLOUT_COMMANDS,
];

const PROGRAM = 'npm run admin --';

export function mainHelp(): string[] {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Fieldbook head-office administration. Usage: ${PROGRAM} <command> [options]`,
    '',
    'Works on the same database as the server: DATABASE_URL, or the PGlite folder',
    'FIELDBOOK_SERVER_DATA (default .data/server; stop the server first, PGlite allows one process).',
    'Commands marked * work on files only (signing key, provisioning files, releases folder)',
    'and do not open the database: they run while the server is up.',
    '',
    'Commands:',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)} ${c.needsDb === false ? '*' : ' '} ${c.summary}`,
    ),
    '',
    `Options for every command: --as NAME (who is acting, recorded on codes, assignments, revocations), --help`,
    `Help on one command: ${PROGRAM} <command> --help`,
  ];
}

export function commandHelp(cmd: CliCommand): string[] {
  const opts = Object.entries(cmd.options);
  const required = opts
    .filter(([, o]) => o.required)
    .map(([n, o]) => `--${n} ${o.placeholder ?? ''}`.trim());
  const lines = [
    `Usage: ${PROGRAM} ${cmd.name} ${[...required, '[options]', cmd.positionals ?? ''].join(' ').trim()}`,
    '',
    cmd.summary,
  ];
  if (cmd.details) lines.push('', ...cmd.details);
  lines.push('', 'Options:');
  const labels = opts.map(
    ([n, o]) => `--${n}${o.type === 'string' ? ` ${o.placeholder ?? 'VALUE'}` : ''}`,
  );
  const width = Math.max(...labels.map((l) => l.length), 10);
  opts.forEach(([, o], i) =>
    lines.push(
      `  ${(labels[i] as string).padEnd(width)}  ${o.description}${o.required ? ' (required)' : ''}`,
    ),
  );
  lines.push(`  ${'--as NAME'.padEnd(width)}  who is acting (default: cli:<system user>)`);
  lines.push(`  ${'--help'.padEnd(width)}  this help`);
  return lines;
}

function closest(name: string): string | null {
  const hit = COMMANDS.find((c) => c.name.startsWith(name.slice(0, 4)) || c.name.includes(name));
  return hit?.name ?? null;
}

export interface AdminRuntime {
  io: CliIo;
  openDb: () => Promise<Database>;
  defaultActor: string;
  scrypt?: ScryptParams;
  now?: () => Date;
}

export async function runAdmin(argv: readonly string[], rt: AdminRuntime): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    mainHelp().forEach((l) => rt.io.out(l));
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const guess = closest(name);
    rt.io.err(
      `error: unknown command "${name}".${guess ? ` Did you mean ${guess}?` : ''} See ${PROGRAM} --help`,
    );
    return 2;
  }
  let values: OptionValues;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: {
        ...Object.fromEntries(Object.entries(cmd.options).map(([n, o]) => [n, { type: o.type }])),
        as: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: cmd.positionals !== undefined,
      strict: true,
    });
    values = parsed.values as OptionValues;
    positionals = parsed.positionals;
  } catch (err) {
    rt.io.err(`error: ${(err as Error).message}`);
    rt.io.err(`See ${PROGRAM} ${cmd.name} --help`);
    return 2;
  }
  if (values.help === true) {
    commandHelp(cmd).forEach((l) => rt.io.out(l));
    return 0;
  }
  const missing = Object.entries(cmd.options).filter(
    ([n, o]) => o.required && (values[n] === undefined || values[n] === ''),
  );
  if (missing.length > 0) {
    rt.io.err(`error: missing ${missing.map(([n]) => `--${n}`).join(', ')}`);
    rt.io.err(`See ${PROGRAM} ${cmd.name} --help`);
    return 2;
  }
  const base: BaseCommandContext = {
    values,
    positionals,
    io: rt.io,
    actor: typeof values.as === 'string' && values.as.trim() ? values.as.trim() : rt.defaultActor,
    scrypt: rt.scrypt ?? DEFAULT_SCRYPT_PARAMS,
    now: rt.now ?? (() => new Date()),
  };
  let db: Database | null = null;
  try {
    if (cmd.needsDb === false) {
      // Never opened: with PGlite that would take the folder's lock the running server holds.
      await cmd.run(base);
    } else {
      db = await rt.openDb();
      await cmd.run({ ...base, db });
    }
    return 0;
  } catch (err) {
    if (err instanceof CliUsageError) {
      rt.io.err(`error: ${err.message}`);
      rt.io.err(`See ${PROGRAM} ${cmd.name} --help`);
      return 2;
    }
    if (err instanceof ServerError) {
      rt.io.err(`error: ${err.message}`);
      return 1;
    }
    rt.io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db?.close();
  }
}
