import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { findDatabaseUrl } from '../../core/db/connection';
import { applyMigration, type ApplyEvent, type ApplyResult, formatBytes, type StepPreview } from '../../core/migration/apply';
import { durationMs, durationProblem } from '../../core/migration/generate';
import { initSqlParser } from '../../core/sql/parser';
import { displayPath } from '../format/paths';
import { type Command, type Out, formatOf, UsageError } from '../io';
import { databaseOption, formatOption, type OptionSpecs } from '../options';
import { VERSION } from '../version';

function previewText(steps: StepPreview[], target: string): string {
  const lines = [`Dry run on ${target}:`];
  for (const s of steps) {
    const sql = s.sql.replace(/\s+/g, ' ');
    lines.push(`  [${s.ordinal + 1}] line ${s.line}${s.action === 'skip' ? ' (skip: done earlier)' : ''}: ${sql.length > 150 ? `${sql.slice(0, 147)}…` : sql}`);
    const facts: string[] = [];
    if (s.table) facts.push(`table "${s.table}"${s.tableBytes !== undefined ? ` ${formatBytes(s.tableBytes)}, ~${s.tableRows} rows` : ' (not there yet)'}`);
    if (s.lock) facts.push(`lock ${s.lock} (${s.lockEffect})`);
    if (s.heldBy?.length) facts.push(`other sessions hold ${s.heldBy.join(', ')} on it now`);
    if (s.index) facts.push(`index "${s.index}": ${s.indexState === 'absent' ? 'does not exist' : `${s.indexState}, ${formatBytes(s.indexBytes)}`}`);
    if (facts.length) lines.push(`      ${facts.join('; ')}`);
    if (s.changed) lines.push(`      runs as written but ${s.changed}`);
    if (s.note) lines.push(`      note: ${s.note}`);
  }
  return lines.join('\n');
}

function eventText(e: ApplyEvent): string | undefined {
  switch (e.type) {
    case 'start':
      return `Applying ${e.total - e.resumeFrom} statement${e.total - e.resumeFrom === 1 ? '' : 's'}${e.resumeFrom ? ` (resuming after statement ${e.resumeFrom})` : ''}:`;
    case 'step-start':
      return `  [${e.step.ordinal + 1}] ${e.step.runAs.replace(/\s+/g, ' ').slice(0, 120)}`;
    case 'progress': {
      const p = e.progress;
      const pct = p.blocksTotal ? ` ${Math.round((100 * p.blocksDone) / p.blocksTotal)}% of blocks` : p.tuplesTotal ? ` ${Math.round((100 * p.tuplesDone) / p.tuplesTotal)}% of tuples` : '';
      const lockers = p.lockersTotal ? ` (waiting for ${p.lockersTotal - p.lockersDone} of ${p.lockersTotal} transactions)` : '';
      return `      … ${p.phase}${pct}${lockers}`;
    }
    case 'step-done':
      return `      done in ${e.ms} ms`;
    case 'cleanup':
      return e.dropped ? `      dropped INVALID index "${e.index}" (left by a failed build)` : `      could not drop INVALID index "${e.index}": ${e.error}`;
    default:
      return undefined;
  }
}

async function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
  }
}

function resultText(r: ApplyResult): string {
  const lines = [r.message];
  if (r.status === 'failed' || r.status === 'cancelled') {
    for (const s of r.steps) if (s.status !== 'not-run') lines.push(`  [${s.ordinal + 1}] ${s.status}: ${s.sql.replace(/\s+/g, ' ').slice(0, 100)}`);
  }
  return lines.join('\n');
}

/**
 * Milliseconds of --lock-timeout / --statement-timeout: a PostgreSQL duration (as `migration` takes:
 * a number with an optional unit us, ms, s, min, h or d), more than 0 — apply never runs a statement
 * without a bound on its wait. A usage error otherwise.
 */
function timeoutOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const problem = durationProblem(option, value);
  if (problem) throw new UsageError(problem);
  const ms = Math.round(durationMs(value)!);
  if (ms < 1) throw new UsageError(`${option} must be more than 0 (apply always bounds each statement), got "${value}"`);
  return ms;
}

const FORMATS = ['text', 'json'] as const;

