/** `pg-index-review <command> --help`: one command's usage, summary and options, from its definition. */
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { HELP_OPTION, type OptionSpec } from './options';

const WIDTH = 100;

/** True when `args` ask for help: a `--help` or `-h` option (not an option's value, not after `--`). */
export function wantsHelp(command: Command, args: string[]): boolean {
  try {
    const { tokens } = parseArgs({ args, options: { ...command.options, ...HELP_OPTION }, allowPositionals: true, strict: false, tokens: true });
    return tokens.some((t) => t.kind === 'option' && t.name === 'help');
  } catch {
    return args.includes('--help') || args.includes('-h');
  }
}

/** The summary's first sentence, or its first clause when a colon comes first: "Runs EXPLAIN on a database." */
export function oneLine(summary: string): string {
  const m = /[.:](?=\s|$)/.exec(summary);
  return m ? `${summary.slice(0, m.index)}.` : summary;
}

/** The usage lines, indented under "Usage:". */
export function usageLines(command: Command): string[] {
  return command.usage.split('\n').map((l) => `  ${l}`);
}

/** `--rows <table=N>…`, `-o, --out <file>`, `--quiet`. */
function optionLabel(name: string, o: OptionSpec): string {
  const value = o.type === 'string' ? ` <${o.value ?? 'value'}>${o.multiple ? '…' : ''}` : '';
  return `${o.short ? `-${o.short}, ` : '    '}--${name}${value}`;
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, ...HELP_OPTION }).map(([name, o]) => ({ label: optionLabel(name, o), description: o.description }));
  // Descriptions in one column, unless a label is too long: then it goes on a line of its own.
  const column = Math.min(Math.max(...options.map((o) => o.label.length)), 28) + 4;
  const lines = ['Usage:', ...usageLines(command), '', oneLine(command.summary), '', 'Options:'];
  for (const o of options) {
    const text = wrap(o.description, WIDTH - column);
    const head = `  ${o.label}`;
    if (head.length + 2 <= column) lines.push(`${head.padEnd(column)}${text[0] ?? ''}`);
    else lines.push(head, `${' '.repeat(column)}${text[0] ?? ''}`);
    for (const t of text.slice(1)) lines.push(`${' '.repeat(column)}${t}`);
  }
  lines.push('', ...wrap(command.summary, WIDTH), '');
  return lines.join('\n');
}
