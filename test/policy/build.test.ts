// The policy toolchain: committed policy.wasm files are fresh, staleness is caught, opa tests pass.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateParameters } from '../../src/policy/load.js';
import { shippedPolicy } from '../../src/policy/load.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { OPA, ROOT, tempDir } from './helpers.js';

const script = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts/build-policies.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPA: OPA ?? '', ...env },
    timeout: 300_000,
  });

const shipped = readdirSync(join(ROOT, 'policies')).filter((d) => d !== 'lib');

describe('npm run build:policies / policies:check / test:policies', () => {
  it('finds the committed policy.wasm files fresh', () => {
    const r = script(['--check']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`compiled policies are fresh (${shipped.length} policies)`);
    expect(r.status).toBe(0);
  }, 300_000);

  it('fails when a policy changed but its policy.wasm was not rebuilt, and rebuilding fixes it', () => {
    const copy = join(tempDir(), 'policies');
    cpSync(join(ROOT, 'policies'), copy, { recursive: true });
    appendFileSync(
      join(copy, 'require-label-patterns', 'policy.rego'),
      '\nviolation contains {"msg": "new"} if input.kind == "Nothing"\n',
    );
    const stale = script(['--check'], { SHIPSHAPE_POLICIES_DIR: copy });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('stale compiled policies');
    expect(stale.stderr).toContain('policies/require-label-patterns/policy.wasm');
    expect(stale.stderr).not.toContain('allowed-registries');
    expect(script([], { SHIPSHAPE_POLICIES_DIR: copy }).status).toBe(0);
    expect(script(['--check'], { SHIPSHAPE_POLICIES_DIR: copy }).status).toBe(0);
  }, 300_000);

  it('runs every policy’s opa tests', () => {
    const r = script(['--test']);
    expect(r.stdout).toMatch(/PASS: \d+\/\d+/);
    expect(r.status).toBe(0);
  }, 300_000);
});

describe('shipped policies and their rules', () => {
  const regoRules = builtinRules().filter((d) => 'rego' in d.check);

  it('ships at least five parameterised policies, each used by a rule', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(5);
    expect(regoRules.map((d) => ('rego' in d.check ? d.check.rego.policy : '')).sort()).toEqual(
      [...shipped].sort(),
    );
  });

  it.each(regoRules.map((d) => [d.id, d] as const))(
    '%s: loads, its entrypoint exists and its default parameters are valid',
    (_id, def) => {
      if (!('rego' in def.check)) return;
      const src = shippedPolicy(def.check.rego.policy);
      expect(src.module.entrypoints).toContain(def.check.rego.entrypoint);
      expect(src.parametersSchema).toBeDefined();
      expect(validateParameters(src.parametersSchema, {}, def.id)).toBeTypeOf('object');
      // Each policy has its opa tests beside it.
      expect(
        readdirSync(join(ROOT, 'policies', def.check.rego.policy)).some((f) => f.endsWith('_test.rego')),
      ).toBe(true);
    },
  );

  it('rejects parameters that do not match the schema, naming the rule and the field', () => {
    const src = shippedPolicy('resource-ceilings-by-namespace');
    expect(() => validateParameters(src.parametersSchema, { ceilings: { cpu: 'lots' } }, 'rule "r"')).toThrow(
      /^rule "r": invalid parameters at \/ceilings\/cpu: /,
    );
    expect(() => validateParameters(src.parametersSchema, { typo: 1 }, 'rule "r"')).toThrow(
      'rule "r": invalid parameters at (root): must NOT have additional properties ("typo")',
    );
    const labels = shippedPolicy('require-label-patterns');
    expect(() =>
      validateParameters(labels.parametersSchema, { labels: [{ key: 'a', pattern: '(' }] }, 'rule "r"'),
    ).toThrow(/\/labels\/0\/pattern: must match format "regex"/);
  });

  it('keeps the policy-error option defaults in step with the runtime', async () => {
    const { DEFAULT_POLICY_LIMITS } = await import('../../src/engine/checks/rego.js');
    const def = builtinRules().find((d) => d.id === 'policy-error')!;
    expect(def.options?.defaults).toEqual(DEFAULT_POLICY_LIMITS);
    expect(readFileSync(join(ROOT, 'scripts/install-opa.sh'), 'utf8')).toMatch(
      /^OPA_VERSION="v1\.\d+\.\d+"$/m,
    );
  });
});
