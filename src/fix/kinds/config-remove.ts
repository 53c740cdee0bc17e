// `config.remove`: remove one key (or array element) from the main config file.
import { configKind } from './config-file.js';

export const configRemove = configKind('config.remove');
