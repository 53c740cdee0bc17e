import { requireKimi, hostOf, modelPath } from '../../src/facts/kimi.js';
import { baseUrlProblem } from '../../src/facts/model-rules.js';
import { where, snippet } from '../../src/facts/evidence.js';
import type { Check, Finding } from '../../src/engine/types.js';

// Right host and path for the `api`: one rule, in src/facts/model-rules.ts (baseUrlProblem).

export default {
  id: 'provider.base-url',
  title: 'Base URL matches the API and the key',
  why: 'A wrong path answers 404/401, a Moonshot base rejects sk-kimi- keys, and http:// leaks the key.',
  reads: "each Kimi provider's baseUrl and api, and the shape of its key",
  gives: [
    { severity: 'error', title: 'Wrong base URL for provider "<provider>"', repair: 'baseUrl set to the one its api needs' },
    { severity: 'error', title: 'A Moonshot platform key is sent to the Kimi For Coding base' },
    { severity: 'error', title: 'An sk-kimi- key is sent to a Moonshot base (<host>)' },
  ],
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const out: Finding[] = [];
    const done = new Set<string>();
    for (const m of setup.kimiModels) {
      if (done.has(m.providerId)) continue;
      done.add(m.providerId);
      const at = m.provider ? [...m.provider.path, 'baseUrl'] : modelPath(m);
      const ev = [where(ctx, cfg, at)];
      const bad = baseUrlProblem(m);
      if (bad) {
        out.push({
          severity: 'error',
          title: `Wrong base URL for provider "${m.providerId}"`,
          detail: `${m.baseUrl}: ${bad.problem}.`,
          fix: bad.right ? `Set:\n${snippet({ baseUrl: bad.right })}\nin models.providers.${m.providerId}.` : 'Use an https:// URL.',
          evidence: ev,
          cause: 'base-url',
          repair: bad.right && m.provider ? { kind: 'config.set', summary: `set models.providers.${m.providerId}.baseUrl to ${bad.right}`, data: { path: at, value: bad.right } } : undefined,
        });
      }
      const key = m.key.value;
      const host = hostOf(m.baseUrl);
      if (key && host) {
        const kimiKey = key.startsWith('sk-kimi-');
        if (kimiKey && (host === 'api.moonshot.ai' || host === 'api.moonshot.cn')) {
          out.push({
            severity: 'error',
            title: `An sk-kimi- key is sent to a Moonshot base (${host})`,
            detail: 'Kimi Code keys and Moonshot platform keys are different account systems: the Moonshot API answers 401 "Invalid Authentication".',
            fix: `For Kimi For Coding use:\n${snippet({ baseUrl: 'https://api.kimi.com/coding/v1', api: 'openai-completions' })}\nor use a Moonshot platform key (platform.moonshot.ai) on this base.`,
            evidence: [...ev, `key from ${m.key.detail}`],
            cause: 'kimi-key-on-moonshot',
          });
        } else if (!kimiKey && host === 'api.kimi.com' && /^sk-/.test(key)) {
          out.push({
            severity: 'error',
            title: 'A Moonshot platform key is sent to the Kimi For Coding base',
            detail: 'api.kimi.com/coding accepts only Kimi Code keys (sk-kimi-…, from the Kimi Code console, paid membership); a Moonshot key answers 401.',
            fix: `Use your sk-kimi- key, or for a Moonshot key set:\n${snippet({ baseUrl: 'https://api.moonshot.ai/v1' })}`,
            evidence: [...ev, `key from ${m.key.detail}`],
            cause: 'moonshot-key-on-kimi',
          });
        }
      }
    }
    return out;
  },
} satisfies Check;
