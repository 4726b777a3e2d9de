/** Runs the CLI in-process (main) or as a child process (the built bundle). */
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main';
import { DIST_CLI, REPO } from './paths';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Calls `main(argv, out, err)` with writers that collect what the CLI prints. */
export async function runMain(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    { write: (s: string) => void (stdout += s) },
    { write: (s: string) => void (stderr += s) },
  );
  return { code, stdout, stderr };
}

/** Runs `node dist/cli.js …` from the repository root. */
export function runBuilt(argv: string[]): CliRun {
  const r = spawnSync(process.execPath, [DIST_CLI, ...argv], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
