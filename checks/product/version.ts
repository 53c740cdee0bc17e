import { CAUSES, causeFix, type Cause } from '../../src/causes/index.js';
import { describeRange, versionVerdict } from '../../src/causes/versions.js';
import { shown } from '../../src/facts/evidence-logs.js';
import { getInstalledVersions, getObservedCauses, getSetupFacts, type ObservedCause } from '../../src/facts/known-failures.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// known-failures.md: a supporter's best move is "you are on 2026.3.8; that version has the Kimi tool-schema
// bug; upgrade to 2026.3.12". Each version cause of the table that covers the installed version AND this
// config is a finding with its fixed release; when the logs or transcripts show it (its own text, or the
// symptom it hides behind), it is an error naming the version cause, not only the symptom.

function seen(c: Cause, observed: Map<string, ObservedCause>): { id: string; o: ObservedCause } | undefined {
  for (const id of [c.id, ...(c.shownAs ?? [])]) {
    const o = observed.get(id);
    if (o) return { id, o };
  }
  return undefined;
}

export default {
  id: 'product.version',
  title: 'Known failures of the installed product version',
  why: 'Some Kimi failures belong to particular releases; naming the release that fixes them saves a long hunt.',
  reads: "the installed CLI's --version (else meta.lastTouchedVersion) and the known failures of that version that apply to this config",
  gives: [
    { severity: 'error', title: '<known failure> affects <version> with this config (fixed in <version>)' },
    { severity: 'warn', title: 'The config was last written by <version>; the CLI on PATH is <version>' },
  ],
  explain:
    'Reads the version from the CLI on PATH (`--version`), else the config\'s meta.lastTouchedVersion, and the config in ' +
    'the cause table\'s terms (route, provider id, thinking level, context-engine plugin, fallbacks). Lists every known ' +
    'failure (claw-doctor explain <cause>) that applies to both, with the first fixed release; an error when the log or ' +
    'the transcripts show it happening.',
  async run(ctx) {
    const v = await getInstalledVersions(ctx);
    if (!v.version) skip('product version unknown (no CLI on PATH, no meta.lastTouchedVersion in the config)');
    const [setup, observed] = await Promise.all([getSetupFacts(ctx), getObservedCauses(ctx)]);
    const out: Finding[] = [];
    const product = `${v.product ?? 'the product'} ${v.version}`;
    const from = v.source === 'installed CLI --version' && v.cli ? `the CLI at ${shown(ctx, v.cli.path)}` : 'the config\'s meta.lastTouchedVersion';

    if (v.configVersion && v.cli?.version && v.configVersion !== v.cli.version) {
      out.push({
        severity: 'info',
        title: `The config was last written by ${v.configVersion}; the CLI on PATH is ${v.cli.version}`,
        detail: `Judged by the CLI's version (what runs). A gateway service may run yet another binary: check its version too (\`${v.cli.name} gateway status\`).`,
        evidence: [shown(ctx, v.cli.path)],
      });
    }

    for (const c of CAUSES) {
      const verdict = versionVerdict(c, v.version);
      if (verdict.kind !== 'affected') continue;
      if (c.appliesTo && !c.appliesTo(setup)) continue;
      const hit = seen(c, observed);
      // Not seen: a warning when this config meets the cause's conditions, a note when the cause has none to check.
      const severity = hit ? c.severity : c.appliesTo ? 'warn' : 'info';
      const upgrade = verdict.range.fixedIn ? ` Fixed in ${verdict.range.fixedIn}: upgrade.` : '';
      const evidence = hit
        ? `${hit.o.count}× ${hit.id === c.id ? '' : `"${hit.id}" `}in the ${hit.o.seenIn.join(' and ')}${hit.o.where ? ` (${shown(ctx, hit.o.where)})` : ''}`
        : undefined;
      out.push({
        severity,
        title: hit ? `${product} has this failure, and it is happening: ${c.title}` : `${product} has a known failure for this setup: ${c.title}`,
        detail:
          `${c.summary}\nAffected: ${describeRange(verdict.range)}; you run ${v.version} (from ${from}).` +
          (c.conditions ? ` Applies to: ${c.conditions}.` : '') +
          (hit ? `\nSeen: ${evidence}.` : '') +
          (c.confirmed ? '' : `\nNot confirmed: ${c.unconfirmed ?? 'the source threads do not confirm it'}.`) +
          `\nSources: ${c.sources.join(', ')} (claw-doctor explain ${c.id}).`,
        fix: `${causeFix(c)}${upgrade}`,
        evidence: [`${v.source}: ${v.version}`],
        cause: c.id,
      });
    }
    return out;
  },
} satisfies Check;
