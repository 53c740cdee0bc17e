import { getGateway, noGatewayHere, startCommand, type GatewayFacts } from '../../src/facts/gateway.js';
import { tildify } from '../../src/facts/paths.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// Is the gateway up, and how does it run? Port first (clawdbot.md §8: an HTTP GET answers when it runs),
// then the product's own words: `gateway status` exits 0 even for "Gateway service not loaded" and for a
// container without systemd (fixture cli/gatewaystatus.txt), so its text decides, not its exit code.

export default {
  id: 'gateway.running',
  title: 'The gateway runs',
  why: 'The gateway is what answers your chats: the config can be perfect and nothing replies when it is down.',
  reads: "the gateway port (gateway.port, *_GATEWAY_PORT, 18789), what listens there, the service files (systemd, launchd) and the CLI's gateway status",
  gives: [
    { severity: 'error', title: 'The gateway service is installed but not running' },
    { severity: 'warn', title: 'The gateway is not running' },
    { severity: 'error', title: 'Port <port> is taken by another program: the gateway cannot listen there' },
    { severity: 'warn', title: 'The gateway service listens on port <port>, not on port <port>' },
    { severity: 'warn', title: '`<cli> gateway status` did not answer in time' },
    { severity: 'info', title: 'Something listens on port <port>; claw-doctor cannot tell whether it is the gateway' },
  ],
  async run(ctx) {
    const g = await getGateway(ctx);
    const none = noGatewayHere(g);
    if (none) skip(none);
    const out: Finding[] = hangFindings(g);
    const p = g.port.port;
    const portWhere = `port ${p} (${g.port.source})`;
    if (g.state === 'running' || g.state === 'unknown') {
      if (g.state === 'unknown') {
        out.push({
          severity: 'info',
          title: `Something listens on port ${p}; claw-doctor cannot tell whether it is the gateway`,
          detail: 'Its process belongs to another user and no product CLI is on PATH to ask, so the gateway checks judge it as running.',
          evidence: [portWhere],
        });
      }
      return out;
    }
    if (g.state === 'port-taken') {
      const who = g.listener.argv ? `\`${tildify(g.listener.argv.join(' ').slice(0, 160), ctx.home)}\`` : 'a program claw-doctor cannot look into';
      out.push({
        severity: 'error',
        title: `Port ${p} is taken by another program: the gateway cannot listen there`,
        detail:
          `${who}${g.listener.pid ? ` (pid ${g.listener.pid})` : ''} holds ${portWhere}, and it is not the gateway` +
          `${g.health ? ` (\`${g.health.run.command}\` fails)` : ''}. The gateway fails to start while the port is taken.`,
        fix:
          `Stop that program${g.listener.pid ? ` (\`kill ${g.listener.pid}\`)` : ''}, or move the gateway to a free port:\n` +
          `  ${g.cliDisplay} config set gateway.port ${p + 1}\nthen start it: ${startCommand(g)}`,
        evidence: [portWhere, ...(g.listener.pid ? [`pid ${g.listener.pid}`] : [])],
        cause: 'gateway-port-taken',
      });
      return out;
    }
    if (g.service?.port && g.servicePort?.listening) {
      out.push({
        severity: 'warn',
        title: `The gateway service listens on port ${g.service.port}, not on port ${p}`,
        detail:
          `The ${g.service.manager} unit ${g.service.name} starts the gateway with port ${g.service.port} and something answers there, ` +
          `but the config and environment say ${portWhere}: the CLI, the Control UI link and every client look on the wrong port.`,
        fix: `Make them agree: ${g.cliDisplay} config set gateway.port ${g.service.port}, or install the service again from the current config:\n  ${g.cliDisplay} gateway uninstall && ${g.cliDisplay} gateway install`,
        evidence: [`${g.service.file} (--port ${g.service.port})`, portWhere],
        cause: 'gateway-port-mismatch',
      });
      return out;
    }
    out.push(stoppedFinding(g, portWhere));
    return out;
  },
} satisfies Check;

function hangFindings(g: GatewayFacts): Finding[] {
  return g.hung.map((command) => ({
    severity: 'warn' as const,
    title: `\`${command}\` did not answer in time`,
    detail:
      'The product CLI was stopped (its whole process group) when its time ran out, so its answer is missing here. ' +
      'A CLI that hangs usually waits on a stuck gateway, a lock held by a dead process, or an npx download.',
    fix: `Run it yourself to see where it stops:\n  ${command}`,
    evidence: [command],
    cause: 'gateway-cli-hangs',
  }));
}

function stoppedFinding(g: GatewayFacts, portWhere: string): Finding {
  const said = g.status?.said;
  const lines: string[] = [`Nothing listens on ${portWhere}${g.health ? ` and \`${g.health.run.command}\` cannot reach it` : ''}.`];
  if (said?.notInstalled) {
    lines.push(`\`${g.status!.run.command}\` says "Gateway service ${said.notInstalled}" (exit ${g.status!.run.exitCode}): \`gateway start\` prints the same and starts nothing.`);
  }
  if (g.kind === 'container') {
    lines.push('systemd user services are unavailable here (a container?): `gateway start|stop|restart` fail with "systemctl --user unavailable"; the gateway has to run in the foreground.');
  }
  if (said?.runtime === 'running') {
    lines.push(`The service's process runs${said.pid ? ` (pid ${said.pid})` : ''} but nothing listens: it is still starting, or it fails before it listens and is restarted over and over (a crash loop).`);
  } else if (g.service) {
    lines.push(`The ${g.service.manager} service ${g.service.name} is installed (${g.service.file}) but the gateway is not up: it crashed or was stopped.`);
  }
  const installed = g.kind === 'systemd' || g.kind === 'launchd';
  const logs = installed && g.kind === 'systemd' ? `\nIf it stops again, read why: journalctl --user -u ${g.service?.name ?? 'openclaw-gateway'} -n 50` : '';
  return {
    severity: installed ? 'error' : 'warn',
    title: installed ? 'The gateway service is installed but not running' : 'The gateway is not running',
    detail: lines.join(' '),
    fix: `Start it: ${startCommand(g)}${logs}`,
    evidence: [portWhere, ...(g.status ? [`${g.status.run.command} (exit ${g.status.run.exitCode})`] : [])],
    cause: 'gateway-down',
  };
}
