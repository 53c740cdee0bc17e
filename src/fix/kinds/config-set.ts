// `config.set`: write one literal value at a key path of the main config file (`${VAR}` stays a reference).
import { configKind } from './config-file.js';

export const configSet = configKind('config.set');
