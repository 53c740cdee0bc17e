// Every value this run knows to be secret, gathered once so every output can mask it by value too
// (shape-based masking alone would miss an odd-looking password).
import os from 'node:os';
import type { Context } from '../engine/context.js';
import { getConfig, isObject, type Json } from '../facts/config.js';
import { readAuthProfiles } from '../facts/kimi.js';
import { Redactor } from './redact.js';

const SECRET_KEY = /(key|token|secret|password|passwd|pwd|credential|auth|bearer|cookie|session.?id)/i;
const SECRET_ENV = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/;

function collect(v: Json | undefined, underSecret: boolean, out: Set<string>): void {
  if (typeof v === 'string') {
    if (underSecret && v.length >= 6 && !v.includes('${')) out.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collect(x, underSecret, out);
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) collect(x, underSecret || SECRET_KEY.test(k), out);
  }
}

function currentUser(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return env.USER || env.LOGNAME || os.userInfo().username;
  } catch {
    return undefined;
  }
}

export async function buildRedactor(ctx: Context): Promise<Redactor> {
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(ctx.env)) if (v && v.length >= 6 && SECRET_ENV.test(k)) secrets.add(v);
  try {
    const cfg = await getConfig(ctx);
    collect(cfg.raw, false, secrets);
    collect(cfg.resolved, false, secrets);
    for (const [k, e] of cfg.env) if (SECRET_ENV.test(k) && e.value.length >= 6) secrets.add(e.value);
    for (const p of readAuthProfiles(cfg.location.stateDir)) if (p.key) secrets.add(p.key);
  } catch {
    /* a config that cannot be read has no secrets to add; shape-based masking still applies */
  }
  return new Redactor({ home: ctx.home, user: currentUser(ctx.env), knownSecrets: [...secrets] });
}
