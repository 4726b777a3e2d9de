/**
 * Source positions of the blocks, fields and attributes of a schema.prisma.
 *
 * A small tolerant scanner (not a validator: meaning comes from Prisma's engine).
 * It understands strings, comments, nested brackets and attributes whose arguments
 * span lines, and never throws: half-typed text yields whatever it could find.
 * Offsets are UTF-16 code-unit offsets into the text (JS string indices), so they
 * feed `LineIndex` directly.
 *
 * Why not @mrleebo/prisma-ast: its node locations cover only an attribute's name
 * (`@@index`, not `@@index([...])`), a field's name (not its attributes), it has no
 * error recovery (one syntax error and there are no positions at all), and loading
 * it runs a lilconfig search of the file system for a config file.
 */

export interface AttributeSpan {
  /** Without `@`/`@@`, including a namespace: `id`, `unique`, `index`, `map`, `db.VarChar`. */
  name: string;
  /** True for `@@` block attributes. */
  block: boolean;
  /** Offset of the first `@`. */
  start: number;
  /** Offset just after the closing `)` (or after the name when there are no arguments). */
  end: number;
  /** Text between the parentheses; '' when there are none. */
  argsText: string;
}

export interface FieldSpan {
  name: string;
  /** Offset of the field name. */
  start: number;
  /** Offset just after the field's last token (type or last attribute). */
  end: number;
  nameEnd: number;
  /** The type as written: `String`, `Role?`, `Post[]`, `Unsupported("tsvector")?`. */
  typeText: string;
  attributes: AttributeSpan[];
}

export type BlockKind = 'model' | 'enum' | 'view' | 'type' | 'datasource' | 'generator';

export interface BlockSpan {
  kind: BlockKind;
  name: string;
  /** Offset of the keyword (`model`). */
  start: number;
  /** Offset just after `{`. */
  headerEnd: number;
  /** Offset just after `}` (the end of the text when it's missing). */
  end: number;
  fields: FieldSpan[];
  attributes: AttributeSpan[];
}

const BLOCK_KINDS = new Set<string>(['model', 'enum', 'view', 'type', 'datasource', 'generator']);

