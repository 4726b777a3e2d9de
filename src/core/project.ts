/**
 * A workspace under analysis: its schema sources, the query shapes of every file, and
 * the findings. The CLI loads it once; the editor keeps one and feeds it edits.
 */
import * as path from 'node:path';
import { chainedMoves, movedVerdict } from './analysis/movedLines';
import { VerdictMemo, type ShapeVerdict } from './analysis/verdicts';
import { addIndexesUsed } from './analysis/indexUses';
import { isSuppressed, readSuppressions, type Suppressions } from './analysis/suppressions';
import { applyRowFlags, readConfig, type Config } from './config/config';
import { movedFindings, type Finding } from './model/finding';
import type { LineMove, MovedQueries, QueryShape } from './model/query';
import { emptySchema, type IndexDef, type SchemaModel, type TableDef } from './model/schema';
import { lintMigrations } from './migration/lint';
import { liveMatcherOptions, overlayLiveSchema, type LiveSchema } from './db/liveSchema';
import { RULES } from './rules/registry';
import { DEFAULT_UNUSED_INDEX_MIN_DAYS } from './rules/unusedIndex';
import { prismaMappingOf, type Rule, type RuleContext, type WorkspaceText } from './rules/context';
import { loadMigrations } from './schema/migrations/loadMigrations';
import { joinPrismaFiles, loadPrismaSchemaFiles } from './schema/prisma/schemaFiles';
import type { TypeScriptReuse } from './sources/typescript/extract';
import { initSqlParser, type ParsedStatement } from './sql/parser';
import { cachedSqlParser } from './sql/parseCache';
import { extractFile, holdsQueries, type FileExtraction } from './workspace/extractFile';
import { defaultThreads, extractPool } from './workspace/extractPool';
import type { ExtractJob } from './workspace/extractProtocol';
import { classify, compareListingOrder, isRollbackFile, listFiles, readText, type FileKind } from './workspace/files';
import { chooseSchema, type SchemaChoice, type SchemaSourceSkipped } from './workspace/schemaChoice';
import { mergeSchemas } from './workspace/mergeSchemas';
import { parseMigrationText } from './schema/migrations/runner';

export interface ProjectOptions {
  /** Files or folders to analyse; the root when empty. */
  paths?: string[];
  /** schema.prisma files, migration folders or .sql files that define the schema (overrides config and discovery). */
  schema?: string[];
  /** `table=N` row estimates (override the config file). */
  rows?: string[];
  /** Config file to read instead of `<root>/pg-index-review.json`. */
  configFile?: string;
  /** Glob patterns to leave out in addition to the config's (the editor leaves `.env` files out of untrusted workspaces). */
  ignore?: string[];
  /**
   * Extraction threads besides the calling one; default 0 (everything on the calling thread). `'auto'`:
   * one per further core, up to 3, for workspaces with at least 1 MB of query files — for a long-lived
   * process (the editor), which keeps them loaded between analyses: in a one-off run on two cores,
   * starting a thread cost more than it saved. None when running from the sources (no bundle to start).
   */
  threads?: number | 'auto';
  /** With a number of `threads`: start them only for at least this much query text (`check --threads N` passes MIN_PARALLEL_CHARS). */
  minParallelChars?: number;
}

interface FileEntry {
  file: string;
  kind: FileKind;
  text: string;
  shapes: QueryShape[];
  problems: Finding[];
  suppressions: Suppressions;
  /** Which queries contain a position (for suppressions), built when first needed. */
  spans?: ShapeSpans;
  /** The entry as RuleContext.files gives it. */
  asText?: WorkspaceText;
  /** For a script: its extraction by top-level statement, to redo only what an edit touches. */
  reuse?: TypeScriptReuse;
  /** What analyze() derived from this file alone; dropped when the file is extracted again. */
  analysis?: FileAnalysis;
  /** The queries the last edit only moved, until the file is analysed (their verdicts and findings are moved, not made again). */
  moved?: MovedQueries;
}

/** A file's share of an analysis, valid for one schema generation and one set of rule levels. */
interface FileAnalysis {
  file: string;
  generation: number;
  /** levelsKey() when it was made: the rule levels decide which rules run and how findings are filtered. */
  levels: string;
  verdicts: ShapeVerdict[];
  /** The file's problems, filtered (rule levels, suppressions); undefined when one is about another file. */
  problems?: Finding[];
  /** Per `'verdict'`-scoped rule, its findings for this file's verdicts: raw, and filtered unless one is about another file. */
  rules: Map<string, { raw: Finding[]; filtered?: Finding[] }>;
  /** The indexes this file's queries can use (see indexesUsedByWorkload). */
  used: IndexDef[];
  /** Its statements that search tables through foreign keys (DELETEs; see RuleContext.foreignKeySearches). */
  searches: ShapeVerdict[];
  /** How many findings the kept (filtered) lists hold, and those findings in report order once asked for. */
  keptCount: number;
  sorted?: Finding[];
  /** Whether every finding of this file's is in its kept lists (none is about another file). */
  whole: boolean;
}

export interface AnalysisResult {
  findings: Finding[];
  verdicts: ShapeVerdict[];
  /** One file's verdicts, without going through the workspace's (what the editor asks after each keystroke). */
  verdictsIn(file: string): readonly ShapeVerdict[];
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
  /** Schema sources of the workspace not read (another database's, another app's), and why. */
  schemaSkipped: SchemaSourceSkipped[];
}

