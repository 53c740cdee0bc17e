import { get, getConfig, isObject } from '../../src/facts/config.js';
import { getGateway, getGatewayStateV3, noGatewayHere } from '../../src/facts/gateway.js';
import { findKimiPlugin, usesKimi } from '../../src/facts/gateway-plugin.js';
import { tildify } from '../../src/facts/paths.js';
import { getProduct } from '../../src/facts/product.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// From 2026.9 Kimi is a plugin, `@openclaw/kimi-provider` (plugin id `kimi`), installed at onboarding
// (fixtures openclaw-2026.9.6/README.md): linked into `plugins.load.paths` or copied to
// `<stateDir>/extensions/<id>` (the product's `plugins` CLI docs). The gateway loads plugins at start, so a
// missing, disabled or mismatched plugin leaves every `kimi/…` model unknown to the running gateway.

const base = (v: string | undefined): string | undefined => /^\d{4}\.\d{1,2}\.\d{1,2}/.exec(v ?? '')?.[0];

export default {
  id: 'gateway.kimi-plugin',
  title: 'The Kimi plugin is installed and enabled (2026.9)',
  why: 'OpenClaw 2026.9 gets Kimi from a plugin: without it the gateway knows no kimi/… model.',
  reads: "the 2026.9 Kimi plugin: installed, enabled, allowed (plugins.allow), and its version against the product's",
  gives: [
    { severity: 'error', title: 'The Kimi plugin is not installed' },
    { severity: 'error', title: 'The Kimi plugin is recorded as installed, but its files are gone' },
    { severity: 'error', title: 'The Kimi plugin is disabled', repair: 'the plugin enabled' },
    { severity: 'error', title: 'plugins.allow does not list the Kimi plugin' },
    { severity: 'warn', title: 'The Kimi plugin is <version>, the product is <version>' },
  ],
  async run(ctx) {
    const [cfg, product, g] = await Promise.all([getConfig(ctx), getProduct(ctx), getGateway(ctx)]);
    // Plugins are loaded by this machine's gateway (or CLI): with neither here, a copied state dir's paths mean nothing.
    const none = noGatewayHere(g);
    if (none) skip(none);
    const v = /^(\d{4})\.(\d{1,2})\./.exec(product.version ?? '');
    if (!v || Number(v[1]) * 100 + Number(v[2]) < 202609) skip(`the Kimi plugin is needed from openclaw 2026.9 (this is ${product.version ?? 'an unknown version'})`);
    if (!cfg.resolved || !usesKimi(cfg.resolved)) skip('the config uses no Kimi provider');
    const show = (p: string): string => tildify(p, ctx.home);
    const v3 = await getGatewayStateV3(ctx);
    const plugin = await findKimiPlugin(cfg.resolved, cfg.location.stateDir, v3.plugins);
    const entry = get(cfg.resolved, ['plugins', 'entries', 'kimi']);
    const allow = get(cfg.resolved, ['plugins', 'allow']);
    const cli = g.cliDisplay.startsWith('npx') ? 'openclaw' : g.cliDisplay;
    const restart = `then restart the gateway: ${cli} gateway stop && ${cli} gateway start`;
    const out: Finding[] = [];
    if (plugin?.missing) {
      out.push({
        severity: 'error',
        title: 'The Kimi plugin is recorded as installed, but its files are gone',
        detail: `The product's install record (state/openclaw.sqlite, plugins.installedIndex) puts it in ${show(plugin.dir)}, which holds no openclaw.plugin.json: the gateway cannot load it.`,
        fix: `Install it again: ${cli} plugins install @openclaw/kimi-provider --force\n${restart}`,
        evidence: [show(plugin.dir)],
        cause: 'kimi-plugin-missing',
      });
      return out;
    }
    if (!plugin) {
      out.push({
        severity: 'error',
        title: 'The Kimi plugin is not installed',
        detail: `No plugin with id "kimi" in plugins.load.paths or ${show(cfg.location.stateDir)}/extensions: the gateway of ${product.version} has no Kimi provider.`,
        fix: `Install it (as onboarding does): ${cli} plugins install @openclaw/kimi-provider\n${restart}`,
        evidence: ['plugins.load.paths', `${show(cfg.location.stateDir)}/extensions`],
        cause: 'kimi-plugin-missing',
      });
      return out;
    }
    const recordOff = v3.plugins.find((p) => p.id === 'kimi')?.enabled === false;
    if ((isObject(entry) && entry.enabled === false) || (!isObject(entry) && recordOff)) {
      out.push({
        severity: 'error',
        title: 'The Kimi plugin is disabled',
        detail: `plugins.entries.kimi.enabled is false: the plugin in ${show(plugin.dir)} is not loaded.`,
        fix: `${cli} plugins enable kimi\n${restart}`,
        evidence: ['plugins.entries.kimi.enabled'],
        cause: 'kimi-plugin-disabled',
        repair: { kind: 'config.set', summary: 'enable the Kimi plugin (plugins.entries.kimi.enabled = true)', data: { path: ['plugins', 'entries', 'kimi', 'enabled'], value: true } },
      });
    }
    if (Array.isArray(allow) && !allow.includes('kimi')) {
      out.push({
        severity: 'error',
        title: 'plugins.allow does not list the Kimi plugin',
        detail: `plugins.allow is ${JSON.stringify(allow)}: only those plugins load, so "kimi" is skipped.`,
        fix: `Add "kimi" to plugins.allow, ${restart}`,
        evidence: ['plugins.allow'],
        cause: 'kimi-plugin-disabled',
      });
    }
    if (plugin.version && product.version && base(plugin.version) !== base(product.version)) {
      out.push({
        severity: 'warn',
        title: `The Kimi plugin is ${plugin.version}, the product is ${product.version}`,
        detail: `${show(plugin.dir)} holds @openclaw/kimi-provider ${plugin.version}. A plugin from another release can miss the provider hooks this version calls (User-Agent, thinking defaults).`,
        fix: `${cli} plugins update kimi (or install it again), ${restart}`,
        evidence: [`${show(plugin.dir)}/package.json`],
        cause: 'kimi-plugin-version',
      });
    }
    return out;
  },
} satisfies Check;
