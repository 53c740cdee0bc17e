// The Context: facts about this machine, gathered lazily and at most once per run (DESIGN.md).
// Fact modules under src/facts/ export `getX(ctx)` functions that memoize through `ctx.fact()`,
// so three checks asking for the config read it once.
import os from 'node:os';
import type { Options } from './options.js';

export interface ContextInit {
  options: Options;
  env?: NodeJS.ProcessEnv;
  home?: string;
  cwd?: string;
  now?: Date;
  signal?: AbortSignal;
}

export class Context {
  readonly options: Options;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly now: Date;
  readonly signal: AbortSignal;
  private readonly facts = new Map<string, Promise<unknown>>();

  constructor(init: ContextInit) {
    this.options = init.options;
    this.env = init.env ?? process.env;
    this.home = init.home ?? (this.env.HOME || os.homedir());
    this.cwd = init.cwd ?? process.cwd();
    this.now = init.now ?? new Date();
    this.signal = init.signal ?? new AbortController().signal;
  }

  /** Compute a fact once per run; later callers share the same promise. */
  fact<T>(name: string, compute: () => Promise<T> | T): Promise<T> {
    let p = this.facts.get(name) as Promise<T> | undefined;
    if (!p) {
      p = Promise.resolve().then(compute);
      this.facts.set(name, p);
    }
    return p;
  }

  /**
   * The parsed config, for plugins: `{ path, raw, resolved, problems, … }` (see src/facts/config.ts).
   * Built-in checks import getConfig directly; this is the stable door for code outside the package.
   */
  async config(): Promise<import('../facts/config.js').LoadedConfig> {
    const { getConfig } = await import('../facts/config.js');
    return getConfig(this);
  }

  /** Facts computed so far (used by the report to include what checks already learned). */
  known<T>(name: string): Promise<T> | undefined {
    return this.facts.get(name) as Promise<T> | undefined;
  }
}
