// Failure modes: a policy that throws, loops, exhausts memory or gets oversized input yields a
// policy-error finding and the run goes on; memory stays flat over 100,000 evaluations.
import v8 from 'node:v8';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyRuntime, type PolicyModule } from '../../src/engine/checks/rego.js';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import type { Resource } from '../../src/engine/types.js';
import { loadPolicyPath } from '../../src/policy/load.js';
import { policyDeps } from '../../src/policy/setup.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';
import { buildBundle, lintWith, ruleDef } from './helpers.js';

const TRAPS = `package traps

# Two complete definitions that disagree: a runtime conflict error.
level := "low" if input.metadata.name == "conflict"

level := "high" if input.kind == "ConfigMap"

deny contains level if input.metadata.name == "conflict"

# Nested iteration over 20,000 × 20,000 numbers: effectively endless.
deny contains "never" if {
	input.metadata.name == "spin"
	xs := numbers.range(1, 20000)
	some i in xs
	some j in xs
	i == j + 100000
}

# A hundred million numbers do not fit in a few MiB.
deny contains "never" if {
	input.metadata.name == "hog"
	count(numbers.range(1, 100000000)) < 0
}

# Some garbage per evaluation, as real policies make.
deny contains msg if {
	input.metadata.name == "fine"
	names := [sprintf("%v-%d", [input.kind, i]) | some i in numbers.range(1, 3)]
	msg := sprintf("fine: %d names", [count(names)])
}
`;

const POLICY_ERROR = builtinRules().find((d) => d.id === 'policy-error')!;
const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
const docs = (...xs: string[]) => xs.join('---\n');