const OPTIONS = {
  database: { type: 'string', value: 'url', description: 'PostgreSQL connection string (default: DATABASE_URL from the environment, .env or prisma/.env).' },
  'dry-run': { type: 'boolean', description: 'Only show what would run: statements, tables, locks, sizes.' },
  yes: { type: 'boolean', description: 'Apply without asking (needed when not in a terminal).' },
  confirm: { type: 'string', value: 'dbname', description: 'The database\'s name, required when it looks like production.' },
  'allow-database': { type: 'string', multiple: true, value: 'name', description: 'A database name that is not production, whatever it looks like (repeatable).' },
  prisma: { type: 'boolean', description: 'Also record the migration in _prisma_migrations.' },
  'lock-timeout': { type: 'string', value: 'duration', description: 'lock_timeout for each statement: a number with an optional unit us, ms, s, min, h or d, more than 0 (default 5s).' },
  'statement-timeout': { type: 'string', value: 'duration', description: 'statement_timeout for each statement, a duration like --lock-timeout (default 1h, or the file\'s own SET statement_timeout when higher).' },
  'keep-as-written': { type: 'boolean', description: 'Run index statements as written, without adding CONCURRENTLY.' },
  restart: { type: 'boolean', description: 'Start from the first statement even when an earlier run of another version of the file stopped half-way.' },
  ...formatOption(FORMATS),
} as const satisfies OptionSpecs;

async function apply(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  if (positionals.length !== 1) throw new UsageError('apply takes one migration file');
  const file = path.resolve(positionals[0]);
  if (!fs.existsSync(file)) throw new UsageError(`migration not found: ${positionals[0]}`);
  // Like the rest of the product: --database, else DATABASE_URL in the environment, else the .env / prisma/.env
  // of the current folder or of the workspace holding the migration (its folder and the folders above it).
  let found = findDatabaseUrl(process.cwd(), databaseOption(values.database));
  for (let d = path.dirname(file); !found && d !== path.dirname(d); d = path.dirname(d)) found = findDatabaseUrl(d, undefined, {});
  if (!found) throw new UsageError('no database: pass --database <url>, or set DATABASE_URL (environment, .env or prisma/.env)');
  const lockTimeoutMs = timeoutOption('--lock-timeout', values['lock-timeout']);
  const statementTimeoutMs = timeoutOption('--statement-timeout', values['statement-timeout']);
  await initSqlParser();
  const allowed = [...(values['allow-database'] ?? []), ...(process.env.PG_INDEX_REVIEW_ALLOWED_DATABASES ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
  const common = {
    file,
    text: fs.readFileSync(file, 'utf8'),
    url: found.url,
    allowedDatabases: allowed,
    confirm: values.confirm,
    lockTimeoutMs,
    statementTimeoutMs,
    prisma: values.prisma,
    addConcurrently: !values['keep-as-written'],
    restart: values.restart,
    toolVersion: VERSION,
  };
  const text = format === 'text';
  // Always the dry run first.
  const preview = await applyMigration({ ...common, dryRun: true });
  if (text) out.write(`Database: ${preview.target} (connection string from ${found.source})\n`);
  if (text && preview.preview) out.write(`${previewText(preview.preview, preview.target)}\n`);
  if (preview.status !== 'dry-run' || values['dry-run']) {
    if (text) out.write(`${preview.message}\n`);
    else out.write(`${JSON.stringify(preview, null, 2)}\n`);
    return preview.status === 'refused' ? 1 : 0;
  }
  if (!values.yes) {
    if (!process.stdin.isTTY) {
      err.write(`pg-index-review: not applied: confirm with --yes (or run in a terminal to be asked)\n`);
      return 1;
    }
    const answer = await ask(`Apply ${displayPath(file)} to ${preview.target}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      out.write('not applied\n');
      return 1;
    }
  }
  const controller = new AbortController();
  const onSigint = () => {
    err.write('\ncancelling the running statement…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const r = await applyMigration({ ...common, signal: controller.signal, onEvent: text ? (e) => {
      const line = e.type === 'preview' ? undefined : eventText(e);
      if (line) out.write(`${line}\n`);
    } : undefined });
    if (text) out.write(`${resultText(r)}\n`);
    else out.write(`${JSON.stringify(r, null, 2)}\n`);
    return r.status === 'applied' || r.status === 'already-applied' ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export const applyCommand: Command = {
  name: 'apply',
  usage: `pg-index-review apply <migration.sql> [--database <url>] [--dry-run] [--yes] [--confirm <dbname>] [--allow-database <name>]…
                      [--prisma] [--lock-timeout 5s] [--statement-timeout 1h] [--keep-as-written] [--restart] [--format text|json]`,
  summary:
    'Applies a migration to a live database safely: shows a dry run first (statement, table, lock level, sizes, whether the index exists), then runs one statement at a time outside a transaction (CONCURRENTLY added to index statements) with lock_timeout/statement_timeout and build progress; on failure or Ctrl-C stops, drops INVALID indexes left by the failed build and says which statements ran; records the migration in index_review.applied_migrations (a second run is a no-op, a failed run resumes). Databases whose name or host looks like production need --confirm <dbname>. Exit code 0: applied or already applied.',
  options: OPTIONS,
  run: (args, io) => apply(args, io.out, io.err),
};
