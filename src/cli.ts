#!/usr/bin/env node
// The yargs definition only: flags → Options, then hand over to main (DESIGN.md "Rooms").
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { defaultOptions, type Options } from './engine/options.js';
import { main, runSubcommand, toolVersion } from './main.js';

const EXAMPLES: [string, string][] = [
  ['$0', 'diagnose the setup found in the usual places (read-only)'],
  ['$0 --config ~/.clawdbot/clawdbot.json --offline', 'check one config without calling the API'],
  ['$0 --only "provider.*" --json', 'only the provider checks, as JSON on stdout'],
  ['$0 --report --output doctor.md', 'a paste-ready Markdown report for a support thread'],
  ['$0 --fix', 'apply the safe repairs the diagnosis names (asks first)'],
  ['$0 explain provider.user-agent', 'why a check exists and what it looks at'],
];

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
}

export function toOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): Options {
  const json = argv.json === true;
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return defaultOptions({
    config: argv.config as string | undefined,
    stateDir: argv['state-dir'] as string | undefined,
    logDir: argv['log-dir'] as string | undefined,
    profile: argv.profile as string | undefined,
    offline: argv.offline === true,
    only: list(argv.only),
    skip: list(argv.skip),
    timeout: Number(argv.timeout),
    json,
    verbose: argv.verbose === true,
    strict: argv.strict === true,
    color: argv.color !== false && !noColorEnv && stdoutIsTTY && !json,
    plugins: list(argv.plugin),
    allModels: argv['all-models'] === true,
    allowInsecure: argv['allow-insecure'] === true,
    fix: argv.fix === true,
    yes: argv.yes === true,
    dryRun: argv['dry-run'] === true,
    resetSessions: argv['reset-sessions'] === true,
    report: argv.report === true,
    output: argv.output as string | undefined,
    copy: argv.copy === true,
  });
}

async function cli(): Promise<number> {
  let code: number | undefined;
  let usage: string | undefined;
  const parser = yargs(hideBin(process.argv))
    .scriptName('claw-doctor')
    .usage('$0 [options]\n\nDiagnose an OpenClaw / Moltbot / Clawdbot setup that uses Kimi For Coding.\nRead-only unless --fix is given.')
    .command('$0', 'run every check (default)')
    .command('list', 'list every check: id, title, why')
    .command('explain <id>', 'explain one check')
    .command('undo', 'revert the changes of the last --fix run')
    .command('restore [archive]', 'put a sessions backup back (the latest by default)')
    .option('config', { type: 'string', describe: 'config file to read (wins over every env var)', requiresArg: true })
    .option('state-dir', { type: 'string', describe: 'state dir (~/.clawdbot, ~/.openclaw, …)', requiresArg: true })
    .option('log-dir', { type: 'string', describe: 'directory holding the product\'s dated log files', requiresArg: true })
    .option('profile', { type: 'string', describe: 'product profile name (state dir ~/.clawdbot-NAME)', requiresArg: true })
    .option('offline', { type: 'boolean', describe: 'skip network checks (the live API probe)' })
    .option('only', { type: 'string', array: true, describe: 'run only these check ids or globs (comma-separated, e.g. "provider.*")' })
    .option('skip', { type: 'string', array: true, describe: 'skip these check ids or globs' })
    .option('timeout', { type: 'number', default: 30, describe: 'bound the whole run, in seconds' })
    .option('json', { type: 'boolean', describe: 'one JSON document on stdout (schema in README)' })
    .option('verbose', { type: 'boolean', describe: 'show info findings and stack traces of crashed checks' })
    .option('strict', { type: 'boolean', describe: 'warnings (and timed-out checks) fail too' })
    .option('color', { type: 'boolean', default: true, describe: 'colour output (--no-color; NO_COLOR is honoured)' })
    .option('plugin', { type: 'string', array: true, describe: 'load extra checks from an ES module (repeatable)' })
    .option('all-models', { type: 'boolean', describe: 'probe every configured Kimi model, not just the agent\'s' })
    .option('allow-insecure', { type: 'boolean', describe: 'allow sending the key over http:// to a non-loopback host' })
    .option('fix', { type: 'boolean', describe: 'apply safe repairs (asks first on a TTY)' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'with --fix: accept the plan without asking' })
    .option('dry-run', { type: 'boolean', describe: 'with --fix: print the plan, change nothing' })
    .option('reset-sessions', { type: 'boolean', describe: 'with --fix: back up and clear the agent\'s sessions' })
    .option('report', { type: 'boolean', describe: 'print a paste-ready Markdown report (secrets masked)' })
    .option('output', { alias: 'o', type: 'string', describe: 'with --report: write to this file (mode 0600)', requiresArg: true })
    .option('copy', { type: 'boolean', describe: 'with --report: put the report on the clipboard' })
    .example(EXAMPLES)
    .epilogue('Exit codes: 0 no error findings · 1 at least one error (or warning with --strict) · 2 usage error or the doctor failed.\nDocs: README.md')
    .version(toolVersion())
    .alias('h', 'help')
    .alias('v', 'version')
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      usage = msg || err?.message || 'invalid arguments';
    });
  let argv: Record<string, unknown>;
  try {
    argv = (await parser.parseAsync()) as Record<string, unknown>;
  } catch (e) {
    usage ??= (e as Error).message;
    argv = {};
  }
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
  if (typeof sub === 'string') code = await runSubcommand(sub, argv, options);
  else code = await main(options);
  return code;
}

cli().then(
  (code) => {
    process.exitCode = code;
    // Lingering sockets or timers of a timed-out check must not keep the process alive.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e: unknown) => {
    process.stderr.write(`claw-doctor: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(2);
  },
);
