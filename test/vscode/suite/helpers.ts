/** Shared helpers of the in-editor suite: the sample workspace copy, waiting for the extension, diagnostics. */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'pg-index-review.pg-index-review';

export interface Api {
  whenIdle(): Promise<void>;
  nextAnalysis(): Promise<{ updateMs: number; analyzeMs: number; publishMs: number; filesSent: number } | undefined>;
  status(): {
    findings: number;
    database: { kind: string };
    databaseAttempts: number;
    embedded: { kind: 'off' | 'starting' | 'ready' | 'failed'; builds: number; rows?: number; buildMs?: number; hostStallMs?: number };
    activatedAt: number;
    firstDiagnosticsAt?: number;
    trusted: boolean;
  };
}

export function root(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite needs the sample workspace (a copy of examples/lms) open');
  return f.uri.fsPath;
}

export function uri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(root(), rel));
}

export async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const a = await ext.activate();
  await waitFor(() => a.status().firstDiagnosticsAt !== undefined, 'the first analysis', 60_000);
  await a.whenIdle();
  return a;
}

export async function idle(): Promise<void> {
  const a = await api();
  // Let editor events (a change, a created file) reach the extension before asking whether it's idle.
  await sleep(50);
  await a.whenIdle();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function ours(u: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(u).filter((d) => d.source === 'pg-index-review');
}

export function ruleOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

export async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Diagnostics of a rule whose range covers exactly `text` in the document. */
export function diagnosticsOn(doc: vscode.TextDocument, rule: string, text: string): vscode.Diagnostic[] {
  return ours(doc.uri).filter((d) => ruleOf(d) === rule && doc.getText(d.range) === text);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** A TCP server on 127.0.0.1 that records every connection and hangs up: a fake database. */
export async function connectionRecorder(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer((sock) => {
    n++;
    sock.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => n, close: () => new Promise((r) => server.close(() => r())) };
}
