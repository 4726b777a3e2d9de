/**
 * The part of Prisma's DMMF (`get_dmmf` of @prisma/prisma-schema-wasm) we read,
 * and the engine call itself.
 */

export interface DmmfField {
  name: string;
  /** @map, or absent/null. */
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
}

export interface DmmfModel {
  name: string;
  /** @@map, or null. */
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface DmmfIndexField {
  name: string;
  sortOrder?: 'asc' | 'desc';
  length?: number;
  operatorClass?: string;
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  isDefinedOnField: boolean;
  /** Prisma Client name (`name:` of @@id / @@unique). */
  name?: string;
  /** `map:`, absent when Prisma will use its default name. */
  dbName?: string;
  /** `type:` (Hash, Gin, Gist, SpGist, Brin, BTree). */
  algorithm?: string;
  fields: DmmfIndexField[];
}

export interface DmmfDatamodel {
  enums: DmmfEnum[];
  models: DmmfModel[];
  indexes?: DmmfIndex[];
}

type SchemaWasm = typeof import('@prisma/prisma-schema-wasm');
let wasm: SchemaWasm | undefined;

function engine(): SchemaWasm {
  wasm ??= require('@prisma/prisma-schema-wasm') as SchemaWasm;
  return wasm;
}

/**
 * Runs Prisma's schema engine on the text and returns the DMMF datamodel. Throws what
 * the engine throws on an invalid schema (an Error whose message is JSON:
 * `{ error_code, message }`). The WASM module is loaded on first use.
 *
 * Uses `get_datamodel`, which returns exactly `get_dmmf(...).datamodel` without
 * rendering the Prisma Client input/output types (≈50 KB instead of ≈2 MB of JSON for
 * a 17-model schema; ~5 ms instead of ~50 ms). Falls back to `get_dmmf` when absent.
 */
export function getDatamodel(text: string): DmmfDatamodel {
  const e = engine();
  const params = JSON.stringify({ prismaSchema: text });
  if (typeof e.get_datamodel === 'function') return JSON.parse(e.get_datamodel(params)) as DmmfDatamodel;
  return (JSON.parse(e.get_dmmf(params)) as { datamodel: DmmfDatamodel }).datamodel;
}

/** An error of the engine's `lint`, located by a span of the text. */
export interface EngineSpan {
  message: string;
  /**
   * UTF-16 offsets into the text (JS string indices): with @prisma/prisma-schema-wasm
   * 6.19 `lint` gives UTF-16 offsets, not the UTF-8 byte offsets of its Rust spans
   * (checked with text after multi-byte characters, see prismaSchemaRecovery.test.ts).
   */
  start: number;
  end: number;
}

/** The engine's errors (warnings left out) with their spans, in the order `getDatamodel` reports them. */
export function lintErrors(text: string): EngineSpan[] {
  const out = JSON.parse(engine().lint(JSON.stringify(text))) as { start?: unknown; end?: unknown; text?: unknown; is_warning?: unknown }[];
  return out
    .filter((d) => d.is_warning !== true && typeof d.start === 'number' && typeof d.end === 'number')
    .map((d) => ({ message: String(d.text ?? ''), start: d.start as number, end: d.end as number }));
}

/** The preview feature names the engine knows (`previewFeatures = [...]` of a generator). */
export function knownPreviewFeatures(): string[] {
  return JSON.parse(engine().preview_features()) as string[];
}

/** One diagnostic from an engine error. `line` is 1-based as the engine prints it. */
export interface EngineDiagnostic {
  message: string;
  line?: number;
  /** Text the engine highlighted on that line. */
  highlight?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const HIGHLIGHT = /\u001b\[1;91m([^\u001b]*)\u001b\[0m/;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/**
 * Splits what the engine threw into its diagnostics:
 *
 *   error: Type "Str" is neither a built-in type, …
 *     -->  schema.prisma:7
 *      |
 *    6 |  id String @id
 *    7 |  name Str          (the offending text highlighted in bold red)
 */
export function parseEngineError(thrown: unknown): EngineDiagnostic[] {
  const raw = thrown instanceof Error ? thrown.message : String(thrown);
  let message = raw;
  const brace = raw.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed = JSON.parse(raw.slice(brace)) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: keep the raw text
    }
  }
  const diagnostics: EngineDiagnostic[] = [];
  // Each diagnostic starts with "error:" at the beginning of a line (after ANSI codes).
  const parts = message.split(/\n(?=(?:\u001b\[[0-9;]*m)*error(?:\u001b\[[0-9;]*m)*:)/);
  for (const part of parts) {
    const plain = stripAnsi(part);
    const head = /^\s*error:\s*([\s\S]*?)(?:\n\s*-->|\n\s*\n|$)/.exec(plain);
    if (!head) continue;
    const text = head[1].trim();
    if (!text) continue;
    const diag: EngineDiagnostic = { message: text };
    const loc = /-->\s*[^\n]*?:(\d+)/.exec(plain);
    if (loc) {
      diag.line = Number(loc[1]);
      // The snippet line for `line` is `  7 | <source>`; find its highlighted part.
      for (const rawLine of part.split('\n')) {
        const m = /^\s*(\d+)\s*\|/.exec(stripAnsi(rawLine));
        if (!m || Number(m[1]) !== diag.line) continue;
        const h = HIGHLIGHT.exec(rawLine);
        if (h && h[1].trim()) diag.highlight = h[1];
      }
    }
    diagnostics.push(diag);
  }
  if (diagnostics.length === 0) {
    const plain = stripAnsi(message).trim();
    diagnostics.push({ message: plain || 'schema.prisma could not be read' });
  }
  return diagnostics;
}
