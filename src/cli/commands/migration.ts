import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkGenerateOptions, GenerateError, generateOptimizationMigration, writeGenerated } from '../../core/migration/generate';
import { keptReason } from '../../core/migration/plan';
import { Project } from '../../core/project';
import { displayPath } from '../format/paths';
import { type Command, type Out, noSchemaFound, UsageError } from '../io';
import { VERSION } from '../version';
import { existing, type OptionSpecs, SCHEMA_OPTION, WORKSPACE_OPTIONS } from '../options';

const OPTIONS = {
  ...SCHEMA_OPTION,
  out: { type: 'string', value: 'dir', description: 'Folder to write the migration, its rollback and its README to (default migrations).' },
  prisma: { type: 'boolean', description: 'Also edit schema.prisma and write the migration in Prisma\'s layout (<timestamp>_index_optimization/migration.sql).' },
  timestamp: { type: 'string', value: 'YYYYMMDDHHMMSS', description: 'Timestamp of the migration\'s name (default: the latest migration\'s + 1 s).' },
  'min-severity': { type: 'string', value: 'warning|info', description: 'Lowest severity of the findings to act on (default warning).' },
  'lock-timeout': { type: 'string', value: 'duration', description: 'lock_timeout the migration sets: a number with an optional unit us, ms, s, min, h or d (default 5s).' },
  'statement-timeout': { type: 'string', value: 'duration', description: 'statement_timeout the migration sets: a number with an optional unit us, ms, s, min, h or d (default 1h).' },
  stdout: { type: 'boolean', description: 'Print the migration instead of writing the files.' },
  check: { type: 'boolean', description: 'Write nothing; exit 1 when the files on disk differ from what would be written (for CI).' },
  ...WORKSPACE_OPTIONS,
} as const satisfies OptionSpecs;

