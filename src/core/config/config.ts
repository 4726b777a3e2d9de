/** `pg-index-review.json`: row estimates, rule levels, schema sources and ignores for a workspace. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleId, Severity } from '../model/finding';
import { DEFAULT_MATCHER_OPTIONS, type MatcherOptions } from '../matcher/options';
import { RULES } from '../rules/registry';
import { readSettingsFile, stripBom } from '../workspace/files';

export type RuleSetting = Severity | 'off';

export interface Config {
  matcher: MatcherOptions;
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** Paths (relative to the workspace root) of schema.prisma files or migration folders. */
  schema: string[];
  /** Glob patterns of files to skip. */
  ignore: string[];
  /** unused-index: fewest days of index usage statistics before an index may be called unused (default 30). */
  unusedIndexMinDays?: number;
  /** pool-advice: how many instances of the application connect to the database (each with its own pools). */
  appInstances?: number;
}

export const CONFIG_FILE = 'pg-index-review.json';

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**', '**/build/**', '**/.next/**', '**/coverage/**', '**/*.d.ts', '**/*.min.js'];

export function defaultConfig(): Config {
  return { matcher: { ...DEFAULT_MATCHER_OPTIONS, rows: {} }, rules: {}, schema: [], ignore: [...DEFAULT_IGNORES] };
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Row estimates above this are refused: a table of 32 TB (PostgreSQL's limit) holds about 10^12 of the narrowest rows. */
const MAX_ROWS = 1e12;

/** Reads a config object; throws an Error with a message a person understands when it is malformed. */
export function parseConfig(raw: unknown, source: string): Config {
  const c = defaultConfig();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${source}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  const num = (k: string): number | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${source}: "${k}" must be a non-negative number`);
    return v;
  };
  if (o.rows !== undefined) {
    if (!o.rows || typeof o.rows !== 'object' || Array.isArray(o.rows)) throw new Error(`${source}: "rows" must map table names to row counts`);
    for (const [t, n] of Object.entries(o.rows as Record<string, unknown>)) {
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new Error(`${source}: rows.${t} must be a non-negative number`);
      if (n > MAX_ROWS) throw new Error(`${source}: rows.${t} is ${n}: a PostgreSQL table holds at most ~10^12 rows (32 TB)`);
      c.matcher.rows[t] = n;
    }
  }
  c.matcher.defaultRows = num('defaultRows') ?? c.matcher.defaultRows;
  c.matcher.minRows = num('minRows') ?? c.matcher.minRows;
  c.matcher.rowsThreshold = num('rowsThreshold') ?? c.matcher.rowsThreshold;
  c.matcher.maxSelectivity = num('maxSelectivity') ?? c.matcher.maxSelectivity;
  c.matcher.minRowsSaved = num('minRowsSaved') ?? c.matcher.minRowsSaved;
  c.matcher.serverVersion = num('serverVersion') ?? c.matcher.serverVersion;
  // The server's random_page_cost and seq_page_cost (non-negative, as PostgreSQL takes them).
  for (const [key, field] of [['randomPageCost', 'randomPage'], ['seqPageCost', 'seqPage']] as const) {
    const v = num(key);
    if (v !== undefined) c.matcher.costs = { ...c.matcher.costs, [field]: v };
  }
  const workers = num('maxParallelWorkersPerGather');
  if (workers !== undefined) {
    if (!Number.isInteger(workers)) throw new Error(`${source}: "maxParallelWorkersPerGather" must be a whole number (the server's max_parallel_workers_per_gather; 0 turns parallel scans off)`);
    c.matcher.parallel = { ...c.matcher.parallel, maxWorkersPerGather: workers };
  }
  const unusedDays = num('unusedIndexMinDays');
  if (unusedDays !== undefined) c.unusedIndexMinDays = unusedDays;
  if (o.appInstances !== undefined) {
    const n = o.appInstances;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`${source}: "appInstances" must be a whole number of application instances, at least 1 (got ${JSON.stringify(n)})`);
    c.appInstances = n;
  }
  if (o.rules !== undefined) {
    if (!o.rules || typeof o.rules !== 'object') throw new Error(`${source}: "rules" must map rule ids to a severity or "off"`);
    const known = new Set(RULES.map((r) => r.id as string));
    for (const [id, level] of Object.entries(o.rules as Record<string, unknown>)) {
      if (!known.has(id)) throw new Error(`${source}: unknown rule "${id}" in "rules" (rules: ${[...known].join(', ')})`);
      if (typeof level !== 'string' || !SEVERITIES.has(level)) throw new Error(`${source}: rules.${id} must be one of error, warning, info, hint, off`);
      c.rules[id as RuleId] = level as RuleSetting;
    }
  }
  const strs = (k: string): string[] | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    const arr = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string')) throw new Error(`${source}: "${k}" must be a string or a list of strings`);
    return arr as string[];
  };
  c.schema = strs('schema') ?? [];
  c.ignore = [...DEFAULT_IGNORES, ...(strs('ignore') ?? [])];
  return c;
}

/**
 * The workspace's config: `explicit` (--config) or `<root>/pg-index-review.json`, else the defaults.
 * A leading byte order mark is dropped (editors on Windows write one). Throws an Error a person
 * understands when the file is missing (explicit only), not JSON, or malformed.
 */
export function readConfig(root: string, explicit?: string): Config {
  const file = explicit ? path.resolve(explicit) : path.join(root, CONFIG_FILE);
  if (!fs.existsSync(file)) {
    if (explicit) throw new Error(`config file not found: ${explicit}`);
    return defaultConfig();
  }
  let text: string;
  try {
    text = readSettingsFile(file);
  } catch (err) {
    throw new Error(`${file}: could not be read (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseConfig(raw, file);
}

/** Parses `table=N` flags (from --rows) into the config's row estimates. */
export function applyRowFlags(c: Config, flags: string[]): void {
  for (const f of flags) {
    const m = /^([^=]+)=(\d+(?:\.\d+)?)([kKmM]?)$/.exec(f.trim());
    if (!m) throw new Error(`--rows expects table=N (e.g. users=100000), got "${f}"`);
    const mult = m[3].toLowerCase() === 'k' ? 1e3 : m[3].toLowerCase() === 'm' ? 1e6 : 1;
    const n = Number(m[2]) * mult;
    if (n > MAX_ROWS) throw new Error(`--rows ${f}: a PostgreSQL table holds at most ~10^12 rows (32 TB)`);
    c.matcher.rows[m[1]] = n;
  }
}
