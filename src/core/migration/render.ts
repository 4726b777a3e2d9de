/**
 * An optimization plan as files: the migration (run statement by statement, CONCURRENTLY), its
 * rollback, a README that explains every statement with the finding it comes from, and the
 * Prisma-layout variant that `prisma migrate deploy` can run.
 */
import type { QueryShape } from '../model/query';
import type { IndexDef } from '../model/schema';
import { keyName } from '../matcher/btree';
import { keySql } from '../matcher/propose';
import { quoteAlways } from '../sql/identifiers';
import { keptReason, type Demand, type OptimizationPlan, type PlannedCreate, type PlannedDrop, type Residual } from './plan';

export interface RenderContext {
  /** `<timestamp>_index_optimization`. */
  name: string;
  toolVersion: string;
  /** The command that generates these files, shown in the headers. */
  command: string;
  /** How a source file is shown (relative to the output folder, so README links work). */
  rel(file: string): string;
  /** The original CREATE INDEX statement of an existing index (to recreate it exactly), when the migrations hold it. */
  originalCreate(index: IndexDef): string | undefined;
  lockTimeout: string;
  statementTimeout: string;
  stats: { queries: number; indexes: number; tables: number };
  residual: Residual;
  workspace: string;
}

export interface RenderedMigration {
  sql: string;
  rollback: string;
  readme: string;
}

function qualified(plan: OptimizationPlan, index: IndexDef, name = index.name): string {
  const schema = plan.before.tables.get(index.table)?.schema ?? plan.after.tables.get(index.table)?.schema ?? 'public';
  return schema === 'public' ? quoteAlways(name) : `${quoteAlways(schema)}.${quoteAlways(name)}`;
}

/** CREATE INDEX CONCURRENTLY IF NOT EXISTS for a definition (columns quoted, predicate as generated). */
export function createSql(plan: OptimizationPlan, i: IndexDef, concurrently = true): string {
  const using = i.method === 'btree' ? '' : ` USING ${i.method}`;
  const include = i.include.length ? ` INCLUDE (${i.include.map(quoteAlways).join(', ')})` : '';
  const where = i.predicateText ? ` WHERE ${i.predicateText}` : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${quoteAlways(i.name)} ON ${qualified(plan, i, i.table)}${using} (${i.keys.map(keySql).join(', ')})${include}${where};`;
}

export function dropSql(plan: OptimizationPlan, i: IndexDef, concurrently = true): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${qualified(plan, i)};`;
}

