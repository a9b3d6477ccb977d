// no-default-namespace with requireNamespaceWithoutContext: which files a kustomization of the run
// gives a namespace to (its own folder and below, and the files and folders it lists).
import { describe, expect, it } from 'vitest';
import { openLinter } from '../../src/linter/linter.js';

const CONFIG_MAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mode: fast\n`;
const KUSTOMIZATION = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

async function reported(files: Record<string, string>): Promise<string[]> {
  const linter = await openLinter(
    { presets: [], rules: { 'no-default-namespace': { options: { requireNamespaceWithoutContext: true } } } },
    { baseDir: process.cwd() },
  );
  const { findings } = linter.lintSources(Object.entries(files).map(([file, text]) => ({ file, text })));
  return findings.filter((f) => f.ruleId === 'no-default-namespace').map((f) => `${f.location?.file}:${f.resource.name ?? ''}`);
}

describe('no-default-namespace requireNamespaceWithoutContext', () => {
  it('an overlay with namespace: covers the base it lists, not an unrelated folder', async () => {
    expect(
      await reported({
        'overlays/prod/kustomization.yaml': KUSTOMIZATION('namespace: payments\nresources:\n  - ../../base\n  - extra.yaml\n'),
        'overlays/prod/extra.yaml': CONFIG_MAP('extra'),
        'base/deploy.yaml': CONFIG_MAP('base'),
        'base/nested/more.yaml': CONFIG_MAP('nested'),
        'tools/job.yaml': CONFIG_MAP('loose'),
      }),
    ).toEqual(['tools/job.yaml:loose']);
  });

  it('a kustomization without namespace: gives no context, and is not reported itself', async () => {
    expect(
      await reported({
        'app/kustomization.yaml': KUSTOMIZATION('resources:\n  - cm.yaml\n'),
        'app/cm.yaml': CONFIG_MAP('cm'),
      }),
    ).toEqual(['app/cm.yaml:cm']);
  });

  it('a namespace: covers its folder and below, not a sibling whose name starts the same', async () => {
    expect(
      await reported({
        'app/kustomization.yaml': KUSTOMIZATION('namespace: payments\n'),
        'app/sub/cm.yaml': CONFIG_MAP('inside'),
        'app2/cm.yaml': CONFIG_MAP('sibling'),
      }),
    ).toEqual(['app2/cm.yaml:sibling']);
  });

  it('is off by default: objects without a namespace are not reported', async () => {
    const linter = await openLinter({ presets: [], rules: { 'no-default-namespace': 'warn' } }, { baseDir: process.cwd() });
    const { findings } = linter.lintSources([{ file: 'x.yaml', text: CONFIG_MAP('x') }]);
    expect(findings.filter((f) => f.ruleId === 'no-default-namespace')).toEqual([]);
  });
});
