// The command line, as data: one option table for yargs and for the fast path, the commands and which
// options each takes, and argv → Options.
import { parseArgs } from 'node:util';
import { defaultOptions, type Options } from './engine/options.js';
import { closest } from './commands/suggest.js';
import { colourLevel, outputWidth } from './report/terminal.js';
import { toolDocs, toolVersion } from './version.js';

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
  verbose: { type: 'boolean', describe: 'show the stack traces of crashed checks' },
  strict: { type: 'boolean', describe: 'warnings (and timed-out checks) fail too' },
  color: { type: 'boolean', describe: 'force colour on (--color) or off (--no-color); else NO_COLOR, FORCE_COLOR, the terminal' },
  plugin: { type: 'string', array: true, describe: 'load extra checks from an ES module (repeatable)' },
  'all-models': { type: 'boolean', describe: "probe every configured Kimi model, not just the agent's" },
  'allow-insecure': { type: 'boolean', describe: 'allow sending the key over http:// to a non-loopback host' },
  fix: { type: 'boolean', describe: 'apply safe repairs (asks first on a TTY)' },
  yes: { alias: 'y', type: 'boolean', describe: 'with --fix: accept the plan without asking' },
  'dry-run': { type: 'boolean', describe: 'with --fix: print the plan, change nothing' },
  'reset-sessions': { type: 'boolean', describe: "with --fix: back up and clear the agent's sessions" },
  report: { type: 'boolean', describe: 'print a paste-ready Markdown report (secrets masked)' },
  format: { type: 'string', choices: ['markdown', 'chat'], describe: 'with --report: markdown (GitHub) or chat (one Discord/Telegram message)', requiresArg: true },
  output: { alias: 'o', type: 'string', describe: 'with --report: write to this file (mode 0600)', requiresArg: true },
  copy: { type: 'boolean', describe: 'with --report: put the report on the clipboard' },
  force: { type: 'boolean', describe: 'revert even files changed since the fix (they are backed up first)' },
} as const satisfies Record<string, { type: 'string' | 'boolean' | 'number'; describe: string; alias?: string; array?: boolean; default?: unknown; requiresArg?: boolean; choices?: readonly string[] }>;

type OptionName = keyof typeof OPTIONS;

const WHERE: OptionName[] = ['config', 'state-dir', 'profile'];
const LOOK: OptionName[] = ['color', 'verbose'];

/** The commands, each with the options it takes (its own `--help` shows only those). */
export const COMMANDS = {
  check: {
    usage: '$0 [options]',
    describe: 'run every check (default; --fix repairs, --report writes a report)',
    options: (Object.keys(OPTIONS) as OptionName[]).filter((o) => o !== 'force'),
  },
  list: { usage: 'list', describe: 'list every check: id, title, why', options: ['plugin', 'json', ...LOOK] as OptionName[] },
  explain: { usage: 'explain <id>', describe: 'explain one check (what it reads, what it can find, its repair) or one known-failure cause', options: ['plugin', 'json', ...LOOK] as OptionName[] },
  undo: { usage: 'undo', describe: 'revert the changes of the last --fix run', options: [...WHERE, 'force', ...LOOK] as OptionName[] },
  restore: { usage: 'restore [archive]', describe: 'put a sessions backup back (the latest by default)', options: [...WHERE, ...LOOK] as OptionName[] },
  completion: { usage: 'completion', describe: 'print a bash/zsh completion script (source it from your shell rc)', options: [] as OptionName[] },
} as const;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = [...Object.keys(COMMANDS), 'help'] as const;

/**
 * The common case (flags only, no help, no subcommand) is parsed with node's util.parseArgs from the same
 * table: loading yargs costs ~90 ms, a third of a whole run. Anything it does not accept (an unknown flag,
 * a missing value, --no-X other than --no-color) returns undefined and goes to yargs, whose answer is the
 * canonical one.
 */
