import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { isSuppressed, readSuppressions } from '../../core/analysis/suppressions';
import { lintMigrationHistory, type Runner } from '../../core/migration/lint';
import { emptySchema, type SchemaModel } from '../../core/model/schema';
import type { AnalysisResult } from '../../core/project';
import { loadPrismaSchema } from '../../core/schema/prisma/loadPrismaSchema';
import { listFiles, MAX_FILE_BYTES, readText } from '../../core/workspace/files';
import { initSqlParser } from '../../core/sql/parser';
import { toJsonReport } from '../format/json';
import { displayPath } from '../format/paths';
import { toSarif } from '../format/sarif';
import { type Command, type Out, formatOf, UsageError } from '../io';
import { VERSION } from '../version';
import { existing, formatOption, type OptionSpecs } from '../options';

type Skipped = { file: string; reason: string }[];

/**
 * The .sql files under `paths` (a file named on the command line is taken whatever its name), found
 * and read as `check` finds and reads a workspace's files: each file once however many links lead to
 * it, FIFOs and devices, files over MAX_FILE_BYTES and unreadable folders skipped (into `skipped`),
 * hidden folders and node_modules left out.
 */
function sqlFiles(paths: string[], skipped: Skipped): string[] {
  const listing = listFiles(paths, process.cwd(), [], { accept: (f, named) => named || /\.sql$/i.test(f), skipHidden: true, maxBytes: MAX_FILE_BYTES });
  skipped.push(...listing.skipped);
  return listing.files;
}

const FORMATS = ['text', 'json', 'sarif'] as const;

const OPTIONS = {
  schema: {
    type: 'string',
    multiple: true,
    value: 'migrations dir|schema.prisma',
    description: 'The schema before the linted migrations: the migrations that ran before them, or a schema.prisma (repeatable).',
  },
  runner: {
    type: 'string',
    value: 'prisma|single-query|statements',
    description: 'How the migrations are run, which decides the transaction each statement is in (default: per file, from its "-- pg-index-review: runner=…" comment or its layout).',
  },
  ...formatOption(FORMATS),
  'no-fixes': { type: 'boolean', description: 'Text format: do not print the fix under each finding.' },
} as const satisfies OptionSpecs;

