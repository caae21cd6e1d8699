// Cases: assign-case, reassign-case, list-cases, and the portfolio commands
// (import-portfolio waits for the import module; seed-demo fills a trial database).
import { findBranchByCode } from '../../model/branches';
import { assignCase } from '../../model/cases';
import { findUserByUsername } from '../../model/users';
import { demoPortfolio } from '../../portfolio/demo-portfolio';
import { addPortfolioCases } from '../../portfolio/portfolio-writer';
import { appendChanges } from '../../sync/change-feed';
import {
  CliUsageError,
  flag,
  requiredOption,
  stringOption,
  type CliCommand,
  type CommandContext,
} from '../cli-types';

async function runAssign(ctx: CommandContext, mode: 'assign' | 'reassign'): Promise<void> {
  const caseId = requiredOption(ctx, 'case');
  const officer = requiredOption(ctx, 'officer');
  const result = await ctx.db.transaction(async (tx) => {
    const r = await assignCase(tx, {
      caseId,
      officerUsername: officer,
      mode,
      assignedBy: ctx.actor,
      now: ctx.now(),
    });
    await appendChanges(tx, [r.change]);
    return r;
  });
  ctx.io.out(
    mode === 'assign'
      ? `Case ${result.case.id} assigned to ${officer}.`
      : `Case ${result.case.id} reassigned to ${officer}. It leaves the previous officer's device at its next sync; facts recorded there before are still accepted.`,
  );
}

const assignOptions = {
  case: {
    type: 'string' as const,
    placeholder: 'CASE_ID',
    description: 'the case (see list-cases)',
    required: true,
  },
  officer: {
    type: 'string' as const,
    placeholder: 'LOGIN',
    description: 'the officer who will work it',
    required: true,
  },
};

export const assignCaseCommand: CliCommand = {
  name: 'assign-case',
  summary: 'give an unassigned case to an officer',
  options: assignOptions,
  run: (ctx) => runAssign(ctx, 'assign'),
};

export const reassignCaseCommand: CliCommand = {
  name: 'reassign-case',
  summary: 'move a case to another officer of the same branch',
  details: ['Head-office assignments always win over assignments made on devices before them.'],
  options: assignOptions,
  run: (ctx) => runAssign(ctx, 'reassign'),
};

export const listCasesCommand: CliCommand = {
  name: 'list-cases',
  summary: 'list the cases of a branch (id, loans, officer)',
  options: {
    branch: { type: 'string', placeholder: 'CODE', description: 'branch code', required: true },
    officer: { type: 'string', placeholder: 'LOGIN', description: 'only this officer’s cases' },
    unassigned: { type: 'boolean', description: 'only cases without an officer' },
    limit: { type: 'string', placeholder: 'N', description: 'at most N rows (default 100)' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(ctx) {
    const branch = await findBranchByCode(ctx.db, requiredOption(ctx, 'branch'));
    const officerName = stringOption(ctx, 'officer');
    const officer = officerName ? await findUserByUsername(ctx.db, officerName) : null;
    const limit = Number(stringOption(ctx, 'limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1)
      throw new CliUsageError('--limit must be a positive whole number');
    const rows = await ctx.db.query<{
      id: string;
      status: string;
      officer: string | null;
      loans: string | null;
    }>(
      `select c.id, c.status, u.username as officer,
              (select string_agg(l.loan_no, ',' order by l.loan_no) from loans l where l.case_id = c.id) as loans
         from cases c left join users u on u.id = c.officer_id
        where c.branch_id = $1 and ($2::text is null or c.officer_id = $2) and (not $3::boolean or c.officer_id is null)
        order by c.id limit $4`,
      [branch.id, officer?.id ?? null, flag(ctx, 'unassigned'), limit],
    );
    if (flag(ctx, 'json')) return ctx.io.out(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return ctx.io.out('No cases.');
    for (const r of rows)
      ctx.io.out(
        `${r.id}  ${r.status.padEnd(6)} ${(r.officer ?? '(unassigned)').padEnd(20)} ${r.loans ?? ''}`,
      );
  },
};

export const seedDemoCommand: CliCommand = {
  name: 'seed-demo',
  summary: 'add made-up cases to a branch for a trial (never on a production database)',
  options: {
    branch: { type: 'string', placeholder: 'CODE', description: 'branch code', required: true },
    cases: { type: 'string', placeholder: 'N', description: 'how many cases (default 50)' },
    officers: {
      type: 'string',
      placeholder: 'LOGIN,LOGIN',
      description: 'deal the cases out to these officers (default: leave unassigned)',
    },
    seed: { type: 'string', placeholder: 'N', description: 'random seed (default 1)' },
  },
  async run(ctx) {
    const count = Number(stringOption(ctx, 'cases') ?? '50');
    if (!Number.isInteger(count) || count < 1 || count > 100_000)
      throw new CliUsageError('--cases must be a whole number from 1 to 100000');
    const seed = Number(stringOption(ctx, 'seed') ?? '1');
    const names = (stringOption(ctx, 'officers') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ids = await ctx.db.transaction(async (tx) => {
      const branch = await findBranchByCode(tx, requiredOption(ctx, 'branch'));
      const officerIds: string[] = [];
      for (const name of names) officerIds.push((await findUserByUsername(tx, name)).id);
      const existing = await tx.query<{ n: number }>(
        'select count(*)::int as n from borrowers where branch_id = $1',
        [branch.id],
      );
      const prefix = `${branch.code}-S${seed}-${existing[0]?.n ?? 0}`;
      return addPortfolioCases(
        tx,
        branch.id,
        demoPortfolio({ count, officerIds, seed, loanNoPrefix: prefix }),
        { assignedBy: ctx.actor, now: ctx.now() },
      );
    });
    ctx.io.out(`Added ${ids.length} demo cases.`);
  },
};
