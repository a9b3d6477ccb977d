#!/usr/bin/env node
// Bundles the CLI into one ESM file (dist/bundle/shipshape.mjs). Measured: resolving and loading
// ~60 separate modules cost ~120 ms of a 310 ms cold start; one file removes most of it.
// The bundle sits two folders below the package root, like dist/<area>/*.js, so the relative paths
// to schemas/ and rules/ are the same in both.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/bundle/shipshape.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // Loaded with import() only on rare paths (rule options, --schema-location, --fix-dry-run):
  // kept out of the bundle so the common run does not pay to parse them.
  external: ['ajv', 'ajv-formats', 'diff'],
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);",
  },
});
