import { requireKimi, hostOf, isLoopbackHost, modelPath, type EffectiveModel } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import type { Check, Finding } from '../../src/engine/types.js';

// Right host and path for the `api` (kimi.md "Endpoints and keys"):
//   openai-completions  → https://api.kimi.com/coding/v1   (client appends /chat/completions)
//   anthropic-messages  → https://api.kimi.com/coding/     (client appends /v1/messages)

const RIGHT: Record<string, string> = {
  'openai-completions': 'https://api.kimi.com/coding/v1',
  'anthropic-messages': 'https://api.kimi.com/coding/',
};

export function judgeBaseUrl(m: EffectiveModel): { problem: string; right?: string } | undefined {
  const url = m.baseUrl;
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { problem: `"${url}" is not a URL`, right: RIGHT[m.api] };
  }
  const host = u.hostname.toLowerCase();
  const pathName = u.pathname.replace(/\/+$/, '');
  if (u.protocol === 'http:' && !isLoopbackHost(host)) {
    return { problem: `plain http:// to ${host}: the API key would travel in clear text`, right: url.replace(/^http:/, 'https:') };
  }
  if (host !== 'api.kimi.com') return undefined;
  const right = RIGHT[m.api];
  if (/\/(chat\/completions|v1\/messages|messages|completions)$/.test(pathName)) {
    return { problem: 'a full endpoint URL was pasted as the base: the client appends the route again (404)', right };
  }
  if (!pathName.startsWith('/coding')) {
    return { problem: `the path "${u.pathname}" lacks /coding: that is not the Kimi For Coding endpoint (404 or 401)`, right };
  }
  if (m.api === 'openai-completions' && pathName !== '/coding/v1') {
    return { problem: 'with api "openai-completions" the base must end in /coding/v1 (the client appends /chat/completions)', right };
  }
  if (m.api === 'anthropic-messages' && pathName !== '/coding') {
    return { problem: 'with api "anthropic-messages" the base must be …/coding/ (the client appends /v1/messages)', right };
  }
  return undefined;
}

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
      const bad = judgeBaseUrl(m);
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
