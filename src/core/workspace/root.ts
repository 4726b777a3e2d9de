import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE } from '../config/config';

/**
 * The workspace a path belongs to: the nearest folder above it holding pg-index-review.json,
 * else the nearest holding a Prisma schema or a package.json, stopping at the repository root.
 */
export function findWorkspaceRoot(start: string): string {
  const abs = path.resolve(start);
  const first = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  const ancestors: string[] = [];
  for (let d = first; ; d = path.dirname(d)) {
    ancestors.push(d);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  const has = (d: string, f: string) => fs.existsSync(path.join(d, f));
  return (
    ancestors.find((d) => has(d, CONFIG_FILE)) ??
    ancestors.find((d) => has(d, 'prisma/schema.prisma') || has(d, 'schema.prisma') || has(d, 'package.json')) ??
    first
  );
}
