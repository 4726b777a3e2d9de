import * as path from 'node:path';

/**
 * Paths in output are relative to the current directory, with forward slashes. Only the platform's
 * separator becomes `/`: on POSIX a backslash is an ordinary character of a file name (`a\b.sql`).
 */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return path.sep === '/' ? shown : shown.split(path.sep).join('/');
}
