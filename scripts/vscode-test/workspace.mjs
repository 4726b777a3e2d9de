// A fresh copy of the sample workspace (the suite edits files), in a temporary folder.
import { cpSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function copySample(name = 'lms') {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pgir-ws-'));
  const dest = path.join(base, name);
  cpSync(path.join(repo, 'examples', name), dest, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  return { base, dir: dest };
}
