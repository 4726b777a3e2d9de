/**
 * `npx tsx bench/planAgreement.ts [--embedded-scale 0.01] [--server-scale 0.01]`: how close the
 * embedded database's plans (PGlite, PostgreSQL 18, synthetic rows) come to a real server's
 * (Debian's PostgreSQL 15, the same generator and seed) on every SQL statement of the sample.
 *
 * For each statement both generic plans are compared three ways:
 * - access paths: per table, a sequential scan or which index (what the hover reports);
 * - chosen index: the first index the plan uses (ExplainResult.chosenIndex), or none on both;
 * - plan shape: the whole tree of node types, tables and indexes (Gather nodes left out: PGlite has no
 *   parallel workers).
 * Also measured: PGlite cold start and memory, the time to build each database, EXPLAIN latency.
 * Prints a table and writes bench/results/plan-agreement.json. Figures, not pass/fail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession, type Session } from '../src/core/db/connection';
import { createEmbeddedDatabase } from '../src/core/db/embedded/pglite';
import { scaleText, seedDatabase } from '../src/core/db/embedded/seed';
import { explainStatement, type ExplainResult } from '../src/core/db/explain';
import type { PlanNode } from '../src/core/db/planSummary';
import { Project } from '../src/core/project';
import { PgCluster } from '../test/support/pgCluster';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'examples', 'lms');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

/** The tree without Gather / Gather Merge (parallelism), as one string. */
function shape(n: PlanNode): string {
  if (n.nodeType === 'Gather' || n.nodeType === 'Gather Merge') return n.children.map(shape).join(',');
  const label = [n.nodeType, n.operation, n.relation, n.index].filter(Boolean).join(' ');
  return n.children.length ? `${label}(${n.children.map(shape).join(',')})` : label;
}

/** Per table: `seq` or the sorted indexes read. */
function accessPaths(n: PlanNode, out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (n.relation && /Scan/.test(n.nodeType)) {
    if (!out.has(n.relation)) out.set(n.relation, new Set());
    out.get(n.relation)!.add(n.index ?? (n.nodeType === 'Seq Scan' ? 'seq' : n.nodeType));
  }
  for (const c of n.children) accessPaths(c, out);
  return out;
}

function pathsText(m: Map<string, Set<string>>): string {
  return [...m.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, s]) => `${t}:${[...s].sort().join('+')}`)
    .join(' ');
}

interface Row {
  statement: string;
  server?: ExplainResult;
  embedded?: ExplainResult;
  error?: string;
}

async function explainAll(session: Session, statements: { id: string; sql: string }[]): Promise<Map<string, ExplainResult | Error>> {
  const out = new Map<string, ExplainResult | Error>();
  for (const s of statements) out.set(s.id, await explainStatement(session, s.sql).catch((e: Error) => e));
  return out;
}

