// Stopping and starting the gateway through the product's own CLI, reading what it answers rather than
// trusting its exit code (clawdbot.md §8):
// - without an installed service, `gateway stop|start` print `Gateway service not loaded.` (or
//   `disabled`, `missing`) and exit 0: nothing was stopped or started;
// - in a container without systemd they exit 1 with `Gateway service check failed: Error: systemctl
//   --user unavailable: …` (fixtures cli/gatewaystop.txt, gatewaystart.txt);
// - start is refused without `gateway.mode: "local"`: `Gateway start blocked: set gateway.mode=local …`;
// - a gateway run in the foreground (`clawdbot gateway`, common in Docker) answers on its port but no
//   CLI command can stop or restart it.
// So every outcome is confirmed against the port, and each comes with a plain instruction.
import { httpGet } from '../facts/gateway-process.js';
import type { BoundedRun } from '../facts/run-bounded.js';
import { DEFAULT_GATEWAY_PORT, findGatewayCli, resolveGatewayPort, runGatewayCli, type GatewayCli, type Product } from '../facts/gateway-cli.js';

export { DEFAULT_GATEWAY_PORT, findGatewayCli, type GatewayCli, type Product };

/** The port the gateway listens on: env override, then `gateway.port`, then 18789 (clawdbot.md §8). */
export function gatewayPort(opts: { env?: NodeJS.ProcessEnv; configPort?: unknown; profile?: string } = {}): number {
  return resolveGatewayPort(opts).port;
}

// ---------------------------------------------------------------------------------------------------
// Is it up?

/** True when anything answers HTTP on 127.0.0.1:port (the gateway serves its Control UI there). */
export async function httpAnswers(port: number, timeoutMs = 1500): Promise<boolean> {
  return (await httpGet(port, timeoutMs)) !== undefined;
}

/**
 * Whether the gateway runs: its port answers HTTP, or (for a gateway bound elsewhere than loopback)
 * `<cli> health --json` exits 0 — it exits non-zero when unreachable (fixture cli/healthjson.txt).
 */
