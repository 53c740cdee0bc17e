import { requireConfig, get, isObject } from '../../src/facts/config.js';
import { getKimiSetup, builtInProviders } from '../../src/facts/kimi.js';
import { isKimiPluginProvider, kimiPluginState, KIMI_CATALOG } from '../../src/facts/kimi-plugin.js';
import { where, snippet } from '../../src/facts/evidence.js';
import type { Check, Finding } from '../../src/engine/types.js';

/** Edit distance, to suggest the defined model id a typo meant. */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

// clawdbot.md §4: agents.defaults.model is an object {primary, fallbacks}; a ref is provider/model split at the
// first "/"; without "/" it is an alias. If the provider exists but the model id does not, V1/V2 build a
// synthetic model with no headers and no compat — silently.
export default {
  id: 'agent.model',
  title: 'The agent\'s model resolves',
  why: 'A typo in the model id silently drops the Kimi headers and compat; an unknown provider fails every run.',
  reads: 'agents.defaults.model (primary, fallbacks), its aliases and allowlist (agents.defaults.models), and the providers and models it names',
  gives: [
    { severity: 'error', title: 'Model id "<id>" is not defined under provider "<provider>"', repair: 'agents.defaults.model.primary set to the nearest defined id' },
    { severity: 'error', title: 'Unknown model: <ref> (no provider "<provider>")' },
    { severity: 'error', title: 'agents.defaults.model is a string; it must be an object', repair: 'agents.defaults.model rewritten as { primary }' },
    { severity: 'warn', title: '<ref> is not in the model allowlist' },
    { severity: 'warn', title: 'Fallback <ref> names provider "<provider>", which does not exist' },
    { severity: 'info', title: 'No primary model set: the agent does not use your Kimi provider' },
  ],
  async run(ctx) {
    const cfg = await requireConfig(ctx);
    const setup = await getKimiSetup(ctx);
    const a = setup.agent;
    const ev = [where(ctx, cfg, a.path)];
    const out: Finding[] = [];
    if (!a.written) {
      const hasKimi = setup.kimiProviders.length > 0;
      if (hasKimi) {
        const first = setup.kimiProviders[0];
        const ref = `${first.id}/${first.models[0]?.id ?? 'kimi-for-coding'}`;
        out.push({
          severity: 'warn',
          title: 'No primary model set: the agent does not use your Kimi provider',
          detail: 'agents.defaults.model.primary is unset, so the product falls back to its default model.',
          fix: snippet({ agents: { defaults: { model: { primary: ref } } } }),
          evidence: ev,
        });
      }
      return out;
    }
    if (a.bareString) {
      out.push({
        severity: 'error',
        title: 'agents.defaults.model is a string; it must be an object',
        detail: `"model": "${a.written}" fails validation; the product expects { "primary": "…" }.`,
        fix: snippet({ model: { primary: a.written } }),
        evidence: ev,
        repair: { kind: 'config.set', summary: `turn agents.defaults.model into { primary: "${a.written}" }`, data: { path: a.path, value: { primary: a.written } } },
      });
    }
    if (!a.providerId || !a.modelId) {
      out.push({
        severity: 'error',
        title: `Unknown model: "${a.written}" is neither provider/model nor a known alias`,
        detail: 'A ref without "/" is looked up as an alias in agents.defaults.models["provider/model"].alias, and none matches.',
        fix: 'Use the full ref, e.g.:\n' + snippet({ primary: 'kimi-code/kimi-for-coding' }),
        evidence: ev,
        cause: 'model-unknown',
      });
      return out;
    }
    const provider = setup.providers.find((p) => p.id === a.providerId);
    const builtIn = builtInProviders(setup.generation).find((b) => b.id === a.providerId);
    // 2026.9: `kimi`, `kimi-code`, `kimi-coding` exist only through the Kimi plugin (kimi-plugin.ts).
    const v3Kimi = setup.generation === 'V3' && isKimiPluginProvider(a.providerId);
    const plugin = v3Kimi ? kimiPluginState(cfg.resolved) : undefined;
    if (plugin && !plugin.enabled && !provider?.models.some((m) => m.id === a.modelId)) {
      out.push({
        severity: 'error',
        title: `The Kimi plugin is off, so ${a.ref} does not exist`,
        detail: `OpenClaw 2026.9 gets the ${a.providerId} provider and its models from the Kimi plugin (@openclaw/kimi-provider); ${plugin.why}. Every run fails with "Unknown model".`,
        fix: `Turn the plugin on:\n${snippet({ plugins: { entries: { kimi: { enabled: true } } } })}\nthen restart the gateway (openclaw gateway restart).`,
        evidence: [where(ctx, cfg, plugin.path)],
        // The same cause as gateway.kimi-plugin's finding, so the fix is given once.
        cause: 'kimi-plugin-disabled',
      });
      return out;
    }
    if (!provider && !builtIn) {
      out.push({
        severity: 'error',
        title: `Unknown model: ${a.ref} (no provider "${a.providerId}")`,
        detail: `No models.providers.${a.providerId} and no built-in provider of that name: every run fails with "Unknown model".`,
        fix: `Define the provider, or use an existing one: ${setup.providers.map((p) => p.id).join(', ') || '(none defined)'}.`,
        evidence: ev,
        cause: 'model-unknown',
      });
    } else if (provider && setup.primary?.synthetic) {
      const ids = [...provider.models.map((m) => m.id), ...(v3Kimi ? KIMI_CATALOG.map((m) => m.id) : [])];
      const close = ids.filter((id) => distance(id, a.modelId!) <= Math.max(2, Math.floor(id.length / 4)));
      const fixTo = close.length === 1 ? `${a.providerId}/${close[0]}` : undefined;
      out.push({
        severity: 'error',
        title: `Model id "${a.modelId}" is not defined under provider "${a.providerId}"`,
        detail:
          (setup.generation === 'V3'
            ? 'Neither the config nor the Kimi plugin\'s catalog has this id: every run stops with "Unknown model" and nothing reaches Kimi. '
            : 'The product builds a bare model without baseUrl, headers or compat: on openai-completions the run dies with a TypeError ' +
              'before anything is sent; on anthropic-messages the request (and your Kimi key) goes to api.anthropic.com. ') +
          `Known ids: ${ids.join(', ') || '(none)'}.`,
        fix: fixTo ? `Did you mean ${fixTo}?\n${snippet({ model: { primary: fixTo } })}` : `Use one of: ${ids.map((id) => `${a.providerId}/${id}`).join(', ')}`,
        evidence: ev,
        cause: 'model-id-unknown',
        repair: fixTo && !a.viaAlias && !a.bareString
          ? { kind: 'config.set', summary: `point agents.defaults.model.primary at ${fixTo}`, data: { path: a.path, value: fixTo } }
          : undefined,
      });
    } else if (!provider && builtIn) {
      const hasEnv = builtIn.envVars.some((v) => cfg.env.get(v)?.value);
      const primary = setup.primary;
      if (!hasEnv && primary?.key.kind !== 'auth-profile') {
        out.push({
          severity: 'error',
          title: `Built-in provider "${a.providerId}" is not active`,
          detail: `The built-in ${a.providerId} provider exists only when ${builtIn.envVars.join(' or ')} is set or an auth profile for it exists. Neither is present.`,
          fix: `export ${builtIn.envVars[0]}=sk-kimi-…   # where the gateway runs`,
          evidence: ev,
          cause: 'key-missing',
        });
      }
    }
    const allow = get(cfg.resolved, ['agents', 'defaults', 'models']);
    // A ref that does not resolve (a typo'd id, an unknown provider) is one cause, reported above: telling the
    // user to add it to the allowlist would be the wrong fix.
    const unknownId = out.some((f) => f.cause === 'model-id-unknown' || f.cause === 'model-unknown');
    if (isObject(allow) && Object.keys(allow).length > 0 && a.ref && !(a.ref in allow) && !unknownId) {
      out.push({
        severity: 'warn',
        title: `${a.ref} is not in the model allowlist`,
        detail: 'A non-empty agents.defaults.models is also an allowlist; models outside it cannot be selected.',
        fix: snippet({ agents: { defaults: { models: { [a.ref]: {} } } } }),
        evidence: [where(ctx, cfg, ['agents', 'defaults', 'models'])],
      });
    }
    const fallbacks = get(cfg.resolved, ['agents', 'defaults', 'model', 'fallbacks']);
    if (Array.isArray(fallbacks)) {
      fallbacks.forEach((f, i) => {
        if (typeof f !== 'string' || !f.includes('/')) return;
        const pid = f.slice(0, f.indexOf('/'));
        if (!setup.providers.some((p) => p.id === pid) && !builtInProviders(setup.generation).some((b) => b.id === pid)) {
          out.push({
            severity: 'info',
            title: `Fallback ${f} names provider "${pid}", which is not defined here`,
            detail: 'It may be a built-in provider of your version; if not, the fallback fails too.',
            evidence: [where(ctx, cfg, ['agents', 'defaults', 'model', 'fallbacks', i])],
          });
        }
      });
    }
    return out;
  },
} satisfies Check;
