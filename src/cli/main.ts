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
import { commandHelp, usageLines, wantsHelp } from './help';
import { type Command, type Out, UsageError } from './io';
import { VERSION } from './version';

export { VERSION };

/** Every command; --help lists them in this order. */
export const COMMANDS: Command[] = [checkCommand, explainCommand, whatifCommand, explainShapeCommand, migrationCommand, lintCommand, applyCommand, reportCommand];

function usage(): string {
  const lines = ['Usage:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage}`);
  lines.push('  pg-index-review <command> --help', '  pg-index-review --help | --version', '');
  for (const c of COMMANDS) lines.push(`${c.name}: ${c.summary}`, '');
  return lines.join('\n');
}

/** A usage error's message: parseArgs' "Unknown option '--x'. To specify a positional argument…" made short. */
function usageMessage(e: Error): string {
  const unknown = (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /Unknown option '([^']*)'/.exec(e.message);
  return unknown ? `unknown option '${unknown[1]}' (an argument that starts with '-' but is not an option goes after '--')` : e.message;
}

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length === 1) {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (command) {
      out.write(commandHelp(command));
      return 0;
    }
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err.write(`pg-index-review: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // Every command takes --help / -h: its usage, summary and options, from its definition.
  if (wantsHelp(command, rest)) {
    out.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, { out, err });
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`pg-index-review ${command.name}: ${usageMessage(e as Error)}\n\nUsage:\n${usageLines(command).join('\n')}\n\nRun \`pg-index-review ${command.name} --help\` for its options.\n`);
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
