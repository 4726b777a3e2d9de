// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');

/** Script kind from the file name: .tsx/.jsx enable JSX, .js/.mjs/.cjs/.jsx are JavaScript. */
export function scriptKindFor(file: string): ts.ScriptKind {
  const dot = file.lastIndexOf('.');
  const ext = dot >= 0 ? file.slice(dot).toLowerCase() : '';
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS; // .ts, .mts, .cts and anything else
  }
}

/** Parses a file with parent pointers set (no type checker, no program). */
export function parseSource(text: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
}
