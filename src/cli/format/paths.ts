import * as path from 'node:path';

/** Paths in output are relative to the current directory, with forward slashes. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).replace(/\\/g, '/');
}