export async function gatewayIsUp(port: number, opts: { cli?: GatewayCli; timeoutMs?: number } = {}): Promise<boolean> {
  if (await httpAnswers(port, Math.min(opts.timeoutMs ?? 1500, 1500))) return true;
  if (!opts.cli) return false;
  const r = await runCli(opts.cli, ['health', '--json'], opts.timeoutMs ?? 10_000);
  return r.exitCode === 0 && !r.timedOut;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------------
// Running the CLI

export type CliRun = BoundedRun;

/** Runs the CLI bounded by `timeoutMs`, killing its whole process group on time-out (npx → node). */
export function runCli(cli: GatewayCli, args: string[], timeoutMs: number): Promise<CliRun> {
  return runGatewayCli(cli, args, timeoutMs);
}

// ---------------------------------------------------------------------------------------------------
// What the CLI said

export type CliAnswer =
  | { said: 'no-service'; state: 'not loaded' | 'disabled' | 'missing' }
  | { said: 'no-systemd' }
  | { said: 'blocked-mode' }
  | { said: 'cli-missing' }
  | { said: 'done' }
  | { said: 'error' };

/** Reads the CLI's answer; the exit code alone lies (exit 0 for "not loaded"). */
export function readCliAnswer(run: CliRun): CliAnswer {
  const out = run.output;
  if (run.spawnError || /npx canceled due to missing packages|could not determine executable to run/i.test(out)) return { said: 'cli-missing' };
  const service = /Gateway service (not loaded|disabled|missing)\b/i.exec(out);
  if (service) return { said: 'no-service', state: service[1]!.toLowerCase() as 'not loaded' | 'disabled' | 'missing' };
  if (/systemctl --user unavailable|systemd user services (are )?unavailable/i.test(out)) return { said: 'no-systemd' };
  if (/Gateway start blocked: set gateway\.mode=local/i.test(out)) return { said: 'blocked-mode' };
  return run.exitCode === 0 ? { said: 'done' } : { said: 'error' };
}

// ---------------------------------------------------------------------------------------------------
// Outcomes

export type StopKind = 'stopped' | 'not-running' | 'foreground' | 'still-running' | 'timeout' | 'cli-missing' | 'failed';
export type StartKind = 'started' | 'already-running' | 'no-service' | 'no-systemd' | 'blocked-mode' | 'not-up' | 'timeout' | 'cli-missing' | 'failed';

interface OutcomeBase {
  command: string;
  exitCode: number | undefined;
  output: string;
  /** What the CLI's answer meant, for the report. */
  answer: CliAnswer['said'] | 'timeout';
  /** One plain sentence (or a command) telling the user what to do next; empty when nothing. */
  instruction: string;
}

export interface StopOutcome extends OutcomeBase {
  action: 'stop';
  kind: StopKind;
  /** True when nothing answers on the gateway port any more: safe to touch the sessions. */
  ok: boolean;
}

export interface StartOutcome extends OutcomeBase {
  action: 'start';
  kind: StartKind;
  /** True when the gateway answers on its port. */
  ok: boolean;
}

export interface GatewayControlOptions {
  cli: GatewayCli;
  port: number;
  /** Limit for the CLI command itself. Default 30 s. */
  timeoutMs?: number;
  /** How long to wait for the port to go silent / answer after the CLI claims success. Default 15 s. */
  settleMs?: number;
}

/**
 * `<cli> gateway stop`, then the port decides: `ok` only when nothing answers any more. A port that
 * still answers after the CLI found no service is a foreground gateway the CLI cannot control.
 */
export async function gatewayStop(opts: GatewayControlOptions): Promise<StopOutcome> {
  const { cli, port } = opts;
  const run = await runCli(cli, ['gateway', 'stop'], opts.timeoutMs ?? 30_000);
  const base = { action: 'stop' as const, command: run.command, exitCode: run.exitCode, output: run.output };
  if (run.timedOut) {
    return { ...base, kind: 'timeout', ok: false, answer: 'timeout', instruction: `\`${run.command}\` did not finish in time. Stop the gateway yourself, then run claw-doctor again.` };
  }
  const answer = readCliAnswer(run);
  if (answer.said === 'done') {
    const silent = await waitFor(async () => !(await httpAnswers(port)), opts.settleMs ?? 15_000);
    return silent
      ? { ...base, kind: 'stopped', ok: true, answer: answer.said, instruction: '' }
      : {
          ...base,
          kind: 'still-running',
          ok: false,
          answer: answer.said,
          instruction: `\`${run.command}\` reported success but port ${port} still answers. Another gateway may be running in the foreground: stop it (Ctrl+C in its terminal, or restart its container).`,
        };
  }
  const up = await gatewayIsUp(port);
  if (up) {
    return {
      ...base,
      kind: answer.said === 'cli-missing' ? 'cli-missing' : 'foreground',
      ok: false,
      answer: answer.said,
      instruction:
        answer.said === 'cli-missing'
          ? `A gateway answers on port ${port} but no ${cli.product} CLI was found to stop it. Stop it yourself, then run claw-doctor again.`
          : `A gateway answers on port ${port} but it is not a service \`${cli.display} gateway stop\` can stop (run in the foreground or under Docker). Stop it yourself (Ctrl+C in its terminal, or \`docker stop\`), then run claw-doctor again.`,
    };
  }
  if (answer.said === 'error') {
    return { ...base, kind: 'failed', ok: false, answer: answer.said, instruction: `\`${run.command}\` failed (exit ${run.exitCode}). Read its output above; nothing answers on port ${port}, but claw-doctor cannot tell whether the gateway is stopped.` };
  }
  // Not loaded / disabled / missing / no systemd / CLI missing, and the port is silent: nothing runs.
  return { ...base, kind: 'not-running', ok: true, answer: answer.said, instruction: '' };
}

/** `<cli> gateway start`, then waits for the port to answer. */
export async function gatewayStart(opts: GatewayControlOptions): Promise<StartOutcome> {
  const { cli, port } = opts;
  const run = await runCli(cli, ['gateway', 'start'], opts.timeoutMs ?? 30_000);
  const base = { action: 'start' as const, command: run.command, exitCode: run.exitCode, output: run.output };
  const foreground = `\`${cli.display} gateway\` in the foreground (its own terminal, or your container's command)`;
  if (run.timedOut) {
    const up = await gatewayIsUp(port);
    return up
      ? { ...base, kind: 'started', ok: true, answer: 'timeout', instruction: '' }
      : { ...base, kind: 'timeout', ok: false, answer: 'timeout', instruction: `\`${run.command}\` did not finish in time and nothing answers on port ${port}. Start the gateway with ${foreground}.` };
  }
  const answer = readCliAnswer(run);
  switch (answer.said) {
    case 'done': {
      const up = await waitFor(() => httpAnswers(port), opts.settleMs ?? 15_000);
      if (up) return { ...base, kind: 'started', ok: true, answer: answer.said, instruction: '' };
      const upViaHealth = await gatewayIsUp(port, { cli });
      return upViaHealth
        ? { ...base, kind: 'started', ok: true, answer: answer.said, instruction: '' }
        : { ...base, kind: 'not-up', ok: false, answer: answer.said, instruction: `\`${run.command}\` reported success but nothing answers on port ${port}. Check \`${cli.display} gateway status\` and the log in /tmp/${cli.product}/.` };
    }
    case 'no-service':
      return withUpCheck(base, port, {
        kind: 'no-service',
        answer: answer.said,
        instruction: `No gateway service is installed (\`Gateway service ${answer.state}.\`), so nothing was started. Start it with ${foreground}, or install the service with \`${cli.display} gateway install\`.`,
      });
    case 'no-systemd':
      return withUpCheck(base, port, {
        kind: 'no-systemd',
        answer: answer.said,
        instruction: `systemd user services are unavailable here (a container?), so \`${run.command}\` cannot start anything. Start the gateway with ${foreground}.`,
      });
    case 'blocked-mode':
      return withUpCheck(base, port, {
        kind: 'blocked-mode',
        answer: answer.said,
        instruction: `The gateway refuses to start until the config says \`"gateway": { "mode": "local" }\`. Add it (or run \`${cli.display} config set gateway.mode local\`), then \`${cli.display} gateway start\`.`,
      });
    case 'cli-missing':
      return withUpCheck(base, port, {
        kind: 'cli-missing',
        answer: answer.said,
        instruction: `No ${cli.product} CLI was found (tried PATH and \`${cli.display}\`). Start the gateway the way you installed it.`,
      });
    case 'error':
      return withUpCheck(base, port, {
        kind: 'failed',
        answer: answer.said,
        instruction: `\`${run.command}\` failed (exit ${run.exitCode}). Read its output; start the gateway with ${foreground} if it is not a service.`,
      });
  }
}

/** A start the CLI did not perform may still find a gateway up (started by someone else). */
async function withUpCheck(
  base: Omit<StartOutcome, 'kind' | 'ok' | 'answer' | 'instruction'>,
  port: number,
  failed: { kind: StartKind; answer: CliAnswer['said']; instruction: string },
): Promise<StartOutcome> {
  if (await httpAnswers(port)) return { ...base, kind: 'already-running', ok: true, answer: failed.answer, instruction: '' };
  return { ...base, ...failed, ok: false };
}
