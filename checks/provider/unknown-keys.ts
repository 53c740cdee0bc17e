import { requireConfig, isObject, type PathSeg } from '../../src/facts/config.js';
import { listProviders } from '../../src/facts/kimi.js';
import { getProduct } from '../../src/facts/product.js';
import { allowedKeys, getProductValidation, REQUEST_KEYS_V3 } from '../../src/facts/product-schema.js';
import { where } from '../../src/facts/evidence.js';
import type { Check, Finding } from '../../src/engine/types.js';

// Schema by version (src/facts/product-schema.ts): the installed OpenClaw's own `config validate --json` when it
// is there, else this version's key list. V1/V2 validate strictly: one unknown key rejects the whole config with
// `Unrecognized key: "foo"` (clawdbot.md §2–3). Compat keys are judged by provider.compat.
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
    const [{ generation, version }, validation] = await Promise.all([getProduct(ctx), getProductValidation(ctx)]);
    const out: Finding[] = [];
    if (validation.ran) {
      // The product itself has judged the file: its verdict replaces any key list.
      for (const issue of validation.valid ? [] : validation.issues.length ? validation.issues : [{ message: 'the config is not valid' }]) {
        out.push({
          severity: 'error',
          title: `${validation.command} rejects the config${issue.path ? ` at ${issue.path}` : ''}`,
          detail: `The installed OpenClaw says: ${issue.message}. The gateway refuses to load a config this command rejects.`,
          fix: `Correct or remove the key it names${issue.path ? ` (${issue.path})` : ''}, then run: openclaw config validate`,
          evidence: [issue.path ? where(ctx, cfg, issue.path.split('.')) : (cfg.path ?? 'config')],
        });
      }
      return out;
    }
    const v3 = generation === 'V3';
    const report = (at: PathSeg[], key: string, allowed: string[]) => {
      const hint = LIKELY[key] ?? allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      out.push({
        severity: v3 ? 'warn' : 'error',
        title: `Unknown key "${key}" at ${at.map(String).join('.')}`,
        detail: v3
          ? `"${key}" is not among the keys OpenClaw ${version ?? '2026.9'} is known to accept here (${allowed.join(', ')}). ` +
            `Its own check is authoritative (${validation.why}): run openclaw config validate.`
          : `The product rejects the config with Unrecognized key: "${key}". Allowed here: ${allowed.join(', ')}.`,
        fix: hint ? `Rename "${key}" to "${hint}".` : `Remove "${key}".`,
        evidence: [where(ctx, cfg, [...at, key])],
      });
    };
    for (const p of listProviders(cfg)) {
      const providerKeys = allowedKeys(generation, 'provider');
      for (const key of Object.keys(p.block)) if (!providerKeys.includes(key)) report(p.path, key, providerKeys);
      if (v3 && isObject(p.block.request)) {
        for (const key of Object.keys(p.block.request)) if (!REQUEST_KEYS_V3.includes(key)) report([...p.path, 'request'], key, REQUEST_KEYS_V3);
      }
      if (!Array.isArray(p.block.models)) continue;
      const modelKeys = allowedKeys(generation, 'model');
      p.block.models.forEach((m, i) => {
        if (!isObject(m)) return;
        for (const key of Object.keys(m)) if (!modelKeys.includes(key)) report([...p.path, 'models', i], key, modelKeys);
      });
    }
    return out;
  },
} satisfies Check;
