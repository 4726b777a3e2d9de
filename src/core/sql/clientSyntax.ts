/**
 * What SQL clients and query tools write around PostgreSQL, turned into text PostgreSQL's parser reads.
 * Each function returns a text of the same length (so offsets, lines and columns stay those of the
 * original), or undefined when there was nothing to change.
 */
import { blankChars, lineEndAt, locatedTokens } from './tokenOffsets';

/**
 * A psql script's meta-commands (`\set`, `\connect db`, `\i file`, pg_dump's `\restrict key`: a backslash
 * outside literals and comments, to the end of the line) and the rows of `COPY … FROM stdin` or `\copy … from
 * stdin` up to `\.` (pg_dump's plain format), blanked out. Lines that start with a backslash are meta-commands
 * (psql reads them so wherever they are); then one pass of the lexer finds those that end a line of SQL
 * (`SELECT … \gset`). Linear in the text.
 */
export function blankPsqlMetaCommands(text: string): string | undefined {
  if (!text.includes('\\')) return undefined;
  const chars = text.split('');
  const blank = (from: number, to: number) => blankChars(chars, from, to);
  let changed = false;
  // COPY … FROM stdin; (over one line or several) and \copy … from stdin: the rows that follow, to `\.`.
  for (const m of text.matchAll(COPY_FROM_STDIN)) {
    const rows = lineEndAt(text, m.index! + m[0].length) + 1;
    const close = /^\\\.[ \t]*\r?$/m.exec(text.slice(rows));
    const end = close ? rows + close.index + close[0].length : text.length;
    blank(rows, end);
    changed = true;
  }
  for (const line of text.matchAll(/^[ \t]*\\[^\n\r]*/gm)) {
    blank(line.index!, line.index! + line[0].length);
    changed = true;
  }
  const rest = chars.join('');
  const located = rest.includes('\\') ? locatedTokens(rest) : undefined;
  located?.tokens.forEach((t, k) => {
    if (t.text !== '\\') return;
    blank(located.start(k), lineEndAt(rest, located.start(k)));
    changed = true;
  });
  return changed ? chars.join('') : undefined;
}

/** pg_dump writes `COPY t (a, b) FROM stdin;` on one line; by hand it may span several. psql's `\copy` ends at its line's end. */
const COPY_FROM_STDIN = /^[ \t]*(?:COPY\b[^;]*?\bFROM\s+stdin\b[^;]*;|\\copy\b[^\n\r]*?\bfrom\s+stdin\b[^\n\r]*)/gim;

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
  const located = locatedTokens(text);
  if (!located) return undefined;
  const { tokens, start, end } = located;
  let out = text;
  let brackets = 0;
  for (let k = 0; k < tokens.length - 1; k++) {
    const t = tokens[k].text;
    if (t === '[') brackets++;
    else if (t === ']') brackets = Math.max(0, brackets - 1);
    if (t !== ':' || end(k) !== start(k + 1)) continue;
    const prev = tokens[k - 1]?.text;
    // In brackets, `a[1:n]` is a slice; `ARRAY[:a, :b]` holds parameters.
    if (brackets > 0 && prev !== '[' && prev !== ',') continue;
    const next = tokens[k + 1].text;
    let from = start(k);
    let to = end(k + 1);
    let replacement: string;
    if (next.startsWith("'") || next.startsWith('"')) replacement = ` ${next}`;
    else if (NAME.test(next)) {
      if (tokens[k + 2]?.text.startsWith('!') && start(k + 2) === to) to += 1;
      const list = prev?.toLowerCase() === 'in';
      // `IN :id`: the list's parentheses take the space before it when the name is too short to hold them.
      if (list) from = Math.max(end(k - 1), Math.min(from, to - 4));
      replacement = list && to - from >= 4 ? '($1)' : '$1';
    } else continue;
    out = out.slice(0, from) + replacement.padEnd(to - from) + out.slice(to);
    k++;
  }
  return out === text ? undefined : out;
}
