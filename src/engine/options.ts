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
  color: boolean;
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
    plugins: [],
    allModels: false,
    allowInsecure: false,
    fix: false,
    yes: false,
    dryRun: false,
    resetSessions: false,
    report: false,
    copy: false,
    force: false,
    ...over,
  };
}
