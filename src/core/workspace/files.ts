/** Finds the files of a workspace the analysis reads, and says what each one is. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

export type FileKind = 'prisma-schema' | 'migration' | 'sql' | 'script' | 'env';

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Files larger than this are skipped: generated bundles, dumps. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export function classify(file: string): FileKind | undefined {
  // Only Windows' own separator is one: on POSIX a backslash is part of a file name.
  const f = path.sep === '\\' ? file.replace(/\\/g, '/') : file;
  if (f.endsWith('.prisma')) return 'prisma-schema';
  if (/\.sql$/i.test(f)) return /(^|\/)migrations\//.test(f) ? 'migration' : 'sql';
  if (SCRIPT.test(f) && !/\.d\.[cm]?ts$/.test(f)) return 'script';
  // Connection settings (DATABASE_URL, pool sizes): read by the pool-advice rule, no queries in them.
  if (/(^|\/)\.env(\.[\w.-]+)?$/.test(f)) return 'env';
  return undefined;
}

/** A rollback script beside the migrations (`…_rollback.sql`, `down.sql`): undoes, never applied forward. */
export function isRollbackFile(file: string): boolean {
  return /(^|[\/_.-])(rollback|down)\.sql$/i.test(path.sep === '\\' ? file.replace(/\\/g, '/') : file);
}

export interface WalkResult {
  files: string[];
  /** Files and folders passed over (too large, unreadable, not a regular file, binary), with the reason. */
  skipped: { file: string; reason: string }[];
}

