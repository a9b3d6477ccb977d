// End-to-end tests (`npm run e2e`): a real kube-apiserver and etcd (scripts/e2e-setup.sh builds them).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
