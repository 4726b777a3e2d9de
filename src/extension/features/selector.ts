import type * as vscode from 'vscode';

/** The files the core reads (src/core/workspace/files.ts `classify`). */
export const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.{sql,prisma,ts,tsx,mts,cts,js,jsx,mjs,cjs}' }];
