#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm's `prepare` builds dist/ on install).
import { run } from '../dist/cli/main.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`shipshape: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
