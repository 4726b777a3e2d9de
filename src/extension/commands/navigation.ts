/** Internal commands the tree, the report and the quick fixes use to show a place in the source. */
import * as vscode from 'vscode';

export async function revealLocation(uri: string, range: vscode.Range | { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<void> {
  const r = range instanceof vscode.Range ? range : new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: r, preview: true });
}

export async function openFile(uri: string): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preview: true, preserveFocus: true });
}
