// /mutate with declarative mutations on custom pod-bearing kinds: an Argo Rollout (a kind shipshape
// knows) and a kind of the config's `podSpecs:` get their pods mutated, the JSONPatch pointing into
// the kind's own pod spec path, and a second call on the patched object gets no patch.
import jsonpatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { mutate, resolveSettings } from '../../src/webhook/admission.js';
import type { KubeObject } from '../../src/engine/types.js';
import { engineFor, request } from './helpers.js';

const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Operation[];

const CONFIG: Config = {
  presets: [],
  podSpecs: [{ apiVersion: 'ci.example.com/v1', kind: 'Runner', paths: ['spec.jobs[].template.spec'] }],
  mutations: [
    { name: 'env', match: { kinds: ['Rollout', 'Runner'] }, addLabels: { env: 'prod' } },
    {
      name: 'non-root',
      match: { kinds: ['Rollout', 'Runner'] },
      set: { path: 'securityContext.runAsNonRoot', value: true, in: 'container' },
    },
  ],
};

const container = (name: string) => ({ name, image: `registry.example/${name}:1.0` });

const rollout = (): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'canary', labels: { app: 'canary' } },
  spec: {
    selector: { matchLabels: { app: 'canary' } },
    template: { metadata: { labels: { app: 'canary' } }, spec: { containers: [container('app')] } },
    strategy: { canary: { steps: [{ setWeight: 20 }] } },
  },
});

const runner = (): KubeObject => ({
  apiVersion: 'ci.example.com/v1',
  kind: 'Runner',
  metadata: { name: 'ci', labels: { env: 'prod' } },
  spec: {
    jobs: [
      { template: { spec: { containers: [container('build')] } } },
      { template: { metadata: { labels: { app: 'test' } }, spec: { containers: [container('test')] } } },
    ],
  },
});

/** The patch /mutate answers for `object`, and that the patched object gets none. */
async function patchOf(object: KubeObject): Promise<Operation[]> {
  const e = await engineFor(CONFIG);
  const d = mutate(request(object), e, resolveSettings({}));
  expect(d.decision).toBe('mutated');
  const ops = decode(d.response.patch!);
  const patched = jsonpatch.applyPatch(structuredClone(object), ops).newDocument;
  const again = request(patched);
  expect(mutate(again, e, resolveSettings({})).response).toEqual({ uid: again.uid, allowed: true });
  return ops;
}

describe('/mutate: declarative mutations on custom pod-bearing kinds', () => {
  it('patches an Argo Rollout at /spec/template like a Deployment', async () => {
    expect(await patchOf(rollout())).toEqual([
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { runAsNonRoot: true } },
      { op: 'add', path: '/spec/template/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
    ]);
  });

  it('patches every pod template of a podSpecs: kind, at the paths the config declares', async () => {
    expect(await patchOf(runner())).toEqual([
      {
        op: 'add',
        path: '/spec/jobs/1/template/spec/containers/0/securityContext',
        value: { runAsNonRoot: true },
      },
      { op: 'add', path: '/spec/jobs/1/template/metadata/labels/env', value: 'prod' },
      {
        op: 'add',
        path: '/spec/jobs/0/template/spec/containers/0/securityContext',
        value: { runAsNonRoot: true },
      },
      { op: 'add', path: '/spec/jobs/0/template/metadata', value: { labels: { env: 'prod' } } },
    ]);
  });
});
