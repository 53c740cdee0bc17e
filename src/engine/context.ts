// The Context: facts about this machine, gathered lazily and at most once per run (DESIGN.md).
// Fact modules under src/facts/ export `getX(ctx)` functions that memoize through `ctx.fact()`,
// so three checks asking for the config read it once. The Context imports no fact module: what it hands
// to plugins (`ctx.config()`) is a loader injected by whoever builds it (src/engine/diagnose.ts).
import os from 'node:os';
import type { Options } from './options.js';

/** What `ctx.config()` gives a plugin: the parsed config (src/facts/config.ts `LoadedConfig` fits this). */
export interface PluginConfig {
  path?: string;
  raw?: unknown;
  resolved?: unknown;
  problems: unknown[];
}

/** Loaders the Context cannot build itself without importing the facts above it. */
export interface ContextLoaders {
  config(ctx: Context): Promise<PluginConfig>;
}

export interface ContextInit {
  options: Options;
  env?: NodeJS.ProcessEnv;
  home?: string;
  cwd?: string;
  now?: Date;
  signal?: AbortSignal;
  loaders?: ContextLoaders;
}

/** Rejection value of a fact asked for through `peek` that no check computed. */
const NOT_KNOWN = Symbol('not known');

export class Context {
  readonly options: Options;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly now: Date;
  readonly signal: AbortSignal;
  private readonly loaders?: ContextLoaders;
  private readonly facts = new Map<string, Promise<unknown>>();

  constructor(init: ContextInit) {
    this.options = init.options;
    this.env = init.env ?? process.env;
    this.home = init.home ?? (this.env.HOME || os.homedir());
    this.cwd = init.cwd ?? process.cwd();
    this.now = init.now ?? new Date();
    this.signal = init.signal ?? new AbortController().signal;
    this.loaders = init.loaders;
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
  async config(): Promise<PluginConfig> {
    if (!this.loaders) throw new Error('this Context was built without a config loader');
    return this.loaders.config(this);
  }

  /**
   * What `getter` answers if every fact it needs was already computed in this run, else undefined —
   * nothing is computed, read or sent. The report uses it: it shows what the checks learned and never
   * asks the outside world anything itself (README "--report").
   */
  async peek<T>(getter: (ctx: Context) => Promise<T>): Promise<T | undefined> {
    const view = Object.create(this) as Context;
    view.fact = <U>(name: string): Promise<U> => (this.facts.get(name) as Promise<U> | undefined) ?? Promise.reject(NOT_KNOWN);
    try {
      return await getter(view);
    } catch (e) {
      if (e === NOT_KNOWN) return undefined;
      throw e;
    }
  }
}
