/**
 * A workspace under analysis: its schema sources, the query shapes of every file, and
 * the findings. The CLI loads it once; the editor keeps one and feeds it edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verdictsFor, type ShapeVerdict } from './analysis/verdicts';
import { isSuppressed, readSuppressions, type Suppressions } from './analysis/suppressions';
import { applyRowFlags, CONFIG_FILE, defaultConfig, parseConfig, type Config } from './config/config';
import type { Finding } from './model/finding';
import { LineIndex } from './model/location';
import type { QueryShape } from './model/query';
import { emptySchema, type SchemaModel } from './model/schema';
import { lintMigrations } from './migration/lint';
import { overlayLiveSchema, type LiveSchema } from './db/liveSchema';
import { RULES } from './rules/registry';
import { DEFAULT_UNUSED_INDEX_MIN_DAYS } from './rules/unusedIndex';
import type { RuleContext } from './rules/context';
import { loadMigrations } from './schema/migrations/loadMigrations';
import { loadPrismaSchema } from './schema/prisma/loadPrismaSchema';
import { shapesFromSqlText } from './shapes/fromSql';
import { extractFromTypeScript } from './sources/typescript/extract';
import { initSqlParser } from './sql/parser';
import { classify, listFiles, type FileKind } from './workspace/files';
import { mergeSchemas } from './workspace/mergeSchemas';

export interface ProjectOptions {
  /** Files or folders to analyse; the root when empty. */
  paths?: string[];
  /** schema.prisma files, migration folders or .sql files that define the schema (overrides config and discovery). */
  schema?: string[];
  /** `table=N` row estimates (override the config file). */
  rows?: string[];
  /** Config file to read instead of `<root>/pg-index-review.json`. */
  configFile?: string;
}

interface FileEntry {
  file: string;
  kind: FileKind;
  text: string;
  shapes: QueryShape[];
  problems: Finding[];
  suppressions: Suppressions;
}

export interface AnalysisResult {
  findings: Finding[];
  verdicts: ShapeVerdict[];
  schema: SchemaModel;
  stats: AnalysisStats;
}

export interface AnalysisStats {
  files: number;
  queries: number;
  tables: number;
  indexes: number;
  skipped: { file: string; reason: string }[];
  schemaSources: string[];
}

export class Project {
  readonly files = new Map<string, FileEntry>();
  schema: SchemaModel = emptySchema();
  prismaSchema?: SchemaModel;
  migrationsSchema?: SchemaModel;
  prismaFile?: string;
  private schemaProblems: Finding[] = [];
  /** Verdicts depend only on the shape, the schema and the options: kept until the schema changes. */
  private verdictCache = new WeakMap<QueryShape, ShapeVerdict>();
  private skipped: { file: string; reason: string }[] = [];
  private schemaSources: string[] = [];
  private rowFlags: string[] = [];
  /** The live database's schema (`check --database`), when one was read: it is then the index set. */
  live?: LiveSchema;

  private constructor(
    readonly root: string,
    readonly config: Config,
    private readonly explicitSchema: string[] | undefined,
  ) {}

  static async open(root: string, opts: ProjectOptions = {}): Promise<Project> {
    await initSqlParser();
    const absRoot = path.resolve(root);
    const config = readConfig(absRoot, opts.configFile);
    if (opts.rows?.length) applyRowFlags(config, opts.rows);
    const explicit = opts.schema?.length ? opts.schema.map((s) => path.resolve(s)) : config.schema.length ? config.schema.map((s) => path.resolve(absRoot, s)) : undefined;
    const p = new Project(absRoot, config, explicit);
    p.rowFlags = opts.rows ?? [];
    const roots = opts.paths ? opts.paths.map((x) => path.resolve(x)) : [absRoot];
    const listing = listFiles([...roots, ...(explicit ?? [])], absRoot, config.ignore);
    if (!explicit && !(roots.length === 1 && roots[0] === absRoot)) {
      // Analysing part of a workspace: its schema still comes from the whole workspace.
      const schemaFiles = listFiles([absRoot], absRoot, config.ignore).files.filter((f) => {
        const k = classify(f);
        return k === 'prisma-schema' || k === 'migration';
      });
      for (const f of schemaFiles) if (!listing.files.includes(f)) listing.files.push(f);
    }
    p.skipped = listing.skipped;
    for (const f of listing.files) {
      const text = readText(f, p.skipped);
      if (text !== undefined) p.files.set(f, p.entry(f, text));
    }
    p.rebuildSchema();
    p.reextractAll();
    return p;
  }

