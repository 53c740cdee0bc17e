import { requireKimi, findHeader, modelPath, type EffectiveModel } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { clientGateProblem } from '../../src/facts/model-rules.js';
import { KIMI_PLUGIN_USER_AGENT } from '../../src/facts/kimi-plugin.js';
import type { Generation } from '../../src/facts/product.js';
import type { Check, Finding, Repair } from '../../src/engine/types.js';

// The client gate (kimi.md "The client gate"): Kimi For Coding answers 403 "only available for Coding
// Agents" unless the User-Agent names an approved coding agent (the rule: src/facts/model-rules.ts).
export const DEFAULT_UA = 'KimiCLI/0.77';

const POLICY =
  'What the header does: the gate admits only clients that identify as an approved coding agent. The vendor\'s ' +
  'guidelines forbid falsifying a client\'s identity, and memberships have been suspended for it; the product\'s own ' +
  'built-in Kimi provider sends this header. Read the terms at https://www.kimi.com/coding/docs/ and decide.';

/**
 * Where the header goes, in this generation's terms. 2026.9's Kimi plugin provider (`kimi`, no models in the
 * config) takes it on the provider, with the plugin's own value (what the healthy 2026.9.6 setup did); a model the
 * config defines takes it on the model.
 */
function placement(m: EffectiveModel, gen: Generation): { value: string; path: (string | number)[]; fix: string } {
  if (gen === 'V3' && m.kimiPlugin && !m.model) {
    const value = KIMI_PLUGIN_USER_AGENT;
    return {
      value,
      path: [...(m.provider?.path ?? ['models', 'providers', m.providerId]), 'headers', 'User-Agent'],
      fix: `Add the header to the provider (models.providers.${m.providerId}.headers):\n${snippet({ headers: { 'User-Agent': value } })}\n` +
        `or: openclaw config set models.providers.${m.providerId}.headers '{"User-Agent":"${value}"}'`,
    };
  }
  const value = m.api === 'anthropic-messages' && gen === 'V3' ? KIMI_PLUGIN_USER_AGENT : DEFAULT_UA;
  return {
    value,
    path: [...modelPath(m), 'headers', 'User-Agent'],
    fix: `Add the header to the model (models.providers.${m.providerId}.models[] where id is "${m.modelId}"):\n` +
      `${snippet({ id: m.modelId, headers: { 'User-Agent': value } })}`,
  };
}

export default {
  id: 'provider.user-agent',
  title: 'User-Agent passes the Kimi client gate',
  why: 'Without an approved User-Agent every request gets "403 … only available for Coding Agents".',
  reads: 'the User-Agent header on each Kimi model and its provider, and whether a user-defined model replaced the built-in one',
  gives: [
    { severity: 'error', title: 'No User-Agent for <ref>: Kimi will answer 403', repair: 'headers.User-Agent "KimiCLI/0.77" added to the model' },
    { severity: 'error', title: 'User-Agent "<value>" is refused by the Kimi client gate', repair: 'headers.User-Agent replaced with "KimiCLI/0.77"' },
    { severity: 'warn', title: 'Provider and model set different User-Agents for <ref>' },
  ],
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const gen = setup.generation;
    const out: Finding[] = [];
    for (const m of setup.kimiModels) {
      if (m.kind !== 'kimi-coding') continue;
      // A model the product cannot resolve never reaches Kimi (a TypeError, api.anthropic.com or "Unknown model":
      // product-request.ts): agent.model names that cause, there is no gate to pass.
      if (m.synthetic || !m.baseUrl) continue;
      const gate = clientGateProblem(m, gen);
      const ev = [where(ctx, cfg, modelPath(m))];
      const place = placement(m, gen);
      const canEdit = !!m.model || (gen === 'V3' && m.kimiPlugin && !!m.provider);
      const repair = (name = 'User-Agent'): Repair | undefined =>
        canEdit && !m.synthetic
          ? { kind: 'config.set', summary: `set headers.${name} "${place.value}" on ${m.model ? `model ${m.ref}` : `provider ${m.providerId}`}`, data: { path: [...place.path.slice(0, -1), name], value: place.value } }
          : undefined;
      if (gate && !gate.configured) {
        const replaced = m.model && m.builtIn && m.builtIn.model.id === m.modelId && gen !== 'V3';
        out.push({
          severity: 'error',
          title: `No User-Agent for ${m.ref}: Kimi will answer 403`,
          detail:
            (m.synthetic
              ? `Model id "${m.modelId}" is not defined under provider "${m.providerId}", so the product builds a bare model with no headers (see agent.model). `
              : replaced
                ? `Your model "${m.modelId}" replaces the built-in one whole, and with it the built-in User-Agent: headers and compat must be repeated. `
                : `Neither the model nor the provider sets a User-Agent, so the request leaves with "${gate.userAgent}"` +
                  (gen === 'V3' ? ' (what OpenClaw 2026.9.6 was seen sending: the Kimi plugin\'s own header does not reach the request). ' : ' (the SDK default). ')) +
            `The answer: 403 "Kimi For Coding is currently only available for Coding Agents …".\n${POLICY}`,
          fix: place.fix,
          evidence: ev,
          cause: m.synthetic ? 'model-id-unknown' : 'client-gate',
          repair: repair(),
        });
        continue;
      }
      const ua = findHeader(m.headers, 'User-Agent');
      if (!ua) continue;
      const [name, hv] = ua;
      if (gate) {
        out.push({
          severity: gate.refused ? 'error' : 'warn',
          title: `User-Agent "${hv.value}" ${gate.refused ? 'is refused' : 'is not known to pass'} by the Kimi client gate`,
          detail: `Observed to pass: KimiCLI/<version>, claude-code/<version>, claude-cli/<version>, RooCode/<version>. ` +
            `Refused: SDK defaults, lowercase kimi-cli/…, KimiCodeCLI/…, codex-cli/…, openclaw/…, browsers.\n${POLICY}`,
          fix: place.fix,
          evidence: ev,
          cause: gate.refused ? 'client-gate' : undefined,
          repair: repair(name),
        });
      }
      const providerUa = m.provider ? Object.entries(m.provider.block.headers ?? {}).find(([k]) => k.toLowerCase() === 'user-agent') : undefined;
      if (hv.from === 'model' && providerUa && providerUa[1] !== hv.value) {
        out.push({
          severity: 'warn',
          title: `Provider and model set different User-Agents for ${m.ref}`,
          detail: `The model's "${hv.value}" wins over the provider's "${String(providerUa[1])}". Both places work; two values invite confusion.`,
          fix: `Keep one: remove headers.User-Agent from models.providers.${m.providerId}, or make both equal.`,
          evidence: ev,
        });
      }
    }
    return out;
  },
} satisfies Check;
