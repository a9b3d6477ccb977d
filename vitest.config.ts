import { defineConfig } from 'vitest/config';

/**
 * The main suite (`npm test`): needs only Node. Tests that drive real tools built with Go or
 * installed from PyPI (opa, helm, kustomize, actionlint, pre-commit) run in `npm run test:tools`
 * (vitest.tools.config.ts), after scripts/install-test-tools.sh and scripts/install-opa.sh.
 */
export const TOOL_TESTS = [
  'test/policy/**/*.test.ts',
  'test/integrations/ci.test.ts',
  'test/integrations/helm-kustomize.test.ts',
  'test/integrations/pre-commit.test.ts',
  'test/integrations/install.test.ts',
  'test/integrations/neovim.test.ts',
  'test/charts/**/*.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...TOOL_TESTS],
    testTimeout: 30_000,
    // Tests that run dist/ (language server, shutdown, manifests) build it first when src/ changed.
    globalSetup: ['test/helpers/fresh-dist.ts'],
    pool: 'forks',
  },
});
