// What the user asked for, after yargs. Every module reads options from here, never from argv.

export interface Options {
  config?: string;
  stateDir?: string;
  logDir?: string;
  profile?: string;
  offline: boolean;
  only: string[];
  skip: string[];
  /** Bounds the whole run, in seconds. */
  timeout: number;
  json: boolean;
  verbose: boolean;
  strict: boolean;
  /** Colour on or off (colorLevel > 0). */
  color: boolean;
  /** Chalk level: 0 none, 1 basic, 2 256, 3 truecolor (src/report/terminal.ts colourLevel). */
  colorLevel: 0 | 1 | 2 | 3;
  /** Columns the human output is wrapped to. */
  width: number;
  plugins: string[];
  /** Probe every configured Kimi model, not just the one the agent uses. */
  allModels: boolean;
  /** Allow sending the key over plain http:// to a non-loopback host. */
  allowInsecure: boolean;
  fix: boolean;
  yes: boolean;
  dryRun: boolean;
  resetSessions: boolean;
  report: boolean;
  /** With --report: `markdown` (GitHub, the default) or `chat` (one Discord/Telegram message, plain text). */
  format: 'markdown' | 'chat';
  output?: string;
  copy: boolean;
  /** With `undo`: revert even files changed since the fix (backed up first). */
  force: boolean;
}

export function defaultOptions(over: Partial<Options> = {}): Options {
  return {
    offline: false,
    only: [],
    skip: [],
    timeout: 30,
    json: false,
    verbose: false,
    strict: false,
    color: false,
    colorLevel: 0,
    width: 80,
    plugins: [],
    allModels: false,
    allowInsecure: false,
    fix: false,
    yes: false,
    dryRun: false,
    resetSessions: false,
    report: false,
    format: 'markdown',
    copy: false,
    force: false,
    ...over,
  };
}

/**
 * The one place for option combinations that make no sense (exit 2, one line). Each command's own
 * arguments (an explain id, a restore archive) are checked by that command.
 */
export function usageProblem(o: Options, command: string): string | undefined {
  if (!Number.isFinite(o.timeout) || o.timeout <= 0) return '--timeout must be a positive number of seconds';
  const fixing = o.fix || o.dryRun || o.resetSessions;
  if (fixing && o.json) return '--fix, --dry-run and --reset-sessions print a plan for people; they cannot be combined with --json';
  if (fixing && (o.report || o.output !== undefined || o.copy)) return '--fix cannot be combined with --report; run them one after the other';
  if (o.yes && !o.fix && !o.resetSessions) return '--yes only applies with --fix or --reset-sessions';
  if (o.report && o.json) return '--report prints Markdown and --json prints JSON: use one of them';
  if (!o.report && (o.output !== undefined || o.copy)) return '--output and --copy go with --report (e.g. claw-doctor --report --output doctor.md)';
  if (!o.report && o.format !== 'markdown') return '--format goes with --report (e.g. claw-doctor --report --format chat)';
  if (o.force && command !== 'undo') return '--force only applies to claw-doctor undo';
  if (command !== 'check' && command !== 'report' && command !== 'fix' && (fixing || o.report)) return `--fix and --report are not options of claw-doctor ${command}`;
  return undefined;
}

/**
 * The command line that reaches the same setup again, for hints (`claw-doctor undo --state-dir X`): the
 * flags that choose where the config and state are. Values with spaces are quoted for a POSIX shell.
 */
export function commandFor(o: Pick<Options, 'config' | 'stateDir' | 'profile'>, sub: string): string {
  const q = (v: string): string => (/^[\w@%+=:,./~-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
  const flags = [
    ...(o.stateDir ? ['--state-dir', q(o.stateDir)] : []),
    ...(o.config ? ['--config', q(o.config)] : []),
    ...(o.profile ? ['--profile', q(o.profile)] : []),
  ];
  return ['claw-doctor', ...(sub ? [sub] : []), ...flags].join(' ');
}
