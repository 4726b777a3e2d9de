import { parseArgs } from 'node:util';
import { explainShape, type ExplainShapeResult } from '../../core/analysis/explainShape';
import { Project } from '../../core/project';
import { type Command, type Out, formatOf, UsageError } from '../io';
import { existing, formatOption, type OptionSpecs, SCHEMA_OPTION, WORKSPACE_OPTIONS } from '../options';
import { findWorkspaceRoot } from '../../core/workspace/root';

const FORMATS = ['text', 'json'] as const;

const OPTIONS = {
  ...SCHEMA_OPTION,
  ...WORKSPACE_OPTIONS,
  ...formatOption(FORMATS),
} as const satisfies OptionSpecs;

async function explain(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  if (positionals.length !== 1) throw new UsageError('explain-shape takes one SQL string');
  const schemaPaths = values.schema ? existing(values.schema, 'schema') : [];
  const root = findWorkspaceRoot(schemaPaths[0] ?? process.cwd());
  // Only the schema is needed: read the schema sources, not the workspace's queries.
  const project = await Project.open(root, { paths: schemaPaths.length ? schemaPaths : [], schema: schemaPaths.length ? schemaPaths : undefined, rows: values.rows, configFile: values.config });
  const result = explainShape(positionals[0], project.schema, project.config.matcher);
  if (format === 'json') out.write(`${JSON.stringify(result, null, 2)}\n`);
  else out.write(`${explainText(result)}\n`);
  return result.problems.length ? 1 : 0;
}

function explainText(r: ExplainShapeResult): string {
  const lines: string[] = [];
  for (const p of r.problems) lines.push(`error at ${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
  if (!r.problems.length && !r.statements.length) lines.push('Nothing to analyse: no statement here reads or writes a table (SELECT, INSERT, UPDATE and DELETE have a shape; DDL, VALUES and utility statements do not).');
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


export const explainShapeCommand: Command = {
  name: 'explain-shape',
  usage: 'pg-index-review explain-shape "<sql>" [--schema …] [--rows table=N]… [--format text|json]',
  summary: 'Prints the query shape of SQL (filters, join keys, ORDER BY per table) and which index the planner can use, with every candidate and why.',
  options: OPTIONS,
  run: (args, io) => explain(args, io.out),
};
