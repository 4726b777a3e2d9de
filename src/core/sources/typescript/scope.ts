/**
 * Lexical lookup of `const` initializers without a type checker: from an
 * identifier, walk the enclosing scopes outwards and find the declaration that
 * binds its name. Only `const x = <initializer>` resolves; any other binding met
 * first (a parameter, `let`, a destructuring, a function, an import, a loop or
 * catch variable) shadows it and resolves to undefined. `var` declared in a
 * nested block is not hoisted here (rare in code that builds SQL).
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');

function bindsName(name: ts.BindingName | undefined, text: string): boolean {
  if (!name) return false;
  if (ts.isIdentifier(name)) return name.text === text;
  for (const el of name.elements) {
    if (ts.isBindingElement(el) && bindsName(el.name, text)) return true;
  }
  return false;
}

function declaresInList(list: ts.VariableDeclarationList, text: string): boolean {
  return list.declarations.some((d) => bindsName(d.name, text));
}

type Found = { init: ts.Expression } | 'shadowed' | undefined;

function lookInStatements(statements: readonly ts.Statement[], text: string): Found {
  for (const st of statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!bindsName(d.name, text)) continue;
        const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
        return isConst && ts.isIdentifier(d.name) && d.initializer ? { init: d.initializer } : 'shadowed';
      }
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) &&
      st.name &&
      ts.isIdentifier(st.name) &&
      st.name.text === text
    ) {
      return 'shadowed';
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name?.text === text) return 'shadowed';
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === text) return 'shadowed';
      if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === text)) return 'shadowed';
    } else if (ts.isImportEqualsDeclaration(st) && st.name.text === text) {
      return 'shadowed';
    }
  }
  return undefined;
}

/** The initializer of the `const` an identifier refers to, when it can be found lexically. */
export function resolveConstInitializer(id: ts.Identifier): ts.Expression | undefined {
  const text = id.text;
  let node: ts.Node = id;
  while (node.parent) {
    node = node.parent;
    if (ts.isFunctionLike(node)) {
      if (node.parameters.some((p) => bindsName(p.name, text))) return undefined;
      if ((ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) && node.name?.text === text) return undefined;
    }
    if (ts.isClassExpression(node) && node.name?.text === text) return undefined;
    if (ts.isCatchClause(node) && node.variableDeclaration && bindsName(node.variableDeclaration.name, text)) return undefined;
    if (
      (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.initializer) &&
      declaresInList(node.initializer, text)
    ) {
      return undefined;
    }
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const found = lookInStatements(node.statements, text);
      if (found === 'shadowed') return undefined;
      if (found) return found.init;
    }
  }
  return undefined;
}

/** The block (or file) whose statements declare the variable owning `init`. */
export function declarationScope(init: ts.Expression): ts.Node | undefined {
  let node: ts.Node | undefined = init.parent;
  while (node && !(ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node))) {
    node = node.parent;
  }
  return node;
}
