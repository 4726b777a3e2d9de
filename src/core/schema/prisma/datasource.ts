/** The datasource block of a schema.prisma: which database it is for, and a url for the engine when it names none. */
import { scanPrismaSchema, type BlockSpan } from './ranges';

export interface Datasource {
  block: BlockSpan;
  /** `provider = "…"` as written (`postgresql`, `mysql`, …); undefined when it is missing. */
  provider?: string;
  hasUrl: boolean;
  /** `relationMode = "…"` (`referentialIntegrity` before Prisma 4.5): `prisma` emulates relations in Prisma Client. */
  relationMode?: string;
}

export function readDatasource(text: string, blocks: BlockSpan[] = scanPrismaSchema(text)): Datasource | undefined {
  const block = blocks.find((b) => b.kind === 'datasource');
  if (!block) return undefined;
  const valueOf = (name: string) => {
    const f = block.fields.find((x) => x.name === name);
    return f ? /=\s*"([^"]*)"/.exec(text.slice(f.start, f.end))?.[1] : undefined;
  };
  const relationMode = valueOf('relationMode') ?? valueOf('referentialIntegrity');
  return { block, provider: valueOf('provider'), hasUrl: block.fields.some((f) => f.name === 'url'), ...(relationMode ? { relationMode } : {}) };
}

/** Providers of Prisma that are not PostgreSQL. */
const OTHER_DATABASES = new Set(['mysql', 'sqlite', 'sqlserver', 'mongodb', 'cockroachdb']);

/**
 * Whether a provider may be PostgreSQL's: anything but another database Prisma knows (a schema without a
 * provider may be one file of a split schema; a provider being typed, `"po"`, does not switch the schema off).
 */
export function isPostgresProvider(provider: string | undefined): boolean {
  return provider === undefined || !OTHER_DATABASES.has(provider);
}

/**
 * The text for Prisma's engine: Prisma 7 moved the connection url out of schema.prisma (into
 * prisma.config.ts), but the engine bundled here (Prisma 6) still rejects a datasource without one.
 * Such a block is blanked (line breaks kept, so offsets and lines don't move) and written again after
 * the text with a url the engine never connects to. Any other text is returned as is.
 */
export function withDatasourceUrl(text: string): string {
  const ds = readDatasource(text);
  if (!ds || ds.hasUrl || text[ds.block.end - 1] !== '}') return text;
  const { start, headerEnd, end } = ds.block;
  const blanked = text.slice(start, end).replace(/[^\r\n]/g, ' ');
  const again = `${text.slice(start, headerEnd)}\n  url = "postgresql://localhost"${text.slice(headerEnd, end)}`;
  return `${text.slice(0, start)}${blanked}${text.slice(end)}\n${again}\n`;
}

/**
 * Where a 0-based line of withDatasourceUrl(text) is in `text`: lines of the datasource written again after the
 * text are the block's own lines (its header and the added url both on the header's line); the others stay.
 */
export function writtenLine(text: string, engineLine: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  // The copy starts on the line after the text's last one.
  const first = lines + 1;
  if (engineLine < first) return engineLine;
  const ds = readDatasource(text);
  if (!ds) return engineLine;
  let header = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < ds.block.start; i = text.indexOf('\n', i + 1)) header++;
  return header + Math.max(0, engineLine - first - 1);
}
