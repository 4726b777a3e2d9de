/**
 * The quick fixes of a finding, as WorkspaceEdits: add the proposed @@index to its model (with a
 * Prisma migration when the workspace uses Prisma Migrate), write a migration file with the
 * core's CREATE/DROP INDEX, remove a redundant @@index, or silence the rule by comment.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { proposesIndex, type Finding } from '../core/model/finding';
import { LineIndex } from '../core/model/location';
import { addBlockAttribute, removeAttribute } from './edits/prismaSchema';
import { commentStyleFor, ignoreFileChange, ignoreLineChange, type CommentStyle } from './edits/ignoreComment';
import { isPrismaMigration, migrationName, planMigration, type MigrationPlan } from './edits/migrationFile';
import type { TextChange } from './edits/text';
import type { ProjectHost } from './projectHost';

export interface FixAction {
  title: string;
  kind: vscode.CodeActionKind;
  edit: vscode.WorkspaceEdit;
  preferred?: boolean;
  /** Files the edit creates (to open afterwards). */
  creates?: vscode.Uri[];
}

export const QUICKFIX_ADD = vscode.CodeActionKind.QuickFix.append('pgIndexReview.addIndex');
export const QUICKFIX_DROP = vscode.CodeActionKind.QuickFix.append('pgIndexReview.dropIndex');
export const QUICKFIX_IGNORE = vscode.CodeActionKind.QuickFix.append('pgIndexReview.ignore');

/** The current text of a file: the open editor's buffer, else the disk. */
export function currentText(file: string): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc) return doc.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A change by offset into `text` as a replacement by position. Positions, not offsets, survive VS Code
 * normalizing the line breaks of the document the edit lands in (a CR-only file on disk is CRLF in
 * the editor): LineIndex breaks lines where VS Code does.
 */
function applyChange(edit: vscode.WorkspaceEdit, uri: vscode.Uri, text: string, c: TextChange): void {
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const p = lines.position(offset);
    return new vscode.Position(p.line, p.character);
  };
  edit.replace(uri, new vscode.Range(at(c.offset), at(c.offset + c.length)), c.text);
}

function createMigration(edit: vscode.WorkspaceEdit, plan: MigrationPlan): vscode.Uri {
  const uri = vscode.Uri.file(plan.file);
  // createFile + insert (not createFile's `contents`, which does not survive a round trip through
  // vscode.executeCodeActionProvider): the new migration opens unsaved, for the user to review and save.
  edit.createFile(uri, { ignoreIfExists: false });
  edit.insert(uri, new vscode.Position(0, 0), plan.content);
  return uri;
}

function firstLine(sql: string): string {
  const lines = sql.split('\n').filter((l) => !/^\s*CREATE EXTENSION/i.test(l));
  const l = (lines[0] ?? sql).trim();
  return l.length > 90 ? `${l.slice(0, 87)}…` : l;
}

function plan(host: ProjectHost, f: Finding, kind: 'add' | 'drop'): MigrationPlan {
  return planMigration({
    root: host.root,
    migrationFiles: host.migrationFiles(),
    name: migrationName(kind, f.index ?? 'index'),
    sql: f.fix!.sql!,
    table: f.table,
    now: new Date(),
    exists: (p) => fs.existsSync(p),
  });
}

function usesPrismaMigrate(host: ProjectHost): boolean {
  return host.migrationFiles().some(isPrismaMigration);
}

/** The comment style at a finding: `--` when the line above it is inside embedded SQL. */
function styleAt(host: ProjectHost, f: Finding): CommentStyle {
  const base = commentStyleFor(f.file);
  if (base === '--') return base;
  const inSql = host.verdictsIn(f.file).some((sv) => sv.shape.origin === 'embedded-sql' && sv.shape.location.range.start.line < f.range.start.line && sv.shape.location.range.end.line >= f.range.start.line);
  return inSql ? '--' : '//';
}

