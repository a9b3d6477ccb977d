#!/usr/bin/env node
// Entry point: the bundled CLI (built by `npm run build`, which npm runs on install).
import '../dist/bundle/shipshape.mjs';
