import { requireKimi, findHeader, modelPath, type EffectiveModel } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { looksLikeApprovedAgent } from '../../src/facts/classify.js';
import type { Check, Finding } from '../../src/engine/types.js';

// The client gate (kimi.md "The client gate"): Kimi For Coding answers 403 "only available for Coding
// Agents" unless the User-Agent names an approved coding agent (one rule, in classify.ts).
export const REFUSED_UA = /^(OpenAI\/|Anthropic\/|kimi-cli\/|KimiCodeCLI\/|codex-cli\/|openclaw\/|clawdbot\/|moltbot\/|Mozilla\/)/i;
export const DEFAULT_UA = 'KimiCLI/0.77';

const POLICY =
  'What the header does: the gate admits only clients that identify as an approved coding agent. The vendor\'s ' +
  'guidelines forbid falsifying a client\'s identity, and memberships have been suspended for it; the product\'s own ' +
  'built-in Kimi provider sends this header. Read the terms at https://www.kimi.com/coding/docs/ and decide.';

function uaFix(m: EffectiveModel, value = DEFAULT_UA): string {
  return `Add the header to the model (models.providers.${m.providerId}.models[] where id is "${m.modelId}"):\n` +
    `${snippet({ id: m.modelId, headers: { 'User-Agent': value } })}`;
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
    const out: Finding[] = [];
    for (const m of setup.kimiModels) {
      if (m.kind !== 'kimi-coding') continue;
      const ev = [where(ctx, cfg, modelPath(m))];
      const ua = findHeader(m.headers, 'User-Agent');
      const repair = m.model
        ? { kind: 'config.set' as const, summary: `add headers.User-Agent "${DEFAULT_UA}" to model ${m.ref}`, data: { path: [...m.model.path, 'headers', 'User-Agent'], value: DEFAULT_UA } }
        : undefined;
      if (!ua) {
        const replaced = m.model && m.builtIn && m.builtIn.model.id === m.modelId;
        out.push({
          severity: 'error',
          title: `No User-Agent for ${m.ref}: Kimi will answer 403`,
          detail:
            (m.synthetic
              ? `Model id "${m.modelId}" is not defined under provider "${m.providerId}", so the product builds a bare model with no headers (see agent.model). `
              : replaced
                ? `Your model "${m.modelId}" replaces the built-in one whole, and with it the built-in User-Agent: headers and compat must be repeated. `
                : 'Neither the model nor the provider sets a User-Agent, so the SDK default (OpenAI/JS …) is sent. ') +
            `The answer: 403 "Kimi For Coding is currently only available for Coding Agents …".\n${POLICY}`,
          fix: uaFix(m),
          evidence: ev,
          cause: m.synthetic ? 'model-id-unknown' : 'client-gate',
          repair: m.synthetic ? undefined : repair,
        });
        continue;
      }
      const [name, hv] = ua;
      if (!looksLikeApprovedAgent(hv.value)) {
        const refused = REFUSED_UA.test(hv.value);
        out.push({
          severity: refused ? 'error' : 'warn',
          title: `User-Agent "${hv.value}" ${refused ? 'is refused' : 'is not known to pass'} by the Kimi client gate`,
          detail: `Observed to pass: KimiCLI/<version>, claude-code/<version>, claude-cli/<version>, RooCode/<version>. ` +
            `Refused: SDK defaults, lowercase kimi-cli/…, KimiCodeCLI/…, codex-cli/…, openclaw/…, browsers.\n${POLICY}`,
          fix: uaFix(m),
          evidence: ev,
          cause: refused ? 'client-gate' : undefined,
          repair: m.model ? { ...repair!, summary: `set headers.${name} of model ${m.ref} to "${DEFAULT_UA}"`, data: { path: [...m.model.path, 'headers', name], value: DEFAULT_UA } } : undefined,
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
