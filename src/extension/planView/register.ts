/** The plan view's command (`pgIndexReview.showPlan`), registered as one feature. */
import * as vscode from 'vscode';
import type { ExtensionState } from '../state';
import { showPlanCommand } from './planPanel';

export function registerPlanView(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand(
    'pgIndexReview.showPlan',
    (uri?: string | vscode.Uri, pos?: { line: number; character: number }, which?: number, opts?: { quiet?: boolean }) => showPlanCommand(state, uri, pos, which, opts),
  );
}
