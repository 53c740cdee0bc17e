// For code written against the old entry points (tests, bench): the engine's diagnose and the report's
// renderOutcome under their old names. Nothing in src/ imports this module.
export { diagnose, loadChecks, type RunOutcome } from './engine/diagnose.js';
export { renderOutcome } from './report/outcome.js';
export { toolVersion } from './version.js';
