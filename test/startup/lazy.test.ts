// A one-file lint evaluates only the code it uses: which module bodies of the CLI bundle ran, from
// V8's coverage of the built CLI (bin/shipshape.js, so dist/ must be built: test/helpers/fresh-dist.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, startupWork } from './helpers.js';

const { work, file } = startupWork('shipshape-lazy-');

interface V8Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

/**
 * The bundled modules (named by source path, as esbuild names a lazily initialised module's body)
 * whose bodies ran in `shipshape <args>`, and those that were bundled but did not run.
 */
function moduleBodies(args: string[]): { ran: Set<string>; notRun: Set<string> } {
  const dir = mkdtempSync(join(work, 'cov-'));
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_V8_COVERAGE: dir, XDG_CACHE_HOME: join(work, 'cache') },
  });
  expect(r.status, r.stderr).toBeLessThan(2);
  const ran = new Set<string>();
  const notRun = new Set<string>();
  for (const f of readdirSync(dir)) {
    const cov = JSON.parse(readFileSync(join(dir, f), 'utf8')) as V8Coverage;
    for (const script of cov.result.filter((s) => s.url.endsWith('/dist/bundle/shipshape.cjs')))
      for (const fn of script.functions)
        if (fn.functionName.startsWith('src/')) (fn.ranges[0]!.count > 0 ? ran : notRun).add(fn.functionName);
  }
  return { ran, notRun };
}

describe('start-up: a one-file lint evaluates only what it uses', () => {
  it('leaves the policy runtime, audit, rendering and the language server unevaluated', () => {
    const { ran, notRun } = moduleBodies(['lint', '--no-config', file]);
    // The linter itself ran (so the coverage is of the right script)...
    expect(ran).toContain('src/linter/linter.ts');
    expect(ran).toContain('src/policy/rule-set.ts');
    // ...and these were bundled but not evaluated.
    for (const m of [
      'src/policy/setup.ts',
      'src/policy/load.ts',
      'src/policy/tar.ts',
      'src/engine/checks/rego.ts',
      'src/engine/checks/wasm.ts',
      'src/cli/audit-action.ts',
      'src/audit/kube.ts',
      'src/integrations/render.ts',
      'src/lsp/server.ts',
      'src/lsp/worker-client.ts',
    ])
      expect(notRun, m).toContain(m);
  });

  it('evaluates the policy runtime when a Rego rule is on (--preset all)', () => {
    const { ran } = moduleBodies(['lint', '--no-config', '--preset', 'all', file]);
    expect(ran).toContain('src/policy/setup.ts');
    expect(ran).toContain('src/engine/checks/rego.ts');
  });
});
