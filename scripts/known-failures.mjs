// `npm run known-failures`: print the README's "Known failures" table, made from src/causes (built to dist/).
import { knownFailuresMarkdown } from '../dist/src/causes/describe.js';

process.stdout.write(knownFailuresMarkdown());