export function fastParse(args: string[]): Record<string, unknown> | undefined {
  if (args.length && !args[0]!.startsWith('-')) return undefined;
  if (args.some((a) => /^-(h|v)$|^--(help|version)$/.test(a))) return undefined;
  const noColor = args.includes('--no-color');
  const rest = args.filter((a) => a !== '--no-color');
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const name of COMMANDS.check.options) {
    const o = OPTIONS[name];
    spec[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...('alias' in o ? { short: o.alias } : {}), ...('array' in o ? { multiple: true } : {}) };
  }
  let values: Record<string, unknown>;
  try {
    const r = parseArgs({ args: rest, options: spec, strict: true, allowPositionals: false });
    values = r.values as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (values.format !== undefined && !OPTIONS.format.choices.includes(values.format as 'chat')) return undefined;
  const color = noColor ? false : values.color;
  return { ...values, _: [], timeout: values.timeout ?? 30, ...(color === undefined ? {} : { color }) };
}

export const EXAMPLES: [string, string][] = [
  ['$0', 'diagnose the setup found in the usual places (read-only)'],
  ['$0 --config ./clawdbot.json --offline', 'check one config without calling the API'],
  ['$0 --only "provider.*" --json', 'only the provider checks, as JSON on stdout'],
  ['$0 --report --output doctor.md', 'a paste-ready Markdown report for a support thread'],
  ['$0 --report --format chat', 'the same in one chat message (Discord, Telegram)'],
  ['$0 --fix', 'apply the safe repairs the diagnosis names (asks first)'],
  ['$0 explain provider.user-agent', 'what a check reads and what it can find'],
];

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
}

export function toOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, columns?: number): Options {
  const json = argv.json === true;
  const level = colourLevel({ flag: typeof argv.color === 'boolean' ? argv.color : undefined, env, isTTY: stdoutIsTTY, json });
  return defaultOptions({
    config: argv.config as string | undefined,
    stateDir: argv['state-dir'] as string | undefined,
    logDir: argv['log-dir'] as string | undefined,
    profile: argv.profile as string | undefined,
    offline: argv.offline === true,
    only: list(argv.only),
    skip: list(argv.skip),
    timeout: argv.timeout === undefined ? 30 : Number(argv.timeout),
    json,
    verbose: argv.verbose === true,
    strict: argv.strict === true,
    color: level > 0,
    colorLevel: level,
    width: outputWidth(env, { isTTY: stdoutIsTTY, columns }),
    plugins: list(argv.plugin),
    allModels: argv['all-models'] === true,
    allowInsecure: argv['allow-insecure'] === true,
    fix: argv.fix === true,
    yes: argv.yes === true,
    dryRun: argv['dry-run'] === true,
    resetSessions: argv['reset-sessions'] === true,
    report: argv.report === true,
    format: argv.format === 'chat' ? 'chat' : 'markdown',
    output: argv.output as string | undefined,
    copy: argv.copy === true,
    force: argv.force === true,
  });
}

/** Every flag a command takes, as typed on the command line (`--state-dir`, `-o`, `--no-color`). */
function flagsOf(command: CommandName): string[] {
  return COMMANDS[command].options.flatMap((n) => {
    const o = OPTIONS[n];
    return [`--${n}`, ...('alias' in o ? [`-${o.alias}`] : []), ...(o.type === 'boolean' ? [`--no-${n}`] : [])];
  });
}

/**
 * yargs' "Unknown argument(s): a, b" with a suggestion for each: a flag of this command, or a command.
 * yargs also lists the camelCase twin of a dashed flag (`such-flag`, `suchFlag`): each flag is named once.
 */
export function explainUnknown(message: string, args: string[], command: CommandName): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return message;
  const typedFlags = args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0]!);
  const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const hints: string[] = [];
  for (const name of m[1]!.split(', ')) {
    const flag = typedFlags.find((f) => { const bare = f.replace(/^-+/, ''); return bare === name || camel(bare) === name; });
    if (flag) {
      const near = closest(flag, flagsOf(command));
      const hint = near ? `${flag} (did you mean ${near}?)` : flag;
      if (!hints.includes(hint)) hints.push(hint);
      continue;
    }
    const near = closest(name, COMMAND_NAMES);
    hints.push(near ? `${name} (did you mean the command ${near}?)` : name);
  }
  return `Unknown argument${hints.length > 1 ? 's' : ''}: ${hints.join(', ')}`;
}

