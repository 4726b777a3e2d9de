import { DatabaseError } from '../core/db/connection';
import type { AnalysisResult } from '../core/project';
import { displayPath } from './format/paths';
import type { OptionSpecs } from './options';

/** What a CLI command gets: its arguments and where to write. */
export interface Out {
  write(s: string): void;
}

export interface CommandIO {
  out: Out;
  err: Out;
}

/** A mistake in how the command was called: exit code 2 and the usage text. */
export class UsageError extends Error {}

export interface Command {
  name: string;
  /** Usage lines, shown by --help. */
  usage: string;
  /** One paragraph for --help; its first sentence (or clause, up to a colon) is the one-line summary. */
  summary: string;
  /** The options it parses (parseArgs configs with their --help descriptions); --help/-h comes on top. */
  options: OptionSpecs;
  /** Returns the exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

export function formatOf(v: string | undefined, allowed: readonly string[]): string {
  const f = v ?? 'text';
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}`);
  return f;
}

/** Exit code 1 with the database's one-line message for a DatabaseError; anything else is rethrown. */
export function databaseFailure(e: unknown, err: Out): number {
  if (!(e instanceof DatabaseError)) throw e;
  err.write(`pg-index-review: ${e.message}\n`);
  return 1;
}

/**
 * When the analysis found no schema source (no schema.prisma, no migration): says so on `err`, with the sources it
 * could not read, and returns true — the command then exits 2 instead of reporting on an empty index set.
 */
export function noSchemaFound(result: AnalysisResult, root: string, err: Out): boolean {
  if (result.stats.schemaSources.length > 0) return false;
  const notRead = result.stats.schemaSkipped.map((s) => `  not read: ${displayPath(s.file)}: ${s.reason}\n`).join('');
  err.write(`pg-index-review: no schema found in ${displayPath(root)} (schema.prisma or migrations/**/*.sql): pass --schema <schema.prisma|migrations dir>\n${notRead}`);
  return true;
}
