// import-portfolio: a core-banking portfolio file into the server database, in three
// passes (shared/node/portfolio-import): inspect (format, encoding, mapping), preview
// (validate every row, print the report), write (server/portfolio/import-writer.ts: every
// valid row in one transaction, or nothing).
import { readFile } from 'node:fs/promises';
import { businessDate, isIsoDate } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import {
  mappingFromSaved,
  SavedMappingSchema,
  type SavedMapping,
} from '../../../shared/import/saved-mapping';
import {
  formatFileIssue,
  formatReadError,
  formatRowIssue,
  type ImportLang,
} from '../../../shared/import/messages';
import { formatFen } from '../../../shared/money';
import {
  inspectPortfolio,
  previewPortfolio,
  PortfolioReadError,
  type PortfolioPreview,
} from '../../../shared/node/portfolio-import';
import type { OfficerRef } from '../../../shared/import/validate-row';
import { ServerError } from '../../errors';
import { findBranchByCode } from '../../model/branches';
import { writePortfolioImport, type ServerImportResult } from '../../portfolio/import-writer';
import {
  CliUsageError,
  flag,
  requiredOption,
  stringOption,
  type CliCommand,
  type CommandContext,
} from '../cli-types';

type Words = Record<ImportLang, string>;

const W = {
  reading: {
    en: 'Reading {file} ({format}, {encoding})',
    'zh-CN': '读取 {file}（{format}，{encoding}）',
  },
  asOf: { en: 'Balances as of {date}', 'zh-CN': '数据日期 {date}' },
  asOfToday: {
    en: 'No date in the file and no --as-of: taking today, {date}',
    'zh-CN': '文件中没有数据日期，也没有 --as-of：按今天 {date} 导入',
  },
  mapping: { en: 'Columns: {mapped}', 'zh-CN': '列映射：{mapped}' },
  progress: { en: '  {phase} {done} / {total} rows', 'zh-CN': '  {phase} {done} / {total} 行' },
  validating: { en: 'checked', 'zh-CN': '已校验' },
  writing: { en: 'written', 'zh-CN': '已写入' },
  summary: {
    en: 'Rows: {total}; valid {valid} (delinquent {delinquent}, with warnings {warnings}); rejected {rejected}; skipped {skipped}',
    'zh-CN':
      '共 {total} 行：有效 {valid} 行（逾期 {delinquent}，有警告 {warnings}），拒绝 {rejected} 行，跳过 {skipped} 行',
  },
  totals: {
    en: 'Totals of valid rows: principal {principal}, outstanding {outstanding}, arrears {arrears}',
    'zh-CN': '有效行合计：贷款金额 {principal}，剩余本金 {outstanding}，逾期金额 {arrears}',
  },
  fileIssues: { en: 'The file cannot be imported:', 'zh-CN': '文件无法导入：' },
  issuesHead: { en: 'Issues (first {n}):', 'zh-CN': '问题（前 {n} 条）：' },
  issueLine: { en: '  row {row}{column}: {message}', 'zh-CN': '  第 {row} 行{column}：{message}' },
  moreIssues: { en: '  … and {n} more', 'zh-CN': '  ……另有 {n} 条' },
  refuse: {
    en: '{n} rows are rejected: nothing was imported. Fix the file, or pass --valid-only to import the {valid} valid rows and leave these out.',
    'zh-CN':
      '有 {n} 行被拒绝，未导入任何数据。请修正文件，或加 --valid-only 只导入 {valid} 行有效数据。',
  },
  dryRun: { en: 'Dry run: nothing was written.', 'zh-CN': '试运行：未写入任何数据。' },
  done: {
    en: 'Imported {rows} loans in one transaction: {created} new, {updated} updated; {left} rows left out.',
    'zh-CN': '已在一个事务中导入 {rows} 笔贷款：新增 {created}，更新 {updated}；未导入 {left} 行。',
  },
  cases: {
    en: 'Cases: {opened} opened, {reopened} reopened, {assigned} assigned, {closed} closed; loans closed (not in this full file): {loansClosed}.',
    'zh-CN':
      '案件：新开 {opened}，重开 {reopened}，分配 {assigned}，关闭 {closed}；本次全量文件中没有而关闭的贷款 {loansClosed} 笔。',
  },
  approx: {
    en: '{n} loans: the rebuilt schedule shows the file’s arrears and days past due but not exactly its outstanding principal.',
    'zh-CN': '{n} 笔贷款：重建的还款计划与文件的逾期金额和逾期天数一致，但剩余本金不完全一致。',
  },
  feed: { en: '{n} changes queued for devices.', 'zh-CN': '已向设备推送 {n} 条变更。' },
} satisfies Record<string, Words>;

