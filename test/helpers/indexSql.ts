/** Reads a proposed `CREATE INDEX` statement back into its parts, independently of the product. */

export interface ProposedKey {
  /** Column name (unquoted), or the expression text for an expression key. */
  column: string;
  expression: boolean;
  opclass?: string;
  desc: boolean;
}

export interface ParsedIndexSql {
  name: string;
  table: string;
  method: string;
  keys: ProposedKey[];
  where?: string;
  unique: boolean;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseKey(k: string): ProposedKey {
  const m = /^"((?:[^"]|"")+)"(.*)$/.exec(k);
  let column: string;
  let rest: string;
  let expression = false;
  if (m) {
    column = m[1].replace(/""/g, '"');
    rest = m[2];
  } else {
    // An expression key: everything up to the last closing parenthesis.
    const close = k.lastIndexOf(')');
    column = k.slice(0, close + 1);
    rest = k.slice(close + 1);
    expression = true;
  }
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const desc = words.some((w) => w.toUpperCase() === 'DESC');
  const opclass = words.find((w) => !['ASC', 'DESC', 'NULLS', 'FIRST', 'LAST'].includes(w.toUpperCase()));
  return { column, expression, opclass, desc };
}

/** Every CREATE INDEX statement in `sql` (which may hold other statements, e.g. CREATE EXTENSION). */
export function parseCreateIndexes(sql: string): ParsedIndexSql[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => /^CREATE\s+(UNIQUE\s+)?INDEX/i.test(s))
    .map(parseOne);
}

/** The CREATE INDEX statement in `sql`; throws when there is none. */
export function parseCreateIndex(sql: string): ParsedIndexSql {
  const all = parseCreateIndexes(sql);
  if (!all.length) throw new Error(`no CREATE INDEX in ${JSON.stringify(sql)}`);
  return all[0];
}

function parseOne(stmt: string): ParsedIndexSql {
  const head = /^CREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"([^"]+)"\s+ON\s+(?:ONLY\s+)?"([^"]+)"\s*(?:USING\s+(\w+)\s*)?\(/i.exec(stmt);
  if (!head) throw new Error(`cannot read ${JSON.stringify(stmt)}`);
  // The key list: from the opening parenthesis to its match.
  const open = head[0].length - 1;
  let depth = 0;
  let close = -1;
  let quoted = false;
  for (let i = open; i < stmt.length; i++) {
    const ch = stmt[i];
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new Error(`unbalanced key list in ${JSON.stringify(stmt)}`);
  const keys = splitTopLevel(stmt.slice(open + 1, close)).map(parseKey);
  const tail = stmt.slice(close + 1).trim();
  const where = /^WHERE\s+([\s\S]+)$/i.exec(tail)?.[1].trim();
  return { name: head[2], table: head[3], method: (head[4] ?? 'btree').toLowerCase(), keys, where, unique: !!head[1] };
}

/** `"a", "b" DESC` — a compact rendering of the key list for assertion messages. */
export function keysText(p: ParsedIndexSql): string {
  return p.keys.map((k) => `${k.column}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}`).join(', ');
}
