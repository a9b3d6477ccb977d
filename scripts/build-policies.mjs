#!/usr/bin/env node
// Compiles each shipped policy, policies/<name>/*.rego (plus the shared policies/lib/*.rego), with the
// pinned `opa build -t wasm` into the committed policies/<name>/policy.wasm. Entrypoints are the
// package's deny, warn and violation rules. `--check` rebuilds into a temporary folder and fails
// when a committed policy.wasm is stale; `--test` runs `opa test` over policies/.
// The opa binary: $OPA, else the one scripts/install-opa.sh installs (needs Go the first time).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// SHIPSHAPE_POLICIES_DIR: another policies folder (the tests use a copy).
const policiesDir = process.env.SHIPSHAPE_POLICIES_DIR ?? join(root, 'policies');
const LIB = 'lib';

function opaBinary() {
  if (process.env.OPA) return process.env.OPA;
  return execFileSync(join(root, 'scripts/install-opa.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

const regoFiles = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego'))
    .sort()
    .map((f) => join(dir, f));

/** `package a.b` + rules deny/warn/violation → ["a/b/deny", …]. */
function entrypointsOf(files) {
  const out = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const pkg = /^package\s+([\w.]+)/m.exec(text)?.[1];
    if (!pkg) throw new Error(`${relative(root, f)}: no package`);
    for (const m of text.matchAll(/^(deny|warn|violation)\b/gm))
      out.add(`${pkg.replace(/\./g, '/')}/${m[1]}`);
  }
  return [...out].sort();
}

/** One file out of a .tar.gz, as `opa build` writes it. */
function extract(tarGz, wanted) {
  const tar = gunzipSync(tarGz);
  for (let at = 0; at + 512 <= tar.length;) {
    const name = tar
      .subarray(at, at + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(
      tar
        .subarray(at + 124, at + 136)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    );
    if (name.replace(/^\/+/, '') === wanted) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in the bundle`);
}

const policies = readdirSync(policiesDir)
  .filter((d) => d !== LIB && statSync(join(policiesDir, d)).isDirectory())
  .sort();

const opa = opaBinary();
const mode = process.argv.includes('--check') ? 'check' : process.argv.includes('--test') ? 'test' : 'build';

if (mode === 'test') {
  execFileSync(opa, ['test', policiesDir], { stdio: 'inherit' });
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'shipshape-policies-'));
const stale = [];
try {
  for (const name of policies) {
    const dir = join(policiesDir, name);
    const own = regoFiles(dir);
    if (own.length === 0) throw new Error(`policies/${name}: no .rego files`);
    const entrypoints = entrypointsOf(own);
    if (entrypoints.length === 0) throw new Error(`policies/${name}: no deny, warn or violation rule`);
    const bundle = join(tmp, `${name}.tar.gz`);
    // Paths relative to policies/: they end up in the module's error locations, and the output must
    // not depend on where the repository is checked out.
    const sources = [...own, ...regoFiles(join(policiesDir, LIB))].map((f) => relative(policiesDir, f));
    execFileSync(
      opa,
      ['build', '-t', 'wasm', ...entrypoints.flatMap((e) => ['-e', e]), '-o', bundle, ...sources],
      {
        cwd: policiesDir,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const wasm = extract(readFileSync(bundle), 'policy.wasm');
    const target = join(dir, 'policy.wasm');
    let current;
    try {
      current = readFileSync(target);
    } catch {
      current = undefined;
    }
    if (mode === 'check') {
      if (!current || !current.equals(wasm)) stale.push(relative(dirname(policiesDir), target));
    } else if (!current || !current.equals(wasm)) {
      writeFileSync(`${target}.tmp`, wasm);
      renameSync(`${target}.tmp`, target);
      console.log(
        `build-policies: wrote ${relative(dirname(policiesDir), target)} (${entrypoints.join(', ')}, ${wasm.length} bytes)`,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (mode === 'check') {
  if (stale.length > 0) {
    console.error(
      `build-policies: stale compiled policies; run \`npm run build:policies\` and commit:\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`build-policies: compiled policies are fresh (${policies.length} policies)`);
} else {
  console.log(`build-policies: ${policies.length} policies up to date`);
}