function keysText(i: IndexDef): string {
  const keys = i.keys.map((k) => `${keyName(k)}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}`).join(', ');
  return `${i.method === 'btree' ? '' : `${i.method.toUpperCase()} `}(${keys})${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}

function where(ctx: RenderContext, d: Demand): string {
  return `${ctx.rel(d.finding.file)}:${d.finding.range.start.line + 1}`;
}

function uniqueDemands(ds: Demand[]): Demand[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.shape.id}|${d.verdict.access.table}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Where a query is, `file:line` relative to the output. */
function at(ctx: RenderContext, shape: QueryShape): string {
  return `${ctx.rel(shape.location.file)}:${shape.location.range.start.line + 1}`;
}

function createComment(ctx: RenderContext, c: PlannedCreate): string {
  const ds = uniqueDemands(c.serves);
  if (!ds.length && c.paginates?.length) {
    const ps = c.paginates;
    return `per-parent list${ps.length === 1 ? '' : 's'} (ORDER BY … LIMIT) on "${c.index.table}", widening "${c.widens?.name}": ${ps.slice(0, 3).map((p) => at(ctx, p.shape)).join(', ')}${ps.length > 3 ? ', …' : ''}`;
  }
  const places = ds.slice(0, 3).map((d) => where(ctx, d));
  return `${rulesOf(ds)} (${worst(ds)}) on "${c.index.table}" for ${ds.length} quer${ds.length === 1 ? 'y' : 'ies'}: ${places.join(', ')}${ds.length > 3 ? ', …' : ''}`;
}

/** The rules that asked for an index: `missing-index`, `unindexed-foreign-key`, or both. */
function rulesOf(ds: Demand[]): string {
  return [...new Set(ds.map((d) => d.finding.rule))].sort().join(' and ');
}

function worst(ds: Demand[]): string {
  return ds.some((d) => d.severity === 'error') ? 'error' : ds.some((d) => d.severity === 'warning') ? 'warning' : 'info';
}

function dropComment(d: PlannedDrop): string {
  const rule = d.reason === 'redundant' ? 'redundant-index' : d.reason === 'low-selectivity' ? 'low-selectivity-index' : 'superseded';
  return `${rule}: "${d.index.name}" ${keysText(d.index)} — ${d.why.replace(/^[a-z -]+: /, '')}`;
}

interface Numbered {
  n: number;
  sql: string;
  comment: string;
}

function forwardStatements(plan: OptimizationPlan): { creates: Numbered[]; drops: Numbered[] } {
  let n = 0;
  return {
    creates: plan.creates.map((c) => ({ n: ++n, sql: createSql(plan, c.index), comment: '' })),
    drops: plan.drops.map((d) => ({ n: ++n, sql: dropSql(plan, d.index), comment: '' })),
  };
}

/** Comment lines: a line break inside one (a path, the command line) starts another comment line, never SQL. */
function header(lines: string[]): string {
  return lines
    .flatMap((l) => l.split(/\r\n|\r|\n/))
    .map((l) => (l ? `-- ${l}` : '--'))
    .join('\n');
}

/**
 * A setting's value as an SQL string literal. generateOptimizationMigration only passes PostgreSQL
 * durations (checkGenerateOptions), but whatever reaches here stays one literal: quotes are doubled, and
 * a backslash makes it an E'' literal (read the same whatever standard_conforming_strings says).
 */
export function sqlLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * A check between the builds and the drops: a CREATE INDEX CONCURRENTLY that failed on an earlier run left
 * its index INVALID, and IF NOT EXISTS then skips the build — the drops must not run on that (psql -f
 * would go on to them). It only reads the catalog; `apply` drops such indexes itself before it resumes.
 */
function invalidIndexGuard(plan: OptimizationPlan): string[] {
  const names = plan.creates.map((c) => {
    const schema = plan.after.tables.get(c.index.table)?.schema ?? plan.before.tables.get(c.index.table)?.schema ?? 'public';
    return `(${sqlLiteral(schema)}, ${sqlLiteral(c.index.name)})`;
  });
  return [
    '-- Stops here when a build above left its index INVALID (a failed CONCURRENTLY build on an earlier run, which',
    '-- IF NOT EXISTS then skips): no index is dropped on that. Drop the INVALID index and run the file again.',
    'DO $guard$',
    'DECLARE invalid text;',
    'BEGIN',
    "  SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') INTO invalid",
    '  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace',
    `  WHERE NOT i.indisvalid AND (n.nspname, c.relname) IN (${names.join(', ')});`,
    '  IF invalid IS NOT NULL THEN',
    "    RAISE EXCEPTION 'INVALID index left by a failed CREATE INDEX CONCURRENTLY: %', invalid",
    "      USING HINT = 'DROP INDEX CONCURRENTLY each of them, then run this file again (pg-index-review apply does both).';",
    '  END IF;',
    'END',
    '$guard$;',
  ];
}

export function renderMigration(plan: OptimizationPlan, ctx: RenderContext): RenderedMigration {
  const { creates, drops } = forwardStatements(plan);
  const sql: string[] = [];
  sql.push(
    header([
      `${ctx.name}.sql — generated by pg-index-review ${ctx.toolVersion}: ${ctx.command}`,
      `Regenerate it rather than edit it. What each statement is for: README.md. Undo: ${ctx.name}_rollback.sql.`,
      `${plan.creates.length} new index${plan.creates.length === 1 ? '' : 'es'}, ${plan.drops.length} dropped, on ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'}.`,
      '',
      'Run it outside a transaction block, one statement at a time (CREATE/DROP INDEX CONCURRENTLY refuse to run in one):',
      `  pg-index-review apply ${ctx.name}.sql --database "$DATABASE_URL"    (dry run, progress, stops and cleans up on failure, resumable)`,
      `  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${ctx.name}.sql            (never with --single-transaction)`,
      'Every new index is built before any index is dropped, so no query loses its index on the way.',
    ]),
    '-- pg-index-review: runner=statements',
    '',
    `SET lock_timeout = ${sqlLiteral(ctx.lockTimeout)};`,
    `SET statement_timeout = ${sqlLiteral(ctx.statementTimeout)};`,
    '',
  );
  for (const e of plan.extensions) {
    sql.push(`-- ${e}: the operator classes of the trigram indexes below (a trusted extension: the database owner can create it).`, `CREATE EXTENSION IF NOT EXISTS ${e};`, '');
  }
  plan.creates.forEach((c, i) => sql.push(`-- [${creates[i].n}] ${createComment(ctx, c)}`, creates[i].sql, ''));
  if (plan.creates.length && plan.drops.length) sql.push(...invalidIndexGuard(plan), '');
  plan.drops.forEach((d, i) => sql.push(`-- [${drops[i].n}] ${dropComment(d)}`, drops[i].sql, ''));
  sql.push('-- Fresh statistics for the tables whose indexes changed.');
  for (const t of plan.tables) sql.push(`ANALYZE ${quoteAlways(t)};`);
  sql.push('', 'RESET statement_timeout;', 'RESET lock_timeout;', '');

  // Rollback: recreate what was dropped (replacements still exist meanwhile), then drop what was created.
  const rb: string[] = [];
  rb.push(
    header([
      `${ctx.name}_rollback.sql — generated by pg-index-review ${ctx.toolVersion}: takes back ${ctx.name}.sql.`,
      'Restores exactly the index set the migration found: the dropped indexes are recreated from their',
      'original definitions first (the new indexes still serve the queries meanwhile), then the new ones are dropped.',
      'Run it like the migration: statement by statement, outside a transaction block.',
      `  pg-index-review apply ${ctx.name}_rollback.sql --database "$DATABASE_URL"`,
    ]),
    '-- pg-index-review: runner=statements',
    '',
    `SET lock_timeout = ${sqlLiteral(ctx.lockTimeout)};`,
    `SET statement_timeout = ${sqlLiteral(ctx.statementTimeout)};`,
    '',
  );
  for (const d of plan.drops) rb.push(`-- restores "${d.index.name}" (dropped by [${drops[plan.drops.indexOf(d)].n}])`, ctx.originalCreate(d.index) ?? createSql(plan, d.index), '');
  for (const c of [...plan.creates].reverse()) rb.push(`-- removes "${c.index.name}" (created by [${creates[plan.creates.indexOf(c)].n}])`, dropSql(plan, c.index), '');
  if (plan.tables.length) rb.push('-- Fresh statistics for the tables whose indexes changed.');
  for (const t of plan.tables) rb.push(`ANALYZE ${quoteAlways(t)};`);
  if (plan.extensions.length) rb.push('', `-- ${plan.extensions.join(', ')} stay${plan.extensions.length === 1 ? 's' : ''} installed (other objects may use ${plan.extensions.length === 1 ? 'it' : 'them'}); DROP EXTENSION it yourself if nothing does.`);
  rb.push('', 'RESET statement_timeout;', 'RESET lock_timeout;', '');

  return { sql: sql.join('\n'), rollback: rb.join('\n'), readme: renderReadme(plan, ctx, creates, drops) };
}

