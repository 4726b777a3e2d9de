import { parseArgs } from 'node:util';
import { openSession } from '../../core/db/connection';
import { loadLiveSchema } from '../../core/db/liveSchema';
import { Project } from '../../core/project';
import { formatText } from '../format/text';
import { toJsonReport } from '../format/json';
import { toSarif } from '../format/sarif';
import { type Command, type Out, formatOf, noSchemaFound, UsageError } from '../io';
import { databaseOption, existing, formatOption, type OptionSpecs, SCHEMA_OPTION, WORKSPACE_OPTIONS } from '../options';
import { VERSION } from '../version';
import { findWorkspaceRoot } from '../../core/workspace/root';
import { MAX_REQUESTED_THREADS, MIN_PARALLEL_CHARS } from '../../core/workspace/extractPool';
import { displayPath } from '../format/paths';

const FORMATS = ['text', 'json', 'sarif'] as const;

const OPTIONS = {
  ...SCHEMA_OPTION,
  ...formatOption(FORMATS),
  ...WORKSPACE_OPTIONS,
  quiet: { type: 'boolean', description: 'Leave out parse-error findings.' },
  'no-fixes': { type: 'boolean', description: 'Text format: do not print the fix (SQL, Prisma attribute) under each finding.' },
  color: { type: 'boolean', description: 'Text format: color the severities.' },
  database: { type: 'string', value: 'url', description: 'Read the live database as the schema source (indexes, row estimates, statistics, index usage).' },
  threads: {
    type: 'string',
    value: 'N|auto',
    description: `Extraction threads besides the main one, 0 to ${MAX_REQUESTED_THREADS} (default 0); none while the query files hold less than 1 MB, where loading a thread costs more than it saves. auto: one per further core, up to 3, from 1 MB.`,
  },
} as const satisfies OptionSpecs;

async function check(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  const database = databaseOption(values.database);
  const paths = existing(positionals.length ? positionals : ['.'], 'path');
  const schema = values.schema ? existing(values.schema, 'schema') : undefined;
  const root = findWorkspaceRoot(paths[0]);
  const threads = extractionThreads(values.threads);
  // As with `auto`, a workspace with less query text is extracted on the main thread alone: loading threads costs more than it saves.
  const project = await Project.open(root, { paths, schema, rows: values.rows, configFile: values.config, threads, minParallelChars: MIN_PARALLEL_CHARS });
  if (database) await useDatabase(project, database, err);
  const result = project.analyze();
  if (noSchemaFound(result, root, err)) return 2;
  const notRead = result.stats.schemaSkipped.map((s) => `  not read: ${displayPath(s.file)}: ${s.reason}\n`).join('');
  if (notRead && format === 'text') err.write(`pg-index-review: schema sources not read:\n${notRead}`);
  if (values.quiet) result.findings = result.findings.filter((f) => f.rule !== 'parse-error');
  if (format === 'json') out.write(`${JSON.stringify(toJsonReport(result), null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(toSarif(result, VERSION), null, 2)}\n`);
  else out.write(`${formatText(result, { color: values.color ?? false, showFixes: !values['no-fixes'] })}\n`);
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** --threads: `auto` (the core decides), else N (0 to MAX_REQUESTED_THREADS; a usage error otherwise). */
export function extractionThreads(value: string | undefined): number | 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  if (!/^\d+$/.test(value.trim()) || Number(value) > MAX_REQUESTED_THREADS) {
    throw new UsageError(`--threads must be auto or a whole number from 0 to ${MAX_REQUESTED_THREADS}, got "${value}"`);
  }
  return Number(value);
}

/**
 * --database: the live database becomes the index set (with its row estimates, statistics and index
 * usage). When it can't be read, the static analysis still runs and the reason goes to stderr.
 */
async function useDatabase(project: Project, url: string, err: Out): Promise<void> {
  try {
    const session = await openSession(url);
    try {
      project.useLiveSchema(await loadLiveSchema(session));
    } finally {
      await session.close();
    }
  } catch (e) {
    err.write(`pg-index-review: could not read the database (${(e as Error).message}); checking against the workspace schema only\n`);
  }
}

export const checkCommand: Command = {
  name: 'check',
  usage: `pg-index-review check [path…] [--schema <schema.prisma|migrations dir>]… [--format text|json|sarif]
                      [--rows table=N]… [--config file] [--quiet] [--no-fixes] [--database <url>]
                      [--threads N|auto]`,
  summary:
    `Finds queries without a usable index, redundant and low-selectivity indexes, and drift between schema.prisma and migrations. Exit code 0: no errors, 1: findings at error level, 2: usage or input error. --threads: extraction threads besides the main one (default 0; N: up to ${MAX_REQUESTED_THREADS}; auto: one per further core, up to 3; none for less than 1 MB of query files).`,
  options: OPTIONS,
  run: (args, io) => check(args, io.out, io.err),
};
