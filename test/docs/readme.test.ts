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

/** The config blocks the README shows as a file's contents: `<!-- file: path -->` then a ```yaml block. */
function shownFiles(markdown: string): { file: string; text: string }[] {
  return [...markdown.matchAll(/<!-- file: (\S+) -->\n```yaml\n([\s\S]*?)```/g)].map((m) => ({
    file: m[1]!,
    text: m[2]!,
  }));
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

  it('shows the seed config (require env=prod, add it when missing) verbatim, in five lines', () => {
    const shown = shownFiles(readFileSync(`${ROOT}/README.md`, 'utf8'));
    const seed = shown.find((s) => s.file === 'test/fixtures/readme/seed.shipshape.yaml');
    expect(seed?.text.split('\n').filter(Boolean)).toHaveLength(5);
    for (const s of shown) expect(s.text, s.file).toBe(readFileSync(`${ROOT}/${s.file}`, 'utf8'));
    // and the examples run with that very file
    const seeded = found.filter((ex) => ex.args.includes('test/fixtures/readme/seed.shipshape.yaml'));
    expect(seeded.map((ex) => ex.args[ex.args.length - 1])).toEqual([
      'test/fixtures/readme/pod.yaml',
      'test/fixtures/readme/pod.yaml',
      'test/fixtures/readme/dev-pod.yaml',
    ]);
  });

  it('the quick start lints the bundled examples clean, as it says', () => {
    const r = spawnSync(process.execPath, [BIN, 'lint', 'examples/'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('✔ no problems (13 resources in 4 files)\n');
    expect(readFileSync(`${ROOT}/README.md`, 'utf8')).toContain('`✔ no problems (13 resources in 4 files)`');
  });
});
