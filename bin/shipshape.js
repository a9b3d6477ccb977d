#!/usr/bin/env node
// Entry point: the bundled CLI (built by `npm run build`, which npm runs on install), started by
// dist/bundle/start.cjs from V8's code cache when it can (src/program/start.ts). bin/package.json
// makes this file CommonJS, so no ESM loader runs at start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
require('../dist/bundle/start.cjs');
