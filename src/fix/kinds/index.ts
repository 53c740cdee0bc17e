// Every repair kind claw-doctor can apply, by name. Adding one: a variant in src/engine/repairs.ts, a module
// here beside these, one line below. A kind missing here is refused with its fix text.
import type { RepairKindName } from '../../engine/repairs.js';
import { configRemove } from './config-remove.js';
import { configSet } from './config-set.js';
import { gatewayRestart } from './gateway-restart.js';
import { sessionsReset } from './sessions-reset.js';
import type { RepairKind } from './types.js';

// Each module only ever receives the steps its own `plan` made (plan.ts binds them together).
export const repairKinds: Partial<Record<RepairKindName, RepairKind>> = {
  'config.set': configSet,
  'config.remove': configRemove,
  'sessions.reset': sessionsReset,
  'gateway.restart': gatewayRestart,
};
