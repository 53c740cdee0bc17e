// Evidence from the running system, wired to the Context: today's log files, what they say, and the
// sessions on disk (clawdbot.md §6, §7, §9). The readers live in logs.ts and sessions.ts; this module
// decides their inputs from the options, the env and the config, memoizes them, and holds the small
// shared vocabulary the logs.* and sessions.* checks use to turn an error into a finding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../engine/context.js';
import { causeById, errorFacts, explainCause } from '../causes/index.js';
import { classifyErrorText, looksLikeApprovedAgent, type ErrorCause } from './classify.js';
import { getConfig, str } from './config.js';
import { findHeader, getKimiSetup } from './kimi.js';
import { judgeCooldowns } from './cooldown-evidence.js';
import { findTodayLogs, serviceLogDirs, localDate, matchLogError, readLogEvidence, type FoundLogs, type LogErrorKind, type LogEvidence } from './logs.js';
import { getLocation, tildify } from './paths.js';
import { detectPoisoning, readSessions, type PoisoningEvidence, type SessionsReport } from './sessions.js';

/**
 * Internal, for tests and the bench: a path-delimited list of directories that replaces the default log
 * roots (`/tmp` and the temp dir), so a test never reads the real `/tmp/clawdbot`. Not a user option:
 * users have `--log-dir`.
 */
export const LOG_ROOTS_ENV = 'CLAW_DOCTOR_LOG_ROOTS';

/**
 * Bytes read from the end of each log file: first a small window (the last runs and errors are at the end,
 * tail.ts), widened once when it holds no agent run. With the V1/V2 DEBUG lines on, a run writes ~15 KiB of
 * lines, so 1 MiB covers the last few dozen runs; parsing is what costs (~25 ms per MiB of JSON lines).
 */
export const LOG_TAIL_BYTES = 1024 * 1024;
export const LOG_TAIL_BYTES_WIDE = 8 * 1024 * 1024;

