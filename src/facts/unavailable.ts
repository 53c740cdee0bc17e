// A fact that cannot be had (no config file, a config that does not parse, no Kimi provider). Facts throw
// this, not the checks' skip(): facts know nothing of checks. The runner reports a check that meets it as
// `skipped` with this reason, because src/engine/types.ts's SkipCheck is this class.
export class FactUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}

export function unavailable(reason: string): never {
  throw new FactUnavailable(reason);
}