export function fixesFor(host: ProjectHost, f: Finding): FixAction[] {
  const out: FixAction[] = [];
  const fix = f.fix;
  const project = host.project;
  const prismaMigrate = usesPrismaMigrate(host);
  if (proposesIndex(f) && fix) {
    // The file of a split schema that declares the model.
    const prismaFile = project?.prismaFileOf(fix.model);
    const prismaText = prismaFile ? currentText(prismaFile) : undefined;
    let schemaAdded = false;
    if (fix.prisma && fix.prismaAction === 'add' && fix.model && prismaFile && prismaText !== undefined) {
      const r = addBlockAttribute(prismaText, fix.model, fix.prisma);
      if ('change' in r) {
        const uri = vscode.Uri.file(prismaFile);
        if (prismaMigrate && fix.sql) {
          const edit = new vscode.WorkspaceEdit();
          applyChange(edit, uri, prismaText, r.change);
          const p = plan(host, f, 'add');
          const created = createMigration(edit, p);
          out.push({ title: `Add ${fix.prisma} to model ${fix.model} and a Prisma migration`, kind: QUICKFIX_ADD, edit, preferred: true, creates: [created] });
        }
        const edit = new vscode.WorkspaceEdit();
        applyChange(edit, uri, prismaText, r.change);
        out.push({
          title: `Add ${fix.prisma} to model ${fix.model} in schema.prisma${prismaMigrate ? ' only (then run prisma migrate dev)' : ''}`,
          kind: QUICKFIX_ADD,
          edit,
          preferred: !prismaMigrate,
        });
        schemaAdded = true;
      }
    }
    if (fix.sql) {
      const p = plan(host, f, 'add');
      const edit = new vscode.WorkspaceEdit();
      const created = createMigration(edit, p);
      out.push({
        title: `Create a ${p.prismaLayout ? 'Prisma ' : ''}migration: ${firstLine(p.prismaLayout ? p.content.split('\n').filter((l) => !l.startsWith('--') && l.trim()).join('\n') : fix.sql)}`,
        kind: QUICKFIX_ADD,
        edit,
        preferred: !schemaAdded,
        creates: [created],
      });
    }
  }
  if ((f.rule === 'redundant-index' || f.rule === 'low-selectivity-index' || f.rule === 'unused-by-workload') && fix) {
    const prismaFile = project?.prismaFiles.includes(f.file) ? f.file : undefined;
    if (fix.prismaAction === 'remove' && prismaFile) {
      const text = currentText(prismaFile);
      if (text !== undefined) {
        const lines = new LineIndex(text);
        const start = lines.offset(f.range.start);
        const end = lines.offset(f.range.end);
        if (lines.lineCount > f.range.end.line) {
          const change = removeAttribute(text, start, end);
          const attr = text.slice(start, end).trim();
          const uri = vscode.Uri.file(prismaFile);
          if (prismaMigrate && fix.sql) {
            const edit = new vscode.WorkspaceEdit();
            applyChange(edit, uri, text, change);
            const created = createMigration(edit, plan(host, f, 'drop'));
            out.push({ title: `Remove ${attr} from model ${fix.model ?? ''} and drop it in a Prisma migration`.replace('  ', ' '), kind: QUICKFIX_DROP, edit, preferred: true, creates: [created] });
          }
          const edit = new vscode.WorkspaceEdit();
          applyChange(edit, uri, text, change);
          out.push({ title: `Remove ${attr} from schema.prisma${prismaMigrate ? ' only (then run prisma migrate dev)' : ''}`, kind: QUICKFIX_DROP, edit, preferred: !prismaMigrate });
        }
      }
    } else if (fix.sql) {
      const p = plan(host, f, 'drop');
      const edit = new vscode.WorkspaceEdit();
      const created = createMigration(edit, p);
      out.push({ title: `Create a ${p.prismaLayout ? 'Prisma ' : ''}migration: ${firstLine(p.prismaLayout ? fix.sql.replace(/\s+CONCURRENTLY/i, '') : fix.sql)}`, kind: QUICKFIX_DROP, edit, creates: [created] });
    }
  }
  const text = currentText(f.file);
  if (text !== undefined) {
    const style = styleAt(host, f);
    const uri = vscode.Uri.file(f.file);
    const line = new vscode.WorkspaceEdit();
    applyChange(line, uri, text, ignoreLineChange(text, f.range.start.line, f.rule, style));
    out.push({ title: `Ignore ${f.rule} on this line`, kind: QUICKFIX_IGNORE, edit: line });
    const fileChange = ignoreFileChange(text, f.rule, commentStyleFor(f.file));
    if (fileChange.text) {
      const whole = new vscode.WorkspaceEdit();
      applyChange(whole, uri, text, fileChange);
      out.push({ title: `Ignore ${f.rule} in this file`, kind: QUICKFIX_IGNORE, edit: whole });
    }
  }
  return out;
}
