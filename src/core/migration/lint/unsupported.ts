/**
 * Statements PostgreSQL (15) refuses as not supported (SQLSTATE 0A000) whatever the indexes
 * involved, which applyStatement does not model. The messages are PostgreSQL's own.
 */
import type { SchemaModel } from '../../model/schema';
import { type Node, strings } from '../../sql/expr';
import { tableKey } from '../../sql/identifiers';

function unsupportedDrop(ds: Node): string | undefined {
  if (!ds.concurrent) return undefined;
  // Checked in this order, before PostgreSQL looks the indexes up (so IF EXISTS does not help).
  if ((ds.objects ?? []).length !== 1) return 'DROP INDEX CONCURRENTLY does not support dropping multiple objects';
  if (ds.behavior === 'DROP_CASCADE') return 'DROP INDEX CONCURRENTLY does not support CASCADE';
  return undefined;
}

/** PostgreSQL's error when it rejects the statement as not supported; `partitioned`: the partitioned tables at that point. */
export function unsupportedStatement(ast: Node, partitioned: ReadonlySet<string>): string | undefined {
  if (ast.DropStmt) return unsupportedDrop(ast.DropStmt);
  const is = ast.IndexStmt;
  // Also with IF NOT EXISTS: the check comes before the name is looked up.
  if (is?.concurrent && partitioned.has(tableKey(is.relation))) return `cannot create index on partitioned table "${is.relation.relname}" concurrently`;
  return undefined;
}

function withKey(set: ReadonlySet<string>, key: string, present: boolean): ReadonlySet<string> {
  if (set.has(key) === present) return set;
  const copy = new Set(set);
  if (present) copy.add(key);
  else copy.delete(key);
  return copy;
}

/**
 * The partitioned tables (schema keys) after `ast` runs on `before`: the schema model does not
 * record PARTITION BY, so the walk follows it from the CREATE TABLE statements. The same set when
 * nothing changed.
 */
export function partitionedTablesAfter(partitioned: ReadonlySet<string>, ast: Node, before: SchemaModel): ReadonlySet<string> {
  const cs = ast.CreateStmt;
  if (cs) {
    const key = tableKey(cs.relation);
    return cs.if_not_exists && before.tables.has(key) ? partitioned : withKey(partitioned, key, !!cs.partspec);
  }
  if (!partitioned.size) return partitioned;
  if (ast.DropStmt?.removeType === 'OBJECT_TABLE') {
    let out = partitioned;
    for (const o of ast.DropStmt.objects ?? []) {
      const q = strings(o.List?.items ?? [o]);
      out = withKey(out, tableKey({ relname: q[q.length - 1], schemaname: q.length > 1 ? q[q.length - 2] : undefined }), false);
    }
    return out;
  }
  const rs = ast.RenameStmt;
  if (rs?.renameType === 'OBJECT_TABLE' && partitioned.has(tableKey(rs.relation))) {
    return withKey(withKey(partitioned, tableKey(rs.relation), false), tableKey({ relname: rs.newname, schemaname: rs.relation?.schemaname }), true);
  }
  return partitioned;
}