  private entry(file: string, text: string): FileEntry {
    return { file, kind: this.kindOf(file), text, shapes: [], problems: [], suppressions: readSuppressions(text) };
  }

  private kindOf(file: string): FileKind {
    const k = classify(file) ?? 'sql';
    // A .sql file named as the schema source is schema, not workload.
    if (k === 'sql' && this.explicitSchema?.some((s) => s === file || file.startsWith(s + path.sep))) return 'migration';
    return k;
  }

  private isSchemaFile(e: FileEntry): boolean {
    if (e.kind !== 'prisma-schema' && e.kind !== 'migration') return false;
    if (!this.explicitSchema) return true;
    return this.explicitSchema.some((s) => e.file === s || e.file.startsWith(s + path.sep));
  }

  /** Rebuilds the index set from schema.prisma and the migrations. */
  private rebuildSchema(): void {
    const schemaFiles = [...this.files.values()].filter((e) => this.isSchemaFile(e));
    const prismaFiles = schemaFiles.filter((e) => e.kind === 'prisma-schema').sort((a, b) => prismaRank(a.file) - prismaRank(b.file));
    const migrationFiles = schemaFiles.filter((e) => e.kind === 'migration');
    this.schemaProblems = [];
    this.verdictCache = new WeakMap();
    this.prismaSchema = undefined;
    this.migrationsSchema = undefined;
    this.prismaFile = undefined;
    this.schemaSources = [];
    if (prismaFiles.length) {
      const pf = prismaFiles[0];
      const loaded = loadPrismaSchema(pf.text, pf.file);
      this.prismaSchema = loaded.schema;
      this.prismaFile = pf.file;
      this.schemaProblems.push(...loaded.problems);
      this.schemaSources.push(pf.file);
    }
    if (migrationFiles.length) {
      const loaded = loadMigrations(migrationFiles.map((m) => ({ file: m.file, text: m.text })));
      this.migrationsSchema = loaded.schema;
      this.schemaProblems.push(...loaded.problems);
      this.schemaSources.push(...migrationFiles.map((m) => m.file));
    }
    if (this.migrationsSchema && this.prismaSchema && this.prismaSchema.tables.size > 0) this.schema = mergeSchemas(this.migrationsSchema, this.prismaSchema);
    else this.schema = this.migrationsSchema && this.migrationsSchema.tables.size > 0 ? this.migrationsSchema : (this.prismaSchema ?? emptySchema());
    if (this.live) this.schema = overlayLiveSchema(this.live, this.schema);
  }

  private extract(e: FileEntry): void {
    e.shapes = [];
    e.problems = [];
    try {
      if (e.kind === 'sql') {
        const r = shapesFromSqlText(e.text, { file: e.file, origin: 'sql-file', lines: new LineIndex(e.text), schema: this.schema });
        e.shapes = r.shapes;
        e.problems = r.problems;
      } else if (e.kind === 'script') {
        const r = extractFromTypeScript(e.text, e.file, this.schema);
        e.shapes = r.shapes;
        e.problems = r.problems;
      }
    } catch (err) {
      e.problems = [
        {
          rule: 'parse-error',
          severity: 'error',
          message: `Could not analyse this file: ${(err as Error).message}`,
          file: e.file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          related: [],
        },
      ];
    }
  }

  private reextractAll(): void {
    for (const e of this.files.values()) this.extract(e);
  }

  /** Replaces a file's text (an editor buffer); returns true when the schema changed. */
  updateFile(file: string, text: string): boolean {
    const abs = path.resolve(file);
    const kind = classify(abs);
    if (!kind) return false;
    const e = this.entry(abs, text);
    this.files.set(abs, e);
    if (this.isSchemaFile(e)) {
      this.rebuildSchema();
      this.reextractAll();
      return true;
    }
    this.extract(e);
    return false;
  }

  removeFile(file: string): void {
    const abs = path.resolve(file);
    const e = this.files.get(abs);
    if (!e) return;
    this.files.delete(abs);
    if (this.isSchemaFile(e)) {
      this.rebuildSchema();
      this.reextractAll();
    }
  }

