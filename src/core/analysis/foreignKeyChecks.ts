/**
 * The searches a DELETE makes through the foreign keys that reference its table. For every row deleted,
 * PostgreSQL's referential-integrity triggers search each referencing table by the key's columns: NO ACTION and
 * RESTRICT to check that no row still refers to it, CASCADE to delete those rows, SET NULL / SET DEFAULT to
 * update them (ri_triggers.c, one query per deleted row). Without an index whose leading columns are the key's (in
 * any order), each search reads the whole referencing table — the classic unindexed foreign key, here only where
 * the workspace deletes.
 */
import type { TableAccess } from '../model/query';
import type { ForeignKeyDef, SchemaModel, TableDef } from '../model/schema';
import { quoteAlways, quoteTable } from '../sql/identifiers';

/**
 * The referencing tables' searches for a DELETE of `deleted`'s table; none for any other access. Through an ON DELETE
 * CASCADE key the rows found are deleted in turn, so the tables that reference them are searched too (each table once).
 * A relation Prisma Client emulates (relationMode = "prisma") is searched only when the DELETE is a Prisma Client
 * call (`byPrisma`): SQL deletes leave it alone, as the database has no constraint for it.
 */
export function foreignKeyChecks(deleted: TableAccess, schema: SchemaModel, byPrisma = false): TableAccess[] {
  if (deleted.kind !== 'delete') return [];
  const out: TableAccess[] = [];
  const expanded = new Set<string>();
  const queue = [deleted.table];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    if (expanded.has(parent)) continue;
    expanded.add(parent);
    for (const [key, table] of schema.tables) {
      for (const fk of table.foreignKeys) {
        if (fk.refTable !== parent || fk.columns.length === 0 || (fk.emulated && !byPrisma)) continue;
        if (fk.cascades) queue.push(key);
        out.push(search(key, fk, parent, table));
      }
    }
  }
  return out;
}

function search(table: string, fk: ForeignKeyDef, parent: string, def: TableDef): TableAccess {
  // Prisma Client's emulation reads the referencing rows' primary key (to check, cascade by it or set null).
  const pk = def.indexes.find((i) => i.primary)?.keys.map((k) => k.column);
  const emulatedRead = fk.emulated && pk?.length && pk.every((c): c is string => c !== undefined) ? pk : undefined;
  return {
    table,
    kind: 'select',
    predicates: fk.columns.map((column) => ({ atom: { kind: 'compare', column, op: '=', value: { kind: 'param' } } })),
    joinKeys: [],
    orderBy: [],
    groupBy: [],
    // `SELECT 1 … FOR KEY SHARE OF x` locks the rows it finds (CASCADE deletes them): the heap is visited, never index-only.
    columnsRead: emulatedRead ?? '*',
    foreignKeyCheck: { constraint: fk.name, references: parent, ...(fk.cascades ? { cascades: true as const } : {}), ...(fk.emulated ? { emulated: true as const } : {}) },
  };
}

/**
 * The search as SQL PostgreSQL can EXPLAIN: RI_FKey_noaction_del's query (`SELECT 1 FROM ONLY … WHERE key = $1
 * FOR KEY SHARE OF x`), the one a DELETE's own plan never shows.
 */
export function foreignKeySearchSql(access: TableAccess): string {
  const conditions = access.predicates.map((p, i) => (p.atom.kind === 'compare' ? `${quoteAlways(p.atom.column)} = $${i + 1}` : 'true'));
  // Prisma Client's emulation reads the referencing rows' primary key (to check, cascade or set null) with a plain SELECT.
  if (access.foreignKeyCheck?.emulated) {
    const read = access.columnsRead === '*' ? '*' : access.columnsRead.map(quoteAlways).join(', ');
    return `SELECT ${read} FROM ${quoteTable(access.table)} WHERE ${conditions.join(' AND ')}`;
  }
  return `SELECT 1 FROM ONLY ${quoteTable(access.table)} x WHERE ${conditions.join(' AND ')} FOR KEY SHARE OF x`;
}

/** Why a foreign-key search is made, for the verdict's reason. */
export function foreignKeyCheckReason(access: TableAccess): string | undefined {
  const fk = access.foreignKeyCheck;
  if (!fk) return undefined;
  const columns = access.predicates.map((p) => (p.atom.kind === 'compare' ? `"${p.atom.column}"` : '')).join(', ');
  if (fk.emulated) return `each row Prisma Client deletes from "${fk.references}" makes it search "${access.table}" by ${columns} (relationMode = "prisma" emulates the relation: the database has no foreign key to do it)`;
  return `each row deleted from "${fk.references}" makes PostgreSQL search "${access.table}" by ${columns} (foreign key${fk.constraint ? ` "${fk.constraint}"` : ''})`;
}
