import * as fs from 'node:fs';
import { UsageError } from './io';

/** Options every command that analyses a workspace takes (parseArgs configs, spread into each command's). */
export const WORKSPACE_OPTIONS = {
  format: { type: 'string' },
  rows: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

/** --schema: schema.prisma or a migrations directory instead of what the workspace has. */
export const SCHEMA_OPTION = {
  schema: { type: 'string', multiple: true },
} as const;

/** Where a command that asks a planner runs: a server, or the embedded database at a scale. */
export const TARGET_OPTIONS = {
  database: { type: 'string' },
  embedded: { type: 'boolean' },
  timeout: { type: 'string' },
  scale: { type: 'string' },
} as const;

/** The paths, when they all exist; a usage error naming the first that doesn't. */
export function existing(paths: string[], what: string): string[] {
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${what} not found: ${p}`);
  return paths;
}
