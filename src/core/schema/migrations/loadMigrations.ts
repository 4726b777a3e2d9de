/** SQL migration files, applied in order, → the schema they leave behind. */
import * as path from 'node:path';
import type { Finding } from '../../model/finding';
import { LineIndex, type SourceLocation } from '../../model/location';
import { emptySchema, type SchemaModel } from '../../model/schema';
import type { ParsedStatement } from '../../sql/parser';
import { applyStatement } from './applyStatement';
import { parseMigrationText } from './runner';

export interface MigrationFile {
  file: string;
  text: string;
  /** `parseMigrationText(file, text)`, when the caller has it already (the parse is not repeated; the statements are only read). */
  parsed?: ParsedStatement[];
}

/**
 * Orders migration files the way Prisma, Flyway and friends do: by the folder or file name,
 * which starts with a timestamp or version number.
 */
export function sortMigrations<T extends { file: string }>(files: T[]): T[] {
  const key = (f: string) => {
    const parts = f.split(path.sep === '\\' ? /[\\/]/ : '/');
    const name = parts[parts.length - 1] === 'migration.sql' ? parts[parts.length - 2] : parts[parts.length - 1];
    return name ?? f;
  };
  return [...files].sort((a, b) => (key(a.file) < key(b.file) ? -1 : key(a.file) > key(b.file) ? 1 : 0));
}

export function loadMigrations(files: MigrationFile[], into: SchemaModel = emptySchema()): { schema: SchemaModel; problems: Finding[] } {
  const problems: Finding[] = [];
  for (const { file, text, parsed } of sortMigrations(files)) {
    const lines = new LineIndex(text);
    for (const stmt of parsed ?? parseMigrationText(file, text)) {
      if (stmt.error) {
        (into.unparsed ??= []).push({ file, range: lines.range(stmt.start, stmt.end) });
        problems.push({
          rule: 'parse-error',
          severity: 'error',
          message: `SQL syntax error: ${stmt.error.message}`,
          file,
          range: lines.range(stmt.error.offset, Math.min(stmt.end, stmt.error.offset + 1)),
          related: [],
        });
        continue;
      }
      if (!stmt.ast) continue;
      try {
        applyStatement(into, stmt.ast, { location: { file, range: lines.range(stmt.start, stmt.end) }, text: stmt.text, lineAt: lineFrom(text, lines, file, stmt) });
      } catch (err) {
        problems.push({
          rule: 'parse-error',
          severity: 'warning',
          message: `Could not apply statement to the schema model: ${(err as Error).message}`,
          file,
          range: lines.range(stmt.start, stmt.end),
          related: [],
        });
      }
    }
  }
  return { schema: into, problems };
}

/** StatementOrigin.lineAt for a statement of a file: from the offset to the end of its line, without a trailing comma. */
function lineFrom(text: string, lines: LineIndex, file: string, stmt: { end: number; toDocOffset(byteOffset: number): number }): (byteOffset: number) => SourceLocation {
  return (byteOffset) => {
    const start = stmt.toDocOffset(byteOffset);
    const eol = text.indexOf('\n', start);
    let end = Math.min(eol < 0 ? text.length : eol, stmt.end);
    while (end > start && /[\s,]/.test(text[end - 1])) end--;
    return { file, range: lines.range(start, Math.max(start, end)) };
  };
}