async function migration(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const minSeverity = values['min-severity'] ?? 'warning';
  if (minSeverity !== 'warning' && minSeverity !== 'info') throw new UsageError('--min-severity must be warning or info');
  const paths = existing(positionals.length ? positionals : ['.'], 'path');
  const schema = values.schema ? existing(values.schema, 'schema') : undefined;
  const first = path.resolve(paths[0]);
  const root = fs.statSync(first).isDirectory() ? first : path.dirname(first);
  const outDir = values.out ?? 'migrations';
  // What goes into the SQL is checked before the analysis: a usage error, never a broken or injected statement.
  try {
    checkGenerateOptions({ timestamp: values.timestamp, lockTimeout: values['lock-timeout'], statementTimeout: values['statement-timeout'] });
  } catch (e) {
    if (e instanceof GenerateError) throw new UsageError(e.message);
    throw e;
  }
  if (!values.stdout) checkOutDir(outDir);
  const project = await Project.open(root, { paths, schema, rows: values.rows, configFile: values.config });
  const result = project.analyze();
  // As `check`: with no schema there is no index set to change, and an empty migration would say nothing was wrong.
  if (noSchemaFound(result, root, err)) return 2;
  // The command as shown in the files: relative paths, options in a fixed order.
  const shownArgs = [
    ...paths.map((p) => displayPath(path.resolve(p))),
    ...(schema ?? []).flatMap((s) => ['--schema', displayPath(path.resolve(s))]),
    '--out',
    displayPath(path.resolve(outDir)),
    ...(values.prisma ? ['--prisma'] : []),
    ...(values.timestamp ? ['--timestamp', values.timestamp] : []),
    ...(minSeverity !== 'warning' ? ['--min-severity', minSeverity] : []),
  ];
  let g;
  try {
    g = generateOptimizationMigration(project, result, {
      outDir,
      timestamp: values.timestamp,
      minSeverity,
      prisma: values.prisma,
      lockTimeout: values['lock-timeout'],
      statementTimeout: values['statement-timeout'],
      command: `pg-index-review migration ${shownArgs.join(' ')}`,
      toolVersion: VERSION,
    });
  } catch (e) {
    if (e instanceof GenerateError) throw new UsageError(e.message);
    throw e;
  }
  if (values.stdout) {
    out.write(g.files[0].text);
    return 0;
  }
  if (values.check) {
    // CI: the files on disk must be what the tool generates now.
    const stale = g.files.filter((f) => !fs.existsSync(f.path) || fs.readFileSync(f.path, 'utf8') !== f.text);
    for (const f of stale) out.write(`${fs.existsSync(f.path) ? 'differs' : 'missing'}: ${displayPath(f.path)}\n`);
    out.write(stale.length ? `${stale.length} generated file${stale.length === 1 ? ' is' : 's are'} out of date: regenerate with ${g.files[0] ? `\`${shownArgs.length ? `pg-index-review migration ${shownArgs.join(' ')}` : ''}\`` : ''}\n` : `${g.files.length} generated files are up to date\n`);
    return stale.length ? 1 : 0;
  }
  const written = writeGenerated(g);
  const p = g.plan;
  out.write(`${g.name}: ${p.creates.length} new index${p.creates.length === 1 ? '' : 'es'}, ${p.drops.length} dropped, on ${p.tables.length} tables.\n`);
  for (const c of p.creates) {
    const n = c.serves.length + (c.paginates?.length ?? 0);
    out.write(`  + ${c.index.table}.${c.index.name} (${n} quer${n === 1 ? 'y' : 'ies'}${c.merged.length ? `, merges ${c.merged.length} other proposal${c.merged.length === 1 ? '' : 's'}` : ''}${c.paginates?.length ? ', per-parent list' : ''})\n`);
  }
  for (const d of p.drops) out.write(`  - ${d.index.table}.${d.index.name} (${d.reason})\n`);
  for (const k of p.kept) out.write(`  = ${k.index.table}.${k.index.name} kept: ${keptReason(k, `${displayPath(k.query.location.file)}:${k.query.location.range.start.line + 1}`)}\n`);
  const warn = g.residual.missing.filter((f) => f.severity === 'warning' || f.severity === 'error').length;
  out.write(`After it, the analysis finds ${g.residual.redundant.length} redundant indexes and ${warn} index proposals at warning level (${g.residual.missing.length - warn} info-level proposals left out).\n`);
  for (const f of written) out.write(`wrote ${displayPath(f)}\n`);
  for (const w of g.warnings) err.write(`warning: ${w}\n`);
  return 0;
}

/** A usage error when --out (or a folder above it) exists and is not a folder: the files could not be written there. */
function checkOutDir(outDir: string): void {
  for (let d = path.resolve(outDir); ; d = path.dirname(d)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch {
      st = undefined;
    }
    if (st) {
      if (st.isDirectory()) return;
      if (d === path.resolve(outDir)) throw new UsageError(`--out ${outDir} exists and is not a folder`);
      throw new UsageError(`--out ${outDir} can't be created: ${displayPath(d)} exists and is not a folder`);
    }
    if (d === path.dirname(d)) return;
  }
}

export const migrationCommand: Command = {
  name: 'migration',
  usage: `pg-index-review migration [path…] [--schema …]… [--out dir] [--prisma] [--timestamp YYYYMMDDHHMMSS]
                          [--min-severity warning|info] [--lock-timeout 5s] [--statement-timeout 1h] [--stdout] [--check]`,
  summary:
    'Turns the findings into one optimization migration: creates the proposed indexes (merged, so one composite index serves several queries) before dropping the redundant and low-selectivity ones, CONCURRENTLY, with lock_timeout/statement_timeout and ANALYZE; writes <timestamp>_index_optimization.sql, its _rollback.sql and a README explaining each statement. --prisma also edits schema.prisma and writes a Prisma-layout migration. --check exits 1 when the files on disk differ from what it would write.',
  options: OPTIONS,
  run: (args, io) => migration(args, io.out, io.err),
};
