// Collect → plan: the repairs the checks attached, numbered in report order, turned by their kind modules
// (kinds/index.ts) into steps or refusals with a reason. Nothing here changes the machine.
import path from 'node:path';
import type { Context } from '../engine/context.js';
import type { Options } from '../engine/options.js';
import type { CheckResult, Repair } from '../engine/types.js';
import { getConfig } from '../facts/config.js';
import { getLocation, tildify } from '../facts/paths.js';
import { realDeps, type FixDeps } from './deps.js';
import { journalDir } from './journal.js';
import { CONFIG_BATCH, type ConfigBatch } from './kinds/config-file.js';
import { gatewayFactsIsUp } from './kinds/gateway-restart.js';
import { repairKinds } from './kinds/index.js';
import type { SessionsStep } from './kinds/sessions-reset.js';
import type { PlanEnv, PlanStepBase, PlannedRepair, RefusedRepair, RepairKind } from './kinds/types.js';
import { gatewayTarget } from './restart.js';
import { envSecrets } from './secret-policy.js';

/** A step with the module that made it: only that module previews and applies it. */
export interface BoundStep {
  step: PlanStepBase;
  kind: RepairKind;
}

export interface FixPlan {
  steps: BoundStep[];
  refused: RefusedRepair[];
  /** Set when the plan changes the config: the gateway must restart to read it. */
  restart?: { port: number; cliDisplay: string; gatewayUp: boolean; bySessionsReset: boolean };
  journalDir: string;
}

export function configBatches(plan: FixPlan): ConfigBatch[] {
  return plan.steps.filter((s) => s.step.batch === CONFIG_BATCH).map((s) => s.step as ConfigBatch);
}

export function sessionsSteps(plan: FixPlan): SessionsStep[] {
  return plan.steps.filter((s) => s.step.batch === 'sessions.reset').map((s) => s.step as SessionsStep);
}

export async function stateDirOf(ctx: Context): Promise<string> {
  return (await getLocation(ctx)).stateDir;
}

/** The repairs of every finding, in report order, numbered; plus the sessions reset `--reset-sessions` asks for. */
export function collectRepairs(outcome: { results: CheckResult[] }, options: Options, stateDir: string): PlannedRepair[] {
  const out: PlannedRepair[] = [];
  const fixAll = options.fix || (options.dryRun && !options.resetSessions);
  const mainSessions = path.join(stateDir, 'agents', 'main', 'sessions');
  const resetsMain = (r: Repair): boolean => r.kind === 'sessions.reset' && typeof r.data.sessionsDir === 'string' && path.resolve(r.data.sessionsDir) === mainSessions;
  for (const result of outcome.results) {
    for (const f of result.findings) {
      // `--reset-sessions` alone takes a finding's reset of agent main: the same step, re-checked after.
      if (f.repair && (fixAll || (options.resetSessions && resetsMain(f.repair)))) out.push({ n: out.length + 1, check: result.id, finding: f.title, repair: f.repair });
    }
  }
  if (options.resetSessions && !out.some((p) => resetsMain(p.repair))) {
    out.push({
      n: out.length + 1,
      // The finding that asks for it (sessions.errors) is re-checked after the reset, when it ran.
      check: outcome.results.some((r) => r.id === 'sessions.errors') ? 'sessions.errors' : undefined,
      repair: { kind: 'sessions.reset', summary: 'back up and clear the sessions of agent main (asked for with --reset-sessions)', data: { stateDir, agentId: 'main', sessionsDir: mainSessions } },
    });
  }
  return out;
}

/** Turns the collected repairs into the plan, refusing (with a reason) what cannot be done safely. */
export async function makePlan(ctx: Context, repairs: PlannedRepair[], deps: Pick<FixDeps, 'gatewayIsUp'> = realDeps): Promise<FixPlan> {
  const cfg = await getConfig(ctx);
  const stateDir = await stateDirOf(ctx);
  const plan: FixPlan = { steps: [], refused: [], journalDir: journalDir(stateDir) };
  const gateway = await gatewayTarget(ctx, cfg);
  // Restart decisions use the gateway facts: a port held by another program is not the gateway.
  const gatewayIsUp = gatewayFactsIsUp(ctx, deps.gatewayIsUp);
  const env: PlanEnv = { ctx, cfg, stateDir, gateway, secrets: envSecrets(ctx, cfg), gatewayIsUp, show: (p) => tildify(p, ctx.home) };

  // Repairs are planned per batch (all config edits of the file together), batches in first-seen order.
  const batches = new Map<string, { kind: RepairKind; repairs: PlannedRepair[] }>();
  for (const planned of repairs) {
    const kind = repairKinds[planned.repair.kind];
    const optIn = (planned.repair.data as { optIn?: unknown }).optIn === true;
    if (optIn && !(planned.check && ctx.options.only.includes(planned.check))) {
      // A check may mark a repair as the user's call (a louder log level): applied only when its check is named.
      plan.refused.push({ repair: planned, reason: `opt-in: apply it with \`claw-doctor --fix --only ${planned.check ?? '<check>'}\`.` });
      continue;
    }
    if (!kind) {
      plan.refused.push({ repair: planned, reason: `claw-doctor does not know how to apply a "${planned.repair.kind}" repair${planned.check ? ` (from ${planned.check})` : ''}; follow the fix text above.` });
      continue;
    }
    const bad = kind.parse(planned.repair);
    if (bad) {
      plan.refused.push({ repair: planned, reason: bad });
      continue;
    }
    const batch = batches.get(kind.batch) ?? { kind, repairs: [] };
    batch.repairs.push(planned);
    batches.set(kind.batch, batch);
  }
  for (const { kind, repairs: rs } of batches.values()) {
    const made = await kind.plan(rs, env);
    plan.steps.push(...made.steps.map((step) => ({ step, kind })));
    plan.refused.push(...made.refused);
  }
  if (configBatches(plan).length > 0) {
    plan.restart = {
      port: gateway.port,
      cliDisplay: gateway.cli.display,
      gatewayUp: await gatewayIsUp(gateway.port),
      bySessionsReset: sessionsSteps(plan).some((s) => s.gatewayUp),
    };
  }
  // Repairs keep their numbers; the refused list reads in order.
  plan.refused.sort((a, b) => a.repair.n - b.repair.n);
  return plan;
}
