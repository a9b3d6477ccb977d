// What a retained finding costs (issue 15, memory): a run keeps every finding until the report is
// written, so a finding must hold flat strings and share what its rule already has. V8's own view of
// the strings (`%DebugPrint`, in a child started with --allow-natives-syntax) shows it structurally,
// with no timing and no RSS threshold.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** `%DebugPrint` of each value the script passes to `show`: address and V8 string type. */
function inspect(script: string): { address: string; type: string }[] {
  const code = `
    const { lintText } = await import(${JSON.stringify(INDEX)});
    const show = (s) => { process.stdout.write('@@\\n'); %DebugPrint(s); };
    ${script}`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout
    .split('@@\n')
    .slice(1)
    .map((block) => ({
      address: /DebugPrint: (0x[0-9a-f]+)/.exec(block)?.[1] ?? '',
      type: /- type: (\w+)/.exec(block)?.[1] ?? '',
    }));
}

const TWO_DEPLOYMENTS = ['web-one', 'web-two']
  .map(
    (name) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
`,
  )
  .join('---\n');

describe('retained findings', () => {
  it('hold their interpolated message as one flat string, not a tree of concatenations', () => {
    const shown = inspect(`
      const { findings } = await lintText('a.yaml', ${JSON.stringify(TWO_DEPLOYMENTS)}, { presets: ['all'] });
      const templated = findings.filter((f) => f.ruleId === 'require-memory-limit');
      if (templated.length !== 2) throw new Error('expected 2 require-memory-limit findings, got ' + templated.length);
      for (const f of templated) show(f.message);`);
    expect(shown).toHaveLength(2);
    for (const s of shown) expect(s.type).toMatch(/^(ONE_BYTE_|)STRING_TYPE$|^INTERNALIZED/);
  });

  it("share their rule's help link instead of each building a copy", () => {
    const shown = inspect(`
      const { findings } = await lintText('a.yaml', ${JSON.stringify(TWO_DEPLOYMENTS)}, { presets: ['all'] });
      const same = findings.filter((f) => f.ruleId === 'require-memory-limit');
      show(same[0].helpUri);
      show(same[1].helpUri);`);
    expect(shown).toHaveLength(2);
    expect(shown[0]!.address).not.toBe('');
    expect(shown[1]!.address).toBe(shown[0]!.address);
  });
});
