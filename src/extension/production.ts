/**
 * The latest index health report built from the connected database (Show Index Report), shared
 * with the features that show production figures in the editor (the slow-query code lens).
 */
import * as vscode from 'vscode';
import type { HealthReport } from '../core/report/healthReport';

class ProductionStore implements vscode.Disposable {
  report?: HealthReport;
  private readonly emitter = new vscode.EventEmitter<HealthReport | undefined>();
  readonly onDidChange = this.emitter.event;

  set(r: HealthReport | undefined): void {
    this.report = r;
    this.emitter.fire(r);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export const production = new ProductionStore();
