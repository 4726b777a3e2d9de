/** Messages between the Project and its extraction threads (extractPool.ts, extractWorker.ts). */
import type { Finding } from '../model/finding';
import type { QueryShape } from '../model/query';
import type { SchemaModel } from '../model/schema';
import type { FileKind } from './files';

export interface ExtractJob {
  file: string;
  kind: FileKind;
  text: string;
}

export interface ExtractResult {
  file: string;
  shapes: QueryShape[];
  problems: Finding[];
}

export type ExtractRequest =
  /** The schema the following batches are extracted against. */
  | { op: 'schema'; schema: SchemaModel }
  | { op: 'batch'; batch: number; jobs: ExtractJob[] };

export type ExtractReply =
  /** Loaded and ready for batches (sent once). */
  | { op: 'ready' }
  /** `results`: ExtractResult[] as shapeCodec's JSON, which crosses threads faster than a structured clone of the same objects. */
  | { op: 'done'; batch: number; results: string }
  /** The thread could not start (its SQL parser did not load): its batches are extracted elsewhere. */
  | { op: 'failed'; message: string };
