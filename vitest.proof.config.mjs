// The proof suite (`npm run test:proof`, run by .ci/run after scripts/e2e-setup.sh and
// scripts/install-peers.sh): tests that need the API server, peer binaries or take long, named
// *.proof.ts so the default suite does not pick them up.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/proof/**/*.proof.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
