/**
 * The extension's settings (package.json `contributes.configuration`, prefix `pgIndexReview`).
 * Each is read here and nowhere else; docs/settings flow: package.json → readSettings() →
 * ProjectHost.open() (schema, rows, rules, ignore) / Database (url, embedded) / features (codeLens, debounce).
 */
import * as vscode from 'vscode';
import type { RuleSetting } from '../core/config/config';

export const SECTION = 'pgIndexReview';

export interface Settings {
  /** Schema sources relative to the folder; empty: the config file's, else discovered. */
  schema: string[];
  /** Row estimates, merged over pg-index-review.json's `rows`. */
  rows: Record<string, number>;
  /** Rule levels, merged over pg-index-review.json's `rules`. */
  rules: Record<string, RuleSetting>;
  /** Globs (relative to the folder) of files to leave out, in addition to the config file's. */
  ignore: string[];
  /** Connection URL without a password (the password lives in SecretStorage). */
  databaseUrl: string;
  /** Plans from the embedded database (PGlite) when no database is configured (trusted workspaces only). */
  embedded: boolean;
  codeLens: boolean;
  debounceMs: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const rows: Record<string, number> = {};
  for (const [t, n] of Object.entries(c.get<Record<string, unknown>>('rows') ?? {})) if (typeof n === 'number' && Number.isFinite(n) && n >= 0) rows[t] = n;
  const rules: Record<string, RuleSetting> = {};
  for (const [id, level] of Object.entries(c.get<Record<string, unknown>>('rules') ?? {})) {
    if (typeof level === 'string' && ['error', 'warning', 'info', 'hint', 'off'].includes(level)) rules[id] = level as RuleSetting;
  }
  const strings = (k: string) => (c.get<unknown[]>(k) ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return {
    schema: strings('schema'),
    rows,
    rules,
    ignore: strings('ignore'),
    databaseUrl: (c.get<string>('database.url') ?? '').trim(),
    embedded: c.get<boolean>('database.embedded') ?? true,
    codeLens: c.get<boolean>('codeLens.enabled') ?? true,
    debounceMs: Math.max(0, c.get<number>('diagnostics.debounceMs') ?? 300),
  };
}
