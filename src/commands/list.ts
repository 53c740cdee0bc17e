// `claw-doctor list [--json]`: every check, built-in and from --plugin, in run order.
import { loadChecks } from '../engine/diagnose.js';
import type { Options } from '../engine/options.js';
import { UsageError } from '../engine/registry.js';
import type { Check } from '../engine/types.js';
import { wrapLine } from '../report/terminal.js';
import { print, usage, type IO } from './io.js';

export async function checksOrUsage(options: Options, io: IO): Promise<Check[] | 2> {
  try {
    return await loadChecks(options, io.cwd);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
}

export async function list(options: Options, io: IO): Promise<number> {
  const all = await checksOrUsage(options, io);
  if (all === 2) return 2;
  if (options.json) {
    await print(io, JSON.stringify(all.map((c) => ({ id: c.id, title: c.title, why: c.why, network: !!c.network })), null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...all.map((c) => c.id.length));
  const pad = ' '.repeat(w + 2);
  const lines = all.map((c) => [...wrapLine(`${c.id.padEnd(w)}  ${c.title}`, options.width, '', pad), ...wrapLine(c.why, options.width, pad, pad)].join('\n'));
  await print(io, lines.join('\n') + '\n');
  return 0;
}