function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('policy failures become policy-error findings', () => {
  let traps: PolicyModule;
  beforeAll(() => {
    traps = loadPolicyPath(buildBundle({ 'traps.rego': TRAPS }, ['traps/deny'], 'traps.tar.gz'))[0]!.module;
  }, 120_000);

  const messages = (fs: { ruleId: string; message: string; resource: { name?: string } }[]) =>
    fs.map((f) => `${f.resource.name} ${f.ruleId}: ${f.message}`);

  it('reports a runtime error naming the policy and the resource, and evaluates the others', async () => {
    const { findings } = await lintWith({ module: traps }, docs(cm('fine'), cm('conflict'), cm('fine')));
    const out = messages(findings);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe('fine p: fine: 3 names');
    expect(out[1]).toMatch(
      /^conflict policy-error: Policy "p" \(policy traps\) failed on ConfigMap conflict: it stopped with an error: traps\.rego:\d+:1: var assignment conflict\.$/,
    );
    expect(out[2]).toBe('fine p: fine: 3 names');
    expect(findings[1]!.location).toMatchObject({ document: 2, start: { line: 6, column: 1 } });
  });

  it('interrupts a policy that runs past the time budget, then carries on', async () => {
    const { findings, runtime } = await lintWith(
      { module: traps },
      docs(cm('fine'), cm('spin'), cm('fine')),
      { timeoutMs: 300 },
    );
    expect(messages(findings)).toEqual([
      'fine p: fine: 3 names',
      'spin policy-error: Policy "p" (policy traps) failed on ConfigMap spin: it exceeded the 300 ms time budget (policy-error option timeoutMs).',
      'fine p: fine: 3 names',
    ]);
    expect(runtime.stats()[0]).toMatchObject({ timeouts: 1 });
  });

  it('stops evaluating a policy after three timeouts in a run', async () => {
    const { findings, runtime } = await lintWith(
      { module: traps },
      docs(...['spin', 'spin', 'spin', 'spin', 'fine'].map((n) => cm(n))),
      { timeoutMs: 200 },
    );
    const out = messages(findings);
    expect(out.slice(0, 3).every((m) => m.includes('exceeded the 200 ms time budget'))).toBe(true);
    expect(out[3]).toBe(
      'spin policy-error: Policy "p" (policy traps) failed on ConfigMap spin: not evaluated: the policy exceeded its time budget 3 times in this run.',
    );
    expect(out[4]).toMatch(/^fine policy-error: .*not evaluated/);
    expect(runtime.stats()[0]).toMatchObject({ timeouts: 3 });
  });

  it('bounds WebAssembly memory: a policy that exhausts it fails alone', async () => {
    const { findings, runtime } = await lintWith({ module: traps }, docs(cm('hog'), cm('fine')), {
      memoryMiB: 16,
      timeoutMs: 10_000,
    });
    expect(messages(findings)).toEqual([
      'hog policy-error: Policy "p" (policy traps) failed on ConfigMap hog: it ran out of memory (limit 16 MiB, policy-error option memoryMiB).',
      'fine p: fine: 3 names',
    ]);
    expect(runtime.stats()[0]!.memoryBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('refuses input over maxInputKiB without evaluating', async () => {
    const { findings, runtime } = await lintWith(
      { module: traps },
      cm('fine', `data:\n  blob: ${'x'.repeat(3000)}\n`),
      { maxInputKiB: 2 },
    );
    expect(messages(findings)).toEqual([
      'fine policy-error: Policy "p" (policy traps) failed on ConfigMap fine: its input is 6.1 KiB, over the 2 KiB limit (policy-error option maxInputKiB).',
    ]);
    expect(runtime.stats()[0]!.evaluations).toBe(1);
  });

  it('reports objects too deep to serialise instead of crashing', async () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20_000; i++) deep = deep.x = {};
    const resources: Resource[] = [
      { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: root } },
    ];
    const runtime = new PolicyRuntime();
    const rules = await compileRules(
      [ruleDef(), POLICY_ERROR],
      { presets: [], rules: { p: {}, 'policy-error': {} } },
      { rego: runtime.compileDeps(() => ({ module: traps })) },
    );
    const findings = lint(resources, { rules });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(
      /^Policy "p" \(policy traps\) failed on ConfigMap deep: it (exceeded the maximum call depth|trapped)/,
    );
  });

  it('replaces an instance whose memory grew in one evaluation (memory never shrinks)', async () => {
    // A 20 MB object: its input alone grows the instance past the 16 MiB it may keep.
    const resources: Resource[] = [
      {
        object: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'grow' },
          data: { blob: 'x'.repeat(20_000_000) },
        },
      },
      { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' } } },
    ];
    const runtime = new PolicyRuntime({ maxInputKiB: 30_000, timeoutMs: 10_000 });
    const rules = await compileRules(
      [ruleDef(), POLICY_ERROR],
      { presets: [], rules: { p: {}, 'policy-error': {} } },
      { rego: runtime.compileDeps(() => ({ module: traps, input: 'conftest' })) },
    );
    expect(lint(resources, { rules }).map((f) => f.message)).toEqual(['fine: 3 names']);
    const [s] = runtime.stats();
    expect(s!.instantiations).toBe(2);
    expect(s!.memoryBytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('keeps memory flat over 100,000 evaluations', async () => {
    const text = docs(...Array.from({ length: 1000 }, (_, i) => cm(`fine`, `data:\n  n: "${i}"\n`)));
    const resources = parseSource('t.yaml', text).resources;
    const runtime = new PolicyRuntime();
    const rules = await compileRules(
      [ruleDef(), POLICY_ERROR],
      { presets: [], rules: { p: {}, 'policy-error': {} } },
      { rego: runtime.compileDeps(() => ({ module: traps })) },
    );
    const wasm: number[] = [];
    const heap: number[] = [];
    for (let round = 0; round < 100; round++) {
      const findings = lint(resources, { rules });
      expect(findings).toHaveLength(1000);
      if (round % 10 === 9) {
        gc();
        wasm.push(runtime.stats()[0]!.memoryBytes);
        heap.push(process.memoryUsage().heapUsed);
      }
    }
    const [s] = runtime.stats();
    expect(s!.evaluations).toBeGreaterThanOrEqual(100_000);
    expect(s!.timeouts).toBe(0);
    // One instance the whole time: the heap restarts after the input on every evaluation.
    expect(s!.instantiations).toBe(1);
    expect(new Set(wasm).size).toBe(1);
    expect(wasm[0]).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(Math.max(...heap) - heap[0]!).toBeLessThan(8 * 1024 * 1024);
  }, 300_000);

  it('keeps memory flat with the shipped policies too', async () => {
    const settings = {
      presets: [],
      rules: {
        'require-label-patterns': { options: { labels: [{ key: 'team', pattern: '^[a-z]+$' }] } },
        'no-forbidden-annotation-values': {},
      },
    };
    const runtime = new PolicyRuntime();
    const rules = await compileRules(builtinRules(), settings, policyDeps(settings, undefined, runtime));
    const text = docs(
      ...Array.from({ length: 500 }, (_, i) =>
        cm(
          `cm-${i}`,
          `  labels: { team: ${i % 2 ? 'a' : 'B'} }\n  annotations: { nginx.ingress.kubernetes.io/server-snippet: x }\n`,
        ),
      ),
    );
    const resources = parseSource('t.yaml', text).resources;
    const sizes: number[] = [];
    for (let round = 0; round < 20; round++) {
      expect(lint(resources, { rules })).toHaveLength(750);
      sizes.push(runtime.stats().reduce((n, s) => n + s.memoryBytes, 0));
    }
    expect(new Set(sizes.slice(1)).size).toBe(1);
    expect(runtime.stats().map((s) => s.instantiations)).toEqual([1, 1]);
  }, 120_000);
});
