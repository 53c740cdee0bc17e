import { getGateway, getGatewayInputs, type GatewayFacts } from '../../src/facts/gateway.js';
import { tildify } from '../../src/facts/paths.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// The gateway reads its config (with its $includes) and auth profiles only when it starts (clawdbot.md §8):
// a file changed after the process started is not in effect — the support threads' "I fixed the config and
// nothing changed". The process start comes from /proc (10 ms) or `ps` (1 s), hence the 1 s margin.
const MARGIN_MS = 1000;

export default {
  id: 'gateway.config-current',
  title: 'The running gateway uses the current config',
  why: 'The gateway reads its config only at start: an edit made while it runs does nothing until it restarts.',
  async run(ctx) {
    const g = await getGateway(ctx);
    if (g.state !== 'running') skip('the gateway is not running: it reads the current config when it starts');
    const started = g.listener.startedAt;
    if (!started) skip(`the start time of the process on port ${g.port.port} cannot be read (${g.listener.pid ? `pid ${g.listener.pid}` : 'its owner is another user'})`);
    const changed = (await getGatewayInputs(ctx)).filter((i) => i.mtime.getTime() > started.getTime() + MARGIN_MS);
    if (changed.length === 0) return [];
    const show = (p: string): string => tildify(p, ctx.home);
    const at = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');
    const files = changed.map((c) => `${show(c.file)} (${c.what}, changed ${at(c.mtime)})`);
    const finding: Finding = {
      severity: 'warn',
      title: 'The running gateway still uses the old settings',
      detail:
        `${files.join('; ')} — after the gateway${g.listener.pid ? ` (pid ${g.listener.pid})` : ''} started at ${at(started)}. ` +
        'It read its config when it started, so these changes are not in effect until it restarts.',
      fix: restartFix(g),
      evidence: [...files, `gateway started ${at(started)}`],
      cause: 'gateway-stale-config',
    };
    // Only a service can be restarted by its CLI; a foreground or container gateway is the user's to restart.
    if (g.kind === 'systemd' || g.kind === 'launchd') {
      finding.repair = {
        kind: 'gateway.restart',
        summary: `restart the gateway on port ${g.port.port} so it reads the config changed since it started`,
        data: { port: g.port.port, reason: `started ${at(started)}, before ${files.join('; ')}`, changed: changed.map((c) => c.file) },
      };
    }
    return [finding];
  },
} satisfies Check;

function restartFix(g: GatewayFacts): string {
  switch (g.kind) {
    case 'systemd':
    case 'launchd':
      return `Restart it:\n  ${g.cliDisplay} gateway stop && ${g.cliDisplay} gateway start\n(or \`claw-doctor --fix\`, which confirms the restart on port ${g.port.port})`;
    case 'container':
      return 'Restart the container (or the foreground `gateway` process inside it).';
    default:
      return `It runs in the foreground: stop it (Ctrl+C in its terminal) and start it again with \`${g.cliDisplay} gateway\`.`;
  }
}
