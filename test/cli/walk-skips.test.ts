// The directory walk skips YAML/JSON that is not a Kubernetes manifest (the editor's choice too);
// files named explicitly are still linted unless --skip-non-manifests (the pre-commit hook).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nonManifestReason } from '../../src/linter/manifest-files.js';
import { runCli } from '../helpers/cli.js';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n';
/** Each file here is YAML that is not a manifest; every one gives a finding when linted as one. */
const NOT_MANIFESTS: Record<string, string> = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicaCount: 1\nimage:\n  tag: latest\n',
  'chart/values-prod.yaml': 'replicaCount: 3\n',
  'chart/ci/small-values.yaml': 'replicaCount: 1\n',
  'chart/templates/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n',
  'chart/templates/sub/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "x" . }}\n',
  'overlays/prod/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../deploy]\n',
  'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
  'compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n',
  'mkdocs.yml': 'site_name: docs\nnav:\n  - index.md\n',
};
const REASONS: Record<string, string> = {
  'chart/Chart.yaml': "a Helm chart's Chart.yaml",
  'chart/values.yaml': 'a Helm values file',
  'chart/values-prod.yaml': 'a Helm values file',
  'chart/ci/small-values.yaml': 'a Helm values file',
  'chart/templates/deploy.yaml': 'a Helm chart template (lint the chart with --helm)',
  'chart/templates/sub/cm.yaml': 'a Helm chart template (lint the chart with --helm)',
  'overlays/prod/kustomization.yaml': 'a kustomization file (lint the build with --kustomize)',
  'docker-compose.yml': 'a compose file',
  'compose.override.yaml': 'a compose file',
  'mkdocs.yml': 'no document with apiVersion or kind',
};

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-walk-'));
  const files = {
    ...NOT_MANIFESTS,
    'deploy/cm.yaml': CONFIG_MAP,
    // A chart's crds/ are manifests; so is a file that only misspells one key.
    'chart/crds/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n',
    'deploy/typo.yaml': 'apiVersion: v1\nkidn: ConfigMap\nmetadata:\n  name: t\n',
    '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

interface Report {
  summary: { files: number };
  findings: { ruleId: string; location?: { file: string } }[];
}
const lint = async (args: string[], cwd: string) => {
  const r = await runCli(['lint', '--no-config', '--preset', 'schema', ...args], { cwd });
  return r;
};
const filesWithFindings = (stdout: string) =>
  [...new Set((JSON.parse(stdout) as Report).findings.map((f) => f.location?.file))].sort();

describe('the directory walk skips files that are not manifests', () => {
  it('lints only the manifests of a tree holding a chart, a kustomization, compose files and docs config', async () => {
    const dir = tree();
    const r = await lint(['.', '-f', 'json'], dir);
    expect(filesWithFindings(r.stdout)).toEqual(['chart/crds/broken.yaml', 'deploy/typo.yaml']);
    expect((JSON.parse(r.stdout) as Report).summary.files).toBe(3);
  });

  it('says how many it skipped, and --verbose says which and why', async () => {
    const dir = tree();
    const plain = await lint(['deploy/cm.yaml', 'chart', 'overlays', 'docker-compose.yml'], dir);
    // Named docker-compose.yml is linted (a finding); the walked chart/ and overlays/ are skipped.
    expect(plain.stdout).toMatch(
      /in 2 resources in 3 files; 7 files skipped as not manifests, --verbose lists them\n$/,
    );
    const verbose = await lint(['.', '--verbose'], dir);
    const lines = verbose.stderr.split('\n').filter((l) => l.startsWith('shipshape: skipped '));
    expect(lines.sort()).toEqual(
      Object.keys(NOT_MANIFESTS)
        .map((f) => `shipshape: skipped ${f}: ${REASONS[f]}`)
        .sort(),
    );
  });

  it('still lints a file named explicitly, unless --skip-non-manifests (as the pre-commit hook runs)', async () => {
    const dir = tree();
    const named = Object.keys(NOT_MANIFESTS);
    const all = await lint([...named, 'deploy/cm.yaml', '-f', 'json'], dir);
    expect(all.code).toBe(1);
    expect(filesWithFindings(all.stdout)).toEqual([...named].sort());
    const staged = [...named, '.github/workflows/ci.yml', 'deploy/cm.yaml', 'deploy/typo.yaml'];
    const hook = await lint(['--skip-non-manifests', '-f', 'json', ...staged], dir);
    expect(filesWithFindings(hook.stdout)).toEqual(['deploy/typo.yaml']);
    expect((JSON.parse(hook.stdout) as Report).summary.files).toBe(2);
  });

  it('one decision for the walk and the editor: by place and name', () => {
    const dir = tree();
    for (const f of Object.keys(NOT_MANIFESTS).filter((f) => f !== 'mkdocs.yml'))
      expect(nonManifestReason(join(dir, f)), f).toBe(REASONS[f]);
    expect(nonManifestReason(join(dir, '.github/workflows/ci.yml'))).toBe('a GitHub Actions workflow');
    for (const f of ['deploy/cm.yaml', 'chart/crds/broken.yaml', 'values.yaml', 'deploy/compose-notes.md'])
      expect(nonManifestReason(join(dir, f)), f).toBeUndefined();
  });

  it("the pre-commit hook's entry skips the staged files that are not manifests", async () => {
    const hooks = parse(
      readFileSync(fileURLToPath(new URL('../../.pre-commit-hooks.yaml', import.meta.url)), 'utf8'),
    ) as { id: string; entry: string }[];
    const [bin, ...args] = hooks.find((h) => h.id === 'shipshape')!.entry.split(' ');
    expect(bin).toBe('shipshape');
    const dir = tree();
    // What pre-commit passes: every staged .yaml/.yml/.json file.
    const staged = [...Object.keys(NOT_MANIFESTS), '.github/workflows/ci.yml', 'deploy/cm.yaml'];
    const r = await runCli([...args, '--no-config', ...staged], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no problems \(1 resource in 1 file; 11 files skipped as not manifests/);
  });
});
