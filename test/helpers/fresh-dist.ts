// vitest globalSetup: tests that run the built CLI or language server (dist/) see the current
// src/. When any source file is newer than the bundle (an edit since the last `npm run build`),
// build first, so `npx vitest run` never tests a stale build. `npm test` builds before vitest, so
// there this finds the bundle fresh and costs one directory walk.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function builtAt(): number {
  try {
    return Math.min(
      statSync(join(ROOT, 'dist/bundle/shipshape.mjs')).mtimeMs,
      statSync(join(ROOT, 'dist/index.js')).mtimeMs,
    );
  } catch {
    return 0;
  }
}

export default function setup(): void {
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'rules/index.json')).mtimeMs);
  if (builtAt() >= sources) return;
  process.stderr.write('fresh-dist: src/ is newer than dist/; running npm run build\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
