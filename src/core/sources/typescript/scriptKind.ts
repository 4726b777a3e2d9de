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
  return parseAndIndex(text, file).sf;
}

export interface IndexedSource {
  sf: ts.SourceFile;
  /** Every call and tagged template expression, in pre-order (the order `walk` visits them). */
  calls: (ts.CallExpression | ts.TaggedTemplateExpression)[];
}

/**
 * Parses a file and sets every node's parent pointer, collecting the call and tagged template
 * expressions on the way: one traversal instead of TypeScript's own parent pass plus a walk.
 * JSDoc comments are not parsed (nothing here reads them).
 */
export function parseAndIndex(text: string, file: string): IndexedSource {
  const sf = ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKindFor(file));
  const calls: IndexedSource['calls'] = [];
  const stack: ts.Node[] = [sf];
  let parent: ts.Node = sf;
  const collect = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    stack.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === ts.SyntaxKind.CallExpression || node.kind === ts.SyntaxKind.TaggedTemplateExpression) calls.push(node as IndexedSource['calls'][number]);
    parent = node;
    // Children go on the stack, then are reversed in place so the first is visited first.
    const from = stack.length;
    ts.forEachChild(node, collect);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const x = stack[i];
      stack[i] = stack[j];
      stack[j] = x;
    }
  }
  return { sf, calls };
}
