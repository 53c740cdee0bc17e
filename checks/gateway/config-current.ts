import { get, getConfig } from '../../src/facts/config.js';
import { getGateway, getGatewayInputs, type GatewayFacts, type GatewayInput } from '../../src/facts/gateway.js';
import { tildify } from '../../src/facts/paths.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// "I fixed the config and nothing changed": which edits a running gateway has not taken in. From the product's
// own code (clawdbot 2026.1.24-3 dist/gateway/config-reload.js, dist/infra/dotenv.js; OpenClaw's docs say the
// same of 2026.x):
// - the main config file is watched and reloaded live (`gateway.reload.mode`: `hybrid` by default, which also
//   restarts in-process when a key needs it) — an edit is stale only with `off`;
// - `$include`d files are not watched: an edit to one after the main file last changed waits for a restart;
// - `<stateDir>/.env` is loaded once, when the process starts, and never overrides a variable already set, so
//   even an in-process restart keeps the old values: only a new process reads it.
// The process start comes from /proc (10 ms) or `ps` (1 s), hence the 1 s margin.
const MARGIN_MS = 1000;

export default {
  id: 'gateway.config-current',
  title: 'The running gateway uses the current config',
  why: 'Edits the gateway does not reload (an $include, the .env file, any edit with gateway.reload.mode "off") wait for a restart.',
  reads: 'when the running gateway started, gateway.reload.mode, and when the config, its $includes and <stateDir>/.env last changed',
  gives: [
    { severity: 'warn', title: 'The running gateway still uses the old settings', repair: 'the gateway restarted (gateway.restart)' },
  ],
  async run(ctx) {
    const g = await getGateway(ctx);
    if (g.state !== 'running') skip('the gateway is not running: it reads the current config when it starts');
    const started = g.listener.startedAt;
    if (!started) skip(`the start time of the process on port ${g.port.port} cannot be read (${g.listener.pid ? `pid ${g.listener.pid}` : 'its owner is another user'})`);
    const cfg = await getConfig(ctx);
    const mode = get(cfg.resolved ?? cfg.raw, ['gateway', 'reload', 'mode']);
    const reloadOff = mode === 'off';
    const inputs = await getGatewayInputs(ctx);
    const main = inputs.find((i) => i.what === 'config');
    const after = (i: GatewayInput, t: Date): boolean => i.mtime.getTime() > t.getTime() + MARGIN_MS;
    const stale = inputs.filter((i) => {
      if (!after(i, started)) return false;
      if (i.what === 'config') return reloadOff;
      // The watcher re-reads includes only when the main file changes.
      if (i.what === '$include') return reloadOff || !main || i.mtime > main.mtime;
      return true; // .env
    });
    if (stale.length === 0) return [];
    const show = (p: string): string => tildify(p, ctx.home);
    const at = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');
    const files = stale.map((c) => `${show(c.file)} (${c.what}, changed ${at(c.mtime)})`);
    const why = stale.map((c) =>
      c.what === 'config'
        ? 'gateway.reload.mode is "off", so the gateway does not reload its config'
        : c.what === '$include'
          ? 'the gateway watches only the main config file, not what it includes'
          : 'the .env file is read once, when the gateway process starts',
    );
    const finding: Finding = {
      severity: 'warn',
      title: 'The running gateway still uses the old settings',
      detail:
        `${files.join('; ')} — after the gateway${g.listener.pid ? ` (pid ${g.listener.pid})` : ''} started at ${at(started)}, and ` +
        `${[...new Set(why)].join('; ')}. These changes are not in effect until it restarts.`,
      fix: restartFix(g),
      evidence: [...files, `gateway started ${at(started)}`],
      cause: 'gateway-stale-config',
    };
    // Only a service can be restarted by its CLI; a foreground or container gateway is the user's to restart.
    if (g.kind === 'systemd' || g.kind === 'launchd') {
      finding.repair = {
        kind: 'gateway.restart',
        summary: `restart the gateway on port ${g.port.port} so it reads what changed since it started`,
        data: { port: g.port.port, reason: `started ${at(started)}, before ${files.join('; ')}`, changed: stale.map((c) => c.file) },
      };
    }
    return [finding];
  },
} satisfies Check;

function restartFix(g: GatewayFacts): string {
  switch (g.kind) {
    case 'systemd':
    case 'launchd':
      return `Restart it (a new process; an in-process reload keeps the old environment):\n  ${g.cliDisplay} gateway stop && ${g.cliDisplay} gateway start\n(or \`claw-doctor --fix\`, which confirms the restart on port ${g.port.port})`;
    case 'container':
      return 'Restart the container (or the foreground `gateway` process inside it).';
    default:
      return `It runs in the foreground: stop it (Ctrl+C in its terminal) and start it again with \`${g.cliDisplay} gateway\`.`;
  }
}
