// The command line, as data: one option table for yargs and for the fast path, and argv → Options.
import { parseArgs } from 'node:util';
import { defaultOptions, type Options } from './engine/options.js';
import { toolVersion } from './version.js';

/** One table for both parsers: yargs (help, errors, subcommands) and the fast path below. */
export const OPTIONS = {
  config: { type: 'string', describe: 'config file to read (wins over every env var)', requiresArg: true },
  'state-dir': { type: 'string', describe: 'state dir (~/.clawdbot, ~/.openclaw, …)', requiresArg: true },
  'log-dir': { type: 'string', describe: "directory holding the product's dated log files", requiresArg: true },
  profile: { type: 'string', describe: 'product profile name (state dir ~/.clawdbot-NAME)', requiresArg: true },
  offline: { type: 'boolean', describe: 'skip network checks (the live API probe)' },
  only: { type: 'string', array: true, describe: 'run only these check ids or globs (comma-separated, e.g. "provider.*")' },
  skip: { type: 'string', array: true, describe: 'skip these check ids or globs' },
  timeout: { type: 'number', default: 30, describe: 'bound the whole run, in seconds' },
  json: { type: 'boolean', describe: 'one JSON document on stdout (schema in README)' },
  verbose: { type: 'boolean', describe: 'show info findings and stack traces of crashed checks' },
  strict: { type: 'boolean', describe: 'warnings (and timed-out checks) fail too' },
  color: { type: 'boolean', default: true, describe: 'colour output (--no-color; NO_COLOR is honoured)' },
  plugin: { type: 'string', array: true, describe: 'load extra checks from an ES module (repeatable)' },
  'all-models': { type: 'boolean', describe: "probe every configured Kimi model, not just the agent's" },
  'allow-insecure': { type: 'boolean', describe: 'allow sending the key over http:// to a non-loopback host' },
  fix: { type: 'boolean', describe: 'apply safe repairs (asks first on a TTY)' },
  yes: { alias: 'y', type: 'boolean', describe: 'with --fix: accept the plan without asking' },
  'dry-run': { type: 'boolean', describe: 'with --fix: print the plan, change nothing' },
  'reset-sessions': { type: 'boolean', describe: "with --fix: back up and clear the agent's sessions" },
  report: { type: 'boolean', describe: 'print a paste-ready Markdown report (secrets masked)' },
  output: { alias: 'o', type: 'string', describe: 'with --report: write to this file (mode 0600)', requiresArg: true },
  copy: { type: 'boolean', describe: 'with --report: put the report on the clipboard' },
  force: { type: 'boolean', describe: 'with undo: revert even files changed since the fix (they are backed up first)' },
} as const satisfies Record<string, { type: 'string' | 'boolean' | 'number'; describe: string; alias?: string; array?: boolean; default?: unknown; requiresArg?: boolean }>;

/**
 * The common case (flags only, no help, no subcommand) is parsed with node's util.parseArgs from the same
 * table: loading yargs costs ~90 ms, a third of a whole run. Anything it does not accept (an unknown flag,
 * a missing value, --no-X other than --no-color) returns undefined and goes to yargs, whose answer is the
 * canonical one.
 */
export function fastParse(args: string[]): Record<string, unknown> | undefined {
  if (args.length && !args[0].startsWith('-')) return undefined;
  if (args.some((a) => /^-(h|v)$|^--(help|version)$/.test(a))) return undefined;
  const noColor = args.includes('--no-color');
  const rest = args.filter((a) => a !== '--no-color');
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(OPTIONS)) {
    spec[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...('alias' in o ? { short: o.alias } : {}), ...('array' in o ? { multiple: true } : {}) };
  }
  let values: Record<string, unknown>;
  try {
    const r = parseArgs({ args: rest, options: spec, strict: true, allowPositionals: false });
    values = r.values as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return { ...values, _: [], timeout: values.timeout ?? 30, color: noColor ? false : true };
}

export const EXAMPLES: [string, string][] = [
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
    force: argv.force === true,
  });
}


export async function parseWithYargs(args: string[]): Promise<{ argv: Record<string, unknown>; usage?: string }> {
  const { default: yargs } = await import('yargs');
  let usage: string | undefined;
  const parser = yargs(args)
    .scriptName('claw-doctor')
    .usage('$0 [options]\n\nDiagnose an OpenClaw / Moltbot / Clawdbot setup that uses Kimi For Coding.\nRead-only unless --fix is given.')
    .command('$0', 'run every check (default)')
    .command('list', 'list every check: id, title, why')
    .command('explain <id>', 'explain one check, or one cause of the known failures')
    .command('undo', 'revert the changes of the last --fix run')
    .command('restore [archive]', 'put a sessions backup back (the latest by default)')
    .options(OPTIONS)
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
  try {
    return { argv: (await parser.parseAsync()) as Record<string, unknown>, usage };
  } catch (e) {
    return { argv: {}, usage: usage ?? (e as Error).message };
  }
}

