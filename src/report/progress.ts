// A spinner with the elapsed time while a network check waits on the API (DESIGN.md "Rooms": ora only on a
// TTY). Checks never print: main starts this around the run and stops it before anything is rendered.
// On stderr only, never with --json, never when stderr is not an interactive terminal (pipes, CI, TERM=dumb),
// so redirected output and JSON stay byte-clean.
import type { Options } from '../engine/options.js';
import type { Check } from '../engine/types.js';

export interface Progress {
  stop(): void;
}

const NONE: Progress = { stop() {} };

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
}

/** Whether a spinner may be drawn at all. Exported for tests. */
export function progressWanted(checks: Pick<Check, 'network'>[], options: Pick<Options, 'json' | 'offline'>, stream: ProgressTarget, env: NodeJS.ProcessEnv): boolean {
  if (options.json || options.offline || !stream.isTTY) return false;
  // A terminal without a size (`script` without a terminal, some `docker exec -t`) reports 0 columns, and
  // ora then computes an endless number of lines to clear: no spinner there.
  if (!stream.columns || stream.columns < 20) return false;
  if (env.CI || env.TERM === 'dumb') return false;
  // Offline checks finish in a few hundred ms: a spinner would only flicker.
  return checks.some((c) => c.network);
}

/**
 * Start the spinner when wanted; ora is loaded only then, so plain runs do not pay for it.
 * `stop()` clears the line and is safe to call more than once.
 */
export async function startProgress(
  checks: Pick<Check, 'network'>[],
  options: Pick<Options, 'json' | 'offline'>,
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Progress> {
  if (!progressWanted(checks, options, stream, env)) return NONE;
  let ora: typeof import('ora').default;
  try {
    ora = (await import('ora')).default;
  } catch {
    return NONE;
  }
  const started = performance.now();
  const text = (): string => `Asking Kimi a real question… ${((performance.now() - started) / 1000).toFixed(1)} s`;
  // discardStdin would put stdin in raw mode and swallow Ctrl+C handling; the doctor reads no input here.
  const spinner = ora({ text: text(), stream, discardStdin: false, isEnabled: true }).start();
  const tick = setInterval(() => {
    spinner.text = text();
  }, 100);
  tick.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(tick);
      spinner.stop();
    },
  };
}
