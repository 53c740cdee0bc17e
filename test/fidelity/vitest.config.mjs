// `npm run fidelity` only: the live re-capture against the real products (test/fidelity/live.ts). The default
// `npm test` never picks it up (its name is not *.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/fidelity/live.ts'], fileParallelism: false, testTimeout: 600_000, hookTimeout: 1_800_000 },
});
