import { type ParsedStatement, parseSqlDocument } from './parser';

/** A function that parses a SQL document as parseSqlDocument does. */
export type SqlDocumentParser = (text: string) => ParsedStatement[];

/**
 * parseSqlDocument, keeping the statements of the texts parsed last: the same SQL written in many
 * files (a query repeated across services, a helper's text) and the SQL of a file extracted again
 * after an edit are parsed once. The statements are shared between callers, so they are read-only.
 * Texts longer than `maxChars` are not kept; past `maxEntries` texts, or `maxTotalChars` characters of
 * text kept (a parsed text holds ~50 bytes per character), the least recently used ones go.
 */
export function cachedSqlParser(maxEntries = 4096, maxChars = 8192, maxTotalChars = 1 << 20): SqlDocumentParser {
  const kept = new Map<string, ParsedStatement[]>();
  let total = 0;
  return (text) => {
    const hit = kept.get(text);
    if (hit) {
      kept.delete(text);
      kept.set(text, hit);
      return hit;
    }
    const parsed = parseSqlDocument(text);
    if (text.length <= maxChars) {
      while (kept.size > 0 && (kept.size >= maxEntries || total + text.length > maxTotalChars)) {
        const oldest = kept.keys().next().value!;
        kept.delete(oldest);
        total -= oldest.length;
      }
      kept.set(text, parsed);
      total += text.length;
    }
    return parsed;
  };
}