async function main(): Promise<void> {
  const embeddedScale = arg('--embedded-scale', 1 / 100);
  const serverScale = arg('--server-scale', embeddedScale);
  const project = await Project.open(SAMPLE);
  const statements = project
    .shapes()
    .filter((s) => s.origin !== 'prisma')
    .map((s) => ({ id: `${path.relative(SAMPLE, s.location.file)}:${s.location.range.start.line + 1}`, sql: s.text, label: s.label }));
  const results: Record<string, unknown> = { embeddedScale, serverScale, statements: statements.length };

  // The real server.
  let t = Date.now();
  const cluster = await PgCluster.start();
  try {
    cluster.psql('CREATE DATABASE lms');
    const writer = await openSession(cluster.url('lms'), { readOnly: false, statementTimeoutMs: 600_000 });
    const seeded = await seedDatabase(writer, project.migrationFiles(), { rows: project.config.matcher.rows, defaultRows: project.config.matcher.defaultRows, scale: serverScale });
    await writer.close();
    results.serverBuildMs = Date.now() - t;
    results.serverRows = [...seeded.rows.values()].reduce((a, b) => a + b, 0);

    // The embedded database, in this process.
    const rssBefore = process.memoryUsage().rss;
    t = Date.now();
    const db = await createEmbeddedDatabase(project.migrationFiles(), { rows: project.config.matcher.rows, defaultRows: project.config.matcher.defaultRows, scale: embeddedScale });
    results.embeddedTimings = db.timings;
    results.embeddedRows = [...db.rows.values()].reduce((a, b) => a + b, 0);
    results.embeddedRssMb = Math.round((process.memoryUsage().rss - rssBefore) / 1e6);
    results.processRssMb = Math.round(process.memoryUsage().rss / 1e6);

    const server = await openSession(cluster.url('lms'));
    const onServer = await explainAll(server, statements);
    const onEmbedded = await explainAll(db.session, statements);
    // Latency of a warm session, second pass.
    const lat = async (s: Session) => {
      const times: number[] = [];
      for (const st of statements) {
        const t0 = process.hrtime.bigint();
        await explainStatement(s, st.sql).catch(() => undefined);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return median(times);
    };
    results.explainMedianMsServer = await lat(server);
    results.explainMedianMsEmbedded = await lat(db.session);
    await server.close();
    await db.close();

    const rows: Row[] = statements.map((s) => {
      const a = onServer.get(s.id)!;
      const b = onEmbedded.get(s.id)!;
      if (a instanceof Error || b instanceof Error) return { statement: s.id, error: `${a instanceof Error ? `server: ${a.message}` : ''}${b instanceof Error ? ` embedded: ${b.message}` : ''}`.trim() };
      return { statement: s.id, server: a, embedded: b };
    });
    const compared = rows.filter((r) => r.server && r.embedded);
    const samePaths = compared.filter((r) => pathsText(accessPaths(r.server!.plan)) === pathsText(accessPaths(r.embedded!.plan)));
    const sameChoice = compared.filter((r) => (r.server!.chosenIndex?.index ?? null) === (r.embedded!.chosenIndex?.index ?? null));
    const sameShape = compared.filter((r) => shape(r.server!.plan) === shape(r.embedded!.plan));
    results.compared = compared.length;
    results.sameAccessPaths = samePaths.length;
    results.sameChosenIndex = sameChoice.length;
    results.samePlanShape = sameShape.length;
    results.errors = rows.filter((r) => r.error).map((r) => `${r.statement}: ${r.error}`);
    results.differences = compared
      .filter((r) => !samePaths.includes(r))
      .map((r) => ({ statement: r.statement, server: pathsText(accessPaths(r.server!.plan)), embedded: pathsText(accessPaths(r.embedded!.plan)) }));

    const pct = (n: number) => `${n}/${compared.length} (${Math.round((100 * n) / Math.max(1, compared.length))}%)`;
    const table: [string, string][] = [
      ['statements (SQL files + SQL in TypeScript)', String(statements.length)],
      [`real server: PostgreSQL 15, data at ${scaleText(serverScale)}`, `${results.serverRows} rows, built in ${results.serverBuildMs} ms`],
      [`embedded: PGlite (PostgreSQL 18), data at ${scaleText(embeddedScale)}`, `${results.embeddedRows} rows`],
      ['  PGlite cold start', `${db.timings.startMs} ms`],
      ['  migrations + catalog read / data / ANALYZE', `${db.timings.schemaMs} / ${db.timings.dataMs} / ${db.timings.analyzeMs} ms`],
      ['  memory (process RSS growth / total)', `${results.embeddedRssMb} MB / ${results.processRssMb} MB`],
      ['EXPLAIN latency, median (server / embedded)', `${(results.explainMedianMsServer as number).toFixed(1)} / ${(results.explainMedianMsEmbedded as number).toFixed(1)} ms`],
      ['same access path for every table', pct(samePaths.length)],
      ['same chosen index (what the hover shows)', pct(sameChoice.length)],
      ['same plan shape (whole tree)', pct(sameShape.length)],
      ['explained on one side only (errors)', String((results.errors as string[]).length)],
    ];
    const w = Math.max(...table.map(([k]) => k.length));
    process.stdout.write(`\nPlan agreement: embedded database vs a real server, sample workspace\n\n`);
    for (const [k, v] of table) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
    if ((results.differences as unknown[]).length) {
      process.stdout.write('\nAccess paths that differ (server | embedded):\n');
      for (const d of results.differences as { statement: string; server: string; embedded: string }[]) process.stdout.write(`  ${d.statement}\n      ${d.server}\n    | ${d.embedded}\n`);
    }
    for (const e of results.errors as string[]) process.stdout.write(`  error: ${e}\n`);
    const out = path.join(ROOT, 'bench', 'results', 'plan-agreement.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
  } finally {
    cluster.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