async function lint(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  const runner = values.runner as Runner | undefined;
  if (runner && !['prisma', 'single-query', 'statements'].includes(runner)) throw new UsageError('--runner must be prisma, single-query or statements');
  if (!positionals.length) throw new UsageError('lint takes the migration files or folders to check');
  await initSqlParser();
  // What was passed over: of the paths to lint, and of the --schema history.
  const skippedNamed: Skipped = [];
  const skippedHistory: Skipped = [];
  const named = sqlFiles(existing(positionals, 'path'), skippedNamed);
  const history: string[] = [];
  let schemaBefore: SchemaModel | undefined;
  for (const s of values.schema ? existing(values.schema, 'schema') : []) {
    if (/\.prisma$/.test(s)) {
      const [file] = listFiles([s], process.cwd(), [], { accept: () => true }).files;
      const problems: Skipped = [];
      const text = file === undefined ? undefined : readText(file, problems);
      if (text === undefined) throw new UsageError(`--schema ${s}: cannot read it (${problems[0]?.reason ?? 'not a regular file'})`);
      schemaBefore = loadPrismaSchema(text, path.resolve(s)).schema;
    } else history.push(...sqlFiles([s], skippedHistory));
  }
  // Binary files (and files that became unreadable) are skipped here, as `check` skips them.
  const texts = new Map<string, string>();
  const namedSet = new Set(named);
  for (const file of new Set([...history, ...named])) {
    const text = readText(file, namedSet.has(file) ? skippedNamed : skippedHistory);
    if (text !== undefined) texts.set(file, text);
  }
  const targets = named.filter((f) => texts.has(f));
  const skipped = [...skippedNamed, ...skippedHistory];
  const targetSet = new Set(targets);
  const files = [...texts].map(([file, text]) => ({ file, text }));
  const { findings: all, files: walked } = lintMigrationHistory(files, { schemaBefore: history.length ? undefined : (schemaBefore ?? emptySchema()), runner, report: (f) => targetSet.has(f), parseErrors: true });
  // `-- pg-index-review-ignore …` comments work here as in `check`.
  const byFile = new Map(walked.map((f) => [f.file, { f, s: readSuppressions(f.text, f.lines) }]));
  const findings = all.filter((x) => {
    const e = byFile.get(x.file);
    return !e || !isSuppressed(x, e.s, x.statement ? [e.f.lines.position(x.statement.start).line] : []);
  });
  const result: AnalysisResult = {
    findings,
    verdicts: [],
    verdictsIn: () => [],
    schema: walked[walked.length - 1]?.after ?? emptySchema(),
    stats: { files: targets.length, queries: 0, tables: 0, indexes: 0, skipped, schemaSkipped: [], schemaSources: [...history, ...(values.schema ?? []).filter((s) => s.endsWith('.prisma'))] },
  };
  if (format === 'json') out.write(`${JSON.stringify({ ...toJsonReport(result), runners: walked.filter((f) => f.report).map((f) => ({ file: displayPath(f.file), runner: f.runner, reason: f.runnerReason, role: f.role })) }, null, 2)}\n`);
  else if (format === 'sarif') {
    out.write(`${JSON.stringify(toSarif(result, VERSION), null, 2)}\n`);
    for (const sk of skipped) err.write(`pg-index-review: skipped ${displayPath(sk.file)}: ${sk.reason}\n`);
  } else {
    const lines: string[] = [];
    for (const f of walked.filter((x) => x.report)) lines.push(`${displayPath(f.file)}: ${f.role}${f.rollbackOf ? ` of ${f.rollbackOf.name}` : ''}, ${f.statements.length} statements, runner ${f.runner} (${f.runnerReason})`);
    for (const f of findings) {
      lines.push(`${displayPath(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}${f.sqlstate ? ` [${f.sqlstate}]` : ''}`);
      if (!values['no-fixes'] && f.fix?.sql) for (const l of f.fix.sql.split(/\r\n|\r|\n/)) lines.push(`    fix: ${l}`);
    }
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${count('error')} error, ${count('warning')} warning, ${count('info') + count('hint')} info) in ${targets.length} file${targets.length === 1 ? '' : 's'}.`);
    for (const sk of skipped) lines.push(`skipped ${displayPath(sk.file)}: ${sk.reason}`);
    out.write(`${lines.join('\n')}\n`);
  }
  if (!targets.length && skippedNamed.length) {
    // Every file to lint was passed over: nothing was linted, which is not a clean result.
    err.write(`pg-index-review: nothing to lint: ${skippedNamed.map((sk) => `${displayPath(sk.file)}: ${sk.reason}`).join('; ')}\n`);
    return 2;
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export const lintCommand: Command = {
  name: 'lint',
  usage: 'pg-index-review lint <migration.sql|dir>… [--schema <migrations dir|schema.prisma>]… [--runner prisma|single-query|statements] [--format text|json|sarif] [--no-fixes]',
  summary:
    'Lints SQL migrations against the schema at each point of the history: missing CONCURRENTLY, statements that cannot run in the transaction the runner opens, columns that do not exist after case folding, duplicate and prefix indexes, missing IF [NOT] EXISTS, lock_timeout and statement_timeout, table rewrites, locks held across slow statements, rollbacks that do not restore the index set, statements PostgreSQL cannot parse. Files over 2 MB, FIFOs, devices and binary files are skipped and listed as skipped. Exit code 1 when a statement would fail or does not parse, 2 when nothing given could be read.',
  options: OPTIONS,
  run: (args, io) => lint(args, io.out, io.err),
};
