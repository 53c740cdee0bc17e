// Fault injection for the kill -9 tests (test/safety/kill-steps.test.ts): with CLAW_DOCTOR_TEST_KILL_AT set
// to a step name (optionally `name:N`, the N-th time it is reached), the process SIGKILLs itself there. Every
// step between two changes of a repair has a name, so a test can loop over all of them instead of trusting
// one lucky timing. In-process tests use `onStep` instead. Unset (always, for users) it costs nothing.
const spec = process.env.CLAW_DOCTOR_TEST_KILL_AT;
const counts = new Map<string, number>();

let inProcess: ((name: string) => void) | undefined;

/** Tests only: run `fn` at every named step of this process (another writer's edit, a disk filling up). */
export function onStep(fn: ((name: string) => void) | undefined): void {
  inProcess = fn;
}

export function stepHook(name: string): void {
  inProcess?.(name);
  if (!spec) return;
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  const [want, nth] = spec.split(':');
  if (want === name && (nth === undefined || Number(nth) === n)) process.kill(process.pid, 'SIGKILL');
}

/** Every named step, in the order a `--fix --reset-sessions` followed by `restore` reaches them. */
export const STEPS = [
  'config.backup',
  'config.intent',
  'config.checked',
  'config.written',
  'config.done',
  'sessions.archived',
  'sessions.intent',
  'sessions.removed',
  'sessions.done',
  'restore.set-aside',
  'restore.intent',
  'restore.cleared',
  'restore.extracted',
  'restore.done',
  'undo.entry',
] as const;