  /**
   * Makes a live database (loadLiveSchema) the index set: its tables, indexes and statistics, with
   * the workspace's locations; its row estimates replace the configured ones, `--rows` flags still win.
   * Drift against the workspace and the unused-index rule come with it.
   */
  useLiveSchema(live: LiveSchema): void {
    this.live = live;
    for (const t of live.schema.tables.values()) if (t.rowEstimate !== undefined) this.config.matcher.rows[t.name] = t.rowEstimate;
    if (this.rowFlags.length) applyRowFlags(this.config, this.rowFlags);
    this.rebuildSchema();
    this.reextractAll();
  }

  /** The migration files the schema is built from (the embedded database loads them). */
  migrationFiles(): { file: string; text: string }[] {
    return [...this.files.values()].filter((e) => e.kind === 'migration' && this.isSchemaFile(e)).map((e) => ({ file: e.file, text: e.text }));
  }

  shapes(): QueryShape[] {
    return [...this.files.values()].flatMap((e) => e.shapes);
  }

  analyze(): AnalysisResult {
    const shapes = this.shapes();
    const verdicts = shapes.map((shape) => {
      let v = this.verdictCache.get(shape);
      if (!v) {
        v = verdictsFor([shape], this.schema, this.config.matcher)[0];
        this.verdictCache.set(shape, v);
      }
      return v;
    });
    const ctx: RuleContext = {
      schema: this.schema,
      verdicts,
      options: this.config.matcher,
      prismaSchema: this.prismaSchema,
      migrationsSchema: this.migrationsSchema,
      prismaFile: this.prismaFile,
      live: this.live && {
        schema: this.live,
        minStatsDays: this.config.unusedIndexMinDays ?? DEFAULT_UNUSED_INDEX_MIN_DAYS,
        workspace: this.migrationsSchema ?? this.prismaSchema,
        workspaceFile: this.schemaSources[0],
      },
    };
    const raw: Finding[] = [...this.schemaProblems, ...[...this.files.values()].flatMap((e) => e.problems)];
    // Migration files are also linted as migrations (locks, transactions, the schema at each point of the history).
    raw.push(...lintMigrations([...this.files.values()].filter((e) => e.kind === 'migration' && this.isSchemaFile(e)).map((e) => ({ file: e.file, text: e.text }))));
    for (const rule of RULES) {
      if (this.config.rules[rule.id] === 'off') continue;
      raw.push(...rule.run(ctx));
    }
    const findings: Finding[] = [];
    for (const f of raw) {
      const level = this.config.rules[f.rule];
      if (level === 'off') continue;
      const entry = this.files.get(f.file);
      if (entry && isSuppressed(f, entry.suppressions, statementLines(entry.shapes, f))) continue;
      findings.push(level ? { ...f, severity: level } : f);
    }
    findings.sort(compareFindings);
    return {
      findings,
      verdicts,
      schema: this.schema,
      stats: {
        files: this.files.size,
        queries: shapes.length,
        tables: this.schema.tables.size,
        indexes: [...this.schema.tables.values()].reduce((n, t) => n + t.indexes.length, 0),
        skipped: this.skipped,
        schemaSources: this.schemaSources,
      },
    };
  }
}

/** First lines of the queries of a file whose range contains the finding's start. */
function statementLines(shapes: QueryShape[], f: Finding): number[] {
  const p = f.range.start;
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return shapes.filter((s) => before(s.location.range.start, p) && before(p, s.location.range.end)).map((s) => s.location.range.start.line);
}

function prismaRank(file: string): number {
  return /(^|[\\/])prisma[\\/]schema\.prisma$/.test(file) ? 0 : file.endsWith('schema.prisma') ? 1 : 2;
}

function readText(file: string, skipped: { file: string; reason: string }[]): string | undefined {
  try {
    const buf = fs.readFileSync(file);
    if (buf.includes(0)) {
      skipped.push({ file, reason: 'binary file' });
      return undefined;
    }
    return buf.toString('utf8');
  } catch (err) {
    skipped.push({ file, reason: (err as Error).message });
    return undefined;
  }
}

function readConfig(root: string, explicit?: string): Config {
  const file = explicit ? path.resolve(explicit) : path.join(root, CONFIG_FILE);
  if (!fs.existsSync(file)) {
    if (explicit) throw new Error(`config file not found: ${explicit}`);
    return defaultConfig();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseConfig(raw, file);
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);
}
