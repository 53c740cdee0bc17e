// The registry: an explicit ordered list of checks, plugins merged in, duplicate ids refused.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Check } from './types.js';

/** A problem with how the doctor was called or extended: exit code 2, one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const ID_SHAPE = /^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$/;

export function validateCheck(c: unknown, origin: string): Check {
  const o = c as Partial<Check> | null;
  if (!o || typeof o !== 'object') throw new UsageError(`${origin}: a check must be an object`);
  if (typeof o.id !== 'string' || !ID_SHAPE.test(o.id)) throw new UsageError(`${origin}: check id ${JSON.stringify(o.id)} must look like "area.name" (lowercase)`);
  if (typeof o.title !== 'string' || !o.title) throw new UsageError(`${origin}: check ${o.id} needs a title`);
  if (typeof o.why !== 'string' || !o.why) throw new UsageError(`${origin}: check ${o.id} needs a one-line "why"`);
  if (typeof o.run !== 'function') throw new UsageError(`${origin}: check ${o.id} needs a run(ctx) function`);
  return o as Check;
}

export function buildRegistry(builtIns: Check[], plugins: { origin: string; checks: unknown[] }[] = []): Check[] {
  const out: Check[] = [];
  const seen = new Map<string, string>();
  const add = (c: unknown, origin: string) => {
    const check = validateCheck(c, origin);
    const prev = seen.get(check.id);
    if (prev) throw new UsageError(`duplicate check id "${check.id}" (from ${prev} and ${origin})`);
    seen.set(check.id, origin);
    out.push(check);
  };
  for (const c of builtIns) add(c, 'checks/index.ts');
  for (const p of plugins) for (const c of p.checks) add(c, p.origin);
  return out;
}

/** A plugin is an ES module exporting a check or an array of checks (default export, `check` or `checks`). */
export async function loadPlugin(file: string, cwd: string): Promise<{ origin: string; checks: unknown[] }> {
  const abs = path.resolve(cwd, file);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ERR_MODULE_NOT_FOUND' ? 'file not found' : err.message.split('\n')[0];
    throw new UsageError(`cannot load plugin ${file}: ${why}`);
  }
  const exported = mod.default ?? mod.checks ?? mod.check;
  if (exported === undefined) throw new UsageError(`plugin ${file} exports no check (use a default export, or export "check" / "checks")`);
  return { origin: `plugin ${file}`, checks: Array.isArray(exported) ? exported : [exported] };
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

/** `--only` / `--skip`: comma-separated ids or globs like `provider.*`; an area name alone means `area.*`. */
export function selectChecks(all: Check[], only: string[], skipIds: string[]): Check[] {
  const pats = (list: string[]) =>
    list
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => (s.includes('.') || s.includes('*') ? s : `${s}.*`));
  const onlyPats = pats(only);
  const skipPats = pats(skipIds);
  for (const p of [...onlyPats, ...skipPats]) {
    const re = globToRegExp(p);
    if (!all.some((c) => re.test(c.id))) throw new UsageError(`no check matches "${p}" (see \`claw-doctor list\`)`);
  }
  const onlyRe = onlyPats.map(globToRegExp);
  const skipRe = skipPats.map(globToRegExp);
  return all.filter((c) => (onlyRe.length === 0 || onlyRe.some((r) => r.test(c.id))) && !skipRe.some((r) => r.test(c.id)));
}
