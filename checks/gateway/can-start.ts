import fs from 'node:fs/promises';
import { get, getConfig } from '../../src/facts/config.js';
import { getGateway, noGatewayHere } from '../../src/facts/gateway.js';
import { getLocation, tildify } from '../../src/facts/paths.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// What makes `gateway start` fail before the gateway even listens:
// - `gateway.mode` unset: "Gateway start blocked: set gateway.mode=local (current: unset) or pass
//   --allow-unconfigured." (clawdbot.md §8) — a gateway started by hand with that flag runs, and the next
//   service restart is refused;
// - a config or state dir the service's user cannot read: the classic is `sudo openclaw onboard`, which
//   leaves root-owned 0600 files that the user's service cannot open.
// (A port held by another program is said by gateway.running, which sees the listener.)

export default {
  id: 'gateway.can-start',
  title: 'The gateway is allowed to start',
  why: 'An unset gateway.mode or files the service user cannot read make every start fail, often silently.',
  reads: "gateway.mode, and the owner and mode of the config and the state dir against the gateway's user",
  gives: [
    { severity: 'warn', title: 'gateway.mode is <unset|"remote">: the gateway refuses to start' },
    { severity: 'error', title: "The gateway's user cannot read the config <file>" },
  ],
  async run(ctx) {
    const [cfg, loc, g] = await Promise.all([getConfig(ctx), getLocation(ctx), getGateway(ctx)]);
    const none = noGatewayHere(g);
    if (none) skip(none);
    const out: Finding[] = [];
    const show = (p: string): string => tildify(p, ctx.home);
    if (cfg.resolved && cfg.path) {
      // clawdbot 2026.1.24-3 dist/cli/gateway-cli/run.js: `gateway` (what the service runs too) refuses any
      // mode but "local" unless started with --allow-unconfigured.
      const mode = get(cfg.resolved, ['gateway', 'mode']);
      const unset = mode === undefined || mode === null || mode === '';
      const serviceHere = g.kind === 'systemd' || g.kind === 'launchd';
      if (unset || (mode !== 'local' && serviceHere)) {
        const current = unset ? 'unset' : JSON.stringify(mode);
        out.push({
          // A warning: `agent --local` works without a gateway, and a gateway started by hand runs anyway.
          severity: 'warn',
          title: `gateway.mode is ${current}: the gateway refuses to start`,
          detail:
            `\`gateway start\` and the service both run \`gateway\`, which answers "Gateway start blocked: set gateway.mode=local (current: ${unset ? 'unset' : String(mode)}) or pass --allow-unconfigured." ` +
            (unset ? '' : `A "${String(mode)}" machine is not meant to run a gateway, yet a ${g.kind} service for one is installed here. `) +
            (g.state === 'running' ? 'The gateway running now was started another way; its next restart will be refused.' : 'Nothing is started.'),
          fix: unset
            ? `Add to the config:\n  "gateway": { "mode": "local" }\nor run: ${g.cliDisplay} config set gateway.mode local`
            : `Either run the gateway here (${g.cliDisplay} config set gateway.mode local) or remove the service (${g.cliDisplay} gateway uninstall).`,
          evidence: [`${show(cfg.path)} (gateway.mode)`],
          // No repair: local or remote is the user's choice (a remote-mode machine runs no gateway).
          cause: 'gateway-mode-unset',
        });
      }
    }
    const uid = g.listener.uid ?? (g.service ? (await fs.stat(g.service.file).catch(() => undefined))?.uid : undefined);
    if (uid === undefined || uid === 0) return out;
    const targets = [
      ...(cfg.path && cfg.exists ? [{ file: cfg.path, what: 'config', need: 'r' as const }] : []),
      { file: loc.stateDir, what: 'state dir', need: 'rwx' as const },
    ];
    for (const t of targets) {
      const st = await fs.stat(t.file).catch(() => undefined);
      if (!st || allows(st, uid, t.need)) continue;
      out.push({
        severity: 'error',
        title: `The gateway's user cannot ${t.need === 'r' ? 'read' : 'use'} the ${t.what} ${show(t.file)}`,
        detail:
          `The gateway runs as uid ${uid}; ${show(t.file)} belongs to uid ${st.uid} with mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}. ` +
          'It cannot load its settings and exits at start (often after `sudo` was used for onboarding or `config set`).',
        fix: `Give the files back to the gateway's user:\n  sudo chown -R ${uid} ${show(loc.stateDir)}`,
        evidence: [`${show(t.file)} uid ${st.uid} mode ${(st.mode & 0o777).toString(8)}`],
        cause: 'gateway-files-unreadable',
      });
    }
    return out;
  },
} satisfies Check;

/** Mode bits as the kernel applies them to `uid` (group membership unknown here: group bits count as allowed). */
function allows(st: { uid: number; mode: number }, uid: number, need: 'r' | 'rwx'): boolean {
  const bits = need === 'r' ? 0o4 : 0o7;
  const owner = (st.mode >> 6) & 7;
  const group = (st.mode >> 3) & 7;
  const other = st.mode & 7;
  if (st.uid === uid) return (owner & bits) === bits;
  return (group & bits) === bits || (other & bits) === bits;
}