function renderReadme(plan: OptimizationPlan, ctx: RenderContext, creates: Numbered[], drops: Numbered[]): string {
  const md: string[] = [];
  const link = (d: Demand) => `[\`${where(ctx, d)}\`](${ctx.rel(d.finding.file)}#L${d.finding.range.start.line + 1})`;
  md.push(
    `# Index optimization migration for \`${ctx.workspace}\``,
    '',
    `Generated by pg-index-review ${ctx.toolVersion} (\`${ctx.command}\`) from the analysis of ${ctx.stats.queries} queries against ${ctx.stats.tables} tables and ${ctx.stats.indexes} indexes. **Do not edit these files**: change the code or the configuration and regenerate; a test regenerates them and fails when they differ.`,
    '',
    '| file | what it does |',
    '| --- | --- |',
    `| [\`${ctx.name}.sql\`](${ctx.name}.sql) | ${plan.creates.length} new indexes, ${plan.drops.length} dropped, then \`ANALYZE\` of the ${plan.tables.length} tables touched |`,
    `| [\`${ctx.name}_rollback.sql\`](${ctx.name}_rollback.sql) | restores exactly the index set the migration found |`,
    '',
    '## How to run it',
    '',
    'Statement by statement, **outside a transaction block**: `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` build and drop without blocking reads or writes, and PostgreSQL refuses them inside a transaction (SQLSTATE 25001) — including the implicit one of a multi-statement query string. So:',
    '',
    '```sh',
    `pg-index-review apply migrations/${ctx.name}.sql --database "$DATABASE_URL" --dry-run   # what it will do: locks, sizes, existing indexes`,
    `pg-index-review apply migrations/${ctx.name}.sql --database "$DATABASE_URL"             # runs it, with progress; resumable`,
    '```',
    '',
    `\`apply\` stops at the first failure, drops any INVALID index a failed build left, says exactly which statements ran, and records the migration in \`index_review.applied_migrations\` (a second run is a no-op). \`psql -v ON_ERROR_STOP=1 -f\` works too, but never with \`--single-transaction\`; if a build failed on an earlier run, its index is INVALID and \`IF NOT EXISTS\` skips it, so a check before the drops stops the file until you drop that index.`,
    '',
    `The file sets \`lock_timeout = '${ctx.lockTimeout}'\` (a statement that cannot get its lock gives up instead of queueing the application behind it; a CONCURRENTLY build also waits for running writers under this limit) and \`statement_timeout = '${ctx.statementTimeout}'\` (a bound on each build). Every new index is created before any index is dropped, so each query keeps an index that serves it at every moment.`,
    '',
    '## Statements',
    '',
  );
  if (plan.extensions.length) md.push(`**\`CREATE EXTENSION IF NOT EXISTS ${plan.extensions.join(', ')}\`** — the \`gin_trgm_ops\` operator class of the trigram indexes below (PostgreSQL's own contrib module, trusted: the database owner can create it).`, '');
  plan.creates.forEach((c, i) => {
    const ds = uniqueDemands(c.serves);
    md.push(`### [${creates[i].n}] \`${c.index.name}\` on \`${c.index.table}\` ${keysText(c.index)}`, '', '```sql', creates[i].sql, '```', '');
    if (ds.length) {
      md.push(`From ${rulesOf(ds).split(' and ').map((r) => `**${r}**`).join(' and ')} (${worst(ds)}) — ${ds.length} quer${ds.length === 1 ? 'y' : 'ies'}:`, '');
      for (const d of ds) md.push(`- ${link(d)} ${d.shape.label}: ${d.verdict.reason}; with this index it would ${d.assessment.why}.`);
    }
    if (c.paginates?.length) {
      md.push(`${ds.length ? '\nAlso for' : 'For'} per-parent lists sorted for ORDER BY … LIMIT — ${c.paginates.length} quer${c.paginates.length === 1 ? 'y' : 'ies'}:`, '');
      for (const p of c.paginates) md.push(`- [\`${at(ctx, p.shape)}\`](${ctx.rel(p.shape.location.file)}#L${p.shape.location.range.start.line + 1}) ${p.shape.label}: ${p.verdict.reason}.`);
      md.push(
        '',
        `With this index the first rows come in ORDER BY order: no sort, and LIMIT rows read instead of all of the parent's. On average rows the gain is small; for the parents with many rows (a heavy user, a popular course) it is most of the query, and no new index on the sort column alone can tempt the planner into walking the whole table in that order.`,
      );
    }
    const merged = c.merged.filter((p) => p.name !== c.index.name || keysText(p as unknown as IndexDef) !== keysText(c.index));
    if (merged.length) {
      md.push('', `Merged: it also serves the queries for which the analysis proposed ${merged.map((p) => `\`${p.table}\` ${keysText(asDef(p))}`).join(' and ')}, so ${merged.length === 1 ? 'that index is' : 'those indexes are'} not created.`);
    }
    if (c.widens && c.paginates?.length) md.push('', `It widens \`${c.widens.name}\` ${keysText(c.widens)}, a leading prefix of it that is dropped below: the table keeps as many indexes and writes cost about the same.`);
    else if (c.widens) md.push('', `Below the warning level on its own, it is in the migration because it widens \`${c.widens.name}\` ${keysText(c.widens)}: that index is a leading prefix of this one and is dropped below, so the table keeps as many indexes and writes cost about the same.`);
    if (c.index.predicate) md.push('', 'A partial index: only the rows the queries ask for are indexed. Prisma cannot declare it in schema.prisma (before 7.4), so it lives in SQL only.');
    md.push('');
  });
  plan.drops.forEach((d, i) => {
    md.push(`### [${drops[i].n}] drop \`${d.index.name}\` on \`${d.index.table}\` ${keysText(d.index)}`, '', '```sql', drops[i].sql, '```', '');
    if (d.reason === 'redundant') md.push(`From **redundant-index**: ${d.why.replace(/^redundant: /, 'it ')}${d.coveredBy ? `, which serves every query this one could` : ''}.`);
    else if (d.reason === 'low-selectivity') md.push(`From **low-selectivity-index**: ${d.why.replace(/^low selectivity: /, '')}, so the planner prefers a sequential scan and the index only costs writes.${d.coveredBy ? ` Its queries use the new \`${d.coveredBy.name}\` ${keysText(d.coveredBy)}, created above.` : ' No query of the workspace needs it once the new indexes exist.'}`);
    else md.push(`Superseded: it is a leading prefix of the new \`${d.coveredBy?.name}\` ${d.coveredBy ? keysText(d.coveredBy) : ''}, which serves every query it could.`);
    md.push('');
  });
  md.push(`### \`ANALYZE\``, '', `Of the ${plan.tables.length} tables whose indexes changed (${plan.tables.map((t) => `\`${t}\``).join(', ')}), so the planner's statistics are fresh. Unlike \`VACUUM\`, \`ANALYZE\` could run inside a transaction too.`, '');

  md.push('## Not in this migration', '');
  if (plan.kept.length) {
    md.push('Flagged but kept, because a query still needs them:', '');
    for (const k of plan.kept) {
      const { file, range } = k.query.location;
      md.push(`- \`${k.index.name}\` (${k.finding.rule}): ${keptReason(k, `[\`${ctx.rel(file)}:${range.start.line + 1}\`](${ctx.rel(file)}#L${range.start.line + 1})`)}.`);
    }
    md.push('');
  }
  if (plan.skipped.length) {
    md.push(`Info-level proposals (small gains: a handful of rows per execution; \`pg-index-review migration --min-severity info\` includes them):`, '');
    for (const s of plan.skipped) md.push(`- \`${s.proposal.table}\` ${keysText(asDef(s.proposal))} — ${uniqueDemands(s.demands).map(link).join(', ')}`);
    md.push('');
  }
  if (plan.unused.length) {
    md.push('No query of the workspace uses these indexes (unused-by-workload), but other code may: check `pg_stat_user_indexes.idx_scan` on the live database before dropping them.', '');
    for (const u of plan.unused) md.push(`- \`${u.index}\` on \`${u.table}\``);
    md.push('');
  }
  const r = ctx.residual;
  const warnings = r.missing.filter((f) => f.severity !== 'info' && f.severity !== 'hint');
  md.push(
    '## After the migration',
    '',
    `Re-running the analysis on the schema this migration leaves: ${r.redundant.length} redundant index${r.redundant.length === 1 ? '' : 'es'}, ${warnings.length} index proposal${warnings.length === 1 ? '' : 's'} at warning level (missing-index, unindexed-foreign-key), ${r.missing.length - warnings.length} info-level proposal${r.missing.length - warnings.length === 1 ? '' : 's'} (listed above).`,
    '',
  );
  return md.join('\n');
}

