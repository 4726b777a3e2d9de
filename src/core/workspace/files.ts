/** Finds the files of a workspace the analysis reads, and says what each one is. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

export type FileKind = 'prisma-schema' | 'migration' | 'sql' | 'script' | 'env';

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Files larger than this are skipped: generated bundles, dumps. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export function classify(file: string): FileKind | undefined {
  const f = file.replace(/\\/g, '/');
  if (f.endsWith('.prisma')) return 'prisma-schema';
  if (/\.sql$/i.test(f)) return /(^|\/)migrations\//.test(f) ? 'migration' : 'sql';
  if (SCRIPT.test(f) && !/\.d\.[cm]?ts$/.test(f)) return 'script';
  // Connection settings (DATABASE_URL, pool sizes): read by the pool-advice rule, no queries in them.
  if (/(^|\/)\.env(\.[\w.-]+)?$/.test(f)) return 'env';
  return undefined;
}

/** A rollback script beside the migrations (`…_rollback.sql`, `down.sql`): undoes, never applied forward. */
export function isRollbackFile(file: string): boolean {
  return /(^|[\/_.-])(rollback|down)\.sql$/i.test(file.replace(/\\/g, '/'));
}

export interface WalkResult {
  files: string[];
  /** Files passed over (too large, unreadable), with the reason. */
  skipped: { file: string; reason: string }[];
}

/** Whether listFiles passes over this entry itself (a workspace-relative path, forward slashes), whatever the folders above it. */
function skipsEntry(rel: string, isDir: boolean, isIgnored: (rel: string) => boolean): boolean {
  if (isIgnored(rel) || isIgnored(`${rel}/`)) return true;
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return isDir && (name === 'node_modules' || name === '.git');
}

/**
 * Whether listFiles would pass over this workspace-relative path (forward slashes): it, or a folder
 * above it, is ignored. For the editor, which hears of files one at a time.
 */
export function ignoredPath(rel: string, isIgnored: (rel: string) => boolean, isDir = false): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) if (skipsEntry(parts.slice(0, i).join('/'), i < parts.length || isDir, isIgnored)) return true;
  return false;
}

export function listFiles(roots: string[], base: string, ignore: string[]): WalkResult {
  const isIgnored = picomatch(ignore, { dot: true });
  const out: WalkResult = { files: [], skipped: [] };
  const seen = new Set<string>();
  const visit = (p: string): void => {
    const rel = path.relative(base, p).replace(/\\/g, '/') || '.';
    if (rel !== '.' && skipsEntry(rel, false, isIgnored)) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      out.skipped.push({ file: p, reason: (err as Error).message });
      return;
    }
    if (st.isDirectory()) {
      const name = path.basename(p);
      if (name === 'node_modules' || name === '.git') return;
      for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e));
      return;
    }
    if (!st.isFile() || !classify(p) || seen.has(p)) return;
    if (st.size > MAX_FILE_BYTES) {
      out.skipped.push({ file: p, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
      return;
    }
    seen.add(p);
    out.files.push(p);
  };
  for (const r of roots) visit(path.resolve(base, r));
  return out;
}
