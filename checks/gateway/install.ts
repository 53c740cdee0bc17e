import fs from 'node:fs/promises';
import path from 'node:path';
import { getConfig, str } from '../../src/facts/config.js';
import { getGateway } from '../../src/facts/gateway.js';
import { runGatewayCli } from '../../src/facts/gateway-cli.js';
import { installOf, minimumNode, nodeSatisfies, productPackageOf, type InstallFacts } from '../../src/facts/gateway-install.js';
import { tildify } from '../../src/facts/paths.js';
import { getProduct } from '../../src/facts/product.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// Does the gateway run the install the user upgraded? A service keeps the command it was installed with
// (ExecStart / ProgramArguments: an absolute Node and the product's entry script, and
// `OPENCLAW_SERVICE_VERSION`), so after `npm i -g openclaw@latest`, an nvm switch or a second install the
// CLI on PATH and the service disagree. 2026.9 needs Node ≥ 24.16 (clawdbot.md header); the product's own
// `engines.node` is used when its package.json is found.

/** Requirements by product version where the package.json is not at hand (clawdbot.md header). */
function requiredNode(version: string | undefined): [number, number, number] | undefined {
  const m = /^(\d{4})\.(\d{1,2})\./.exec(version ?? '');
  if (!m) return undefined;
  return Number(m[1]) > 2026 || (Number(m[1]) === 2026 && Number(m[2]) >= 9) ? [24, 16, 0] : undefined;
}

const versionIn = (text: string): string | undefined => /\b\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?/.exec(text)?.[0];
const base = (v: string | undefined): string | undefined => /^\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?/.exec(v ?? '')?.[0];

export default {
  id: 'gateway.install',
  title: 'The gateway runs the same install as your CLI',
  why: 'A service pinned to an old Node or an old install keeps running the old product after you upgraded.',
  reads: "the gateway service's command line, the Node and package it runs, and the CLI on PATH",
  gives: [
    { severity: 'error', title: '<The gateway service> points at a Node that no longer exists' },
    { severity: 'warn', title: '<The gateway service> runs <package> while the CLI on PATH is another install' },
    { severity: 'error', title: '<The gateway service> runs on Node <version>; <package> needs <range>' },
    { severity: 'warn', title: '<The gateway service> runs version <v>, the config was last written by <v>' },
  ],
  async run(ctx) {
    const g = await getGateway(ctx);
    const [cfg, product] = await Promise.all([getConfig(ctx), getProduct(ctx)]);
    const timeoutMs = Math.min(3000, ctx.options.timeout * 100);
    const show = (p: string): string => tildify(p, ctx.home);
    // The running process first; then the unit file; then the command `gateway status` says the service runs.
    const serviceArgv = g.service?.argv.length ? g.service.argv : g.status?.said.command;
    const running = g.state === 'running' && g.listener.argv ? g.listener.argv : undefined;
    const who = running ? 'the running gateway' : g.service ? `the ${g.service.manager} service ${g.service.name}` : serviceArgv ? 'the gateway service' : undefined;
    if (!who) skip('no gateway service is installed and no gateway process can be looked into');
    const argv = running ?? serviceArgv!;
    const install: InstallFacts = await installOf(argv, { exe: running ? g.listener.exe : undefined, env: ctx.env, timeoutMs });
    const runsVersion = install.pkg?.version ?? g.service?.version;
    const cliPkg = g.cli ? await productPackageOf(g.cli.file) : undefined;
    const cliVersion = cliPkg?.version ?? (g.cli ? versionIn((await runGatewayCli(g.cli, ['--version'], timeoutMs)).output) : undefined);
    const touched = str(cfg.raw, ['meta', 'lastTouchedVersion']);
    const out: Finding[] = [];
    const evidence = [`${who}: ${show(argv.slice(0, 2).join(' '))}`];
    const reinstall = `${g.cliDisplay} gateway uninstall && ${g.cliDisplay} gateway install`;

    if (install.node && path.isAbsolute(install.node) && !(await exists(install.node))) {
      out.push({
        severity: 'error',
        title: `${cap(who)} points at a Node that no longer exists`,
        detail: `${show(install.node)} is gone (a removed nvm/fnm version?), so the service cannot start.`,
        fix: `Install the service again with the Node you use now on PATH:\n  ${reinstall}`,
        evidence,
        cause: 'gateway-node-missing',
      });
    }
    if (runsVersion && cliVersion && base(runsVersion) !== base(cliVersion)) {
      out.push({
        severity: 'warn',
        title: `${cap(who)} runs ${install.pkg?.name ?? product.name ?? 'the product'} ${runsVersion}, the CLI on PATH is ${cliVersion}`,
        detail:
          `${install.pkg ? `The gateway runs the install in ${show(install.pkg.root)}` : `The service was installed by version ${runsVersion}`}` +
          `${cliPkg ? `; \`${g.cliDisplay}\` on PATH is the one in ${show(cliPkg.root)}` : ''}. Upgrades of the CLI do not reach the gateway.`,
        fix: `Point the service at the install you use, then restart it:\n  ${reinstall}`,
        evidence: [...evidence, ...(cliPkg ? [`CLI: ${show(cliPkg.root)}`] : [])],
        cause: 'gateway-other-install',
      });
    } else if (runsVersion && touched && base(runsVersion) !== base(touched) && !cliVersion) {
      out.push({
        severity: 'warn',
        title: `${cap(who)} runs version ${runsVersion}, the config was last written by ${touched}`,
        detail: `meta.lastTouchedVersion says ${touched} wrote the config; the gateway runs ${runsVersion}. A newer config can hold keys an older gateway rejects.`,
        fix: `Run the gateway from the install that wrote the config:\n  ${reinstall}`,
        evidence: [...evidence, `meta.lastTouchedVersion ${touched}`],
        cause: 'gateway-other-install',
      });
    }
    const need = minimumNode(install.pkg?.enginesNode) ?? requiredNode(runsVersion);
    if (need && install.nodeVersion && !nodeSatisfies(install.nodeVersion, need)) {
      const needText = install.pkg?.enginesNode ?? `>= ${need.join('.')}`;
      out.push({
        severity: 'error',
        title: `${cap(who)} runs on Node ${install.nodeVersion}; ${install.pkg?.name ?? product.name ?? 'the product'} ${runsVersion ?? product.version ?? ''} needs Node ${needText}`.replace(/\s+/g, ' '),
        detail: `${show(install.node ?? 'node')} is Node ${install.nodeVersion}. The product refuses to start (or fails in odd ways) on an older Node.`,
        fix: `Install Node ${need.join('.')} or later (nvm install 24), then install the service again so it uses it:\n  ${reinstall}`,
        evidence: [...evidence, `Node ${install.nodeVersion}`],
        cause: 'gateway-old-node',
      });
    }
    return out;
  },
} satisfies Check;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
