// A policy's verdict does not depend on how busy the machine is: the same shipped policy over the
// same resources gives the same findings when its process shares one CPU with busy processes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicyRuntime } from '../../src/engine/checks/rego.js';
import { compileRules, type RuleSettings } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { policyDeps } from '../../src/policy/setup.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';

/** Busy processes sharing our CPU: each gets an equal share, so ours waits ~BUSY scheduler slices. */
const BUSY = 6;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const text = Array.from(
  { length: 400 },
  (_, i) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${i % 2 ? 'fire' : 'dont-fire'}-${i}\n  labels:\n    team: ${i % 2 ? 'Payments!' : 'payments'}\n`,
).join('---\n');

async function verdict(): Promise<{ rules: Record<string, number>; runtime: PolicyRuntime }> {
  const settings: RuleSettings = {
    presets: [],
    rules: {
      'require-label-patterns': { options: { labels: [{ key: 'team', pattern: '^[a-z]+$' }] } },
      // A budget a real evaluation (~25 µs) never needs, but below one scheduler round on a busy CPU.
      'policy-error': { options: { timeoutMs: 5 } },
    },
  };
  const runtime = new PolicyRuntime({ timeoutMs: 5 });
  const rules = await compileRules(builtinRules(), settings, policyDeps(settings, undefined, runtime));
  const counts: Record<string, number> = {};
  for (const f of lint(parseSource('cms.yaml', text).resources, { rules }))
    counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return { rules: counts, runtime };
}

/** Run `fn` with this process pinned to one CPU shared with BUSY spinning processes. */
async function underLoad<T>(fn: () => Promise<T>): Promise<T> {
  const cpu = String(cpus().length - 1);
  const mask = execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' })
    .trim()
    .split(': ')[1]!;
  for (let i = 0; i < BUSY; i++)
    children.push(spawn('taskset', ['-c', cpu, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
  execFileSync('taskset', ['-a', '-p', '-c', cpu, String(process.pid)], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200)); // let the spinners start
    return await fn();
  } finally {
    execFileSync('taskset', ['-a', '-p', mask, String(process.pid)], { stdio: 'ignore' });
    for (const c of children.splice(0)) c.kill('SIGKILL');
  }
}

describe('Rego verdicts under CPU load', () => {
  it('are the same as on a quiet machine', async () => {
    const expected = { 'require-label-patterns': 200 };
    expect((await verdict()).rules).toEqual(expected);
    const loaded = await underLoad(verdict);
    expect(loaded.rules).toEqual(expected);
    expect(loaded.runtime.stats()[0]).toMatchObject({ timeouts: 0 });
  });
});
