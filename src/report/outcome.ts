// The text a plain run prints on stdout: human (wrapped, coloured as decided) or the JSON document, after
// redaction and the final scan. The commands and the fixer print the diagnosis through this one function.
import type { RunOutcome } from '../engine/diagnose.js';
import type { Options } from '../engine/options.js';
import { summarize } from '../engine/runner.js';
import { toolVersion } from '../version.js';
import { renderHuman } from './human.js';
import { buildJson } from './json.js';

export function header(o: Pick<RunOutcome, 'environment'>): string {
  const e = o.environment;
  const product = e.product ? `${e.product}${e.productVersion ? ' ' + e.productVersion : ''}` : 'product version unknown';
  return `claw-doctor ${toolVersion()} · ${e.configPath ?? 'no config found'} · ${product}`;
}

export function renderOutcome(outcome: RunOutcome, options: Options): string {
  const summary = summarize(outcome.results);
  const r = outcome.redactor;
  if (options.json) {
    const doc = buildJson({ name: 'claw-doctor', version: toolVersion() }, outcome.environment, outcome.results, summary, outcome.exitCode);
    return r.final(JSON.stringify(r.value(doc), null, 2)) + '\n';
  }
  const text = renderHuman({ header: header(outcome), results: outcome.results, summary, color: options.colorLevel, verbose: options.verbose, width: options.width });
  return r.final(r.text(text));
}
