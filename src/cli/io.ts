import { DatabaseError } from '../core/db/connection';
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
