#!/usr/bin/env node
// Entry point: the bundled CLI (built by `npm run build`, which npm runs on install), as a CommonJS
// script (bin/package.json makes this file CommonJS too: no ESM loader at start-up).
/* eslint-disable @typescript-eslint/no-require-imports */
require('../dist/bundle/shipshape.cjs');
