/**
 * The query shapes of one workspace file, given the schema: what the Project keeps per file, and
 * what the extraction threads (extractPool.ts) compute for it. Only SQL files and scripts hold queries.
 */
import type { Finding } from '../model/finding';
import { LineIndex } from '../model/location';
import type { MovedQueries, QueryShape } from '../model/query';
import type { SchemaModel } from '../model/schema';
import type { SqlDocumentParser } from '../sql/parseCache';
import { shapesFromSqlText } from '../shapes/fromSql';
import { blankPsqlMetaCommands } from '../sql/clientSyntax';
import { extractFromTypeScript, reextractTypeScript, type TypeScriptReuse } from '../sources/typescript/extract';
import type { FileKind } from './files';

export interface FileExtraction {
  shapes: QueryShape[];
  problems: Finding[];
  /** For a script: its extraction by top-level statement, to redo only what an edit touches. */
  reuse?: TypeScriptReuse;
  /** After an edit: the queries it only moved, each with the query it was. */
  moved?: MovedQueries;
}

/** Whether files of this kind hold queries (and so are worth sending to an extraction thread). */
export function holdsQueries(kind: FileKind): boolean {
  return kind === 'sql' || kind === 'script';
}

export interface ExtractFileOptions {
  /** The reusable extraction of an earlier text of the same file (an edit). */
  prev?: TypeScriptReuse;
  /** Parses the SQL (default parseSqlDocument): a cachedSqlParser shared by the files of one workspace. */
  parseSql?: SqlDocumentParser;
}

/** Extracts `text`. Never throws: a failure becomes a parse-error problem on the file. */
export function extractFile(file: string, kind: FileKind, text: string, schema: SchemaModel, opts: ExtractFileOptions = {}): FileExtraction {
  const { prev, parseSql } = opts;
  try {
    // psql's meta-commands blanked out keep every offset where it was.
    if (kind === 'sql') return shapesFromSqlText(blankPsqlMetaCommands(text) ?? text, { file, origin: 'sql-file', lines: new LineIndex(text), schema, parse: parseSql });
    if (kind === 'script') return (prev && reextractTypeScript(prev, text, file, schema, { parseSql })) || extractFromTypeScript(text, file, schema, { parseSql });
    return { shapes: [], problems: [] };
  } catch (err) {
    return {
      shapes: [],
      problems: [
        {
          rule: 'parse-error',
          severity: 'error',
          message: `Could not analyse this file: ${(err as Error).message}`,
          file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          related: [],
        },
      ],
    };
  }
}
