import * as fs from 'node:fs';
import { connectionUrlProblem } from '../core/db/connection';
import { UsageError } from './io';

/**
 * One command-line option: a `parseArgs` option config (`type`, `multiple`, `short`) plus what
 * `--help` shows for it. parseArgs ignores the extra fields.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** What the value looks like in --help (`table=N`, `ms`); default `value`. Strings only. */
  value?: string;
  /** One short sentence for --help. */
  description: string;
}

/** A command's options, by long name: what it passes to parseArgs and what --help lists. */
export type OptionSpecs = Readonly<Record<string, Readonly<OptionSpec>>>;

/** --help / -h: every command takes it (handled by the dispatch in main.ts, never by a command). */
export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', description: 'Print this help and exit.' },
} as const satisfies OptionSpecs;

/** Options every command that analyses a workspace takes (spread into each command's options). */
export const WORKSPACE_OPTIONS = {
  rows: { type: 'string', multiple: true, value: 'table=N', description: 'Row estimate for a table (repeatable); overrides the config file.' },
  config: { type: 'string', value: 'file', description: 'Config file to read instead of <workspace>/pg-index-review.json.' },
} as const satisfies OptionSpecs;

/** --schema: schema.prisma or a migrations directory instead of what the workspace has. */
export const SCHEMA_OPTION = {
  schema: {
    type: 'string',
    multiple: true,
    value: 'schema.prisma|migrations dir',
    description: 'Schema source to use instead of the ones found in the workspace (repeatable).',
  },
} as const satisfies OptionSpecs;

/** Where a command that asks a planner runs: a server, or the embedded database at a scale. */
export const TARGET_OPTIONS = {
  database: { type: 'string', value: 'url', description: 'PostgreSQL connection string (default: DATABASE_URL from the environment, .env or prisma/.env).' },
  embedded: { type: 'boolean', description: 'Use the embedded database (PGlite) built from the migrations, even when a database is configured.' },
  timeout: { type: 'string', value: 'ms', description: 'statement_timeout on the server, in milliseconds (default 5000).' },
  scale: { type: 'string', value: 'fraction', description: 'Embedded database: share of the configured row counts to generate, in (0, 1] (default 0.01).' },
} as const satisfies OptionSpecs;

/** --format: the formats a command writes, the first one the default. */
export function formatOption<const F extends readonly string[]>(formats: F, note = '') {
  return {
    format: { type: 'string', value: formats.join('|'), description: `Output format (default ${formats[0]}${note}).` },
  } as const satisfies OptionSpecs;
}

/** The paths, when they all exist; a usage error naming the first that doesn't. */
export function existing(paths: string[], what: string): string[] {
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${what} not found: ${p}`);
  return paths;
}

/**
 * The value of --database: a postgres:// or postgresql:// URL. Anything else — an empty value, a
 * mysql:// URL, a host name, a libpq `key=value` string — is a usage error saying why (never quoting the
 * password); undefined when the option is not given.
 */
export function databaseOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = connectionUrlProblem(value);
  if (problem) throw new UsageError(`--database: ${problem}`);
  return value.trim();
}
