/**
 * Which other database (or template language) SQL that PostgreSQL's parser rejects was written for,
 * judged by marks only that dialect makes. Run on rejected statements only: marks that PostgreSQL
 * also accepts never make a statement fail.
 */
import { blankChars, locatedTokens } from './tokenOffsets';

export interface DialectMark {
  /** What the mark is, in words ("backtick-quoted identifiers"). */
  what: string;
  /** Where it is: in which of the texts searched, at which offset. */
  text: number;
  offset: number;
  length: number;
}

export interface ForeignDialect {
  /** "MySQL", "SQL Server", "a Jinja template (dbt)"… */
  name: string;
  /** In the order they appear. */
  marks: DialectMark[];
}

interface MarkRule {
  dialect: string;
  what: string;
  re: RegExp;
}

const MARK_RULES: MarkRule[] = [
  { dialect: 'a Jinja template (dbt)', what: '{{ … }} and {% … %} tags', re: /\{\{|\{%/ },
  { dialect: 'MySQL', what: 'backtick-quoted identifiers', re: /`[^`\r\n]+`/ },
  { dialect: 'MySQL', what: 'ENGINE=InnoDB', re: /\bENGINE\s*=\s*(InnoDB|MyISAM|MEMORY|Aria)\b/i },
  { dialect: 'MySQL', what: 'AUTO_INCREMENT', re: /\bAUTO_INCREMENT\b/i },
  { dialect: 'MySQL', what: 'DEFAULT CHARSET', re: /\bDEFAULT\s+CHARSET\b/i },
  { dialect: 'MySQL', what: 'UNSIGNED integers', re: /\b(INT|INTEGER|BIGINT|SMALLINT|TINYINT|MEDIUMINT)(\s*\(\d+\))?\s+UNSIGNED\b/i },
  { dialect: 'MySQL', what: 'DELIMITER', re: /^[ \t]*DELIMITER\s/im },
  { dialect: 'ClickHouse', what: 'a MergeTree table engine', re: /\bENGINE\s*=\s*\w*(MergeTree|Log)\b/ },
  { dialect: 'ClickHouse', what: 'ClickHouse types (UInt64, DateTime64, LowCardinality…)', re: /\b(U?Int(8|16|32|64|128|256)|Float(32|64)|DateTime64|LowCardinality|Nullable)\b/ },
  { dialect: 'ClickHouse', what: 'a FORMAT clause', re: /\bFORMAT\s+(JSON\w*|TabSeparated\w*|CSV\w*|Pretty\w*|Native|Parquet|Vertical)\s*$/i },
  { dialect: 'SQL Server', what: '[bracketed] identifiers', re: /(?<=^|[\s,(.=])(?<!\bARRAY\s*)\[[A-Za-z_][\w ]*\](?=\s*[.,)=;]|\s|$)/i },
  { dialect: 'SQL Server', what: 'GO batch separators', re: /^[ \t]*GO[ \t]*$/im },
  { dialect: 'SQL Server', what: 'SELECT TOP', re: /\bSELECT\s+(DISTINCT\s+)?TOP\s*\(?\s*\d/i },
  { dialect: 'SQL Server', what: 'NVARCHAR / IDENTITY(…)', re: /\bNVARCHAR\b|\bIDENTITY\s*\(\s*\d/i },
  { dialect: 'SQLite', what: 'AUTOINCREMENT', re: /\bAUTOINCREMENT\b/i },
  { dialect: 'SQLite', what: 'PRAGMA', re: /^[ \t]*PRAGMA\s/im },
  { dialect: 'Oracle', what: 'VARCHAR2 / NUMBER(…)', re: /\bVARCHAR2\b|\bNUMBER\s*\(\s*\d/i },
  { dialect: 'Oracle', what: 'FROM dual', re: /\bFROM\s+dual\b/i },
  { dialect: 'Oracle', what: 'CONNECT BY', re: /\bCONNECT\s+BY\b/i },
];

/**
 * The text with its comments, string literals and quoted identifiers blanked (offsets kept), so that a comment
 * mentioning `backticks`, a string holding `[dbo]` or a column named "Int64" is no mark; the text as it is when PostgreSQL's lexer rejects it.
 */
function codeOnly(text: string): string {
  const located = locatedTokens(text);
  if (!located) return text;
  const chars = text.split('');
  located.tokens.forEach((t, k) => {
    if (/^(--|\/\*|'|"|[EeBbXxNn]'|[Uu]&['"]|\$[A-Za-z_0-9]*\$)/.test(t.text)) blankChars(chars, located.start(k), located.end(k));
  });
  return chars.join('');
}

/** The dialect whose marks `texts` bear most (each kind of mark counted once; the first in MARK_RULES order on a tie). */
export function foreignDialect(texts: string[]): ForeignDialect | undefined {
  const found = new Map<string, DialectMark[]>();
  const code = texts.map(codeOnly);
  for (const rule of MARK_RULES) {
    for (let i = 0; i < code.length; i++) {
      const m = rule.re.exec(code[i]);
      if (!m) continue;
      const lead = m[0].length - m[0].trimStart().length;
      const marks = found.get(rule.dialect) ?? [];
      found.set(rule.dialect, marks);
      marks.push({ what: rule.what, text: i, offset: m.index + lead, length: m[0].trim().length });
      break;
    }
  }
  let best: [string, DialectMark[]] | undefined;
  for (const e of found) if (!best || e[1].length > best[1].length) best = e;
  if (!best) return undefined;
  const marks = [...best[1]].sort((a, b) => a.text - b.text || a.offset - b.offset);
  return { name: best[0], marks };
}
