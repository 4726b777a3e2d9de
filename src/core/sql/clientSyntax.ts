/**
 * What SQL clients and query tools write around PostgreSQL, turned into text PostgreSQL's parser reads.
 * Each function returns a text of the same length (so offsets, lines and columns stay those of the
 * original), or undefined when there was nothing to change.
 */
import { byteToCharMapper } from './parser';
import { lexSqlWithOffsets, type SqlToken } from './lexer';

/** More meta-commands than this in one text: the rest are left as they are (the parser reports them). */
const MAX_META_COMMANDS = 2000;

/**
 * A psql script's meta-commands (`\set`, `\connect db`, `\i file`, pg_dump's `\restrict key`: a backslash
 * outside literals and comments, to the end of the line) and the rows of `COPY … FROM stdin` up to `\.`
 * (pg_dump's plain format), blanked out.
 */
export function blankPsqlMetaCommands(text: string): string | undefined {
  if (!text.includes('\\')) return undefined;
  const out = blankCopyData(text) ?? text;
  const chars = out.split('');
  let changed = out !== text;
  let from = 0;
  for (let n = 0; n < MAX_META_COMMANDS && from < out.length; n++) {
    const at = firstBackslashToken(out, from);
    if (at < 0) break;
    const end = lineEnd(out, at);
    for (let i = at; i < end; i++) chars[i] = ' ';
    changed = true;
    from = end;
  }
  return changed ? chars.join('') : undefined;
}

/** Offset of the first `\` token of `text` at or after `from`, or -1 (also when the rest does not lex). */
function firstBackslashToken(text: string, from: number): number {
  const rest = text.slice(from);
  const first = rest.indexOf('\\');
  if (first < 0) return -1;
  let lexed: { tokens: SqlToken[]; chars?: number[] };
  try {
    lexed = lexSqlWithOffsets(rest);
  } catch {
    return -1;
  }
  const toChar = lexed.chars ? undefined : byteToCharMapper(rest);
  for (let k = 0; k < lexed.tokens.length; k++) {
    if (lexed.tokens[k].text !== '\\') continue;
    return from + (lexed.chars ? lexed.chars[2 * k] : toChar!(lexed.tokens[k].start));
  }
  return -1;
}

function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** pg_dump writes `COPY t (a, b) FROM stdin;` on one line, then the rows, then `\.` alone on a line. */
const COPY_FROM_STDIN = /^[ \t]*COPY\b[^;\n]*\bFROM\s+stdin\b[^;\n]*;[ \t]*\r?$/i;

function blankCopyData(text: string): string | undefined {
  if (!/\bFROM\s+stdin\b/i.test(text)) return undefined;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (!COPY_FROM_STDIN.test(lines[i])) continue;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const done = lines[j].replace(/\r$/, '') === '\\.';
      lines[j] = lines[j].replace(/[^\r]/g, ' ');
      if (done) break;
    }
    changed = true;
    i = j;
  }
  return changed ? lines.join('\n') : undefined;
}

/** ASCII only, so that a replacement of the same length has the same UTF-8 length too. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Named parameters bound so PostgreSQL's parser reads them: `:name` (psql variables, PgTyped, TypeORM,
 * knex, Sequelize; PgTyped's `:name!` too) becomes the parameter `$1`, `:'name'` (psql: the value as a
 * literal) the literal `'name'`, `:"name"` (psql: as an identifier) the identifier `"name"`, and
 * PgTyped's list parameter `IN :ids` becomes `IN ($1)`. Casts (`::`), assignments (`:=`) and array
 * slices (`a[1:n]`) are left alone.
 */
export function bindNamedParameters(text: string): string | undefined {
  if (!text.includes(':')) return undefined;
  let lexed: { tokens: SqlToken[]; chars?: number[] };
  try {
    lexed = lexSqlWithOffsets(text);
  } catch {
    return undefined;
  }
  const { tokens } = lexed;
  const toChar = lexed.chars ? undefined : byteToCharMapper(text);
  const start = (k: number) => (lexed.chars ? lexed.chars[2 * k] : toChar!(tokens[k].start));
  const end = (k: number) => (lexed.chars ? lexed.chars[2 * k + 1] : toChar!(tokens[k].end));
  let out = text;
  let brackets = 0;
  for (let k = 0; k < tokens.length - 1; k++) {
    const t = tokens[k].text;
    if (t === '[') brackets++;
    else if (t === ']') brackets = Math.max(0, brackets - 1);
    if (t !== ':' || brackets > 0 || end(k) !== start(k + 1)) continue;
    const next = tokens[k + 1].text;
    const from = start(k);
    let to = end(k + 1);
    let replacement: string;
    if (next.startsWith("'") || next.startsWith('"')) replacement = ` ${next}`;
    else if (NAME.test(next)) {
      if (tokens[k + 2]?.text.startsWith('!') && start(k + 2) === to) to += 1;
      const list = tokens[k - 1]?.text.toLowerCase() === 'in' && to - from >= 4;
      replacement = list ? '($1)' : '$1';
    } else continue;
    out = out.slice(0, from) + replacement.padEnd(to - from) + out.slice(to);
    k++;
  }
  return out === text ? undefined : out;
}
