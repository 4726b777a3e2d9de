/**
 * `pg-index-review <command> --help` for every command: exit 0, the command's usage, its one-line
 * summary and every option it parses with its description, on stdout. Unknown options stay usage errors.
 */
import assert from 'node:assert/strict';
import { oneLine } from '../../src/cli/help';
import { COMMANDS } from '../../src/cli/main';
import { runMain } from '../helpers/cli';

describe('cli: <command> --help', () => {
  for (const command of COMMANDS) {
    describe(command.name, () => {
      it('--help and -h exit 0 and print its usage, summary and options to stdout', async () => {
        for (const flag of ['--help', '-h']) {
          const r = await runMain([command.name, flag]);
          assert.equal(r.code, 0, `${command.name} ${flag}: ${r.stderr}`);
          assert.equal(r.stderr, '');
          assert.ok(r.stdout.includes(command.usage.split('\n')[0]), `${command.name} ${flag} prints its usage line:\n${r.stdout}`);
          assert.ok(r.stdout.includes(oneLine(command.summary)), 'its one-line summary');
          for (const [name, o] of Object.entries(command.options)) {
            assert.match(r.stdout, new RegExp(`--${name}\\b`), `option --${name}`);
            assert.ok(o.description.length > 0, `--${name} has a description`);
            assert.ok(r.stdout.replace(/\s+/g, ' ').includes(o.description), `description of --${name}`);
          }
          assert.match(r.stdout, /-h, --help/);
        }
      });

      it('--help wins over the other arguments, and `help <command>` prints the same', async () => {
        const alone = await runMain([command.name, '--help']);
        const after = await runMain([command.name, 'some/path', '--help']);
        assert.equal(after.code, 0);
        assert.equal(after.stdout, alone.stdout);
        const viaHelp = await runMain(['help', command.name]);
        assert.equal(viaHelp.code, 0);
        assert.equal(viaHelp.stdout, alone.stdout);
      });

      it('an unknown option is still a usage error: exit 2, naming the option, with the command usage on stderr', async () => {
        const r = await runMain([command.name, '--frobnicate']);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, new RegExp(`^pg-index-review ${command.name}: unknown option '--frobnicate'`));
        assert.ok(r.stderr.includes(command.usage.split('\n')[0]), r.stderr);
        assert.ok(r.stderr.includes(`pg-index-review ${command.name} --help`), 'points at --help');
      });
    });
  }

  it('--help as the value of an option or after -- is not a request for help', async () => {
    const value = await runMain(['check', 'examples/lms', '--config', '--help']);
    assert.equal(value.code, 2);
    assert.doesNotMatch(value.stdout, /Usage:/);
    const positional = await runMain(['explain-shape', '--', '-h']);
    assert.doesNotMatch(positional.stdout, /Usage:/);
  });

  it('the general --help points at the per-command help', async () => {
    const r = await runMain(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /pg-index-review <command> --help/);
  });
});
