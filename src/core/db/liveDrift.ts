/**
 * Drift between a live database and what the workspace declares (its migrations, else schema.prisma):
 * tables, columns and indexes one side has and the other hasn't, and indexes whose definitions differ —
 * a migration not applied yet, an index added by hand, a failed CONCURRENTLY build.
 */
import type { Finding } from '../model/finding';
import { ZERO_RANGE, type SourceLocation } from '../model/location';
import type { IndexDef, IndexKey } from '../model/schema';
import { normalizeType } from '../rules/schemaDrift';
import type { LiveContext } from '../rules/context';

function keyText(k: IndexKey): string {
  const base = k.column ?? `(${(k.expression ?? '?').replace(/\s+/g, '')})`;
  return `${base}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`;
}

function definition(i: IndexDef): string {
  const pred = i.predicate ? ` WHERE ${JSON.stringify(i.predicate)}` : '';
  return `${i.unique ? 'unique ' : ''}${i.method} (${i.keys.map(keyText).join(', ')})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${pred}`;
}

function shown(i: IndexDef): string {
  return `${i.unique ? 'UNIQUE ' : ''}${i.method === 'btree' ? '' : `${i.method.toUpperCase()} `}(${i.keys.map(keyText).join(', ')})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}

export function liveDrift(ctx: LiveContext): Finding[] {
  const workspace = ctx.workspace;
  if (!workspace || workspace.tables.size === 0) return [];
  const live = ctx.schema.schema;
  const target = ctx.schema.target;
  const fallback: SourceLocation | undefined = ctx.workspaceFile ? { file: ctx.workspaceFile, range: ZERO_RANGE } : undefined;
  const out: Finding[] = [];
  const report = (message: string, at: SourceLocation | undefined, table: string, index?: string): void => {
    const loc = at ?? fallback;
    if (loc) out.push({ rule: 'schema-drift', severity: 'warning', message, file: loc.file, range: loc.range, table, ...(index ? { index } : {}), related: [] });
  };
  for (const [name, w] of workspace.tables) {
    const l = live.tables.get(name);
    if (!l) {
      report(`Table "${name}" is declared in the workspace but does not exist on ${target}: a migration not applied there yet?`, w.location, name);
      continue;
    }
    for (const [c, col] of w.columns) {
      const lc = l.columns.get(c);
      if (!lc) report(`Column "${c}" of "${name}" is declared in the workspace but does not exist on ${target}.`, col.location ?? w.location, name);
      else if (normalizeType(lc) !== normalizeType(col)) report(`Column "${c}" of "${name}" is ${col.type} in the workspace but ${lc.type} on ${target}.`, col.location ?? w.location, name);
    }
    for (const c of l.columns.keys()) if (!w.columns.has(c)) report(`Column "${c}" of "${name}" exists on ${target} but no migration creates it.`, w.location, name);
    for (const wi of w.indexes) {
      const li = l.indexes.find((i) => i.name === wi.name);
      if (!li) report(`Index "${wi.name}" on "${name}" is declared in the workspace but does not exist on ${target}: a migration not applied there yet, or dropped by hand?`, wi.location ?? w.location, name, wi.name);
      else if (definition(li) !== definition(wi)) report(`Index "${wi.name}" on "${name}" is ${shown(wi)} in the workspace but ${shown(li)} on ${target}.`, wi.location ?? w.location, name, wi.name);
    }
    for (const li of l.indexes) {
      if (w.indexes.some((i) => i.name === li.name)) continue;
      report(`Index "${li.name}" on "${name}" ${shown(li)} exists on ${target} but no migration creates it (added by hand?): the next migration or a fresh environment won't have it.`, w.location, name, li.name);
    }
  }
  // A schema.prisma read in part (models left out for errors) does not say which tables are undeclared.
  if (workspace.prisma?.leftOut?.length) return out;
  for (const [name] of live.tables) {
    if (!workspace.tables.has(name)) report(`Table "${name}" exists on ${target} but the workspace does not declare it.`, undefined, name);
  }
  return out;
}
