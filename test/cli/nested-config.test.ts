// Nested .shipshape.yaml: every file is linted under the config nearest above it (as the editor
// does), unless --config / --no-config names one for the whole run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFileFor } from '../../src/lsp/project.js';
import { runCli } from '../helpers/cli.js';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n`;

function repo(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-nested-'));
  const files: Record<string, string> = {
    '.shipshape.yaml': 'presets: [schema]\nrules:\n  no-latest-image-tag: warn\n',
    'team-a/.shipshape.yaml':
      'presets: [schema]\nrules:\n  no-latest-image-tag: error\nignorePaths: ["generated/**"]\n',
    'team-b/.shipshape.yaml': 'presets: [schema]\nrules:\n  no-latest-image-tag: "off"\n',
    'team-a/pod.yaml': POD('a'),
    'team-a/deep/er/pod.yaml': POD('a-deep'),
    // Ignored by team-a's ignorePaths, relative to team-a/.
    'team-a/generated/pod.yaml': POD('a-generated'),
    'team-b/pod.yaml': POD('b'),
    'shared/pod.yaml': POD('shared'),
    ...extra,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

interface Report {
  findings: { ruleId: string; severity: string; location?: { file: string } }[];
}
const lint = async (args: string[], cwd: string) => {
  const r = await runCli(['lint', '-f', 'json', ...args], { cwd });
  const found = r.stdout
    ? (JSON.parse(r.stdout) as Report).findings.map((f) => `${f.location?.file} ${f.ruleId} ${f.severity}`)
    : [];
  return { ...r, found: found.sort() };
};

describe('nested .shipshape.yaml', () => {
  it('lints two subfolders with different configs in one run, each under its own', async () => {
    const dir = repo();
    const r = await lint(['.'], dir);
    expect(r.found).toEqual([
      'shared/pod.yaml no-latest-image-tag warn',
      'team-a/deep/er/pod.yaml no-latest-image-tag error',
      'team-a/pod.yaml no-latest-image-tag error',
    ]);
    expect(r.code).toBe(1);
    // The editor picks the same config for each file.
    expect(configFileFor(join(dir, 'team-a/deep/er/pod.yaml'))).toBe(join(dir, 'team-a/.shipshape.yaml'));
    expect(configFileFor(join(dir, 'shared/pod.yaml'))).toBe(join(dir, '.shipshape.yaml'));
  });

  it('works for files named one by one, and from a subfolder as working directory', async () => {
    const dir = repo();
    const named = await lint(['team-b/pod.yaml', 'shared/pod.yaml', 'team-a/pod.yaml'], dir);
    expect(named.found).toEqual([
      'shared/pod.yaml no-latest-image-tag warn',
      'team-a/pod.yaml no-latest-image-tag error',
    ]);
    const fromB = await lint(['.', '../team-a/pod.yaml'], join(dir, 'team-b'));
    expect(fromB.found).toEqual(['../team-a/pod.yaml no-latest-image-tag error']);
  });

  it('--config and --no-config name one config for every file', async () => {
    const dir = repo();
    const one = await lint(['.', '--config', 'team-b/.shipshape.yaml'], dir);
    expect(one.found).toEqual([]);
    expect(one.code).toBe(0);
    const none = await lint(
      ['team-a', 'team-b', '--no-config', '--preset', 'schema', '--rule', 'no-latest-image-tag=info'],
      dir,
    );
    // With no config, team-a's ignorePaths does not apply either.
    expect(none.found).toEqual([
      'team-a/deep/er/pod.yaml no-latest-image-tag info',
      'team-a/generated/pod.yaml no-latest-image-tag info',
      'team-a/pod.yaml no-latest-image-tag info',
      'team-b/pod.yaml no-latest-image-tag info',
    ]);
  });

  it('flags override every config of the run', async () => {
    const dir = repo();
    const r = await lint(['.', '--rule', 'no-latest-image-tag=info'], dir);
    expect(r.found.map((f) => f.split(' ')[0])).toEqual([
      'shared/pod.yaml',
      'team-a/deep/er/pod.yaml',
      'team-a/pod.yaml',
      'team-b/pod.yaml',
    ]);
    expect(r.found.every((f) => f.endsWith(' info'))).toBe(true);
  });

  it('a broken nested config stops the run with its file and line (exit 2)', async () => {
    const dir = repo({
      'team-b/.shipshape.yaml': 'presets: [schema]\nrules:\n  no-latest-image-tag: sometimes\n',
    });
    const r = await runCli(['lint', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'team-b/.shipshape.yaml') + ':3:');
  });
});