type TokenKind = 'ident' | 'at' | 'atat' | 'string' | 'punct' | 'newline' | 'other';

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_\u00C0-\uFFFF]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_\-\u00C0-\uFFFF]/.test(c);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      // Prisma's grammar: NEWLINE = "\n" | "\r\n" | "\r".
      const end = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      tokens.push({ kind: 'newline', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\ufeff') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"') {
      const start = i++;
      while (i < n && text[i] !== '"' && text[i] !== '\n' && text[i] !== '\r') i += text[i] === '\\' && text[i + 1] !== '\n' && text[i + 1] !== '\r' ? 2 : 1;
      if (i < n && text[i] === '"') i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), start, end: i });
    } else if (c === '@') {
      if (text[i + 1] === '@') {
        tokens.push({ kind: 'atat', text: '@@', start: i, end: i + 2 });
        i += 2;
      } else {
        tokens.push({ kind: 'at', text: '@', start: i, end: i + 1 });
        i++;
      }
    } else if (isIdentStart(c)) {
      const start = i++;
      while (i < n && isIdentPart(text[i])) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
    } else if ('{}()[],.:?=!'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
    } else {
      const start = i++;
      while (i < n && !/[\s"@{}()[\],.:?=!/]/.test(text[i]) && !isIdentStart(text[i])) i++;
      tokens.push({ kind: 'other', text: text.slice(start, i), start, end: i });
    }
  }
  return tokens;
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Scanner {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  private isPunct(t: Token | undefined, p: string): boolean {
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }

  /** Is the token at offset k the start of a new block (`model Name {`)? */
  private atBlockHeader(k = 0): boolean {
    const t = this.peek(k);
    const name = this.peek(k + 1);
    return (
      t !== undefined &&
      t.kind === 'ident' &&
      BLOCK_KINDS.has(t.text) &&
      name !== undefined &&
      name.kind === 'ident' &&
      this.isPunct(this.peek(k + 2), '{')
    );
  }

  private skipToNewline(): void {
    while (this.i < this.tokens.length && this.tokens[this.i].kind !== 'newline') this.i++;
  }

  private skipNewlines(): void {
    while (this.peek()?.kind === 'newline') this.i++;
  }

  /** Consumes a balanced group starting at an opening bracket; returns the closing token (or the last one consumed). */
  private consumeGroup(): Token {
    const open = this.tokens[this.i++];
    const stack = [CLOSING[open.text]];
    let last = open;
    while (this.i < this.tokens.length && stack.length > 0) {
      const t = this.tokens[this.i];
      // A block header inside an unclosed group: the group was never finished.
      if (t.kind === 'newline' && this.atBlockHeader(1)) break;
      this.i++;
      last = t;
      if (t.kind === 'punct') {
        if (CLOSING[t.text]) stack.push(CLOSING[t.text]);
        else if (t.text === stack[stack.length - 1]) stack.pop();
      }
    }
    return last;
  }

  private attribute(): AttributeSpan | undefined {
    const at = this.tokens[this.i];
    const nameTok = this.peek(1);
    if (!nameTok || nameTok.kind !== 'ident' || nameTok.start !== at.end) {
      this.i++;
      return undefined;
    }
    this.i += 2;
    let name = nameTok.text;
    let end = nameTok.end;
    if (this.isPunct(this.peek(), '.') && this.peek(1)?.kind === 'ident') {
      name += '.' + this.peek(1)!.text;
      end = this.peek(1)!.end;
      this.i += 2;
    }
    let argsText = '';
    if (this.isPunct(this.peek(), '(')) {
      const open = this.peek()!;
      const close = this.consumeGroup();
      end = close.end;
      argsText = this.text.slice(open.end, close.text === ')' ? close.start : close.end);
    }
    return { name, block: at.kind === 'atat', start: at.start, end, argsText };
  }

  private field(): FieldSpan {
    const nameTok = this.tokens[this.i++];
    let end = nameTok.end;
    let typeStart = -1;
    let typeEnd = -1;
    const attributes: AttributeSpan[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i];
      if (t.kind === 'newline') break;
      if (this.isPunct(t, '}')) break;
      if (t.kind === 'at' || t.kind === 'atat') {
        const attr = this.attribute();
        if (attr) {
          attributes.push(attr);
          end = attr.end;
        }
        continue;
      }
      let last = t;
      if (t.kind === 'punct' && CLOSING[t.text]) last = this.consumeGroup();
      else this.i++;
      if (attributes.length === 0) {
        if (typeStart < 0) typeStart = t.start;
        typeEnd = last.end;
      }
      end = Math.max(end, last.end);
    }
    return {
      name: nameTok.text,
      start: nameTok.start,
      nameEnd: nameTok.end,
      end,
      typeText: typeStart >= 0 ? this.text.slice(typeStart, typeEnd) : '',
      attributes,
    };
  }

  private block(): BlockSpan {
    const kw = this.tokens[this.i];
    const name = this.tokens[this.i + 1];
    const brace = this.tokens[this.i + 2];
    this.i += 3;
    const block: BlockSpan = {
      kind: kw.text as BlockKind,
      name: name.text,
      start: kw.start,
      headerEnd: brace.end,
      end: this.text.length,
      fields: [],
      attributes: [],
    };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      if (this.isPunct(t, '}')) {
        block.end = t.end;
        this.i++;
        break;
      }
      if (this.atBlockHeader()) {
        // The closing brace is missing: the block ends where the next one starts.
        block.end = t.start;
        break;
      }
      if (t.kind === 'atat') {
        const attr = this.attribute();
        if (attr) block.attributes.push(attr);
        this.skipRestOfStatement();
      } else if (t.kind === 'ident') {
        block.fields.push(this.field());
        this.skipRestOfStatement();
      } else {
        this.skipRestOfStatement();
      }
    }
    return block;
  }

  private skipRestOfStatement(): void {
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i];
      if (t.kind === 'newline' || this.isPunct(t, '}')) return;
      if (t.kind === 'punct' && CLOSING[t.text]) this.consumeGroup();
      else this.i++;
    }
  }

  scan(): BlockSpan[] {
    const blocks: BlockSpan[] = [];
    while (this.i < this.tokens.length) {
      this.skipNewlines();
      if (this.i >= this.tokens.length) break;
      if (this.atBlockHeader()) blocks.push(this.block());
      else {
        this.skipToNewline();
      }
    }
    return blocks;
  }
}

/** Blocks of a schema.prisma with the positions of their fields and attributes. */
export function scanPrismaSchema(text: string): BlockSpan[] {
  try {
    return new Scanner(text, tokenize(text)).scan();
  } catch {
    return [];
  }
}

/**
 * Field names listed in an index attribute's arguments: the first `[...]` list
 * (`[a, b(sort: Desc)]` → `a`, `b`), or the single field of a field attribute.
 */
export function attributeFieldNames(argsText: string): string[] {
  const open = argsText.indexOf('[');
  if (open < 0) return [];
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = open + 1; i < argsText.length; i++) {
    const c = argsText[i];
    if (c === '"') {
      i++;
      while (i < argsText.length && argsText[i] !== '"') i += argsText[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')') depth--;
    else if (c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) expectName = true;
    else if (expectName && depth === 0 && isIdentStart(c)) {
      let j = i;
      while (j < argsText.length && isIdentPart(argsText[j])) j++;
      names.push(argsText.slice(i, j));
      expectName = false;
      i = j - 1;
    }
  }
  return names;
}

/** The field names of a `key: [a, b]` argument (`fields: [authorId]` of `@relation`); [] when there is none. */
export function listArgument(argsText: string, key: string): string[] {
  const m = new RegExp(`(?:^|[\\s,(])${key}\\s*:`).exec(argsText);
  return m ? attributeFieldNames(argsText.slice(m.index + m[0].length)) : [];
}

/** The value of a `key: "string"` argument, unquoted. */
export function stringArgument(argsText: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|[\\s,(])${key}\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
  const m = re.exec(argsText);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

/** The first positional string argument (`@map("x")`, `@@map("x")`). */
export function firstStringArgument(argsText: string): string | undefined {
  const m = /^\s*"((?:[^"\\]|\\.)*)"/.exec(argsText);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}
