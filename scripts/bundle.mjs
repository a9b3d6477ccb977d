#!/usr/bin/env node
// Bundles the CLI into one file. Measured: resolving and loading ~60 separate modules cost ~120 ms
// of a 310 ms cold start; one file removes most of it. Two builds of the same entry:
// - dist/bundle/shipshape.cjs, a CommonJS script, is what bin/shipshape.js runs. In CommonJS the
//   Node built-ins of a lazily imported module (zlib, vm, http, worker_threads, …) are required when
//   that module is first imported, not at start-up as an ESM bundle's hoisted imports are.
// - dist/bundle/shipshape.mjs, the ESM bundle, is the fallback when the script is missing.
// The bundles sit two folders below the package root, like dist/<area>/*.js, so the relative paths
// to schemas/ and rules/ are the same in both.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * fdir (under tinyglobby) runs `require("picomatch")` from node_modules at module evaluation, which
 * loads and compiles a second, unbundled picomatch on every start (and cannot be put in a V8
 * snapshot). tinyglobby always passes its own matcher, so fdir's is only a default: take it from
 * the bundled picomatch instead. The build fails if fdir's code no longer has that shape.
 */
const fdirBundledPicomatch = {
  name: 'fdir-bundled-picomatch',
  setup(b) {
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const from =
        /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
      if (!from.test(text))
        throw new Error(`${args.path}: fdir's require("picomatch") not found; update the plugin`);
      return {
        contents: `import __bundledPicomatch from "picomatch";\n${text.replace(from, 'pm = __bundledPicomatch;')}`,
        loader: 'js',
      };
    });
  },
};

/**
 * commander requires node:child_process (and with it net and dgram) at evaluation, for executable
 * subcommands, which shipshape has none of: require it when a subcommand is spawned instead. The
 * build fails if commander's code no longer has that shape.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const from = "const childProcess = require('node:child_process');";
      if (!text.includes(from) || text.split('childProcess.').length - 1 !== 3)
        throw new Error(`${args.path}: commander's child_process use changed; update the plugin`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(from, lazy), loader: 'js' };
    });
  },
};

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
  plugins: [fdirBundledPicomatch, commanderLazyChildProcess],
};

/** Loaded with import() only on rare paths; kept out of the CLI bundles (see below). */
const CLI_EXTERNAL = [
  'ajv',
  'ajv-formats',
  'diff',
  'vscode-languageserver',
  'vscode-languageserver-textdocument',
  '@kubernetes/client-node',
];

await build({
  entryPoints: ['src/program/entry.ts'],
  outfile: 'dist/bundle/shipshape.mjs',
  ...COMMON,
  // Loaded with import() only on rare paths (rule options, --schema-location, --fix-dry-run):
  // kept out of the bundle so the common run does not pay to parse them.
  // The LSP protocol library is loaded only by `shipshape lsp`.
  // The Kubernetes client is loaded only by `shipshape audit`.
  external: CLI_EXTERNAL,
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);",
  },
});

// The same CLI as a CommonJS script (run by dist/bundle/start.cjs). Its `import.meta.url` is the ESM
// bundle's URL beside it, so every path the code derives from it (schemas/, rules/, webhook.mjs,
// lsp-worker.mjs, package.json) is the one the ESM bundle derives.
await build({
  entryPoints: ['src/program/entry.ts'],
  outfile: 'dist/bundle/shipshape.cjs',
  ...COMMON,
  format: 'cjs',
  // import() becomes require() (of ESM too: Node ≥ 20.19): a script run by node:vm from a code
  // cache cannot import() without experimental flags. src/program/start.ts gives it a require
  // that takes file: URLs (the webhook bundle's).
  supported: { 'dynamic-import': false },
  external: CLI_EXTERNAL,
  define: { 'import.meta.url': '__shipshapeModuleUrl' },
  banner: {
    js: 'var __shipshapeModuleUrl = require("node:url").pathToFileURL(__dirname + "/shipshape.mjs").href;',
  },
});

// The start-up (src/program/start.ts): runs shipshape.cjs with V8's code cache, or the ESM bundle.
// Node built-ins only; bin/shipshape.js requires it.
await build({
  entryPoints: ['src/program/boot.ts'],
  outfile: 'dist/bundle/start.cjs',
  ...COMMON,
  format: 'cjs',
  define: { 'import.meta.url': '__shipshapeModuleUrl' },
  banner: { js: 'var __shipshapeModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
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