function say(
  lang: ImportLang,
  key: keyof typeof W,
  params: Record<string, string | number> = {},
): string {
  return W[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

function langOf(ctx: CommandContext): ImportLang {
  const v = (stringOption(ctx, 'lang') ?? 'en').toLowerCase();
  if (v === 'en') return 'en';
  if (v === 'zh' || v === 'zh-cn') return 'zh-CN';
  throw new CliUsageError('--lang must be zh or en');
}

async function loadSavedMapping(file: string): Promise<SavedMapping> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CliUsageError(`--mapping ${file}: ${(err as Error).message}`);
  }
  const parsed = SavedMappingSchema.safeParse(json);
  if (!parsed.success)
    throw new CliUsageError(
      `--mapping ${file} is not a saved mapping: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  return parsed.data;
}

/** Active officers of the branch: their username is the code a file uses, their name may stand in for it. */
async function branchOfficers(
  ctx: CommandContext,
  branchId: string,
): Promise<{ refs: OfficerRef[]; ids: Map<string, string> }> {
  const rows = await ctx.db.query<{ id: string; username: string; display_name: string }>(
    `select id, username, display_name from users where branch_id = $1 and role = 'officer' and disabled_at is null order by username`,
    [branchId],
  );
  return {
    refs: rows.map((r) => ({ code: r.username, name: r.display_name })),
    ids: new Map(rows.map((r) => [r.username, r.id])),
  };
}

function printReport(
  ctx: CommandContext,
  lang: ImportLang,
  preview: PortfolioPreview,
  maxIssues: number,
): void {
  const r = preview.report;
  ctx.io.out(
    say(lang, 'summary', {
      total: r.totalRows,
      valid: r.validRows,
      delinquent: r.delinquentRows,
      warnings: r.warningRows,
      rejected: r.rejectedRows,
      skipped: r.skippedRows,
    }),
  );
  ctx.io.out(
    say(lang, 'totals', {
      principal: formatFen(r.totals.principalFen),
      outstanding: formatFen(r.totals.outstandingFen),
      arrears: formatFen(r.totals.arrearsFen),
    }),
  );
  if (r.fileIssues.length > 0) {
    ctx.io.out(say(lang, 'fileIssues'));
    for (const issue of r.fileIssues) ctx.io.out(`  ${formatFileIssue(issue, lang)}`);
  }
  const shown = r.issues.filter((i) => i.severity !== 'skipped').slice(0, maxIssues);
  if (shown.length > 0) {
    ctx.io.out(say(lang, 'issuesHead', { n: shown.length }));
    for (const issue of shown) {
      ctx.io.out(
        say(lang, 'issueLine', {
          row: issue.rowNumber,
          column: issue.column ? ` [${issue.column}]` : '',
          message: formatRowIssue(issue, lang),
        }),
      );
    }
    const total = Object.entries(r.issueCounts)
      .filter(([code]) => code !== 'skipped_summary_row')
      .reduce((s, [, n]) => s + (n ?? 0), 0);
    if (total > shown.length) ctx.io.out(say(lang, 'moreIssues', { n: total - shown.length }));
  }
}

function printResult(ctx: CommandContext, lang: ImportLang, result: ServerImportResult): void {
  ctx.io.out(
    say(lang, 'done', {
      rows: result.loansCreated + result.loansUpdated,
      created: result.loansCreated,
      updated: result.loansUpdated,
      left: result.rowsLeftOut,
    }),
  );
  ctx.io.out(
    say(lang, 'cases', {
      opened: result.casesOpened,
      reopened: result.casesReopened,
      assigned: result.casesAssigned,
      closed: result.casesClosed,
      loansClosed: result.loansClosed,
    }),
  );
  if (result.snapshotsApproximate > 0)
    ctx.io.out(say(lang, 'approx', { n: result.snapshotsApproximate }));
  ctx.io.out(say(lang, 'feed', { n: result.changeRows }));
}

/** A progress line every tenth of the rows (and at the end). */
function progressPrinter(
  ctx: CommandContext,
  lang: ImportLang,
  phase: 'validating' | 'writing',
  total: number,
): (done: number) => void {
  let next = total > 0 ? Math.ceil(total / 10) : 2_000;
  const step = next;
  return (done) => {
    if (done < next) return;
    ctx.io.out(
      say(lang, 'progress', { phase: say(lang, phase), done, total: total > 0 ? total : '?' }),
    );
    while (next <= done) next += step;
  };
}

async function runImport(ctx: CommandContext): Promise<void> {
  const lang = langOf(ctx);
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1)
    throw new CliUsageError('give exactly one FILE to import');
  const branch = await findBranchByCode(ctx.db, requiredOption(ctx, 'branch'));
  const asOfOption = stringOption(ctx, 'as-of');
  if (asOfOption !== undefined && !isIsoDate(asOfOption))
    throw new CliUsageError('--as-of must be YYYY-MM-DD');
  const unknownOfficer = stringOption(ctx, 'unknown-officer') ?? 'reject';
  if (unknownOfficer !== 'reject' && unknownOfficer !== 'warn')
    throw new CliUsageError('--unknown-officer must be reject or warn');
  const maxIssues = Number(stringOption(ctx, 'max-issues') ?? '20');
  if (!Number.isInteger(maxIssues) || maxIssues < 0)
    throw new CliUsageError('--max-issues must be a whole number');
  const mappingFile = stringOption(ctx, 'mapping');
  const saved = mappingFile ? await loadSavedMapping(mappingFile) : null;

  try {
    const inspection = await inspectPortfolio(file, {
      readOptions: {
        ...(saved?.encoding ? { encoding: saved.encoding } : {}),
        ...(saved?.delimiter ? { delimiter: saved.delimiter } : {}),
        ...(saved?.sheet ? { sheet: saved.sheet } : {}),
      },
      sampleSize: 0,
    });
    const meta = inspection.meta;
    ctx.io.out(
      say(lang, 'reading', {
        file: meta.fileName,
        format: meta.format,
        encoding: meta.encoding ?? meta.sheet ?? '',
      }),
    );
    // A mapping the user named is used even if it does not fit: the preview then says which columns are missing.
    const mapping = saved ? mappingFromSaved(saved) : inspection.mapping;
    ctx.io.out(
      say(lang, 'mapping', {
        mapped: Object.entries(mapping.columns)
          .map(([field, header]) => `${header}→${field}`)
          .join(', '),
      }),
    );
    let asOfDate: IsoDate;
    if (asOfOption) asOfDate = asOfOption;
    else if (inspection.suggestedAsOfDate) asOfDate = inspection.suggestedAsOfDate;
    else {
      asOfDate = businessDate(ctx.now(), branch.timezone);
      ctx.io.out(say(lang, 'asOfToday', { date: asOfDate }));
    }
    ctx.io.out(say(lang, 'asOf', { date: asOfDate }));

    const officers = await branchOfficers(ctx, branch.id);
    const validating = progressPrinter(ctx, lang, 'validating', 0);
    const preview = await previewPortfolio(file, {
      mapping,
      context: {
        asOfDate,
        officers: officers.refs,
        unknownOfficer: unknownOfficer === 'warn' ? 'warning' : 'error',
      },
      readOptions: inspection.readOptions,
      sampleSize: 0,
      onProgress: (p) => validating(p.rows),
    });
    printReport(ctx, lang, preview, maxIssues);
    if (!preview.canImport)
      throw new ServerError('invalid_argument', say(lang, 'fileIssues').replace(/[:：]$/, ''));
    if (preview.report.rejectedRows > 0 && !flag(ctx, 'valid-only')) {
      throw new ServerError(
        'invalid_argument',
        say(lang, 'refuse', { n: preview.report.rejectedRows, valid: preview.report.validRows }),
      );
    }
    if (flag(ctx, 'dry-run')) {
      ctx.io.out(say(lang, 'dryRun'));
      return;
    }
    const writing = progressPrinter(ctx, lang, 'writing', preview.report.totalRows);
    const result = await writePortfolioImport(ctx.db, file, preview, {
      branchId: branch.id,
      assignedBy: ctx.actor,
      full: flag(ctx, 'full'),
      officerIds: officers.ids,
      now: ctx.now(),
      onProgress: (p) => writing(p.rowsRead),
    });
    printResult(ctx, lang, result);
  } catch (err) {
    if (err instanceof PortfolioReadError) {
      throw new ServerError(
        'invalid_argument',
        formatReadError(err.reason, err.params as Record<string, string | number>, lang),
      );
    }
    throw err;
  }
}

export const importPortfolioCommand: CliCommand = {
  name: 'import-portfolio',
  summary: 'import a core banking portfolio file (CSV, TSV, XLSX): all valid rows or nothing',
  details: [
    'Reads the file (encoding, delimiter and header row detected), maps its columns (Chinese and',
    'English header names are recognised; --mapping pins a saved mapping), validates every row and',
    'prints the report. Nothing is written when a row is rejected, unless --valid-only. All rows are',
    'then written in ONE transaction: a failure or a killed process leaves the database unchanged.',
    'Re-importing a loan number updates its snapshot for the file date; field history is kept.',
    'With --full, active loans of the branch that the file does not list are closed (not deleted).',
    'Cases are opened for delinquent loans (days past due or arrears > 0) and assigned to the officer',
    'whose username is the file’s officer code (or whose name is in that column).',
    'A first load (20,000 rows or more, at least twice the loans the server holds) checks the',
    'references between the new rows once, at the end, and locks the portfolio tables until it',
    'commits: devices syncing meanwhile wait for it.',
  ],
  options: {
    branch: {
      type: 'string',
      placeholder: 'CODE',
      description: 'branch the portfolio belongs to',
      required: true,
    },
    'as-of': {
      type: 'string',
      placeholder: 'YYYY-MM-DD',
      description:
        'the date the balances are as of (default: the date in the file title or name, else today)',
    },
    mapping: {
      type: 'string',
      placeholder: 'FILE.json',
      description: 'a saved column mapping (the desktop app saves them)',
    },
    full: {
      type: 'boolean',
      description: 'the file is the whole portfolio: close active loans it does not list',
    },
    'valid-only': {
      type: 'boolean',
      description: 'import the valid rows even when some rows are rejected',
    },
    'unknown-officer': {
      type: 'string',
      placeholder: 'reject|warn',
      description:
        'an officer code that is no user: reject the row (default) or import it unassigned',
    },
    'dry-run': { type: 'boolean', description: 'validate and print the report; write nothing' },
    lang: {
      type: 'string',
      placeholder: 'zh|en',
      description: 'language of the report (default en)',
    },
    'max-issues': {
      type: 'string',
      placeholder: 'N',
      description: 'print at most N row issues (default 20)',
    },
  },
  positionals: 'FILE',
  run: runImport,
};
