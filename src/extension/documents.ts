/** Routes editor and file events to the folder's ProjectHost. */
import * as vscode from 'vscode';
import type { ExtensionState } from './state';

export function registerDocumentSync(state: ExtensionState): vscode.Disposable {
  const changed = (doc: vscode.TextDocument) => state.hostFor(doc.uri)?.documentChanged(doc);
  const onDisk = (uri: vscode.Uri) => state.hostFor(uri)?.fileChangedOnDisk(uri);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument(changed),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) changed(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => state.hostFor(doc.uri)?.documentClosed(doc)),
    // Files a WorkspaceEdit (a quick fix) creates, deletes or renames, without waiting for the watcher.
    vscode.workspace.onDidCreateFiles((e) => e.files.forEach(onDisk)),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach(onDisk)),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => (onDisk(f.oldUri), onDisk(f.newUri)))),
  );
}