export class Project {
  readonly files = new Map<string, FileEntry>();
  schema: SchemaModel = emptySchema();
  prismaSchema?: SchemaModel;
  migrationsSchema?: SchemaModel;
  /** The schema.prisma read (the file with the datasource, for a schema split over several files). */
  prismaFile?: string;
  /** Every file of that schema: `prismaFile` first, then the files it is split over. */
  prismaFiles: string[] = [];
  private schemaProblems: Finding[] = [];
  /** Verdicts depend only on the shape, the schema and the options: kept until the schema changes. */
  private verdictCache = new WeakMap<QueryShape, ShapeVerdict>();
  /** Evaluations of distinct accesses, for the current schema and options. */
  private verdictMemo?: VerdictMemo;
  /** Bumped whenever the schema (or the matcher options) may have changed: per-file analyses and schema-rule findings older than this are stale. */
  private generation = 0;
  /** Findings of each `'verdict'`-scoped rule for one verdict (verdicts are per shape and schema generation). */
  private verdictFindings = new Map<string, WeakMap<ShapeVerdict, Finding[]>>();
  /** Findings of `'schema'`-scoped rules for the current generation. */
  private schemaRuleFindings = new Map<string, Finding[]>();
  /** lintMigrations' findings for exactly these migration entries (an edit replaces the entry). */
  private lintCache?: { entries: FileEntry[]; findings: Finding[]; kept?: { levels: string; findings: Finding[] } };
  /** The migrations' statements as the last schema build parsed them, until the migration lint reads them too. */
  private migrationParses = new Map<FileEntry, ParsedStatement[]>();
  /** The texts rules may read (`RuleContext.files`), for these entries. */
  private texts?: { entries: FileEntry[]; files: WorkspaceText[] };
  /** Every file's verdicts and the indexes they can use, for these file analyses (see workloadOf). */
  private workload?: Workload;
  /** Report order of file names and rule ids (see orderFindings). */
  private fileRanks = new Map<string, number>();
  private ruleRanks = new Map<string, number>();
  private skipped: { file: string; reason: string }[] = [];
  /** Parses the SQL of this workspace's files: equal texts once (see cachedSqlParser). */
  private readonly parseSql = cachedSqlParser();
  private schemaSources: string[] = [];
  private schemaChoice?: SchemaChoice;
  /** No schema.prisma maps Prisma models to tables (see unmappedPrismaCalls). */
  private prismaMappingMissing = false;
  private rowFlags: string[] = [];
  /** How many files the last full extraction left to extraction threads (see ProjectOptions.threads). */
  threadedFiles = 0;
  /** The extraction threads open asked for, after the `'auto'` and `minParallelChars` rules. */
  extractionThreads = 0;
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
    const listing = listFiles(roots, absRoot, opts.ignore?.length ? [...config.ignore, ...opts.ignore] : config.ignore);
    if (explicit) {
      // Schema sources named explicitly are read wherever they are: a package may ship its schema in dist/ alone.
      const named = listFiles(explicit, absRoot, [], { accept: (f) => classify(f) === 'prisma-schema' || f.toLowerCase().endsWith('.sql') });
      const listed = new Set(listing.files);
      for (const f of named.files) if (!listed.has(f)) listing.files.push(f);
      listing.skipped.push(...named.skipped);
    }
    if (!explicit && !(roots.length === 1 && roots[0] === absRoot)) {
      // Analysing part of a workspace: its schema still comes from the whole workspace.
      const schemaFiles = listFiles([absRoot], absRoot, config.ignore).files.filter((f) => {
        const k = classify(f);
        return k === 'prisma-schema' || k === 'migration';
      });
      for (const f of schemaFiles) if (!listing.files.includes(f)) listing.files.push(f);
    } else if (explicit && !roots.includes(absRoot) && !listing.files.some((f) => classify(f) === 'prisma-schema' && within(f, explicit))) {
      // Schema sources without a schema.prisma: the workspace's still maps Prisma models to tables (see rebuildSchema).
      const prismaFiles = listFiles([absRoot], absRoot, config.ignore).files.filter((f) => classify(f) === 'prisma-schema');
      for (const f of prismaFiles) if (!listing.files.includes(f)) listing.files.push(f);
    }
    p.skipped = listing.skipped;
    for (const f of listing.files) {
      const text = readText(f, p.skipped);
      if (text !== undefined) p.files.set(f, p.entry(f, text));
    }
    const jobs: ExtractJob[] = [];
    let chars = 0;
    for (const e of p.files.values()) {
      if (!holdsQueries(e.kind)) continue;
      jobs.push({ file: e.file, kind: e.kind, text: e.text });
      chars += e.text.length;
    }
    const threads = opts.threads === 'auto' ? defaultThreads(chars) : chars >= (opts.minParallelChars ?? 0) ? (opts.threads ?? 0) : 0;
    p.extractionThreads = threads;
    const shared = threads > 0 ? extractPool() : undefined;
    // One extraction at a time on the threads: a workspace opened during another's extracts on its own thread.
    const pool = shared && !shared.busy ? shared : undefined;
    pool?.start(threads);
    p.rebuildSchema();
    if (!pool) p.reextractAll();
    else {
      const schema = p.schema;
      // While the threads extract, this thread analyses each file they send back as analyze() would (its
      // verdicts and the findings of the rules that look at one query at a time: what analyze() spends most
      // of its time on), and extracts when it has nothing to analyse. Should the rule levels change before
      // analyze(), it analyses the files again.
      const base = p.ruleBase([...p.files.values()]);
      const perVerdict = p.activeRules().filter((r) => r.scope === 'verdict');
      const levels = p.levelsKey();
      const extracted: FileEntry[] = [];
      await pool.run(jobs, schema, threads, {
        here: (job) => extractFile(job.file, job.kind, job.text, schema, { parseSql: p.parseSql }),
        onResult: (file, r, byThread) => {
          if (byThread) p.threadedFiles++;
          const e = p.files.get(file)!;
          p.setExtraction(e, r);
          extracted.push(e);
        },
        // The migration lint does not depend on the extraction: it runs here while the threads load.
        first: () => p.migrationLint(),
        between: () => {
          const e = extracted.pop();
          if (!e) return false;
          try {
            p.fileAnalysis(e, base, perVerdict, levels);
          } catch {
            // analyze() does it again, and reports what fails there
          }
          return true;
        },
      });
    }
    return p;
  }

  private entry(file: string, text: string): FileEntry {
    return { file, kind: this.kindOf(file), text, shapes: [], problems: [], suppressions: readSuppressions(text) };
  }

  private kindOf(file: string): FileKind {
    const k = classify(file) ?? 'sql';
    // A .sql file named as the schema source is schema, not workload.
    if (k === 'sql' && this.explicitSchema && within(file, this.explicitSchema)) return 'migration';
    return k;
  }

  private isSchemaFile(e: FileEntry): boolean {
    if (!this.inSchemaScope(e)) return false;
    return e.kind !== 'migration' || !this.schemaChoice || this.schemaChoice.usesMigration(e.file);
  }

  /** A schema.prisma or migration among the sources named (all of the workspace's without --schema). */
  private inSchemaScope(e: FileEntry): boolean {
    if (e.kind !== 'prisma-schema' && e.kind !== 'migration') return false;
    return !this.explicitSchema || within(e.file, this.explicitSchema);
  }

  /** A schema source, or a schema.prisma the Prisma mapping may come from (explicit sources without one). */
  private affectsSchema(e: FileEntry): boolean {
    return this.isSchemaFile(e) || (e.kind === 'prisma-schema' && this.explicitSchema !== undefined && !this.prismaSchema);
  }

  /** Rebuilds the index set from schema.prisma and the migrations. */
  private rebuildSchema(): void {
    const inScope = [...this.files.values()].filter((e) => this.inSchemaScope(e));
    this.schemaChoice = chooseSchema(
      inScope.filter((e) => e.kind === 'prisma-schema'),
      inScope.filter((e) => e.kind === 'migration' && !isRollbackFile(e.file)).map((e) => e.file),
      this.root,
    );
    const schemaFiles = inScope.filter((e) => this.isSchemaFile(e));
    const parts = this.schemaChoice.prismaFiles;
    const prismaFiles = parts.map((f) => schemaFiles.find((e) => e.file === f)).filter((e): e is FileEntry => e !== undefined);
    const migrationFiles = schemaFiles.filter((e) => e.kind === 'migration' && !isRollbackFile(e.file));
    this.schemaProblems = [];
    this.migrationParses = new Map(migrationFiles.map((m) => [m, parseMigrationText(m.file, m.text)]));
    this.verdictCache = new WeakMap();
    this.verdictMemo = undefined;
    this.generation++;
    this.schemaRuleFindings = new Map();
    this.prismaSchema = undefined;
    this.migrationsSchema = undefined;
    this.prismaFile = undefined;
    this.prismaFiles = [];
    this.schemaSources = [];
    this.prismaMappingMissing = false;
    if (prismaFiles.length) {
      const loaded = loadPrismaSchemaFiles(prismaFiles);
      this.prismaSchema = loaded.schema;
      this.prismaFile = prismaFiles[0].file;
      this.prismaFiles = prismaFiles.map((pf) => pf.file);
      this.schemaProblems.push(...loaded.problems);
      this.schemaSources.push(...prismaFiles.map((pf) => pf.file));
    }
    if (migrationFiles.length) {
      const loaded = loadMigrations(migrationFiles.map((m) => ({ file: m.file, text: m.text, parsed: this.migrationParses.get(m) })));
      this.migrationsSchema = loaded.schema;
      this.schemaProblems.push(...loaded.problems);
      this.schemaSources.push(...migrationFiles.map((m) => m.file));
    }
    if (this.migrationsSchema && this.prismaSchema && this.prismaSchema.tables.size > 0) this.schema = mergeSchemas(this.migrationsSchema, this.prismaSchema);
    else this.schema = this.migrationsSchema && this.migrationsSchema.tables.size > 0 ? this.migrationsSchema : (this.prismaSchema ?? emptySchema());
    if (!this.prismaSchema && this.explicitSchema) {
      // Explicit schema sources without a schema.prisma: Prisma Client calls name models and fields, which only
      // schema.prisma maps to tables and columns. The workspace's schema.prisma (found as discovery finds it)
      // gives that mapping; the index set still comes from the explicit sources alone.
      const all = [...this.files.values()].filter((e) => e.kind === 'prisma-schema');
      const found = chooseSchema(all, [], this.root).prismaFiles.map((f) => all.find((e) => e.file === f)).filter((e): e is FileEntry => e !== undefined);
      if (found.length) {
        const loaded = loadPrismaSchemaFiles(found);
        this.schemaProblems.push(...loaded.problems);
        if (loaded.schema.prisma) {
          this.schema = withPrismaMapping(this.schema, loaded.schema);
          this.prismaFile = found[0].file;
          this.prismaFiles = found.map((pf) => pf.file);
        }
      }
    }
    this.prismaMappingMissing = !this.schema.prisma;
    if (this.live) this.schema = overlayLiveSchema(this.live, this.schema);
  }

  /** Extracts the file's shapes; `prev`: the entry it replaces, whose extraction may be partly reused. */
  private extract(e: FileEntry, prev?: FileEntry): void {
    this.setExtraction(e, extractFile(e.file, e.kind, e.text, this.schema, { prev: prev?.reuse, parseSql: this.parseSql }));
  }

  private setExtraction(e: FileEntry, r: FileExtraction): void {
    e.shapes = r.shapes;
    e.problems = r.problems;
    e.reuse = r.reuse;
    e.moved = r.moved;
    e.analysis = undefined;
    e.spans = undefined;
  }

  private reextractAll(): void {
    for (const e of this.files.values()) this.extract(e);
  }

  /** Replaces a file's text (an editor buffer); returns true when the schema changed. */
  updateFile(file: string, text: string): boolean {
    const abs = path.resolve(file);
    const kind = classify(abs);
    if (!kind) return false;
    const prev = this.files.get(abs);
    const e = this.entry(abs, text);
    if (prev) this.files.set(abs, e);
    else this.insertListed(abs, e);
    if (this.affectsSchema(e)) {
      this.rebuildSchema();
      this.reextractAll();
      return true;
    }
    this.extract(e, prev?.kind === e.kind ? prev : undefined);
    // Edited again before being analysed: what this edit moved, followed back to what was analysed.
    if (prev?.moved) e.moved = chainedMoves(e.shapes, e.moved, prev.moved);
    return false;
  }

  /**
   * Adds a file where opening the workspace would list it, so a file created in the editor has its verdicts
   * (and so the migration's order) where a fresh analysis puts them, not last.
   */
  private insertListed(abs: string, e: FileEntry): void {
    const listed = [...this.files];
    const at = listed.findIndex(([f]) => compareListingOrder(abs, f) < 0);
    if (at < 0) {
      this.files.set(abs, e);
      return;
    }
    listed.splice(at, 0, [abs, e]);
    this.files.clear();
    for (const [f, x] of listed) this.files.set(f, x);
  }

  /** Whether `file` is one of the schema sources named explicitly (--schema, `schema` in the config), or inside one. */
  namesAsSchema(file: string): boolean {
    return this.explicitSchema !== undefined && within(path.resolve(file), this.explicitSchema);
  }

  removeFile(file: string): void {
    const abs = path.resolve(file);
    const e = this.files.get(abs);
    if (!e) return;
    this.files.delete(abs);
    if (this.affectsSchema(e)) {
      this.rebuildSchema();
      this.reextractAll();
    }
  }

  /**
   * Makes a live database (loadLiveSchema) the index set: its tables, indexes and statistics, with
   * the workspace's locations; its row estimates replace the configured ones (`--rows` flags still win),
   * its version and parallel-scan settings the configured `serverVersion` and `maxParallelWorkersPerGather`.
   * Drift against the workspace and the unused-index rule come with it.
   */
  useLiveSchema(live: LiveSchema): void {
    this.live = live;
    this.config.matcher = liveMatcherOptions(live, this.config.matcher);
    if (this.rowFlags.length) applyRowFlags(this.config, this.rowFlags);
    this.rebuildSchema();
    this.reextractAll();
  }

  /** The migration files the schema is built from (the embedded database loads them). */
  migrationFiles(): { file: string; text: string }[] {
    return [...this.files.values()].filter((e) => e.kind === 'migration' && this.isSchemaFile(e)).map((e) => ({ file: e.file, text: e.text }));
  }

  /** The schema.prisma file that declares `model` (the one read, when not known). */
  prismaFileOf(model: string | undefined): string | undefined {
    const declared = model ? this.schema.prisma?.models.get(model)?.location?.file : undefined;
    return declared && this.prismaFiles.includes(declared) ? declared : this.prismaFile;
  }

  /** The text of the schema.prisma read, all its files joined (its generator and datasource blocks may be in any of them). */
  prismaSchemaText(): string | undefined {
    if (!this.prismaFiles.length) return undefined;
    return joinPrismaFiles(this.prismaFiles.map((file) => ({ file, text: this.files.get(file)?.text ?? '' }))).text;
  }

  shapes(): QueryShape[] {
    return [...this.files.values()].flatMap((e) => e.shapes);
  }

  /**
   * Verdicts and findings for the whole workspace. What depends on one file alone (its verdicts,
   * its problems, the findings of `'verdict'`-scoped rules, all filtered) is kept with the file,
   * what depends on the schema alone (`'schema'`-scoped rules) until the schema changes, and the
   * migration lint until a migration changes; the other rules run every time. The result is the
   * same as running everything afresh: findings come in the same order, then are sorted the same way.
   */
  analyze(): AnalysisResult {
    const entries = [...this.files.values()];
    const base = this.ruleBase(entries);
    const rules = this.activeRules();
    const perVerdict = rules.filter((r) => r.scope === 'verdict');
    const levels = this.levelsKey();
    const analyses = entries.map((e) => this.fileAnalysis(e, base, perVerdict, levels));
    const workload = (this.workload = workloadOf(analyses, this.workload));
    const ctx: RuleContext = {
      ...base,
      // Most rules that run on every analysis read the used indexes and the foreign-key searches only.
      get verdicts() {
        return allVerdicts(workload);
      },
      queryCount: workload.count,
      unresolvedQueries: workload.unresolved,
      usedIndexes: workload.used,
      foreignKeySearches: workload.searches,
      get verdictsByFile() {
        return (workload.byFile ??= workload.analyses.map((a) => a.verdicts));
      },
    };

    // In the order the findings were always gathered: schema problems, file problems, migration lint, rules.
    // A file's kept lists are not copied here, only noted where they come in that order (see orderFindings).
    const findings: Finding[] = [];
    const runs: Run[] = [];
    const keep = (list: Finding[]) => {
      for (const f of list) {
        const g = this.filterFinding(f);
        if (g) findings.push(g);
      }
    };
    const add = (list: Finding[], owner: FileAnalysis) => {
      if (list.length) runs.push({ at: findings.length, list, owner });
    };
    keep(this.schemaProblems);
    // Gathered again only when a file's analysis changed (the schema changes them all).
    workload.unmapped ??= { finding: this.unmappedPrismaCalls(entries), leftOut: this.leftOutInCalls(entries) };
    const unmapped = workload.unmapped.finding;
    if (unmapped) keep([unmapped]);
    keep(workload.unmapped.leftOut);
    analyses.forEach((a, i) => (a.problems ? add(a.problems, a) : keep(entries[i].problems)));
    // Migration files are also linted as migrations (locks, transactions, the schema at each point of the history).
    const lint = this.migrationLint(entries);
    // Filtered once while the migration files (their suppressions come with them) and the rule levels stay the same.
    if (lint.kept?.levels !== levels) {
      const mine = new Set(lint.entries.map((e) => e.file));
      lint.kept = lint.findings.every((f) => mine.has(f.file)) ? { levels, findings: lint.findings.map((f) => this.filterFinding(f)).filter((f): f is Finding => f !== undefined) } : undefined;
    }
    if (lint.kept) for (const f of lint.kept.findings) findings.push(f);
    else keep(lint.findings);
    for (const rule of rules) {
      if (rule.scope === 'verdict') {
        for (const a of analyses) {
          const r = a.rules.get(rule.id)!;
          if (r.filtered) add(r.filtered, a);
          else keep(r.raw);
        }
      } else if (rule.scope === 'schema') {
        let list = this.schemaRuleFindings.get(rule.id);
        if (!list) this.schemaRuleFindings.set(rule.id, (list = rule.run(ctx)));
        keep(list);
      } else keep(rule.run(ctx));
    }
    let copy: ShapeVerdict[] | undefined;
    let byFile: Map<string, readonly ShapeVerdict[]> | undefined;
    return {
      findings: this.orderFindings(findings, runs, analyses),
      // Flattened when first read: an edit's analysis is read for its findings, most of the time.
      get verdicts() {
        return (copy ??= [...allVerdicts(workload)]);
      },
      verdictsIn(file) {
        byFile ??= new Map(analyses.map((a) => [a.file, a.verdicts]));
        return byFile.get(path.resolve(file)) ?? [];
      },
      schema: this.schema,
      stats: {
        files: this.files.size,
        queries: workload.count,
        tables: this.schema.tables.size,
        indexes: [...this.schema.tables.values()].reduce((n, t) => n + t.indexes.length, 0),
        skipped: this.skipped,
        schemaSources: this.schemaSources,
        schemaSkipped: this.schemaChoice?.skipped ?? [],
      },
    };
  }

  /**
   * Without a schema.prisma, a Prisma Client call's table is guessed as its model name: one finding
   * (not one "not in the schema" per call) when such guesses miss the schema, at the first such call.
   */
  private unmappedPrismaCalls(entries: FileEntry[]): Finding | undefined {
    if (!this.prismaMappingMissing || this.schema.tables.size === 0) return undefined;
    const calls: QueryShape[] = [];
    const models = new Set<string>();
    for (const e of entries) {
      for (const s of e.shapes) {
        if (s.origin !== 'prisma') continue;
        const missing = s.accesses.filter((a) => !this.schema.tables.has(a.table));
        if (!missing.length) continue;
        calls.push(s);
        for (const a of missing) models.add(a.table);
      }
    }
    if (!calls.length) return undefined;
    const at = (s: QueryShape) => s.location;
    calls.sort((a, b) => at(a).file.localeCompare(at(b).file) || at(a).range.start.line - at(b).range.start.line || at(a).range.start.character - at(b).range.start.character);
    const files = new Set(calls.map((c) => c.location.file)).size;
    const why = this.explicitSchema
      ? 'the schema sources given (--schema, or "schema" in the config) include no schema.prisma and the workspace has none'
      : 'the workspace has no schema.prisma that Prisma\'s engine could read';
    const todo = this.explicitSchema ? 'Add the schema.prisma to the schema sources' : 'Add the schema.prisma to the workspace, or pass it with --schema';
    const shown = [...models].slice(0, 5).map((m) => `"${m}"`).join(', ');
    return {
      rule: 'schema-drift',
      severity: 'warning',
      message:
        `${calls.length} Prisma Client call${calls.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} can't be analysed without schema.prisma: ${why}, so their models (${shown}${models.size > 5 ? ', …' : ''}) can't be mapped to tables and columns. ` +
        `${todo}. Until then no index is checked for these calls, and unused-by-workload may report indexes only they use.`,
      file: calls[0].location.file,
      range: calls[0].location.range,
      related: [],
    };
  }

  /**
   * A Prisma Client call on a model schema.prisma's errors left out (see loadPrismaSchema), or naming a
   * relation field left out with the model it points at: at the call, why no index is checked for it (or
   * for that part of it) — the schema error is in another file, out of sight while typing here.
   */
  private leftOutInCalls(entries: FileEntry[]): Finding[] {
    const mapping = prismaMappingOf({ schema: this.schema, prismaSchema: this.prismaSchema });
    if (!mapping?.leftOut?.length && !mapping?.leftOutFields?.size) return [];
    // A call on a model the mapping doesn't know has its table guessed from the accessor (`user` → "User"):
    // matched by accessor, so `model user` and `model order_item` are found too.
    const accessor = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
    const byAccessor = new Map((mapping.leftOut ?? []).map((name) => [accessor(name), name]));
    const out: Finding[] = [];
    for (const e of entries) {
      for (const s of e.shapes) {
        if (s.origin !== 'prisma') continue;
        for (const use of s.leftOut ?? []) {
          const field = mapping.leftOutFields?.get(use.field);
          const because = field?.because;
          const block = because !== undefined ? mapping.leftOutAt?.get(because) : undefined;
          const why = because === undefined ? 'it has an error' : block ? `${block.kind} "${because}", which it points at, is left out too` : `its other side, "${because}", is left out too`;
          out.push({
            rule: 'parse-error',
            severity: 'info',
            message: `${s.label}: relation field "${use.field}" is left out of the analysis because ${why}, so what this call asks of it is not checked until schema.prisma is fixed.`,
            file: s.location.file,
            range: use.range,
            related: field && this.prismaFile ? [{ file: field.file ?? this.prismaFile, range: field.range, message: `Relation field "${use.field}", left out` }] : [],
          });
        }
        const guessed = s.accesses.find((a) => byAccessor.has(accessor(a.table)) && !this.schema.tables.has(a.table));
        if (!guessed) continue;
        const name = byAccessor.get(accessor(guessed.table))!;
        const at = mapping.leftOutAt?.get(name);
        const what = `${at?.kind ?? 'model'} "${name}"`;
        out.push({
          rule: 'parse-error',
          severity: 'info',
          message: `${s.label}: ${what} is left out of the analysis because schema.prisma has an error in it, so no index is checked for this call until the schema is fixed.`,
          file: s.location.file,
          range: s.location.range,
          related: at && this.prismaFile ? [{ file: at.file ?? this.prismaFile, range: at.range, message: `${what.charAt(0).toUpperCase()}${what.slice(1)}, left out` }] : [],
        });
      }
    }
    return out;
  }

  /** What every rule sees but the verdicts. */
  private ruleBase(entries: FileEntry[]): RuleContext {
    return {
      schema: this.schema,
      verdicts: [],
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
      files: this.workspaceTexts(entries),
      appInstances: this.config.appInstances,
    };
  }

  private activeRules(): Rule[] {
    return RULES.filter((r) => this.config.rules[r.id] !== 'off');
  }

  /** The rule levels as one string, to tell whether a file's analysis was made with the current ones. */
  private levelsKey(): string {
    return JSON.stringify(Object.entries(this.config.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** lintMigrations' findings for the current migration files, kept until one of them changes. */
  private migrationLint(entries: FileEntry[] = [...this.files.values()]): NonNullable<Project['lintCache']> {
    const migrations = entries.filter((e) => e.kind === 'migration' && this.isSchemaFile(e));
    if (!this.lintCache || !sameEntries(this.lintCache.entries, migrations)) {
      this.lintCache = { entries: migrations, findings: lintMigrations(migrations.map((e) => ({ file: e.file, text: e.text, parsed: this.migrationParses.get(e) }))) };
    }
    this.migrationParses = new Map();
    return this.lintCache;
  }

  private workspaceTexts(entries: FileEntry[]): WorkspaceText[] {
    if (this.texts && sameEntries(this.texts.entries, entries)) return this.texts.files;
    const files: WorkspaceText[] = [];
    for (const e of entries) {
      if (e.kind !== 'env' && e.kind !== 'prisma-schema' && e.kind !== 'script') continue;
      e.asText ??= { file: e.file, kind: e.kind, text: e.text };
      files.push(e.asText);
    }
    this.texts = { entries, files };
    return files;
  }

  private verdictOf(shape: QueryShape): ShapeVerdict {
    let v = this.verdictCache.get(shape);
    if (!v) {
      if (this.verdictMemo?.schema !== this.schema || this.verdictMemo.opts !== this.config.matcher) this.verdictMemo = new VerdictMemo(this.schema, this.config.matcher);
      v = this.verdictMemo.verdictOf(shape);
      this.verdictCache.set(shape, v);
    }
    return v;
  }

  /** The file's verdicts and findings, computed once per file text, schema generation and rule levels (`levels`, see levelsKey). */
  private fileAnalysis(e: FileEntry, base: RuleContext, rules: Rule[], levels: string): FileAnalysis {
    if (e.analysis && e.analysis.generation === this.generation && e.analysis.levels === levels) return e.analysis;
    // A query the last edit only moved: its verdict and findings before the edit, moved.
    const moved = e.moved;
    e.moved = undefined;
    const before = new Map<ShapeVerdict, { was: ShapeVerdict; moves: LineMove[] }>();
    const verdicts = e.shapes.map((s) => {
      const from = moved?.from.get(s);
      const was = from && !this.verdictCache.has(s) ? this.verdictCache.get(from.was) : undefined;
      const now = was && movedVerdict(was, from!.was, s);
      if (!now) return this.verdictOf(s);
      this.verdictCache.set(s, now);
      before.set(now, { was, moves: from!.moves });
      return now;
    });
    // Filtering reads the suppressions and queries of the finding's file: kept only when that is this file.
    const filtered = (list: Finding[]): Finding[] | undefined => {
      if (!list.every((f) => f.file === e.file)) return undefined;
      const out: Finding[] = [];
      for (const f of list) {
        const g = this.filterFinding(f, e);
        if (g) out.push(g);
      }
      return out;
    };
    const byRule = new Map<string, { raw: Finding[]; filtered?: Finding[] }>();
    for (const rule of rules) {
      // A 'verdict' rule's findings for the file are its findings for each verdict in turn: kept per verdict, so
      // after an edit only the queries that changed are looked at again.
      const raw: Finding[] = [];
      let kept = this.verdictFindings.get(rule.id);
      if (!kept) this.verdictFindings.set(rule.id, (kept = new WeakMap()));
      for (const v of verdicts) {
        let list = kept.get(v);
        if (!list) {
          const was = before.get(v);
          const had = was && kept.get(was.was);
          kept.set(v, (list = had ? movedFindings(had, e.file, was.moves) : rule.run({ ...base, verdicts: [v] })));
        }
        for (const f of list) raw.push(f);
      }
      byRule.set(rule.id, { raw, filtered: filtered(raw) });
    }
    const used = addIndexesUsed(new Set<IndexDef>(), verdicts);
    const searches = verdicts.filter((v) => v.accesses.some((a) => a.access.foreignKeyCheck));
    const problems = filtered(e.problems);
    let keptCount = problems?.length ?? 0;
    for (const r of byRule.values()) keptCount += r.filtered?.length ?? 0;
    const whole = problems !== undefined && [...byRule.values()].every((r) => r.filtered !== undefined);
    e.analysis = { file: e.file, generation: this.generation, levels, verdicts, problems, rules: byRule, used: [...used], searches, keptCount, whole };
    return e.analysis;
  }

  /** The finding as reported (its rule's configured level), or undefined when the rule is off or a comment suppresses it. */
  private filterFinding(f: Finding, entry: FileEntry | undefined = this.files.get(f.file)): Finding | undefined {
    const level = this.config.rules[f.rule];
    if (level === 'off') return undefined;
    if (entry && isSuppressed(f, entry.suppressions, (entry.spans ??= new ShapeSpans(entry.shapes)).startLinesAt(f.range.start))) return undefined;
    return level ? { ...f, severity: level } : f;
  }

  /**
   * The gathered findings sorted like `all.sort(compareFindings)` (a stable sort: by file, line, character
   * and rule, ties in gathering order), where `all` is `findings` with each run's list put in before the
   * finding at its `at`. File names and rule ids are ranked once by the collation localeCompare uses. A file
   * whose findings are exactly its kept lists (a query file) gets them in the order sorted once and kept,
   * without a look at each of them: after an edit, only the edited file's are sorted again.
   */
  private orderFindings(findings: Finding[], runs: Run[], analyses: FileAnalysis[]): Finding[] {
    let files = this.fileRanks;
    let rules = this.ruleRanks;
    const rank = (names: Map<string, number>, name: string, more: () => string[]): Map<string, number> => (names.has(name) ? names : collationRanks([...names.keys(), ...more()]));
    const allFiles = () => [...findings.map((x) => x.file), ...analyses.map((a) => a.file)];
    for (const f of findings) files = rank(files, f.file, allFiles);
    for (const a of analyses) files = rank(files, a.file, allFiles);
    this.fileRanks = files;
    /** Sorts findings of one file group; the rules of a kept list are ranked here, when it is first sorted. */
    const sortByPosition = (members: { f: Finding; i: number }[]) => {
      for (const m of members) rules = rank(rules, m.f.rule, () => members.map((x) => x.f.rule));
      const r = rules;
      return members.sort((a, b) => a.f.range.start.line - b.f.range.start.line || a.f.range.start.character - b.f.range.start.character || r.get(a.f.rule)! - r.get(b.f.rule)! || a.i - b.i);
    };
    // Group by file rank (files whose names compare equal share a group, as they would in the sort).
    // Ranks are 0, 1, 2…: groups indexed by rank come out in order. A group of one file whose findings are
    // all its kept lists takes them as sorted once; any other group with kept lists is sorted from its runs.
    const groupOwner: (FileAnalysis | undefined)[] = [];
    const mixed: boolean[] = [];
    for (const a of analyses) {
      if (a.keptCount === 0) continue;
      const g = files.get(a.file)!;
      if (groupOwner[g] || !a.whole) mixed[g] = true;
      groupOwner[g] = a;
    }
    const groupSingles: (number[] | undefined)[] = [];
    findings.forEach((f, i) => {
      const g = files.get(f.file)!;
      (groupSingles[g] ??= []).push(i);
      if (groupOwner[g]) mixed[g] = true;
    });
    let groupRuns: number[][] | undefined;
    const runsOf = (g: number): number[] => {
      if (!groupRuns) {
        groupRuns = [];
        runs.forEach((r, k) => (groupRuns![files.get(r.owner.file)!] ??= []).push(k));
      }
      return groupRuns[g] ?? [];
    };
    // Where each run's first finding and each loose finding come in the gathering order, for a group that
    // mixes them: a run's list comes before the loose finding at its `at`.
    let before: number[] | undefined;
    const listed = () => {
      if (!before) {
        before = [0];
        for (const r of runs) before.push(before[before.length - 1] + r.list.length);
      }
      return before;
    };
    const runStart = (k: number) => runs[k].at + listed()[k];
    const looseAt = (i: number) => {
      let lo = 0;
      let hi = runs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (runs[mid].at <= i) lo = mid + 1;
        else hi = mid;
      }
      return i + listed()[lo];
    };
    const out: Finding[] = [];
    const ranks = Math.max(groupOwner.length, groupSingles.length);
    for (let g = 0; g < ranks; g++) {
      const owner = groupOwner[g];
      if (owner && !mixed[g]) {
        // Its lists in gathering order: its problems, then each rule's (the rules map is in rule order).
        owner.sorted ??= sortByPosition([owner.problems!, ...[...owner.rules.values()].map((r) => r.filtered!)].flat().map((f, i) => ({ f, i }))).map((x) => x.f);
        for (const f of owner.sorted) out.push(f);
        continue;
      }
      const singles = groupSingles[g] ?? [];
      const ks = owner ? runsOf(g) : [];
      if (ks.length === 0 && singles.length === 0) continue;
      const members: { f: Finding; i: number }[] = [];
      for (const k of ks) runs[k].list.forEach((f, j) => members.push({ f, i: runStart(k) + j }));
      // Loose findings alone keep their order among themselves: their own indexes do.
      for (const i of singles) members.push({ f: findings[i], i: ks.length ? looseAt(i) : i });
      for (const m of sortByPosition(members)) out.push(m.f);
    }
    this.ruleRanks = rules;
    return out;
  }
}

/** Every file's verdicts and what the rules that run on every analysis read of them. */
interface Workload {
  analyses: FileAnalysis[];
  /** How many verdicts the analyses hold. */
  count: number;
  /** How many of them are of queries not analysed (QueryShape.unresolved). */
  unresolved: number;
  /** The indexes some verdict can use, and how many of the analyses list each. */
  used: Set<IndexDef>;
  usedBy: Map<IndexDef, number>;
  searches: ShapeVerdict[];
  /** The analyses' verdicts in file order, once read (see allVerdicts). */
  verdicts?: ShapeVerdict[];
  /** The analyses' verdict lists, once read (RuleContext.verdictsByFile). */
  byFile?: (readonly ShapeVerdict[])[];
  unmapped?: { finding?: Finding; leftOut: Finding[] };
}

/**
 * The workload of these file analyses. After an edit only the analyses that changed are looked at: what
 * they used is taken off and what they use now added, so a keystroke costs the edited file, not the
 * workspace's ~20,000 verdicts. The previous workload is never changed (a result may hold its sets).
 */
function workloadOf(analyses: FileAnalysis[], prev: Workload | undefined): Workload {
  if (prev && prev.analyses.length === analyses.length && analyses.every((a, i) => a.file === prev.analyses[i].file)) {
    const changed: number[] = [];
    for (let i = 0; i < analyses.length; i++) if (analyses[i] !== prev.analyses[i]) changed.push(i);
    if (changed.length === 0) return prev;
    if (changed.length <= analyses.length / 4) {
      const usedBy = new Map(prev.usedBy);
      let count = prev.count;
      let unresolved = prev.unresolved;
      let searchesChanged = false;
      for (const i of changed) {
        const was = prev.analyses[i];
        const now = analyses[i];
        count += now.verdicts.length - was.verdicts.length;
        unresolved += unresolvedIn(now) - unresolvedIn(was);
        for (const x of was.used) {
          const n = usedBy.get(x)! - 1;
          if (n === 0) usedBy.delete(x);
          else usedBy.set(x, n);
        }
        for (const x of now.used) usedBy.set(x, (usedBy.get(x) ?? 0) + 1);
        searchesChanged ||= was.searches.length > 0 || now.searches.length > 0;
      }
      const searches = searchesChanged ? searchesOf(analyses) : prev.searches;
      return { analyses, count, unresolved, used: new Set(usedBy.keys()), usedBy, searches };
    }
  }
  const usedBy = new Map<IndexDef, number>();
  let count = 0;
  let unresolved = 0;
  for (const a of analyses) {
    count += a.verdicts.length;
    unresolved += unresolvedIn(a);
    for (const x of a.used) usedBy.set(x, (usedBy.get(x) ?? 0) + 1);
  }
  return { analyses, count, unresolved, used: new Set(usedBy.keys()), usedBy, searches: searchesOf(analyses) };
}

function unresolvedIn(a: FileAnalysis): number {
  let n = 0;
  for (const v of a.verdicts) if (v.shape.unresolved) n++;
  return n;
}

function searchesOf(analyses: FileAnalysis[]): ShapeVerdict[] {
  const out: ShapeVerdict[] = [];
  for (const a of analyses) if (a.searches.length) for (const v of a.searches) out.push(v);
  return out;
}

function allVerdicts(w: Workload): ShapeVerdict[] {
  if (!w.verdicts) {
    const out: ShapeVerdict[] = [];
    for (const a of w.analyses) for (const v of a.verdicts) out.push(v);
    w.verdicts = out;
  }
  return w.verdicts;
}

/** One of a file's kept lists, gathered before the loose finding at index `at`. */
interface Run {
  at: number;
  list: Finding[];
  owner: FileAnalysis;
}

function sameEntries(a: FileEntry[], b: FileEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

/** The collation String.prototype.localeCompare uses (no locale, no options). */
const COLLATOR = new Intl.Collator();

/** Ranks strings in localeCompare order; strings that compare equal share a rank. */
function collationRanks(names: string[]): Map<string, number> {
  const sorted = [...new Set(names)].sort(COLLATOR.compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  sorted.forEach((n, i) => {
    if (i > 0 && COLLATOR.compare(sorted[i - 1], n) !== 0) rank++;
    ranks.set(n, rank);
  });
  return ranks;
}

type Pos = { line: number; character: number };

function atOrBefore(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** A file's queries by position, to find those whose range contains a position (a suppression's statement). */
class ShapeSpans {
  /** Per query (in file order, when sorted by start): the furthest end of it and the queries before it. */
  private readonly reach?: Pos[];

  constructor(private readonly shapes: QueryShape[]) {
    let sorted = true;
    for (let i = 1; i < shapes.length && sorted; i++) sorted = atOrBefore(shapes[i - 1].location.range.start, shapes[i].location.range.start);
    if (!sorted) return;
    this.reach = [];
    let far: Pos | undefined;
    for (const s of shapes) {
      const end = s.location.range.end;
      far = far && atOrBefore(end, far) ? far : end;
      this.reach.push(far);
    }
  }

  /** First lines of the queries whose range contains `p`, in file order. */
  startLinesAt(p: Pos): number[] {
    const contains = (s: QueryShape) => atOrBefore(s.location.range.start, p) && atOrBefore(p, s.location.range.end);
    if (!this.reach) return this.shapes.filter(contains).map((s) => s.location.range.start.line);
    // The last query starting at or before p, then back while an earlier query may still reach p.
    let lo = 0;
    let hi = this.shapes.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (atOrBefore(this.shapes[mid].location.range.start, p)) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const lines: number[] = [];
    for (let j = k; j >= 0 && atOrBefore(p, this.reach[j]); j--) if (contains(this.shapes[j])) lines.push(this.shapes[j].location.range.start.line);
    return lines.reverse();
  }
}

/** `file` is one of `sources` or inside one of them. */
function within(file: string, sources: string[]): boolean {
  return sources.some((s) => file === s || file.startsWith(s + path.sep));
}

/**
 * `schema` (its tables and indexes unchanged) with the Prisma mapping of `prisma`: the model→table and
 * field→column names, relations, and each table's model name.
 */
function withPrismaMapping(schema: SchemaModel, prisma: SchemaModel): SchemaModel {
  const tables = new Map<string, TableDef>();
  for (const [name, t] of schema.tables) {
    const model = prisma.tables.get(name)?.model;
    tables.set(name, model && !t.model ? { ...t, model } : t);
  }
  return { ...schema, tables, prisma: prisma.prisma };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);
}
