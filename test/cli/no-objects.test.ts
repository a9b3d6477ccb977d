// --fail-if-no-objects: an input with no Kubernetes object in it (an empty `helm template`, an empty folder) fails.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n';
const lint = (args: string[], opts: { cwd?: string; stdin?: string } = {}) =>
  runCli(['lint', '--no-config', '-f', 'json', ...args], opts);
const NO_OBJECTS = /^shipshape: no Kubernetes objects in the input \(--fail-if-no-objects\)/m;

describe('--fail-if-no-objects', () => {
  it('fails an empty pipe (a chart that renders nothing), exit 2 with the reason', async () => {
    const r = await lint(['-', '--fail-if-no-objects'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(NO_OBJECTS);
    expect(r.stderr).toContain('standard input');
    // Without the flag the same input passes.
    expect((await lint(['-'], { stdin: '' })).code).toBe(0);
  });

  it('fails a pipe of only comments and document markers (what helm prints for disabled templates)', async () => {
    const stdin = '---\n# Source: chart/templates/off.yaml\n---\n# Source: chart/templates/other.yaml\n';
    const r = await lint(['-', '--fail-if-no-objects'], { stdin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(NO_OBJECTS);
  });

  it('passes a pipe holding an object', async () => {
    const r = await lint(['-', '--fail-if-no-objects'], { stdin: CONFIG_MAP });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('fails an empty folder, and a folder holding only files without objects', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'shipshape-noobj-'));
    const r = await lint(['.', '--fail-if-no-objects'], { cwd: empty });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(NO_OBJECTS);
    expect(r.stderr).toContain('0 files');
    mkdirSync(join(empty, 'sub'));
    writeFileSync(join(empty, 'sub', 'empty.yaml'), '# nothing yet\n');
    const again = await lint(['.', '--fail-if-no-objects'], { cwd: empty });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(NO_OBJECTS);
    writeFileSync(join(empty, 'sub', 'cm.yaml'), CONFIG_MAP);
    expect((await lint(['.', '--fail-if-no-objects'], { cwd: empty })).code).toBe(0);
  });

  it('still prints the report, and a finding fails first', async () => {
    // A parse error is a finding (exit 1), not "no objects".
    const r = await lint(['-', '--fail-if-no-objects'], { stdin: 'a: [\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"findings"');
    expect(r.stderr).not.toMatch(NO_OBJECTS);
  });
});
