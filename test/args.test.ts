// The fast argv path and yargs must agree on everything the fast path accepts.
import { describe, expect, it } from 'vitest';
import { fastParse, parseWithYargs, toOptions } from '../src/args.js';

const accepted: string[][] = [
  [],
  ['--offline'],
  ['--config', '/x/c.json', '--json'],
  ['--config=/x/c.json', '--state-dir', '/s', '--log-dir', '/l', '--profile', 'work'],
  ['--only', 'provider.*,agent.model', '--skip', 'provider.compat', '--only', 'config.parse'],
  ['--timeout', '5', '--strict', '--verbose', '--no-color'],
  ['--plugin', 'a.mjs', '--plugin', 'b.mjs', '--all-models', '--allow-insecure'],
  ['--report', '-o', 'out.md', '--copy'],
  ['--fix', '-y', '--dry-run', '--reset-sessions'],
];

const refused: string[][] = [['list'], ['explain', 'provider.compat'], ['--help'], ['-h'], ['--bogus'], ['--config'], ['--no-offline']];

describe('argv', () => {
  it.each(accepted)('fast path agrees with yargs: %j', async (...args) => {
    const fast = fastParse(args);
    expect(fast).toBeDefined();
    const { argv, usage } = await parseWithYargs(args);
    expect(usage).toBeUndefined();
    expect(toOptions(fast!, {}, true)).toEqual(toOptions(argv, {}, true));
  });

  it.each(refused)('left to yargs: %j', (...args) => {
    expect(fastParse(args)).toBeUndefined();
  });

  it('NO_COLOR, --json and a non-TTY all turn colour off', () => {
    expect(toOptions(fastParse([])!, {}, true).color).toBe(true);
    expect(toOptions(fastParse([])!, { NO_COLOR: '1' }, true).color).toBe(false);
    expect(toOptions(fastParse(['--json'])!, {}, true).color).toBe(false);
    expect(toOptions(fastParse([])!, {}, false).color).toBe(false);
  });
});
