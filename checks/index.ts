// The ordered list of built-in checks. Add a check: one file, one line here.
import type { Check } from '../src/engine/types.js';
import configLocation from './config/location.js';
import configParse from './config/parse.js';
import configEnvVars from './config/env-vars.js';
import agentModel from './agent/model.js';
import agentThinkingDefault from './agent/thinking-default.js';
import providerBaseUrl from './provider/base-url.js';
import providerApiKey from './provider/api-key.js';
import providerUserAgent from './provider/user-agent.js';
import providerCompat from './provider/compat.js';
import providerModelLimits from './provider/model-limits.js';
import providerUnknownKeys from './provider/unknown-keys.js';
import authCooldown from './auth/cooldown.js';
import logsToday from './logs/today.js';
import logsThinking from './logs/thinking.js';
import logsErrors from './logs/errors.js';
import sessionsStore from './sessions/store.js';
import sessionsErrors from './sessions/errors.js';
import sessionsIntegrity from './sessions/integrity.js';
import probeChat from './probe/chat.js';
import productVersion from './product/version.js';
import gatewayRunning from './gateway/running.js';
import gatewayConfigCurrent from './gateway/config-current.js';
import gatewayInstall from './gateway/install.js';
import gatewayCanStart from './gateway/can-start.js';
import gatewayKimiPlugin from './gateway/kimi-plugin.js';

export const checks: Check[] = [
  configLocation,
  configParse,
  configEnvVars,
  agentModel,
  agentThinkingDefault,
  providerBaseUrl,
  providerApiKey,
  providerUserAgent,
  providerCompat,
  providerModelLimits,
  providerUnknownKeys,
  authCooldown,
  logsToday,
  logsThinking,
  logsErrors,
  sessionsStore,
  sessionsErrors,
  sessionsIntegrity,
  productVersion,
  probeChat,
  gatewayRunning,
  gatewayConfigCurrent,
  gatewayInstall,
  gatewayCanStart,
  gatewayKimiPlugin,
];