export interface LogFiles extends FoundLogs {
  /** `--log-dir` as given. */
  logDir?: string;
  /** `--log-dir` was given but is not a directory. */
  logDirMissing: boolean;
  /** The config's `logging.file` (as written) and where we looked for it. */
  loggingFile?: string;
  loggingFileLookedAt?: string;
  /** The config's `logging.level`, as written. */
  loggingLevel?: string;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Where the product writes its log: `--log-dir`, else `/tmp` (and the temp dir) plus `logging.file`. */
export function getLogFiles(ctx: Context): Promise<LogFiles> {
  return ctx.fact('logs.files', async () => {
    const cfg = await getConfig(ctx);
    const obj = cfg.resolved ?? cfg.raw;
    const loggingFile = str(obj, ['logging', 'file']);
    const loggingLevel = str(obj, ['logging', 'level']);
    const logDir = ctx.options.logDir ? path.resolve(ctx.cwd, ctx.options.logDir) : undefined;
    // In a container the config's logging.file names a path inside it; with --log-dir we look for the
    // same file name in the mounted dir instead.
    const loggingFileLookedAt = loggingFile && logDir ? path.join(logDir, path.basename(loggingFile)) : loggingFile;
    const seam = ctx.env[LOG_ROOTS_ENV]?.split(path.delimiter).filter(Boolean);
    const tmp = ctx.env.TMPDIR || os.tmpdir();
    const roots = seam?.length ? seam : [...new Set(['/tmp', tmp])];
    const found = await findTodayLogs({
      env: ctx.env,
      now: ctx.now,
      logDir,
      loggingFile: loggingFileLookedAt,
      roots,
      tmpDir: seam?.length ? seam[0] : tmp,
      profile: ctx.options.profile,
      serviceDirs: serviceLogDirs((await getLocation(ctx)).stateDir, ctx.home),
    });
    return { ...found, logDir, logDirMissing: !!logDir && !isDir(logDir), loggingFile, loggingFileLookedAt, loggingLevel };
  });
}

/** Thinking runs, grouped errors and line counts from the end of every file getLogFiles found. */
export function getLogEvidence(ctx: Context): Promise<LogEvidence> {
  return ctx.fact('logs.evidence', async () => {
    const { files } = await getLogFiles(ctx);
    const first = await readLogEvidence(files, { maxBytesPerFile: LOG_TAIL_BYTES });
    const cut = first.files.some((f) => f.truncated);
    const ev = !cut || first.thinkingRuns.some((r) => !r.probe) ? first : await readLogEvidence(files, { maxBytesPerFile: LOG_TAIL_BYTES_WIDE });
    // A cooldown is stuck only when no provider error explains it (cooldown-evidence.ts).
    return { ...ev, errors: judgeCooldowns(ev.errors) };
  });
}

/** Every agent's sessions.json and transcripts under the state dir. */
export function getSessions(ctx: Context): Promise<SessionsReport> {
  return ctx.fact('sessions', async () => {
    const loc = await getLocation(ctx);
    return readSessions(loc.stateDir, { now: ctx.now.getTime() });
  });
}

/** When the config file was last changed (ms), if there is one. */
export function getConfigChangedAt(ctx: Context): Promise<number | undefined> {
  return ctx.fact('config.mtime', async () => {
    const cfg = await getConfig(ctx);
    if (!cfg.path) return undefined;
    return fs.promises.stat(cfg.path).then((s) => s.mtimeMs, () => undefined);
  });
}

export interface Poisoning {
  evidence: PoisoningEvidence;
  /**
   * The config still sends the system prompt as role "developer" (clawdbot.md §3): role errors are then
   * the config's fault, not the sessions', and clearing sessions would not help. Undefined when there is
   * no readable config with a Kimi model to judge.
   */
  configStillSendsDeveloperRole?: boolean;
  /** The config's mtime, used as "fixed at" when the config no longer sends the developer role. */
  configFixedAt?: number;
}

/** Sessions that keep failing with role errors once the config is right (sessions.ts detectPoisoning). */
export function getPoisoning(ctx: Context): Promise<Poisoning> {
  return ctx.fact('sessions.poisoning', async () => {
    const [sessions, setup, mtime] = await Promise.all([getSessions(ctx), getKimiSetup(ctx), getConfigChangedAt(ctx)]);
    const configStillSendsDeveloperRole = setup.kimiModels.length
      ? setup.kimiModels.some((m) => m.api === 'openai-completions' && m.reasoning && m.supportsDeveloperRole !== false)
      : undefined;
    const configFixedAt = configStillSendsDeveloperRole === false ? mtime : undefined;
    return { evidence: detectPoisoning(sessions, { configFixedAt }), configStillSendsDeveloperRole, configFixedAt };
  });
}

/**
 * Root causes the config still has, judged from the same facts the config checks use: an error seen only
 * before the config's last change is "maybe fixed already" only when the config no longer has its cause.
 */
export function getCausesInConfig(ctx: Context): Promise<Set<string>> {
  return ctx.fact('config.causes', async () => {
    const setup = await getKimiSetup(ctx);
    const out = new Set<string>();
    for (const m of setup.kimiModels) {
      if (m.api === 'openai-completions' && m.reasoning && m.supportsDeveloperRole !== false) out.add('developer-role');
      if (m.kind === 'kimi-coding' && !looksLikeApprovedAgent(findHeader(m.headers, 'User-Agent')?.[1].value)) out.add('client-gate');
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Shared vocabulary for the checks

/**
 * classify.ts causes → the `cause` keys the config checks use, so the runner's dedupe links a log or
 * transcript finding to the config finding that explains it ("Same cause as provider.compat").
 * classify's `model-unknown` is the vendor refusing a model id (401): not agent.model's `model-unknown`
 * (a ref that names no provider), so it gets a key of its own.
 */
const CAUSE_KEYS: Partial<Record<ErrorCause, string>> = {
  'model-unknown': 'vendor-model-unknown',
  unknown: undefined,
};

export function findingCause(c: ErrorCause | undefined): string | undefined {
  if (!c) return undefined;
  return c in CAUSE_KEYS ? CAUSE_KEYS[c] : c;
}

export interface ExplainedError {
  cause?: string;
  severity: 'error' | 'warn';
  title: string;
  detail: string;
  fix: string;
}

/**
 * What a log error means, from the product's rewrite (clawdbot.md §2, §4, §9) or, for provider texts,
 * from classify.ts (status + message text, never the type alone).
 */
export function explainLogError(kind: LogErrorKind, text: string, subject?: string, seen: { generation?: string; cause?: string } = {}): ExplainedError {
  // The facts already judged this line's cooldown stuck (cooldown-evidence.ts): the text alone reads as a normal skip.
  if (seen.cause === 'stuck-cooldown') {
    const stuck = causeById('stuck-cooldown');
    if (stuck) {
      const e = explainCause(stuck, errorFacts({ raw: text, generation: seen.generation }));
      return { cause: stuck.id, ...e, detail: `${e.detail}\nNo provider error before it in the log explains this cooldown.` };
    }
  }
  if (kind === 'failed-before-reply' && subject) {
    const inner = matchLogError(subject);
    if (inner && inner.kind !== 'other' && inner.kind !== 'failed-before-reply') return explainLogError(inner.kind, subject, inner.subject, { generation: seen.generation });
  }
  switch (kind) {
    case 'missing-env':
      return {
        cause: subject ? `env-missing:${subject}` : undefined,
        severity: 'error',
        title: `Missing env var "${subject ?? '?'}"`,
        detail:
          `The config references \${${subject ?? 'VAR'}} and the gateway's environment does not have it. clawdbot and moltbot ` +
          'then drop the whole config; openclaw sends the literal text.',
        fix:
          `Set it where the gateway runs (the service does not read your shell profile), e.g. in <stateDir>/.env:\n` +
          `  ${subject ?? 'VAR'}=…\nthen restart the gateway.`,
      };
    case 'unknown-model':
      return {
        cause: 'model-unknown',
        severity: 'error',
        title: `Unknown model: ${subject ?? '(unnamed)'}`,
        detail: 'The agent model names a provider the product does not know (no models.providers entry and no built-in), so every run fails.',
        fix: 'Point agents.defaults.model.primary at a defined provider/model, e.g. "kimi-code/kimi-for-coding" (see agent.model).',
      };
    case 'no-api-key':
      return {
        cause: 'key-missing',
        severity: 'error',
        title: `No API key found for provider "${subject ?? '?'}"`,
        detail: 'The product found no key for the provider: no auth profile, no env var, no apiKey in the config.',
        fix: 'export KIMICODE_API_KEY=sk-kimi-…   # where the gateway runs, or "apiKey": "${KIMICODE_API_KEY}" on the provider',
      };
    case 'invalid-config':
      return {
        severity: 'error',
        title: `The product rejected the config${subject ? ` at ${subject}` : ''}`,
        detail: 'Strict validation refused a key or value; the gateway keeps running with the last config it accepted, or does not start.',
        fix: 'See the config.* and provider.unknown-keys findings above, or run the product\'s own `doctor`.',
      };
    default: {
      const c = classifyErrorText(kind === 'failed-before-reply' && subject ? subject : text, { generation: seen.generation });
      if (c.cause === 'unknown') {
        return {
          severity: 'error',
          title: kind === 'failed-before-reply' ? 'The agent failed before replying' : c.title,
          detail: c.detail,
          fix: c.fix,
        };
      }
      return { cause: findingCause(c.cause), severity: c.severity, title: c.title, detail: c.detail, fix: c.fix };
    }
  }
}

/** `21:48:25Z` for today (UTC), else `2026-11-22 21:48:25Z`. Log and transcript times are UTC. */
export function shortTime(ms: number | undefined, now: Date): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'unknown time';
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 10);
  const hms = iso.slice(11, 19) + 'Z';
  return day === now.toISOString().slice(0, 10) ? hms : `${day} ${hms}`;
}

export function isTodayLocal(ms: number | undefined, now: Date): boolean {
  return ms !== undefined && localDate(new Date(ms)) === localDate(now);
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** A path for output: home as `~`. */
export function shown(ctx: Context, p: string): string {
  return tildify(p, ctx.home);
}

/** One line of raw text for a detail (the checks' door to it). */
export { oneLine } from '../util/text.js';

/**
 * Errors seen only before the config's last change may already be fixed: say so instead of alarming.
 * Returns the note to append and whether to soften the severity.
 */
export function beforeConfigChange(
  lastMs: number | undefined,
  changedAt: number | undefined,
  now: Date,
  stillInConfig = false,
): { stale: boolean; note: string } {
  if (lastMs === undefined || changedAt === undefined || lastMs >= changedAt) return { stale: false, note: '' };
  if (stillInConfig) {
    return {
      stale: false,
      note: `\nLast seen ${shortTime(lastMs, now)}, before the config was last changed (${shortTime(changedAt, now)}), but the config still has this cause: fix it first.`,
    };
  }
  return {
    stale: true,
    note:
      `\nLast seen ${shortTime(lastMs, now)}, before the config was last changed (${shortTime(changedAt, now)}): it may be fixed ` +
      'already. Restart the gateway and send the agent one message to confirm.',
  };
}

/**
 * A role error ("Message ordering conflict", 400 role 'developer') seen after the config stopped sending
 * role "developer": the config is not the cause any more, the session's history is (clawdbot.md §9).
 */
export function roleErrorFromHistory(): Pick<ExplainedError, 'detail' | 'fix'> {
  return {
    detail:
      'The config no longer sends role "developer" (compat.supportsDeveloperRole is false on the Kimi models), yet the ' +
      'error came after the config was changed: the failing turns in the session\'s history are replayed with every ' +
      'request. See the poisoned-session finding under sessions.errors.',
    fix: 'Back up and clear the affected sessions (claw-doctor --fix --reset-sessions does it with a verified backup), ' +
      'with the gateway stopped; a config change will not help.',
  };
}
