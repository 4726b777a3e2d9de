/**
 * An extraction thread (dist/extract-worker.js, see extractPool.ts): extracts the files it is sent
 * against the schema it was last sent, and replies with their shapes and problems.
 */
import { parentPort } from 'node:worker_threads';
import type { SchemaModel } from '../model/schema';
import { cachedSqlParser } from '../sql/parseCache';
import { initSqlParser } from '../sql/parser';
import { extractFile } from './extractFile';
import type { ExtractReply, ExtractRequest, ExtractResult } from './extractProtocol';
import { encodeResults } from './shapeCodec';

const port = parentPort;
if (port) {
  let schema: SchemaModel | undefined;
  // Kept for one workspace's extraction: the Project sends the schema before its first batch.
  let parseSql = cachedSqlParser();
  let ready = false;
  initSqlParser().then(
    () => {
      ready = true;
      port.postMessage({ op: 'ready' } satisfies ExtractReply);
    },
    (err: Error) => port.postMessage({ op: 'failed', message: err.message } satisfies ExtractReply),
  );
  port.on('message', (m: ExtractRequest) => {
    if (m.op === 'schema') {
      schema = m.schema;
      parseSql = cachedSqlParser();
    }
    else if (ready) {
      const results = m.jobs.map((j): ExtractResult => {
        const r = extractFile(j.file, j.kind, j.text, schema!, { parseSql });
        return { file: j.file, shapes: r.shapes, problems: r.problems };
      });
      port.postMessage({ op: 'done', batch: m.batch, results: encodeResults(results) } satisfies ExtractReply);
    }
  });
}