export interface Parsed {
  command: CommandName;
  argv: Record<string, unknown>;
  /** Help, version or completion was printed: nothing else to do. */
  done?: boolean;
  usage?: string;
}

/** Everything the fast path does not take: subcommands, help, completion, and every error message. */
export async function parseWithYargs(args: string[], width = 80, print: (s: string) => void = (s) => void process.stdout.write(s)): Promise<Parsed & { argv: Record<string, unknown> }> {
  const { default: yargs } = await import('yargs');
  // `help undo` is `undo --help`.
  if (args[0] === 'help') args = args.length > 1 ? [args[1]!, '--help'] : ['--help'];
  let usage: string | undefined;
  let command: CommandName = 'check';
  // Every option is known everywhere (so `--offline list` parses, and a flag that does not apply to a
  // command is refused by usageProblem with a sentence, not by yargs); the help of one command shows only
  // that command's own options.
  const helpFor = (args.find((a): a is CommandName => Object.hasOwn(COMMANDS, a)) ?? 'check') as CommandName;
  const shown = new Set<string>(COMMANDS[helpFor].options);
  const all = Object.fromEntries(Object.entries(OPTIONS).map(([n, o]) => [n, shown.has(n) ? o : { ...o, hidden: true }]));
  let output = '';
  const parser = yargs(args)
    .scriptName('claw-doctor')
    .usage('$0 [command] [options]\n\nDiagnose an OpenClaw / Moltbot / Clawdbot setup that uses Kimi For Coding.\nRead-only unless --fix is given. `claw-doctor help <command>` for one command.')
    .options(all)
    .command(['$0'], COMMANDS.check.describe, (y) => y.example(EXAMPLES), () => {
      command = 'check';
    })
    .command(COMMANDS.list.usage, COMMANDS.list.describe, {}, () => {
      command = 'list';
    })
    .command(COMMANDS.explain.usage, COMMANDS.explain.describe, (y) => y.positional('id', { type: 'string', describe: 'a check id (claw-doctor list) or a cause id (README: Known failures)' }), () => {
      command = 'explain';
    })
    .command(COMMANDS.undo.usage, COMMANDS.undo.describe, {}, () => {
      command = 'undo';
    })
    .command(COMMANDS.restore.usage, COMMANDS.restore.describe, (y) => y.positional('archive', { type: 'string', describe: 'a sessions-*.tar.gz (default: the newest in <stateDir>/backups)' }), () => {
      command = 'restore';
    })
    .command('help [command]', 'show the help of one command')
    .completion('completion', COMMANDS.completion.describe)
    .epilogue(`Exit codes: 0 no error findings · 1 at least one error (or warning with --strict) · 2 usage error or the doctor failed.\nDocs: ${toolDocs()}`)
    .version(toolVersion())
    .alias('h', 'help')
    .alias('v', 'version')
    .strict()
    .wrap(Math.min(80, width))
    .exitProcess(false)
    .fail((msg, err) => {
      usage = msg || err?.message || 'invalid arguments';
    });
  let argv: Record<string, unknown> = {};
  let completing = false;
  try {
    // yargs prints the completion script (and answers completion queries) itself, and only without a
    // parse callback; everything else is captured so it can be written like any other output.
    completing = args[0] === 'completion' || args.includes('--get-yargs-completions');
    // yargs 18 picks the script's dialect from SHELL and fails without one (a cron job, `env -i`): bash's.
    if (completing && !process.env.SHELL) process.env.SHELL = '/bin/bash';
    argv = (completing
      ? await parser.parseAsync()
      : await parser.parseAsync(args, {}, (_err, _argv, out) => {
          output = out;
        })) as Record<string, unknown>;
  } catch (e) {
    usage ??= (e as Error).message;
  }
  // yargs has printed the script (or the completions); its strict mode then still complains about the word.
  if (completing) return { command: 'completion', argv, done: true };
  if (usage) return { command, argv, usage: explainUnknown(usage, args, command) };
  if (output) {
    print(output.endsWith('\n') ? output : output + '\n');
    return { command, argv, done: true };
  }
  const done = argv.help === true || argv.version === true || args[0] === 'completion' || args.includes('--get-yargs-completions');
  return { command, argv, done };
}
