// Test helpers: build Rego with the real, pinned `opa` (scripts/install-opa.sh); lint with one rego rule.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { PolicyRuntime, type PolicyLimits, type RegoBindingSpec } from '../../src/engine/checks/rego.js';
import { compileRules } from '../../src/engine/compile.js';
import type { RuleDefinition } from '../../src/engine/rule.js';
import { lint } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function findOpa(): string {
  if (process.env.OPA) return process.env.OPA;
  try {
    // Installs with `go install` the first time (needs Go); prints the binary's path.
    return execFileSync(join(ROOT, 'scripts/install-opa.sh'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
    }).trim();
  } catch (err) {
    throw new Error(
      'the policy tests need the pinned opa: run scripts/install-opa.sh (needs Go); they are part of `npm run test:tools`',
      { cause: err },
    );
  }
}

/** The pinned opa binary (installed by scripts/install-opa.sh); these tests fail loudly without it. */
export const OPA = findOpa();

const temps: string[] = [];
// Registered while the importing test file is collected: runs after its last test.
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file's tests. */
export function tempDir(prefix = 'shipshape-policy-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Write files (name → text) into a folder, creating subfolders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/**
 * `opa build -t wasm -e <entrypoints…>` over the given Rego (and data.json) files; returns the path
 * of the bundle (.tar.gz) in a temporary folder.
 */
export function buildBundle(
  files: Record<string, string>,
  entrypoints: readonly string[],
  name = 'bundle.tar.gz',
): string {
  if (!OPA) throw new Error('opa is not available');
  const src = tempDir('shipshape-rego-');
  writeFiles(src, files);
  const out = join(tempDir('shipshape-bundle-'), name);
  execFileSync(OPA, ['build', '-t', 'wasm', ...entrypoints.flatMap((e) => ['-e', e]), '-o', out, '.'], {
    cwd: src,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

const POLICY_ERROR = builtinRules().find((d) => d.id === 'policy-error')!;

/** A rego rule definition for tests. */
export const ruleDef = (id = 'p'): RuleDefinition => ({
  id,
  description: 'Report test results.',
  category: 'security',
  severity: 'error',
  presets: [],
  message: '{{message}}',
  why: 'test',
  remediation: 'test',
  check: { rego: { policy: 'test', entrypoint: '' } },
});

/** Lint text with one rego rule bound to `spec`, plus policy-error. */
export async function lintWith(
  spec: RegoBindingSpec,
  text: string,
  limits: Partial<PolicyLimits> = {},
): Promise<{ findings: Finding[]; runtime: PolicyRuntime }> {
  const runtime = new PolicyRuntime(limits);
  const rules = await compileRules(
    [ruleDef(), POLICY_ERROR],
    { presets: [], rules: { p: {}, 'policy-error': {} } },
    { rego: runtime.compileDeps(() => spec) },
  );
  const parsed = parseSource('t.yaml', text);
  return { findings: lint(parsed.resources, { rules }), runtime };
}
