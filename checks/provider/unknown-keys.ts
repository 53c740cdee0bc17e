import { requireConfig, isObject, type PathSeg } from '../../src/facts/config.js';
import { listProviders } from '../../src/facts/kimi.js';
import { getProduct } from '../../src/facts/product.js';
import { where } from '../../src/facts/evidence.js';
import type { Check, Finding } from '../../src/engine/types.js';

// clawdbot.md §2–3: validation is strict (zod .strict()); an unknown key fails the whole config with
// `Unrecognized key: "foo"`. Compat keys are judged by provider.compat.
const PROVIDER_KEYS = ['baseUrl', 'apiKey', 'auth', 'api', 'headers', 'authHeader', 'models'];
const MODEL_KEYS = ['id', 'name', 'api', 'reasoning', 'input', 'cost', 'contextWindow', 'maxTokens', 'headers', 'compat'];
const LIKELY: Record<string, string> = {
  baseURL: 'baseUrl',
  base_url: 'baseUrl',
  apikey: 'apiKey',
  api_key: 'apiKey',
  header: 'headers',
  context_window: 'contextWindow',
  contextLength: 'contextWindow',
  max_tokens: 'maxTokens',
  maxOutputTokens: 'maxTokens',
  thinking: 'reasoning',
};

export default {
  id: 'provider.unknown-keys',
  title: 'No unknown keys in provider and model blocks',
  why: 'The product validates strictly: one misspelt key (baseURL, max_tokens) rejects the whole config.',
  reads: "the keys of every provider and model block, against what the product's strict validation accepts",
  gives: [
    { severity: 'error', title: 'Unknown key "<key>" at <path> (the product rejects the config)' },
  ],
  async run(ctx) {
    const cfg = await requireConfig(ctx);
    const { generation } = await getProduct(ctx);
    const out: Finding[] = [];
    const report = (at: PathSeg[], key: string, allowed: string[]) => {
      const hint = LIKELY[key] ?? allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      out.push({
        severity: generation === 'V3' ? 'warn' : 'error',
        title: `Unknown key "${key}" at ${at.map(String).join('.')}`,
        detail:
          `The product rejects the config with Unrecognized key: "${key}".` +
          (generation === 'V3' ? ' (Newer OpenClaw versions accept more keys; check yours.)' : '') +
          ` Allowed here: ${allowed.join(', ')}.`,
        fix: hint ? `Rename "${key}" to "${hint}".` : `Remove "${key}".`,
        evidence: [where(ctx, cfg, [...at, key])],
      });
    };
    for (const p of listProviders(cfg)) {
      for (const key of Object.keys(p.block)) if (!PROVIDER_KEYS.includes(key)) report(p.path, key, PROVIDER_KEYS);
      if (!Array.isArray(p.block.models)) continue;
      p.block.models.forEach((m, i) => {
        if (!isObject(m)) return;
        for (const key of Object.keys(m)) if (!MODEL_KEYS.includes(key)) report([...p.path, 'models', i], key, MODEL_KEYS);
      });
    }
    return out;
  },
} satisfies Check;
