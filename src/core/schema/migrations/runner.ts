/**
 * How a migration file is run, which decides what its text may hold: psql (`statements`) reads its meta-commands
 * and COPY rows itself; Prisma and a `client.query(fileText)` send the text to PostgreSQL as it is.
 */
import * as path from 'node:path';
import { blankPsqlMetaCommands } from '../../sql/clientSyntax';
import { parseSqlDocument, type ParsedStatement } from '../../sql/parser';

/**
 * - `prisma`: `prisma migrate deploy` / `migrate dev` (Prisma ≤ 7.3) send the whole file as one
 *   multi-statement query, which PostgreSQL runs as ONE implicit transaction when it holds more
 *   than one statement;
 * - `single-query`: the same, for any runner that does `client.query(fileText)`;
 * - `statements`: each statement on its own in autocommit mode (`psql -f`, `pg-index-review apply`),
 *   unless the file opens a transaction with BEGIN.
 */
export type Runner = 'prisma' | 'single-query' | 'statements';

const DIRECTIVE = /--\s*pg-index-review:\s*runner\s*=\s*(prisma|single-query|statements)\b/i;

/** The runner a file is written for: a `-- pg-index-review: runner=…` comment, else Prisma's layout, else statement by statement. */
export function detectRunner(file: string, text: string): { runner: Runner; reason: string } {
  const d = DIRECTIVE.exec(text);
  if (d) return { runner: d[1].toLowerCase() as Runner, reason: `its "-- pg-index-review: runner=${d[1]}" comment` };
  const parts = file.split(path.sep === '\\' ? /[\\/]/ : '/');
  if (parts[parts.length - 1] === 'migration.sql' && parts[parts.length - 3] === 'migrations') {
    return { runner: 'prisma', reason: 'Prisma layout: migrations/<name>/migration.sql' };
  }
  return { runner: 'statements', reason: 'assumed: psql -f or pg-index-review apply' };
}

/**
 * A migration file's statements as its runner sees them: for psql, its meta-commands (`\set`, `\i`) and the rows of a
 * `COPY … FROM stdin` blanked out (offsets kept); for the others, the text as it is (a meta-command fails there).
 */
export function parseMigrationText(file: string, text: string, runner: Runner = detectRunner(file, text).runner): ParsedStatement[] {
  return parseSqlDocument((runner === 'statements' && blankPsqlMetaCommands(text)) || text);
}