export interface ListOptions {
  /**
   * Which files to list; `named`: the file is one of the roots, not found in a folder. Default: the
   * files `classify` knows.
   */
  accept?: (file: string, named: boolean) => boolean;
  /** Also pass over files and folders whose name starts with a dot (the roots excepted). */
  skipHidden?: boolean;
  /** Files larger than this are skipped (default MAX_FILE_BYTES). */
  maxBytes?: number;
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

/**
 * Whether `a` comes before (< 0) or after `b` in a listFiles walk of one root: each folder's entries by
 * name, depth first, so paths compare name by name (`a/b.ts` before `a.ts`, which plain string order reverses).
 */
export function compareListingOrder(a: string, b: string): number {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/**
 * The files under `roots` (folders or files, resolved against `base`), in a deterministic order:
 * each folder's entries sorted by name, depth first. Folders and files are identified by device and
 * inode, so each is listed once however many paths lead to it: entries that are symbolic links are
 * followed after the walk of the real tree (a file inside the roots is listed under its real path,
 * a link back into a folder already walked — `a -> .` — is passed over silently, a link to a folder
 * outside the roots is walked once, unless it holds a root or is a system folder: see unfollowed).
 * Unreadable folders and files that are not regular files (FIFOs, devices) are recorded in `skipped` and
 * never opened.
 */
export function listFiles(roots: string[], base: string, ignore: string[], opts: ListOptions = {}): WalkResult {
  const isIgnored = picomatch(ignore, { dot: true });
  const accept = opts.accept ?? ((file: string) => classify(file) !== undefined);
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  const out: WalkResult = { files: [], skipped: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  /** Entries that are symbolic links, walked after the real tree, in the order found. */
  const links: string[] = [];
  const visit = (p: string, named: boolean): void => {
    const rel = path.relative(base, p).split(path.sep).join('/') || '.';
    if (rel !== '.' && skipsEntry(rel, false, isIgnored)) return;
    const name = path.basename(p);
    if (!named && opts.skipHidden && name.startsWith('.')) return;
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(p, { bigint: true });
    } catch (err) {
      out.skipped.push({ file: p, reason: (err as Error).message });
      return;
    }
    if (st.isDirectory()) {
      if (name === 'node_modules' || name === '.git') return;
      const id = identity(p, st);
      if (seenDirs.has(id)) return;
      seenDirs.add(id);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(p, { withFileTypes: true });
      } catch (err) {
        out.skipped.push({ file: p, reason: (err as Error).message });
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const child = path.join(p, e.name);
        if (e.isSymbolicLink()) links.push(child);
        else visit(child, false);
      }
      return;
    }
    if (!accept(p, named)) return;
    if (!st.isFile()) {
      out.skipped.push({ file: p, reason: 'not a regular file' });
      return;
    }
    const id = identity(p, st);
    if (seenFiles.has(id)) return;
    seenFiles.add(id);
    if (st.size > BigInt(maxBytes)) {
      out.skipped.push({ file: p, reason: `larger than ${sizeText(maxBytes)}` });
      return;
    }
    out.files.push(p);
  };
  for (const r of roots) visit(path.resolve(base, r), true);
  const realRoots = roots.map((r) => realPath(path.resolve(base, r)));
  for (let i = 0; i < links.length; i++) {
    const why = unfollowed(realPath(links[i]), realRoots);
    if (why) out.skipped.push({ file: links[i], reason: why });
    else visit(links[i], false);
  }
  return out;
}

function realPath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** The system's own folders, never a workspace's files (/proc alone lists every process's memory maps). */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

/**
 * Why a symbolic link to a folder is not followed: it leads to a folder that holds a root (`ln -s / all`, `ln -s ..
 * up`: the walk would cover the whole disk around the workspace), or into the system's folders.
 */
function unfollowed(target: string, realRoots: string[]): string | undefined {
  try {
    if (!fs.statSync(target).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
  if (!realRoots.some((r) => within(target, r)) && realRoots.some((r) => within(r, target))) return `links to ${target}, a folder that holds the workspace: not followed`;
  if (path.sep === '/' && SYSTEM_FOLDERS.some((f) => within(target, f))) return `links to ${target}, a system folder: not followed`;
  return undefined;
}

/** What a file or folder is, whatever the path to it: device and inode (the real path where the file system has no inode numbers). */
function identity(p: string, st: fs.BigIntStats): string {
  return st.ino !== 0n ? `${st.dev}:${st.ino}` : realPath(p);
}

function sizeText(bytes: number): string {
  const mb = 1024 * 1024;
  return bytes % mb === 0 ? `${bytes / mb} MB` : `${bytes} bytes`;
}

/**
 * A workspace file's text as the analysis reads it: UTF-8 without a leading byte order mark (editors
 * hand over their text without it, and positions must agree). A binary file — NUL bytes, or more
 * than a quarter of its characters not text (bytes that are not UTF-8, control characters) — or one
 * that can't be read is recorded in `skipped` instead. Call it on what listFiles lists: it does not
 * check for FIFOs and devices itself.
 */
export function readText(file: string, skipped: { file: string; reason: string }[]): string | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    skipped.push({ file, reason: (err as Error).message });
    return undefined;
  }
  const text = buf.includes(0) ? undefined : stripBom(buf.toString('utf8'));
  if (text === undefined || mostlyNotText(text)) {
    skipped.push({ file, reason: 'binary file' });
    return undefined;
  }
  return text;
}

/** What a settings file (pg-index-review.json, package.json, prisma.config.ts, migration_lock.toml, .env) may weigh. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/**
 * A small settings file's text. Throws, saying why, for what is not a regular file (a FIFO would block the read
 * forever, /dev/zero fill the memory) or is larger than `maxBytes`; and as readFileSync does when it can't be read.
 */
export function readSettingsFile(file: string, maxBytes = MAX_SETTINGS_BYTES): string {
  const st = fs.statSync(file);
  if (!st.isFile()) throw new Error(`${file} is not a regular file`);
  if (st.size > maxBytes) throw new Error(`${file} is larger than ${Math.round(maxBytes / 1024)} kB`);
  return fs.readFileSync(file, 'utf8');
}

/** `text` without a leading U+FEFF (a UTF-8 byte order mark, decoded). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function mostlyNotText(text: string): boolean {
  // Most files have none of these: one native scan instead of a loop over every character.
  // eslint-disable-next-line no-control-regex
  if (!/[\ufffd\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/.test(text)) return false;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // U+FFFD: bytes that are not UTF-8; control characters other than tab, line breaks, form feed, escape.
    if (c === 0xfffd || c === 0x7f || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1b)) bad++;
  }
  return bad * 4 > text.length;
}
