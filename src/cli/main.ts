#!/usr/bin/env node
/** `pg-index-review`: review a codebase's PostgreSQL queries against its indexes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { explainShape, type ExplainShapeResult } from '../core/analysis/explainShape';
import { Project } from '../core/project';
import { formatText } from './format/text';
import { toJsonReport } from './format/json';
import { toSarif } from './format/sarif';

export const VERSION = '0.1.0';

const USAGE = `Usage:
  pg-index-review check [path…] [--schema <schema.prisma|migrations dir>]… [--format text|json|sarif]
                        [--rows table=N]… [--config file] [--quiet] [--no-fixes]
  pg-index-review explain-shape "<sql>" [--schema …] [--rows table=N]… [--format text|json]
  pg-index-review --help | --version

check           Finds queries without a usable index, redundant and low-selectivity indexes,
                and drift between schema.prisma and migrations. Exit code 0: no errors,
                1: findings at error level, 2: usage or input error.
explain-shape   Prints the query shape of SQL and which index the planner can use.
`;

class UsageError extends Error {}

interface Out {
  write(s: string): void;
}

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  try {
    if (command === 'check') return await check(rest, out);
    if (command === 'explain-shape') return await explain(rest, out);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`pg-index-review: ${(e as Error).message}\n\n${USAGE}`);
    } else {
      err.write(`pg-index-review: ${(e as Error).message}\n`);
    }
    return 2;
  }
}

function formatOf(v: string | undefined, allowed: string[]): string {
  const f = v ?? 'text';
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}`);
  return f;
}

function existing(paths: string[], what: string): string[] {
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${what} not found: ${p}`);
  return paths;
}

async function check(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      schema: { type: 'string', multiple: true },
      format: { type: 'string' },
      rows: { type: 'string', multiple: true },
      config: { type: 'string' },
      quiet: { type: 'boolean' },
      'no-fixes': { type: 'boolean' },
      color: { type: 'boolean' },
    },
  });
  const format = formatOf(values.format, ['text', 'json', 'sarif']);
  const paths = existing(positionals.length ? positionals : ['.'], 'path');
  const schema = values.schema ? existing(values.schema, 'schema') : undefined;
  // The workspace root holds pg-index-review.json: the first folder given (or the folder of the first file).
  const first = path.resolve(paths[0]);
  const root = fs.statSync(first).isDirectory() ? first : path.dirname(first);
  const project = await Project.open(root, { paths, schema, rows: values.rows, configFile: values.config });
  const result = project.analyze();
  if (values.quiet) result.findings = result.findings.filter((f) => f.rule !== 'parse-error');
  if (format === 'json') out.write(`${JSON.stringify(toJsonReport(result), null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(toSarif(result, VERSION), null, 2)}\n`);
  else out.write(`${formatText(result, { color: values.color ?? false, showFixes: !values['no-fixes'] })}\n`);
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function explain(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      schema: { type: 'string', multiple: true },
      format: { type: 'string' },
      rows: { type: 'string', multiple: true },
      config: { type: 'string' },
    },
  });
  const format = formatOf(values.format, ['text', 'json']);
  if (positionals.length !== 1) throw new UsageError('explain-shape takes one SQL string');
  const schemaPaths = values.schema ? existing(values.schema, 'schema') : [];
  const root = schemaPaths.length ? schemaRoot(schemaPaths[0]) : process.cwd();
  const project = await Project.open(root, { paths: schemaPaths.length ? schemaPaths : [root], schema: schemaPaths.length ? schemaPaths : undefined, rows: values.rows, configFile: values.config });
  const result = explainShape(positionals[0], project.schema, project.config.matcher);
  if (format === 'json') out.write(`${JSON.stringify(result, null, 2)}\n`);
  else out.write(`${explainText(result)}\n`);
  return result.problems.length ? 1 : 0;
}

/** The workspace root for a schema path: the folder holding the `prisma/` folder, or the path's folder. */
function schemaRoot(p: string): string {
  let dir = path.resolve(p);
  if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'pg-index-review.json'))) return d;
  }
  return dir;
}

function explainText(r: ExplainShapeResult): string {
  const lines: string[] = [];
  for (const p of r.problems) lines.push(`error at ${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
  for (const s of r.statements) {
    lines.push(`${s.label} (line ${s.range.start.line + 1})`);
    for (const t of s.tables) {
      lines.push(`  ${t.table}${t.alias ? ` AS ${t.alias}` : ''}  ~${t.rows} rows${t.rowsAssumed ? ' (assumed)' : ''}`);
      if (t.filters.length) lines.push(`    filter:   ${t.filters.join(' AND ')}`);
      if (t.joinKeys.length) lines.push(`    join:     ${t.joinKeys.join(', ')}`);
      if (t.orderBy.length) lines.push(`    order by: ${t.orderBy.join(', ')}${t.limit !== null ? ` LIMIT ${t.limit === 'param' ? '$n' : t.limit}` : ''}`);
      lines.push(`    verdict:  ${t.index ? `index "${t.index}"` : 'no index'}${t.sortAvoided === null ? '' : t.sortAvoided ? ', no sort' : ', sorts'}${t.indexOnly ? ', index-only' : ''}`);
      lines.push(`    why:      ${t.reason}`);
      for (const c of t.candidates) lines.push(`      ${c.usable ? '+' : '-'} ${c.index}: ${c.reason}`);
      if (t.proposal) lines.push(`    propose (${t.proposal.severity}): ${t.proposal.sql.replace(/\n/g, ' ')}${t.proposal.prisma ? `  |  ${t.proposal.prisma}` : ''}`);
    }
  }
  return lines.join('\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`pg-index-review: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
