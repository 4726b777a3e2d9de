/** A migration file as the steps `apply` runs: one statement each, with what it will actually send. */
import { LineIndex } from '../../model/location';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { parseSqlDocument } from '../../sql/parser';
import { describeStatement, type StatementInfo, withConcurrently } from '../statements';
import { migrationName } from '../lint/history';

export interface Step {
  ordinal: number;
  info: StatementInfo;
  /** Line of the statement (1-based). */
  line: number;
  /** The SQL sent: CONCURRENTLY added to CREATE/DROP INDEX on existing tables outside a transaction block, SET LOCAL run as SET. */
  runAs: string;
  /** Why runAs differs from the text. */
  changed?: string;
  /** Inside a BEGIN … COMMIT block of the file. */
  inBlock: boolean;
  /** Session settings (SET/RESET) are replayed when a run resumes after them. */
  sessionSetting: boolean;
}

export interface MigrationSteps {
  name: string;
  checksum: string;
  steps: Step[];
  problems: string[];
}

export function checksumOf(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function migrationSteps(file: string, text: string, opts: { addConcurrently?: boolean; name?: string } = {}): MigrationSteps {
  const parsed = parseSqlDocument(text);
  const steps: Step[] = [];
  const problems: string[] = [];
  const created = new Set<string>();
  let inBlock = false;
  const lines = new LineIndex(text);
  const lineOf = (offset: number) => lines.position(offset).line + 1;
  parsed.forEach((p, i) => {
    const info = describeStatement(p, i);
    if (info.kind === 'syntax-error') problems.push(`line ${lineOf(p.start)}: SQL syntax error: ${info.error?.message}`);
    if (info.kind === 'begin') inBlock = true;
    let runAs = p.text;
    let changed: string | undefined;
    const table = info.kind === 'create-index' ? p.ast?.IndexStmt?.relation?.relname : undefined;
    if (!inBlock && (opts.addConcurrently ?? true) && (info.kind === 'create-index' || info.kind === 'drop-index') && !info.concurrent && !(table && created.has(table))) {
      runAs = withConcurrently(info);
      changed = 'CONCURRENTLY added: built without blocking writes';
    }
    if (!inBlock && info.setting?.local && info.kind === 'set') {
      runAs = p.text.replace(/^(\s*SET)\s+LOCAL\b/i, '$1');
      changed = 'SET LOCAL has no effect outside a transaction block: run as SET';
    }
    if (info.kind === 'create-table' && p.ast?.CreateStmt?.relation?.relname) created.add(p.ast.CreateStmt.relation.relname);
    steps.push({ ordinal: i, info, line: lineOf(p.start), runAs, changed, inBlock, sessionSetting: !inBlock && (info.kind === 'set' || info.kind === 'reset') });
    if (info.kind === 'commit' || info.kind === 'rollback') inBlock = false;
  });
  if (inBlock) problems.push('the file opens a transaction (BEGIN) and never ends it');
  return { name: opts.name ?? migrationName(path.resolve(file)), checksum: checksumOf(text), steps, problems };
}
