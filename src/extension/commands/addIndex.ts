/** The code lens's "Add index": applies the preferred fix of the query's index proposal (missing-index, or an unindexed foreign key it searches). */
import * as vscode from 'vscode';
import { toRange } from '../diagnostics';
import { proposalIn } from '../features/proposals';
import { fixesFor, QUICKFIX_ADD } from '../fixes';
import type { ExtensionState } from '../state';

export async function addIndex(state: ExtensionState, uriArg: string, at: { line: number; character: number }): Promise<boolean> {
  const uri = vscode.Uri.parse(uriArg);
  const host = state.hostFor(uri);
  if (!host) return false;
  await host.idle();
  const pos = new vscode.Position(at.line, at.character);
  const f = host.result ? proposalIn(host.result.findings, uri.fsPath, (r) => toRange(r).contains(pos))?.finding : undefined;
  if (!f) {
    vscode.window.showInformationMessage('Postgres Index Review: this query no longer needs an index.');
    return false;
  }
  const fixes = fixesFor(host, f).filter((x) => x.kind.value === QUICKFIX_ADD.value);
  const fix = fixes.find((x) => x.preferred) ?? fixes[0];
  if (!fix) return false;
  const ok = await vscode.workspace.applyEdit(fix.edit);
  if (!ok) {
    vscode.window.showErrorMessage(`Postgres Index Review: could not apply "${fix.title}".`);
    return false;
  }
  state.log.info(`applied: ${fix.title}`);
  if (fix.creates?.[0]) await vscode.window.showTextDocument(fix.creates[0], { preview: true, preserveFocus: false });
  return true;
}
