#!/usr/bin/env node
// The entry point: argv → Options (src/args.ts), the one check of option combinations, then the command.
// Nothing here renders or diagnoses; nothing below calls back up.
import { COMMANDS, fastParse, parseWithYargs, toOptions, type CommandName } from './args.js';
import { guardOutput, processIO, usage, type IO } from './commands/io.js';
import { usageProblem, type Options } from './engine/options.js';
import { toolVersion } from './version.js';

type Command = (options: Options, io: IO, positional: string | undefined) => Promise<number>;

/** Each command's module, loaded only when it runs (a plain check must not pay for the fixer). */
const COMMAND_MODULES: Record<Exclude<CommandName, 'completion'>, () => Promise<Command>> = {
  check: async () => async (o, io) => {
    if (o.fix || o.dryRun || o.resetSessions) return (await import('./commands/fix.js')).fix(o, io);
    if (o.report) return (await import('./commands/report.js')).report(o, io);
    return (await import('./commands/check.js')).check(o, io);
  },
  list: async () => (await import('./commands/list.js')).list,
  explain: async () => {
    const { explain } = await import('./commands/explain.js');
    return (o, io, id) => explain(o, io, id ?? '');
  },
  undo: async () => (await import('./commands/undo.js')).undo,
  restore: async () => (await import('./commands/restore.js')).restore,
};

async function cli(): Promise<number> {
  const args = process.argv.slice(2);
  const io = processIO();
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    process.stdout.write(toolVersion() + '\n');
    return 0;
  }
  const columns = process.stdout.columns;
  let argv = fastParse(args);
  let command: CommandName = 'check';
  if (!argv) {
    const width = toOptions({}, io.env, !!process.stdout.isTTY, columns).width;
    const parsed = await parseWithYargs(args, width);
    if (parsed.usage) {
      // The help that answers the mistake: that command's own, when the line names one.
      const named = args.find((a) => a !== 'check' && a !== 'completion' && Object.hasOwn(COMMANDS, a));
      return usage(io, parsed.usage, named ? `Run claw-doctor help ${named} for its options.` : undefined);
    }
    if (parsed.done) return 0;
    ({ argv, command } = parsed);
  }
  const options = toOptions(argv, io.env, !!process.stdout.isTTY, columns);
  const problem = usageProblem(options, command);
  if (problem) return usage(io, problem);
  const { missingTarget } = await import('./commands/targets.js');
  const missing = missingTarget(options, io.cwd, io.home ?? io.env.HOME ?? '');
  if (missing) return usage(io, missing, 'Check the path, or leave the flag out to use the usual places.');
  if (command === 'completion') return 0;
  const run = await COMMAND_MODULES[command]();
  const positional = typeof argv.id === 'string' ? argv.id : typeof argv.archive === 'string' ? argv.archive : undefined;
  return run(options, io, positional);
}

guardOutput(process.stdout, process.stderr);
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
      const { earlyRedactor } = await import('./commands/io.js');
      message = earlyRedactor(processIO()).text(message);
    } catch {
      message = 'details withheld (the redactor could not load)';
    }
    const stack = process.argv.includes('--verbose') && e instanceof Error && e.stack ? `\n${e.stack}` : '';
    process.stderr.write(`claw-doctor: internal error: ${message}${stack}\n`);
    process.exit(2);
  },
);
