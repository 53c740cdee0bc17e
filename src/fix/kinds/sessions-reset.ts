// `sessions.reset`: back up, verify and clear one agent's sessions with the gateway stopped around it
// (reset-sessions.ts holds the sequence). Undo puts the archive back: in full after a finished reset, only
// the missing files after one cut short.
import path from 'node:path';
import { sha256File } from '../files.js';
import { resetSessions, type ResetSessionsResult } from '../reset-sessions.js';
import { checkUndoV3Reset, planV3Reset, previewV3Reset, resetSessionsV3, undoV3Reset, v3AgentDatabase, type V3ResetTarget } from '../reset-sessions-v3.js';
import { listSessionFiles, restoreMissing, restoreSessions } from '../sessions-backup.js';
import type { GatewayCli } from '../gateway.js';
import type { AppliedStep, PlanStepBase, PlannedRepair, RefusedRepair, RepairKind, Verdict } from './types.js';

export interface SessionsStep extends PlanStepBase {
  batch: 'sessions.reset';
  repair: PlannedRepair;
  stateDir: string;
  agentId: string;
  sessionsDir: string;
  backupsDir: string;
  files: number;
  cli: GatewayCli;
  cliDisplay: string;
  port: number;
  gatewayUp: boolean;
  /** OpenClaw 2026.9: the sessions are in the agent database, reset through the gateway (reset-sessions-v3.ts). */
  v3?: V3ResetTarget;
}

const AGENT_ID = /^[A-Za-z0-9_.-]+$/;

function describeSteps(result: ResetSessionsResult): string {
  return result.steps.map((s) => `     ${s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '-'} ${s.step}: ${s.detail}\n`).join('');
}

