import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findDatabaseUrl, openSession, type Session } from '../../core/db/connection';
import { closeEmbeddedDatabase, getEmbeddedDatabase } from '../../core/db/embedded/pglite';
import { explainStatement, renderExplain, StatementError, type ExplainResult } from '../../core/db/explain';
import { Project } from '../../core/project';
import { findWorkspaceRoot } from '../../core/workspace/root';
import { type Command, type Out, databaseFailure, formatOf, UsageError } from '../io';
import { databaseOption, formatOption, type OptionSpecs, TARGET_OPTIONS, WORKSPACE_OPTIONS } from '../options';
import { endProcessAfter } from '../watchdog';

/** The SQL statement of `file` that covers 1-based `line`. */
async function statementAt(file: string, line: number, project: Project): Promise<string> {
  const abs = path.resolve(file);
  const shapes = project.shapes().filter((s) => s.location.file === abs && s.location.range.start.line <= line - 1 && line - 1 <= s.location.range.end.line);
  const sql = shapes.find((s) => s.origin !== 'prisma');
  if (sql) return sql.text;
  if (shapes.length) throw new UsageError(`${file}:${line} is a Prisma Client call (${shapes[0].label}): it has no SQL text to explain`);
  throw new UsageError(`no SQL statement at ${file}:${line}`);
}

export interface Target {
  session: Session;
  /** How it was chosen, for the first line of the output. */
  source: string;
  close(): Promise<void>;
  /** The embedded database's limit for one statement, which it can't enforce itself (a server's is its statement_timeout). */
  timeoutMs?: number;
}

/** The embedded database's limit without --timeout: a server session's statement_timeout (see openSession). */
const EMBEDDED_TIMEOUT_MS = 5_000;

/** --database, else DATABASE_URL (environment, .env, prisma/.env), else the embedded database for the workspace. */
export async function openTarget(root: string, values: { database?: string; embedded?: boolean; timeout?: string; scale?: string }, project: () => Promise<Project>): Promise<Target> {
  const database = databaseOption(values.database);
  const found = values.embedded ? undefined : findDatabaseUrl(root, database);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout must be a number of milliseconds');
  if (found) {
    const session = await openSession(found.url, { statementTimeoutMs: timeout });
    return { session, source: found.source === 'configuration' ? '--database' : found.source, close: () => session.close() };
  }
  const p = await project();
  if (!p.migrationFiles().length) throw new UsageError(`no database configured (--database, DATABASE_URL) and no migrations under ${root} to build the embedded database from`);
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (scale !== undefined && !(scale > 0 && scale <= 1)) throw new UsageError('--scale must be a fraction of the configured rows, in (0, 1]');
  const db = await getEmbeddedDatabase(p, scale === undefined ? {} : { scale });
  return { session: db.session, source: 'embedded database', close: () => closeEmbeddedDatabase(), timeoutMs: timeout ?? EMBEDDED_TIMEOUT_MS };
}

function toJson(r: ExplainResult): unknown {
  return {
    version: 1,
    target: r.target,
    embedded: r.embedded,
    serverVersion: r.serverVersion,
    analyzed: r.analyzed,
    generic: r.generic ?? null,
    transaction: r.transaction,
    writes: r.writes,
    notes: r.notes,
    chosenIndex: r.chosenIndex ?? null,
    indexes: r.summary.indexes,
    seqScans: r.summary.seqScans,
    expensive: r.summary.flagged.flatMap((n) => n.flags.map((f) => ({ kind: f.kind, node: n.nodeType, relation: n.relation ?? null, message: f.message }))),
    totalCost: r.summary.totalCost,
    planningMs: r.summary.planningMs ?? null,
    executionMs: r.summary.executionMs ?? null,
    plan: r.plan,
    raw: r.raw,
  };
}

const FORMATS = ['text', 'json'] as const;

const OPTIONS = {
  file: { type: 'string', value: 'file', description: 'Explain the statement of this .sql file, or the SQL embedded in this .ts file, at --line.' },
  line: { type: 'string', value: 'n', description: 'The 1-based line of --file the statement is on.' },
  ...TARGET_OPTIONS,
  analyze: { type: 'boolean', description: 'Run the statement (EXPLAIN ANALYZE): read-only, or in a transaction that is rolled back.' },
  param: { type: 'string', multiple: true, value: 'value', description: 'Value for $1, $2, … in order (repeatable); without them the generic plan is shown.' },
  ...formatOption(FORMATS, '; json adds the raw EXPLAIN JSON'),
  ...WORKSPACE_OPTIONS,
} as const satisfies OptionSpecs;

async function explain(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  databaseOption(values.database);
  if (values.file ? positionals.length > 0 : positionals.length !== 1) throw new UsageError('explain takes one SQL string, or --file <file> --line <n>');
  if (values.file && !values.line) throw new UsageError('--file needs --line <n>');
  if (values.file && !fs.existsSync(values.file)) throw new UsageError(`file not found: ${values.file}`);
  const line = values.line === undefined ? undefined : Number(values.line);
  if (line !== undefined && !(Number.isInteger(line) && line > 0)) throw new UsageError('--line must be a line number (1, 2, …)');
  const root = findWorkspaceRoot(values.file ?? process.cwd());
  let opened: Project | undefined;
  const project = async () => (opened ??= await Project.open(root, { paths: values.file ? [values.file] : undefined, rows: values.rows, configFile: values.config }));
  const sql = values.file ? await statementAt(values.file, line!, await project()) : positionals[0];
  let target: Target | undefined;
  try {
    target = await openTarget(root, values, project);
    // PGlite can't cancel a statement: past the limit the process ends (see endProcessAfter).
    const limit = target.timeoutMs === undefined ? undefined : endProcessAfter(target.timeoutMs, `pg-index-review: the statement ran past ${target.timeoutMs} ms (--timeout) on the embedded database, which can't cancel it: stopped\n`);
    let result: ExplainResult;
    try {
      result = await explainStatement(target.session, sql, { analyze: values.analyze, params: values.param });
    } finally {
      await limit?.stop();
    }
    if (format === 'json') out.write(`${JSON.stringify(toJson(result), null, 2)}\n`);
    else out.write(`${renderExplain(result)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof StatementError) throw new UsageError(e.message);
    return databaseFailure(e, err);
  } finally {
    await target?.close();
  }
}

export const explainCommand: Command = {
  name: 'explain',
  usage: `pg-index-review explain "<sql>" | --file <file> --line <n>  [--database <url> | --embedded] [--analyze] [--param <value>]…
                        [--format text|json] [--rows table=N]… [--config file] [--timeout ms] [--scale 0.01]`,
  summary:
    "Runs EXPLAIN on a database: --database, else DATABASE_URL (environment, .env, prisma/.env), else an embedded PostgreSQL (PGlite) loaded with the workspace's migrations and synthetic rows (--scale of the configured row counts, default 1/100). Statements with $1…$n get their generic plan. --analyze runs the statement: reads in a READ ONLY transaction, anything that can write inside a transaction that is rolled back (and the output says so). Prints the plan tree, the index chosen and the expensive nodes. Exit code 0: explained, 1: the database could not be reached or refused the statement, 2: usage or input error.",
  options: OPTIONS,
  run: (args, io) => explain(args, io.out, io.err),
};
