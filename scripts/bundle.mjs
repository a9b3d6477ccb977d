#!/usr/bin/env node
// Bundles the CLI into one ESM file (dist/bundle/shipshape.mjs). Measured: resolving and loading
// ~60 separate modules cost ~120 ms of a 310 ms cold start; one file removes most of it.
// The bundle sits two folders below the package root, like dist/<area>/*.js, so the relative paths
// to schemas/ and rules/ are the same in both.
import { build } from 'esbuild';

/** Options every bundle shares. */
const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await build({
  entryPoints: ['src/program/entry.ts'],
  outfile: 'dist/bundle/shipshape.mjs',
  ...COMMON,
  // Loaded with import() only on rare paths (rule options, --schema-location, --fix-dry-run):
  // kept out of the bundle so the common run does not pay to parse them.
  // The LSP protocol library is loaded only by `shipshape lsp`.
  // The Kubernetes client is loaded only by `shipshape audit`.
  external: [
    'ajv',
    'ajv-formats',
    'diff',
    'vscode-languageserver',
    'vscode-languageserver-textdocument',
    '@kubernetes/client-node',
  ],
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);",
  },
});

// The webhook (`serve`, `certs`) is its own bundle beside the CLI's: the CLI imports it by URL only
// for those commands, so `lint` never parses express, pino, prom-client or @peculiar/x509.
await build({
  entryPoints: ['src/webhook/main.ts'],
  outfile: 'dist/bundle/webhook.mjs',
  ...COMMON,
  external: ['ajv', 'ajv-formats'],
  banner: {
    js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);",
  },
});

// The language server's lint worker (src/lsp/worker.ts), started by `shipshape lsp` as a worker
// thread from dist/bundle/lsp-worker.mjs, beside the CLI bundle.
await build({
  entryPoints: ['src/lsp/worker.ts'],
  outfile: 'dist/bundle/lsp-worker.mjs',
  ...COMMON,
  external: ['ajv', 'ajv-formats', 'diff'],
  banner: {
    js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);",
  },
});
