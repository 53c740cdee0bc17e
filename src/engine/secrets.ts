// Every value this run knows to be secret, gathered once so every output can mask it by value too
// (shape-based masking alone would miss an odd-looking password). The key rules are redact.ts's own.
import os from 'node:os';
import type { Context } from '../engine/context.js';
import { getConfig } from '../facts/config.js';
import { getAuthProfiles } from '../facts/kimi.js';
import { getAuthStoreV3 } from '../facts/auth-store-v3.js';
import { Redactor, secretsFromEnv, secretsIn } from '../report/redact.js';

function currentUser(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return env.USER || env.LOGNAME || os.userInfo().username;
  } catch {
    return undefined;
  }
}

export async function buildRedactor(ctx: Context): Promise<Redactor> {
  // Every value here sat under a secret-named key or in a secret-named variable: seeded even when it looks
  // like a plain word (`password: "letmeinplease"`).
  const secrets = new Set<string>(secretsFromEnv(ctx.env));
  try {
    const cfg = await getConfig(ctx);
    for (const v of [...secretsIn(cfg.raw), ...secretsIn(cfg.resolved)]) secrets.add(v);
    for (const [k, e] of cfg.env) for (const v of secretsFromEnv({ [k]: e.value })) secrets.add(v);
  } catch {
    /* a config that cannot be read has no secrets to add; shape-based masking still applies */
  }
  try {
    for (const p of await getAuthProfiles(ctx)) if (p.key) secrets.add(p.key);
  } catch {
    /* unreadable auth profiles: the same */
  }
  try {
    for (const v of (await getAuthStoreV3(ctx)).secrets) secrets.add(v);
  } catch {
    /* an unreadable 2026.9 key store: the same */
  }
  return new Redactor({ home: ctx.home, user: currentUser(ctx.env), secretValues: [...secrets] });
}
