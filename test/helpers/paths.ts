/** Absolute paths of the repository, the sample workspace and the fixture folders. */
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const LMS = path.join(REPO, 'examples', 'lms');
export const LMS_MIGRATION = path.join(LMS, 'prisma', 'migrations', '20251001205346_init', 'migration.sql');
export const LMS_SCHEMA = path.join(LMS, 'prisma', 'schema.prisma');
export const SQL_FIXTURES = path.join(REPO, 'test', 'fixtures', 'sql');
export const WORKSPACES = path.join(REPO, 'test', 'fixtures', 'workspaces');
export const DIST_CLI = path.join(REPO, 'dist', 'cli.js');

/** How the CLI prints a path: relative to the current directory, with forward slashes. */
export function shown(abs: string, cwd = process.cwd()): string {
  return path.relative(cwd, abs).split(path.sep).join('/');
}
