import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findDatabaseUrl, openSession, redactUrl } from '../../core/db/connection';
import { Project } from '../../core/project';
import { buildHealthReport, type HealthReport } from '../../core/report/healthReport';
import { renderReportHtml } from '../../core/report/render/html';
import { renderReportMarkdown } from '../../core/report/render/markdown';
import { renderReportText } from '../../core/report/render/text';
import { rel } from '../../core/report/render/format';
import { findWorkspaceRoot } from '../../core/workspace/root';
import { type Command, type Out, databaseFailure, formatOf, UsageError } from '../io';
import { databaseOption, existing, formatOption, type OptionSpecs, SCHEMA_OPTION, WORKSPACE_OPTIONS } from '../options';

/** `60s`, `2m`, `500ms`, `1500` (ms). */
function duration(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min)?$/.exec(v.trim());
  if (!m) throw new UsageError(`${flag} expects a duration such as 60s, 2m or 500ms`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' || m[2] === 'min' ? n * 60_000 : n;
}

/** The report as JSON, paths relative to `base` (forward slashes). */
export function reportJson(r: HealthReport, base: string): string {
  return JSON.stringify(r, (k, v) => ((k === 'file' || k === 'root') && typeof v === 'string' && path.isAbsolute(v) ? rel(v, base) || '.' : v), 2);
}

const FORMATS = ['text', 'json', 'html', 'md'] as const;

const OPTIONS = {
  database: { type: 'string', value: 'url', description: 'PostgreSQL connection string (default: DATABASE_URL from the environment, .env or prisma/.env).' },
  ...formatOption(FORMATS, ", or from --out's extension"),
  out: { type: 'string', short: 'o', value: 'file', description: 'Write the report to this file instead of stdout.' },
  'long-running': { type: 'string', value: 'duration', description: 'Sessions active for longer than this are listed (default 60s).' },
  'unused-days': { type: 'string', value: 'N', description: 'Days of index usage statistics needed before an index is called unused (default: unusedIndexMinDays of the config, else 30).' },
  ...SCHEMA_OPTION,
  ...WORKSPACE_OPTIONS,
  timeout: { type: 'string', value: 'duration', description: 'Statement timeout for the report\'s queries (default 30s).' },
} as const satisfies OptionSpecs;

async function report(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format ?? (values.out ? formatFromExtension(values.out) : undefined), FORMATS);
  const paths = existing(positionals.length ? positionals : ['.'], 'path');
  const schema = values.schema ? existing(values.schema, 'schema') : undefined;
  const longRunningMs = duration(values['long-running'], '--long-running');
  const unusedDays = values['unused-days'] === undefined ? undefined : Number(values['unused-days']);
  if (unusedDays !== undefined && !(unusedDays >= 0)) throw new UsageError('--unused-days must be a number of days');
  const timeout = duration(values.timeout, '--timeout');
  const root = findWorkspaceRoot(paths[0]);
  const found = findDatabaseUrl(root, databaseOption(values.database));
  if (!found) throw new UsageError('report needs a database: --database <url>, or DATABASE_URL in the environment, .env or prisma/.env');
  const project = await Project.open(root, { paths, schema, rows: values.rows, configFile: values.config });
  let session;
  try {
    session = await openSession(found.url, { statementTimeoutMs: timeout ?? 30_000 });
  } catch (e) {
    err.write(`pg-index-review: could not connect to ${redactUrl(found.url)}: ${(e as Error).message}\n`);
    return 1;
  }
  let r: HealthReport;
  try {
    r = await buildHealthReport(project, session, { longRunningMs, unusedIndexMinDays: unusedDays });
  } catch (e) {
    return databaseFailure(e, err);
  } finally {
    await session.close();
  }
  const target = values.out ? path.resolve(values.out) : undefined;
  const base = target ? path.dirname(target) : process.cwd();
  const text =
    format === 'json'
      ? reportJson(r, base)
      : format === 'html'
        ? renderReportHtml(r, { mode: 'standalone', base, nonce: randomBytes(16).toString('base64') })
        : format === 'md'
          ? renderReportMarkdown(r, base)
          : renderReportText(r, base);
  if (target) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text.endsWith('\n') ? text : `${text}\n`);
    err.write(`pg-index-review: wrote ${rel(target, process.cwd())} (${format}, ${r.summary.tables} tables, ${r.summary.indexes} indexes, ${r.slowQueries.statements.length} statements) in ${r.timings.totalMs} ms\n`);
  } else out.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

function formatFromExtension(file: string): string | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.md' || ext === '.markdown' ? 'md' : ext === '.json' ? 'json' : undefined;
}

export const reportCommand: Command = {
  name: 'report',
  usage: `pg-index-review report [path] [--database <url>] [--format text|json|html|md] [--out file] [--long-running 60s]
                       [--unused-days N] [--schema …]… [--rows table=N]… [--config file] [--timeout 30s]`,
  summary:
    'Index health report from a live database: per table rows, sizes, seq vs index scans, vacuum/analyze, dead tuples and estimated bloat; per index size, scans, tuples, unused/invalid/redundant/low-selectivity verdicts and the workspace queries that use it; the slowest statements (pg_stat_statements) traced to the code that sends them; connections by state and application against max_connections; connection-pool advice. --out writes it to a file (format from the extension: .html, .md, .json), links relative to that file. The database comes from --database, else DATABASE_URL (environment, .env, prisma/.env). Exit code 0: written, 1: the database could not be read, 2: usage error.',
  options: OPTIONS,
  run: (args, io) => report(args, io.out, io.err),
};
