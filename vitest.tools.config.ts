import { defineConfig } from 'vitest/config';
import { TOOL_TESTS } from './vitest.config.js';

/** Tests that drive real tools (opa, helm, kustomize, actionlint, pre-commit): `npm run test:tools`. */
export default defineConfig({
  test: {
    include: TOOL_TESTS,
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
