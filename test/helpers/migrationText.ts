/**
 * A deliberately simple reading of Prisma-generated migration SQL with regular expressions,
 * so tests can derive expectations from the text without going through the product's parser.
 * It understands only the shapes `prisma migrate` writes:
 *   CREATE TYPE "E" AS ENUM (…);
 *   CREATE TABLE "t" ( "col" TYPE …, CONSTRAINT "t_pkey" PRIMARY KEY ("id") );
 *   CREATE [UNIQUE] INDEX "name" ON "t"("a", "b");
 */

export interface TextIndex {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface TextColumn {
  name: string;
  /** The type as written: `TEXT`, `BOOLEAN`, `"Role"`, `TIMESTAMP(3)`. */
  type: string;
}

export interface TextSchema {
  enums: Set<string>;
  tables: Map<string, TextColumn[]>;
  indexes: TextIndex[];
}

function quotedNames(list: string): string[] {
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

export function readMigrationText(sql: string): TextSchema {
  const enums = new Set([...sql.matchAll(/CREATE TYPE "([^"]+)" AS ENUM/g)].map((m) => m[1]));
  const tables = new Map<string, TextColumn[]>();
  const indexes: TextIndex[] = [];
  for (const m of sql.matchAll(/CREATE TABLE "([^"]+)" \(([\s\S]*?)\n\);/g)) {
    const [, table, body] = m;
    const columns: TextColumn[] = [];
    for (const line of body.split('\n')) {
      const col = /^\s+"([^"]+)" ("[^"]+"|[A-Z]+(?: PRECISION)?(?:\(\d+(?:,\d+)?\))?)/.exec(line);
      if (col) columns.push({ name: col[1], type: col[2] });
      const pk = /CONSTRAINT "([^"]+)" PRIMARY KEY \(([^)]*)\)/.exec(line);
      if (pk) indexes.push({ name: pk[1], table, columns: quotedNames(pk[2]), unique: true, primary: true });
    }
    tables.set(table, columns);
  }
  for (const m of sql.matchAll(/CREATE (UNIQUE )?INDEX "([^"]+)" ON "([^"]+)"\(([^)]*)\);/g)) {
    indexes.push({ name: m[2], table: m[3], columns: quotedNames(m[4]), unique: !!m[1], primary: false });
  }
  return { enums, tables, indexes };
}