function asDef(p: { table: string; name: string; method: string; keys: IndexDef['keys']; predicateText?: string }): IndexDef {
  return { name: p.name, table: p.table, method: p.method, keys: p.keys, include: [], unique: false, primary: false, constraint: false, valid: true, origin: 'migration', predicateText: p.predicateText };
}

/**
 * The Prisma-layout variant (`prisma/migrations/<name>/migration.sql`). Prisma migrate (up to 7.3)
 * sends the file as ONE multi-statement query, which PostgreSQL runs as one transaction, so
 * CONCURRENTLY is impossible there (25001), and so is VACUUM: plain CREATE/DROP INDEX, SET LOCAL
 * timeouts, ANALYZE before the drops (so the ACCESS EXCLUSIVE locks of the drops are held for
 * the shortest time), the drops last.
 */
export function renderPrismaMigration(plan: OptimizationPlan, ctx: RenderContext, concurrentFile: string): string {
  const out: string[] = [];
  out.push(
    header([
      `Generated by pg-index-review ${ctx.toolVersion}: ${ctx.command}`,
      `${plan.creates.length} new indexes, ${plan.drops.length} dropped. The reasons: ${concurrentFile.replace(/\.sql$/, '')} README / ${concurrentFile}.`,
      '',
      'WARNING — Prisma migrate sends this file as one multi-statement query, which PostgreSQL runs as ONE',
      'transaction. CONCURRENTLY cannot run in a transaction, so the indexes here are built the blocking way:',
      'each CREATE INDEX holds a SHARE lock (writes to the table wait) and each DROP INDEX an ACCESS EXCLUSIVE',
      'lock (reads wait too) until the whole file commits. Fine for development, CI and empty or small tables.',
      'For a live database, apply it statement by statement with CONCURRENTLY instead:',
      `  pg-index-review apply prisma/migrations/${ctx.name}/migration.sql --prisma --database "$DATABASE_URL"`,
      'which adds CONCURRENTLY, runs each statement on its own and records this migration in _prisma_migrations',
      '(with the checksum Prisma computes), so `prisma migrate deploy` then treats it as applied.',
      'The blocking locks are this file\'s known trade-off, so the linter\'s rules about them are silenced here:',
    ]),
    '-- pg-index-review-ignore-file require-concurrent-index-creation, require-concurrent-index-deletion, lock-held-in-transaction',
    '',
    `SET LOCAL lock_timeout = ${sqlLiteral(ctx.lockTimeout)};`,
    `SET LOCAL statement_timeout = ${sqlLiteral(ctx.statementTimeout)};`,
    '',
  );
  for (const e of plan.extensions) out.push(`CREATE EXTENSION IF NOT EXISTS ${e};`, '');
  for (const c of plan.creates) out.push('-- CreateIndex', createSql(plan, c.index, false), '');
  if (plan.tables.length) out.push('-- Statistics, before the drops take their ACCESS EXCLUSIVE locks');
  for (const t of plan.tables) out.push(`ANALYZE ${quoteAlways(t)};`);
  out.push('');
  for (const d of plan.drops) out.push('-- DropIndex', dropSql(plan, d.index, false), '');
  return out.join('\n');
}
