/** The Indexes view in the explorer: tables → indexes (with their findings) → the queries that can use each. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/model/finding';
import type { SourceLocation } from '../../core/model/location';
import { toRange } from '../diagnostics';
import { buildOverview, type IndexOverview, type QueryUse, type TableOverview } from '../overview';
import { fmtRows } from '../present';
import type { ExtensionState } from '../state';

type Node =
  | { kind: 'table'; root: string; table: TableOverview }
  | { kind: 'index'; root: string; table: TableOverview; index: IndexOverview }
  | { kind: 'finding'; root: string; finding: Finding }
  | { kind: 'query'; root: string; query: QueryUse };

function reveal(loc: SourceLocation | undefined): vscode.Command | undefined {
  if (!loc) return undefined;
  return { title: 'Go to source', command: 'pgIndexReview.revealLocation', arguments: [vscode.Uri.file(loc.file).toString(), toRange(loc.range)] };
}

function findingIcon(f: Finding): vscode.ThemeIcon {
  return new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info', new vscode.ThemeColor(f.severity === 'error' ? 'problemsErrorIcon.foreground' : f.severity === 'warning' ? 'problemsWarningIcon.foreground' : 'problemsInfoIcon.foreground'));
}

export class IndexTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly state: ExtensionState) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return [...this.state.hosts.values()].flatMap((h) => (h.result ? buildOverview(h.result).map((table) => ({ kind: 'table' as const, root: h.root, table })) : []));
    }
    if (node.kind === 'table') {
      return [
        ...node.table.findings.map((finding) => ({ kind: 'finding' as const, root: node.root, finding })),
        ...node.table.indexes.map((index) => ({ kind: 'index' as const, root: node.root, table: node.table, index })),
      ];
    }
    if (node.kind === 'index') {
      return [...node.index.findings.map((finding) => ({ kind: 'finding' as const, root: node.root, finding })), ...node.index.queries.map((query) => ({ kind: 'query' as const, root: node.root, query }))];
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'table': {
        const t = node.table;
        const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
        const n = t.findings.length + t.indexes.reduce((s, i) => s + i.findings.length, 0);
        item.description = `${t.materialized ? 'materialized view · ' : ''}${t.indexes.length} index${t.indexes.length === 1 ? '' : 'es'}${t.rows !== undefined ? ` · ~${fmtRows(t.rows)} rows` : ''}${n ? ` · ${n} finding${n === 1 ? '' : 's'}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(t.materialized ? 'eye' : 'table');
        item.contextValue = 'table';
        item.command = reveal(t.location);
        item.id = `${node.root}|t|${t.name}`;
        return item;
      }
      case 'index': {
        const i = node.index;
        const has = i.findings.length + i.queries.length > 0;
        const item = new vscode.TreeItem(i.name, has ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const used = i.queries.filter((q) => q.chosen).length;
        item.description = `${i.definition} · ${i.queries.length ? `${used} quer${used === 1 ? 'y' : 'ies'} use it${i.queries.length > used ? `, ${i.queries.length - used} could` : ''}` : 'no query uses it'}`;
        item.tooltip = `${i.name}\n${i.definition}${i.findings.map((f) => `\n• ${f.rule}: ${f.message}`).join('')}`;
        item.iconPath = i.findings.length ? findingIcon(i.findings[0]) : new vscode.ThemeIcon(i.primary ? 'key' : 'symbol-key');
        item.contextValue = 'index';
        item.command = reveal(i.location);
        item.id = `${node.root}|i|${node.table.name}|${i.name}`;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.rule);
        item.description = f.message;
        item.tooltip = f.message;
        item.iconPath = findingIcon(f);
        item.command = reveal(f);
        return item;
      }
      case 'query': {
        const q = node.query;
        const item = new vscode.TreeItem(q.label);
        item.description = `${path.relative(node.root, q.location.file)}:${q.location.range.start.line + 1} · ${q.chosen ? '' : 'could use: '}${q.how}`;
        item.iconPath = new vscode.ThemeIcon(q.chosen ? 'pass' : 'circle-outline');
        item.command = reveal(q.location);
        return item;
      }
    }
  }
}

export function registerIndexTree(state: ExtensionState): vscode.Disposable {
  const provider = new IndexTreeProvider(state);
  const view = vscode.window.createTreeView('pgIndexReview.indexes', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(view, state.onDidAnalyze(() => provider.refresh()));
}
