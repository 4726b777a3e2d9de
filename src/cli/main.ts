#!/usr/bin/env node
/** `pg-index-review`: review a codebase's PostgreSQL queries against its indexes. */
import { applyCommand } from './commands/apply';
import { checkCommand } from './commands/check';
import { explainCommand } from './commands/explain';
import { explainShapeCommand } from './commands/explainShape';
import { whatifCommand } from './commands/whatif';
import { lintCommand } from './commands/lint';
import { migrationCommand } from './commands/migration';
import { reportCommand } from './commands/report';
import { type Command, type Out, UsageError } from './io';
import { VERSION } from './version';

export { VERSION };

/** Every command; --help lists them in this order. */
export const COMMANDS: Command[] = [checkCommand, explainCommand, whatifCommand, explainShapeCommand, migrationCommand, lintCommand, applyCommand, reportCommand];

function usage(): string {
  const lines = ['Usage:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage}`);
  lines.push('  pg-index-review --help | --version', '');
  for (const c of COMMANDS) lines.push(`${c.name}: ${c.summary}`, '');
  return lines.join('\n');
}

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest, { out, err });
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`pg-index-review: ${(e as Error).message}\n\n${usage()}`);
    } else {
      err.write(`pg-index-review: ${(e as Error).message}\n`);
    }
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`pg-index-review: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
