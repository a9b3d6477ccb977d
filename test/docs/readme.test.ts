// Every `$ npx shipshape …` example in README.md prints what the README says it prints.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/shipshape.js', import.meta.url));

/** The ```console blocks: a `$ npx shipshape …` line, then its expected stdout. */
function examples(markdown: string): { args: string[]; output: string }[] {
  const out: { args: string[]; output: string }[] = [];
  for (const m of markdown.matchAll(/```console\n([\s\S]*?)```/g)) {
    const [first = '', ...rest] = m[1]!.split('\n');
    const cmd = /^\$ npx shipshape (.*)$/.exec(first);
    if (!cmd) throw new Error(`a console block must start with "$ npx shipshape": ${first}`);
    out.push({ args: cmd[1]!.split(' '), output: rest.join('\n') });
  }
  return out;
}

describe('README examples', () => {
  const found = examples(readFileSync(`${ROOT}/README.md`, 'utf8'));

  it('has examples to check', () => {
    expect(found.length).toBeGreaterThan(0);
  });

  for (const ex of found)
    it(`shipshape ${ex.args.join(' ')}`, () => {
      const r = spawnSync(process.execPath, [BIN, ...ex.args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(ex.output);
    });

  it('the quick start lints the bundled examples clean, as it says', () => {
    const r = spawnSync(process.execPath, [BIN, 'lint', 'examples/'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('✔ no problems (13 resources in 4 files)\n');
    expect(readFileSync(`${ROOT}/README.md`, 'utf8')).toContain('`✔ no problems (13 resources in 4 files)`');
  });
});
