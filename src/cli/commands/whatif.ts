import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeEmbeddedDatabase, getEmbeddedDatabase } from '../../core/db/embedded/pglite';
import { checkMissingIndexes, checkRedundantIndexes, type ProposalCheck, type RedundantCheck } from '../../core/db/proveFindings';
import { Project } from '../../core/project';
import { findWorkspaceRoot } from '../../core/workspace/root';
import { type Command, type Out, databaseFailure, formatOf, UsageError } from '../io';
import { databaseOption, formatOption, type OptionSpecs, TARGET_OPTIONS, WORKSPACE_OPTIONS } from '../options';
import { openTarget, type Target } from './explain';

function text(target: Target, proposals: ProposalCheck[], redundant: RedundantCheck[]): string {
  const lines = [`What-if on ${target.session.target} (${target.source})`, '', 'Missing-index proposals:'];
  for (const c of proposals) {
    lines.push(`  ${c.verdict.padEnd(11)} ${c.proposal.name} (${c.statements.length} statement${c.statements.length === 1 ? '' : 's'}${c.prismaCalls.length ? `, ${c.prismaCalls.length} Prisma call(s)` : ''})`);
    lines.push(`              ${c.reason}`);
  }
  lines.push('', 'Redundant indexes (plans without them):');
  for (const r of redundant) lines.push(`  ${r.result.verdict.padEnd(11)} ${r.index} on ${r.table}`, `              ${r.result.reason}`);
  return lines.join('\n');
}

const FORMATS = ['text', 'json'] as const;

const OPTIONS = {
  ...TARGET_OPTIONS,
  'no-confirm': { type: 'boolean', description: 'Do not settle on the embedded database what the server cannot simulate (GIN, partial indexes HypoPG rejects).' },
  ...formatOption(FORMATS),
  ...WORKSPACE_OPTIONS,
} as const satisfies OptionSpecs;

async function whatif(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const format = formatOf(values.format, FORMATS);
  databaseOption(values.database);
  if (positionals.length > 1) throw new UsageError('whatif takes one workspace path');
  if (positionals[0] && !fs.existsSync(positionals[0])) throw new UsageError(`not found: ${positionals[0]}`);
  const root = findWorkspaceRoot(positionals[0] ?? '.');
  const project = await Project.open(root, { rows: values.rows, configFile: values.config });
  let target: Target | undefined;
  try {
    target = await openTarget(root, values, async () => project);
    // What the server can't simulate (GIN, a partial index HypoPG rejects, no HypoPG) is settled on the embedded database.
    const confirm = target.session.embedded || values['no-confirm'] || !project.migrationFiles().length ? undefined : async () => (await getEmbeddedDatabase(project)).session;
    const proposals = await checkMissingIndexes(project, target.session, { confirm });
    const redundant = await checkRedundantIndexes(project, target.session, { confirm });
    if (format === 'json') {
      const json = {
        version: 1,
        target: target.session.target,
        proposals: proposals.map((c) => ({ index: c.proposal.name, table: c.proposal.table, sql: c.proposal.sql, verdict: c.verdict, reason: c.reason, method: (c.confirmation ?? c.result).method ?? null, statements: c.statements, queries: (c.confirmation ?? c.result).queries })),
        redundant: redundant.map((r) => ({ index: r.index, table: r.table, verdict: r.result.verdict, reason: r.result.reason, method: r.result.method ?? null, queries: r.result.queries })),
      };
      out.write(`${JSON.stringify(json, null, 2)}\n`);
    } else out.write(`${text(target, proposals, redundant)}\n`);
    return 0;
  } catch (e) {
    return databaseFailure(e, err);
  } finally {
    await target?.close();
    await closeEmbeddedDatabase();
  }
}

export const whatifCommand: Command = {
  name: 'whatif',
  usage: `pg-index-review whatif [path] [--database <url> | --embedded] [--no-confirm] [--format text|json]
                        [--rows table=N]… [--config file] [--scale 0.01] [--timeout ms]`,
  summary:
    "Asks the planner about every missing-index proposal and redundant index of the workspace: with HypoPG on the server, hypothetical indexes (created in a rolled-back transaction when the extension isn't installed); on the embedded database, real indexes built and dropped inside transactions that are rolled back. GIN proposals and partial indexes HypoPG won't pick are settled on the embedded database (--no-confirm to skip). Prints each verdict — helps, no-gain, not-used, unconfirmed, unavailable — with the costs before and after.",
  options: OPTIONS,
  run: (args, io) => whatif(args, io.out, io.err),
};