export const sessionsReset: RepairKind<SessionsStep> = {
  kind: 'sessions.reset',
  batch: 'sessions.reset',
  parse(repair) {
    const d: Record<string, unknown> = repair.data;
    for (const k of ['stateDir', 'agentId', 'sessionsDir']) if (d[k] !== undefined && typeof d[k] !== 'string') return `repair sessions.reset: data.${k} is not a string`;
    return undefined;
  },
  async plan(repairs, env) {
    const steps: SessionsStep[] = [];
    const refused: RefusedRepair[] = [];
    for (const planned of repairs) {
      if (planned.repair.kind !== 'sessions.reset') continue;
      const d = planned.repair.data;
      const stateDir = d.stateDir ? path.resolve(d.stateDir) : env.stateDir;
      const agentId = d.agentId || 'main';
      if (!AGENT_ID.test(agentId) || agentId === '.' || agentId === '..') {
        refused.push({ repair: planned, reason: `"${agentId}" is not an agent id claw-doctor will touch.` });
        continue;
      }
      if (v3AgentDatabase(stateDir, agentId)) {
        const t = await planV3Reset(stateDir, agentId, path.join(stateDir, 'backups'));
        if (typeof t === 'string') refused.push({ repair: planned, reason: t });
        else {
          const { cli, port } = env.gateway;
          steps.push({ batch: 'sessions.reset', repairs: [planned], repair: planned, stateDir, agentId, sessionsDir: t.database, backupsDir: t.backupsDir, files: t.sessions.length, cli, cliDisplay: cli.display, port, gatewayUp: await env.gatewayIsUp(port), v3: t });
        }
        continue;
      }
      const sessionsDir = d.sessionsDir ? path.resolve(d.sessionsDir) : path.join(stateDir, 'agents', agentId, 'sessions');
      let files: number;
      try {
        files = (await listSessionFiles(sessionsDir)).length;
      } catch (e) {
        refused.push({ repair: planned, reason: `the sessions in ${sessionsDir} cannot be listed (${(e as Error).message}).` });
        continue;
      }
      if (files === 0) {
        refused.push({ repair: planned, reason: `nothing to reset: there are no session files in ${sessionsDir}.` });
        continue;
      }
      const { cli, port } = env.gateway;
      steps.push({
        batch: 'sessions.reset',
        repairs: [planned],
        repair: planned,
        stateDir,
        agentId,
        sessionsDir,
        backupsDir: path.join(stateDir, 'backups'),
        files,
        cli,
        cliDisplay: cli.display,
        port,
        gatewayUp: await env.gatewayIsUp(port),
      });
    }
    return { steps, refused };
  },
  preview(s, show) {
    if (s.v3) return ['', `  ${s.repair.n}. ${s.repair.check ? `[${s.repair.check}] ` : ''}${s.repair.repair.summary}`, ...previewV3Reset(s.v3, s.gatewayUp, s.cliDisplay, s.port, show)];
    return [
      '',
      `  ${s.repair.n}. ${s.repair.check ? `[${s.repair.check}] ` : ''}${s.repair.repair.summary}`,
      `     ${s.files} file(s) in ${show(s.sessionsDir)}:`,
      `     stop the gateway (\`${s.cliDisplay} gateway stop\`; ${s.gatewayUp ? `it answers on port ${s.port} now` : `nothing answers on port ${s.port} now`}),`,
      `     archive them to ${show(s.backupsDir)}/sessions-<date>-<time>.tar.gz, read the archive back and compare,`,
      `     only then delete them, and start the gateway again if it was running (confirmed on its port).`,
      `     Put them back later with \`claw-doctor restore\` (or \`claw-doctor undo\`).`,
    ];
  },
  async apply(step, env): Promise<AppliedStep> {
    let result: ResetSessionsResult;
    try {
      result = step.v3
        ? await resetSessionsV3({ target: step.v3, cli: step.cli, port: step.port, gatewayIsUp: env.deps.gatewayIsUp, timeoutMs: env.deps.gatewayTimeoutMs, journal: env.journal })
        : await env.deps.resetSessions({
        stateDir: step.stateDir,
        agentId: step.agentId,
        sessionsDir: step.sessionsDir,
        backupsDir: step.backupsDir,
        cli: step.cli,
        port: step.port,
        journal: env.journal,
        timeoutMs: env.deps.gatewayTimeoutMs,
        settleMs: env.deps.gatewaySettleMs,
        deps: { gatewayIsUp: env.deps.gatewayIsUp, gatewayStop: env.deps.gatewayStop, gatewayStart: env.deps.gatewayStart },
      });
    } catch (e) {
      result = {
        ok: false,
        steps: [],
        sessions: 'untouched',
        gateway: 'unknown',
        removed: 0,
        state: `The sessions reset failed: ${(e as Error).message}`,
        instruction: `Check ${step.sessionsDir}; backups are in ${step.backupsDir}.`,
      };
    }
    const changed = result.sessions === 'cleared' || result.sessions === 'partly-cleared' || result.sessions === 'none';
    const v: Verdict = {
      planned: step.repair,
      outcome: result.ok || changed ? { status: 'applied', detail: result.state } : { status: 'failed', detail: result.state },
    };
    const mark = v.outcome.status === 'applied' ? '✓' : '✗';
    return { verdicts: [v], text: `  ${mark} ${step.repair.n}. ${step.repair.repair.summary}\n${describeSteps(result)}     ${result.state}\n`, configChanged: false, reset: result };
  },
  journals: ['sessions.reset', 'sessions.reset-db'],
  async checkUndo(change) {
    if (change.kind === 'sessions.reset-db') return checkUndoV3Reset(change);
    if (change.kind !== 'sessions.reset') return {};
    if ((await sha256File(change.archive)) !== change.archiveSha256) return { broken: `the sessions archive ${change.archive} is missing or changed` };
    return {};
  },
  async undo(change, env) {
    if (change.kind === 'sessions.reset-db') return undoV3Reset(change, env.now());
    if (change.kind !== 'sessions.reset') throw new Error(`not a sessions reset: ${change.kind}`);
    if (change.state === 'intent') {
      const n = await restoreMissing(change.archive, change.sessionsDir);
      return { restored: `${n} session file(s) put back in ${change.sessionsDir} from ${change.archive} (the reset had stopped part-way)` };
    }
    const r = await restoreSessions(change.archive, change.sessionsDir, change.backupsDir, { now: env.now() });
    return { restored: `${r.files} session file(s) restored to ${change.sessionsDir} from ${change.archive}`, saved: r.savedCurrent };
  },
};
