/**
 * Runs a workspace's statements through node-postgres the way the application sends them: the
 * text of every SQL statement and embedded query, and for every Prisma call the SQL Prisma
 * generates (src/core/db/prismaSql.ts), with bind parameters of the right types. Writes run inside
 * a transaction that is rolled back (pg_stat_statements counts them all the same); foreign-key
 * triggers are off for the session (`session_replication_role = replica`) so that inserts with
 * made-up keys are not refused.
 *
 * Ground truth for the matching: each statement's `Query Identifier` (EXPLAIN VERBOSE, with
 * compute_query_id on), the key pg_stat_statements aggregates by.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { WorkspaceStatement } from '../../src/core/report/statementMatch';

export interface Executed {
  ws: WorkspaceStatement;
  queryid: string;
  calls: number;
}

export interface WorkloadResult {
  executed: Executed[];
  /** `plan`: PREPARE/EXPLAIN refused it (bad SQL for this schema); `execute`: running it failed (a NOT NULL column without a value…). */
  failed: { ws: WorkspaceStatement; error: string; phase: 'plan' | 'execute' }[];
  /** queryid → the workspace statements that produce it. */
  truth: Map<string, WorkspaceStatement[]>;
  elapsedMs: number;
}

export interface WorkloadOptions {
  /** Calls per statement: a function of its position (so rankings differ), default 1 + i % 5. */
  calls?: (i: number, ws: WorkspaceStatement) => number;
  /** Statements to skip (monitoring queries…). */
  skip?: (ws: WorkspaceStatement) => boolean;
}

function valueFor(type: string, enums: Map<string, string[]>): unknown {
  const t = type.replace(/^"|"$/g, '');
  if (t.endsWith('[]')) return [valueFor(t.slice(0, -2), enums)];
  if (enums.has(t)) return enums.get(t)![0];
  if (/^(integer|bigint|smallint|numeric|real|double precision)/.test(t)) return 1;
  if (t === 'boolean') return true;
  if (/^(timestamp|date|time)/.test(t)) return new Date();
  if (t === 'uuid') return randomUUID();
  if (t === 'json' || t === 'jsonb') return '{}';
  if (t === 'interval') return '1 day';
  return `w-${randomUUID()}`;
}

export async function runWorkload(url: string, statements: WorkspaceStatement[], opts: WorkloadOptions = {}): Promise<WorkloadResult> {
  const started = Date.now();
  const client = new Client({ connectionString: url, application_name: 'lms-sample-workload' });
  await client.connect();
  const executed: Executed[] = [];
  const failed: WorkloadResult['failed'] = [];
  const truth = new Map<string, WorkspaceStatement[]>();
  try {
    await client.query(`SET session_replication_role = replica`);
    const enums = new Map<string, string[]>();
    for (const r of (await client.query<{ name: string; labels: string[] }>(`SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`)).rows) {
      enums.set(r.name, r.labels);
    }
    let i = 0;
    for (const ws of statements) {
      if (opts.skip?.(ws)) continue;
      const calls = opts.calls ? opts.calls(i, ws) : 1 + (i % 5);
      i++;
      try {
        // Parameter types and the query identifier, without counting in pg_stat_statements.
        await client.query(`SET pg_stat_statements.track = 'none'`);
        await client.query('BEGIN');
        let params: unknown[] = [];
        let phase: 'plan' | 'execute' = 'plan';
        try {
          await client.query(`PREPARE pir_workload AS ${ws.sql}`);
          const types = (await client.query<{ t: string[] }>(`SELECT parameter_types::text[] AS t FROM pg_prepared_statements WHERE name = 'pir_workload'`)).rows[0]?.t ?? [];
          // Prisma sends enum values as text cast to the enum (`CAST($1::text AS "public"."Role")`): give those a label.
          const enumParams = new Map([...ws.sql.matchAll(/CAST\(\$(\d+)::text AS (?:"[^"]+"\.)?"([^"]+)"\)/g)].map((m) => [Number(m[1]) - 1, m[2]]));
          params = types.map((t, k) => (enumParams.has(k) && enums.has(enumParams.get(k)!) ? enums.get(enumParams.get(k)!)![0] : valueFor(t, enums)));
          await client.query('DEALLOCATE pir_workload');
          // Text format: the identifier is a 64-bit integer that JSON numbers would round.
          const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE) ${ws.sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
          const queryid = /Query Identifier: (-?\d+)/.exec(plan)?.[1] ?? '0';
          await client.query('ROLLBACK');
          await client.query(`SET pg_stat_statements.track = 'top'`);
          phase = 'execute';
          for (let k = 0; k < calls; k++) {
            await client.query('BEGIN');
            try {
              await client.query(ws.sql, params);
            } finally {
              await client.query('ROLLBACK');
            }
          }
          executed.push({ ws, queryid, calls });
          const list = truth.get(queryid);
          if (list) list.push(ws);
          else truth.set(queryid, [ws]);
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          failed.push({ ws, error: (e as Error).message, phase });
        }
      } finally {
        await client.query(`SET pg_stat_statements.track = 'top'`).catch(() => undefined);
      }
    }
  } finally {
    await client.end();
  }
  return { executed, failed, truth, elapsedMs: Date.now() - started };
}
