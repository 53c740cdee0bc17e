#!/usr/bin/env node
// The entry point: argv → Options (src/args.ts holds the yargs definition), then hand over to main.
import { fastParse, parseWithYargs, toOptions } from './args.js';
import { guardStdout } from './stdout-errors.js';
import { toolVersion } from './version.js';

async function cli(): Promise<number> {
  guardStdout();
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    process.stdout.write(toolVersion() + '\n');
    return 0;
  }
  let argv = fastParse(args);
  let usage: string | undefined;
  if (!argv) ({ argv, usage } = await parseWithYargs(args));
  if (usage) {
    process.stderr.write(`claw-doctor: ${usage}\nRun claw-doctor --help for usage.\n`);
    return 2;
  }
  if (argv.help || argv.version) return 0;
  if (!Number.isFinite(Number(argv.timeout)) || Number(argv.timeout) <= 0) {
    process.stderr.write('claw-doctor: --timeout must be a positive number of seconds\n');
    return 2;
  }
  const options = toOptions(argv, process.env, !!process.stdout.isTTY);
  const sub = (argv._ as unknown[] | undefined)?.[0];
  const { main, runSubcommand } = await import('./main.js');
  return typeof sub === 'string' ? runSubcommand(sub, argv, options) : main(options);
}

cli().then(
  (code) => {
    process.exitCode = code;
    // Lingering sockets or timers of a timed-out check must not keep the process alive.
    setTimeout(() => process.exit(code), 50).unref();
  },
  async (e: unknown) => {
    // Even a crash message goes through the redactor: it may quote a config value or a path in home.
    let message = (e as Error)?.message ?? String(e);
    try {
      const { Redactor } = await import('./report/redact.js');
      message = new Redactor({}).text(message);
    } catch {
      message = 'details withheld (the redactor could not load)';
    }
    process.stderr.write(`claw-doctor: internal error: ${message}\n`);
    process.exit(2);
  },
);
