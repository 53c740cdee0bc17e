import { envVarsFor, getAuthProfileFile, requireKimi, modelPath } from '../../src/facts/kimi.js';
import { where } from '../../src/facts/evidence.js';
import { getProduct } from '../../src/facts/product.js';
import { declaredProfiles, getAuthStoreV3 } from '../../src/facts/auth-store-v3.js';
import { shown } from '../../src/facts/evidence-logs.js';
import { dotted, str } from '../../src/facts/config.js';
import type { Check, Finding } from '../../src/engine/types.js';
import { PLACEHOLDER } from '../../src/facts/model-rules.js';


export default {
  id: 'provider.api-key',
  title: 'API key is present and loads',
  why: 'A key that never loads fails every request; a stale auth profile silently beats a corrected config key.',
  reads: "where each Kimi provider's key comes from — auth profiles (and the 2026.9 key store), env vars, the config's apiKey — never its value",
  gives: [
    { severity: 'error', title: 'No API key found for provider "<provider>"' },
    { severity: 'error', title: 'The API key for "<provider>" is a placeholder, of the wrong shape, or an unresolved reference' },
    { severity: 'warn', title: 'An auth profile overrides the key in your config for "<provider>"' },
    { severity: 'warn', title: '<NAME> is defined only in env.vars, which V1 does not use for ${VAR}' },
    { severity: 'info', title: 'Key for "<provider>" comes from <source>' },
  ],
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const [product, store, file] = await Promise.all([getProduct(ctx), getAuthStoreV3(ctx), getAuthProfileFile(ctx)]);
    const out: Finding[] = [];
    const done = new Set<string>();
    for (const m of setup.kimiModels) {
      if (done.has(m.providerId)) continue;
      done.add(m.providerId);
      const keyPath = m.provider ? [...m.provider.path, 'apiKey'] : modelPath(m);
      const ev = [where(ctx, cfg, keyPath)];
      const k = m.key;
      const envVar = m.kind === 'moonshot' ? 'MOONSHOT_API_KEY' : setup.generation === 'V3' ? 'KIMI_API_KEY' : 'KIMICODE_API_KEY';
      if (k.kind === 'none' && store.problem) {
        // 2026.9 keeps the key in SQLite: a store we cannot read says nothing about the key (auth-store-v3.ts).
        out.push({
          severity: 'warn',
          title: `The key store could not be read, so the key for "${m.providerId}" is not judged`,
          detail: `${shown(ctx, store.problem.path)}: ${store.problem.detail}`,
          evidence: [shown(ctx, store.problem.path)],
        });
        continue;
      }
      const declared = store.exists ? declaredProfiles(cfg.raw).find((p) => p.provider === m.providerId && !store.profiles.some((s) => s.name === p.name)) : undefined;
      if (k.kind === 'none' && declared) {
        // 2026.9: the config only declares the profile; its key belongs in the SQLite store (auth-store-v3.ts).
        out.push({
          severity: 'error',
          title: `No API key found for provider "${m.providerId}": auth profile ${declared.name} has no key in the store`,
          detail:
            `auth.profiles declares "${declared.name}"${declared.mode ? ` (mode ${declared.mode})` : ''}, but ${shown(ctx, store.path)} holds no key for it, ` +
            `and there is no ${envVar} and no apiKey in the config: every request fails with "No API key found".`,
          fix: `Store the key the product's way (it asks for it):\n  openclaw models auth login --provider ${m.providerId} --profile-id '${declared.name}'\nor export ${envVar}=sk-kimi-… where the gateway runs.`,
          evidence: [where(ctx, cfg, ['auth', 'profiles', declared.name]), shown(ctx, store.path)],
          cause: 'key-missing',
        });
        continue;
      }
      if (k.kind === 'none') {
        const rawKey = m.provider ? str(m.provider.rawBlock, ['apiKey']) : undefined;
        // V1 maps only kimi-code → KIMICODE_API_KEY (agents/model-auth.js): the variable set for another id is unread.
        const unread = envVarsFor(m.providerId, setup.generation).length === 0 ? ['KIMICODE_API_KEY', 'KIMI_API_KEY'].find((v) => cfg.env.get(v)?.value) : undefined;
        out.push({
          severity: 'error',
          title: `No API key found for provider "${m.providerId}"`,
          detail: rawKey?.includes('${')
            ? `apiKey is ${rawKey}, which does not resolve (see config.env-vars).`
            : unread
              ? `${unread} is set, but ${product.name ?? 'this version'} ${product.version ?? ''} reads it only for provider "kimi-code", not "${m.providerId}"; no auth profile and no apiKey either: every request fails with "No API key found".`
              : `No auth profile, no ${envVar} and no apiKey in the config: every request fails with "No API key found".`,
          fix: `Export the key where the gateway runs:\n  export ${envVar}=sk-kimi-…\nor set models.providers.${m.providerId}.apiKey to "\${${envVar}}".`,
          evidence: ev,
          cause: rawKey?.includes('${') ? `env-missing:${/\$\{([A-Z_][A-Z0-9_]*)\}/.exec(rawKey)?.[1] ?? ''}` : 'key-missing',
        });
        continue;
      }
      out.push({ severity: 'info', title: `Key for "${m.providerId}" comes from ${k.detail}`, detail: 'The value is never shown.', evidence: ev });
      const value = k.value ?? '';
      if (PLACEHOLDER.test(value)) {
        out.push({
          severity: 'error',
          title: `The API key for "${m.providerId}" is a placeholder`,
          detail: `The key (${k.detail}) still holds the guide's placeholder text; the server answers 401.`,
          fix: 'Paste your real key from the Kimi Code console (it starts with sk-kimi-), ideally through an env var:\n' +
            `  export ${envVar}=sk-kimi-…\n  "apiKey": "\${${envVar}}"`,
          evidence: ev,
          cause: 'key-placeholder',
        });
      } else if (/\$\{[^}]*\}/.test(value)) {
        out.push({
          severity: 'error',
          title: `The API key for "${m.providerId}" is an unresolved reference`,
          detail: `The text ${/\$\{[^}]*\}/.exec(value)?.[0] ?? ''} is sent literally as the key, and the server answers 401.`,
          fix: 'Use an UPPERCASE variable name that is set in the gateway environment.',
          evidence: ev,
          cause: ((name) => (/^[A-Z_][A-Z0-9_]*$/.test(name) ? `env-missing:${name}` : `env-invalid:${name}`))(/\$\{([^}]*)\}/.exec(value)?.[1] ?? ''),
        });
      } else if (/\s|["']/.test(value)) {
        out.push({
          severity: 'error',
          title: `The API key for "${m.providerId}" contains spaces or quotes`,
          detail: 'A pasted key with a space, newline or quote is sent as is and rejected (401).',
          fix: 'Re-paste the key without surrounding spaces or quotes.',
          evidence: ev,
          cause: 'key-shape',
        });
      } else if (m.kind === 'kimi-coding' && !value.startsWith('sk-kimi-')) {
        out.push({
          severity: 'warn',
          title: `The key for "${m.providerId}" does not look like a Kimi Code key`,
          detail: 'Kimi For Coding keys start with sk-kimi- (Kimi Code console). Moonshot platform keys (sk-…) answer 401 here.',
          fix: 'Create a key in the Kimi Code console and use it here.',
          evidence: ev,
          cause: 'key-shape',
        });
      }
      if (k.kind === 'auth-profile' && k.shadowed.some((s) => s.startsWith('config') || s.startsWith('env'))) {
        out.push({
          severity: 'warn',
          title: `An auth profile overrides the key in your config for "${m.providerId}"`,
          detail: `The product uses ${k.detail} first; ${k.shadowed.join(' and ')} ${k.shadowed.length > 1 ? 'are' : 'is'} ignored. ` +
            'A stale profile keeps failing after you fix the config.',
          fix: `Update or remove the profile, e.g. re-run onboarding:\n  ${product.name ?? 'clawdbot'} onboard --auth-choice kimi-code-api-key\nor delete the "${m.providerId}:default" entry in agents/main/agent/auth-profiles.json.`,
          evidence: [...ev, k.detail],
          cause: 'auth-profile-shadow',
        });
      }
      const rawKey = m.provider ? str(m.provider.rawBlock, ['apiKey']) : undefined;
      const sub = cfg.substitutions.find((s) => dotted(s.path) === dotted(keyPath) && s.status === 'resolved');
      if (rawKey && sub && (sub.source === 'config env.vars' || sub.source === 'config env') && setup.generation === 'V1') {
        out.push({
          severity: 'error',
          title: `${sub.name} is defined only in env.vars, which V1 does not use for \${VAR}`,
          detail: 'See config.env-vars.',
          fix: `Export ${sub.name} in the gateway's environment instead.`,
          evidence: ev,
          cause: `v1-env-vars:${sub.name}`,
        });
      }
    }
    // agents/auth-profiles/store.js coerceAuthStore drops an entry without a valid type and provider: a key written
    // there by hand is never used, whatever it holds.
    const kimiIds = new Set(setup.kimiModels.map((m) => m.providerId));
    for (const name of file.dropped.filter((n) => kimiIds.has(n.split(':')[0]))) {
      const providerId = name.split(':')[0];
      out.push({
        severity: 'warn',
        title: `Auth profile ${name} is ignored by the product`,
        detail: 'agents/main/agent/auth-profiles.json has this entry, but without a "type" of api_key, token or oauth and a "provider" the product drops it, so its key is never sent.',
        fix: `Give it both (the key goes under "key" for api_key):\n  "${name}": { "type": "api_key", "provider": "${providerId}", "key": "sk-kimi-…" }`,
        evidence: ['agents/main/agent/auth-profiles.json'],
      });
    }
    return out;
  },
} satisfies Check;
