// A user bundle built with the real opa, at admission: the webhook engine loads it from config.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, validate, type AdmissionRequest } from '../../src/webhook/admission.js';
import { loadEngine } from '../../src/webhook/engine.js';
import { buildBundle, tempDir } from './helpers.js';

const POLICY = `package main

deny contains {"msg": msg, "path": sprintf("spec.containers[%d].image", [i])} if {
	some i, c in input.review.object.spec.containers
	not startswith(c.image, input.parameters.registry)
	msg := sprintf("image %v is not from %v", [c.image, input.parameters.registry])
}

warn contains "pods should carry a team label" if not input.metadata.labels.team

# Two complete definitions that disagree for a Pod named "conflict": a runtime error.
level := "low" if input.metadata.name == "conflict"

level := "high" if input.metadata.name == "conflict"

deny contains level if input.metadata.name == "conflict"
`;

const pod = (image: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', labels },
  spec: { containers: [{ name: 'app', image }] },
});

const request = (object: Record<string, unknown>): AdmissionRequest => ({
  uid: 'u-1',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'shop',
  operation: 'CREATE',
  object,
});

describe('user policies at admission', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    copyFileSync(
      buildBundle({ 'main.rego': POLICY }, ['main/deny', 'main/warn']),
      join(dir, 'registry.tar.gz'),
    );
  }, 120_000);

  it('denies with the policy’s message and passes warn results on as warnings', async () => {
    const config = {
      presets: [],
      policies: [{ path: 'registry.tar.gz', parameters: { registry: 'registry.example.com/' } }],
    };
    const engine = await loadEngine(config, resolveSettings({}), dir);
    const denied = validate(request(pod('quay.io/app:1')), engine, resolveSettings({}));
    expect(denied.response.allowed).toBe(false);
    expect(denied.response.status?.message).toContain(
      '[registry] image quay.io/app:1 is not from registry.example.com/',
    );
    // a user policy has no page among the built-in rules' docs: no link unless `docs:` gives one
    expect(denied.response.status?.message).not.toContain('shipshape.dev/rules/registry');
    const documented = await loadEngine(
      { ...config, policies: [{ ...config.policies[0]!, docs: 'https://wiki.example.com/registry' }] },
      resolveSettings({}),
      dir,
    );
    expect(
      validate(request(pod('quay.io/app:1')), documented, resolveSettings({})).response.status?.message,
    ).toContain(
      'is not from registry.example.com/ (spec.containers[0].image) — https://wiki.example.com/registry',
    );
    const allowed = validate(request(pod('registry.example.com/app:1')), engine, resolveSettings({}));
    expect(allowed.response.allowed).toBe(true);
    expect(allowed.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([
      'registry pods should carry a team label',
    ]);
  });

  it('turns a policy that fails into a policy-error finding, as the CLI does', async () => {
    const config = {
      presets: [],
      policies: [{ path: 'registry.tar.gz', parameters: { registry: 'registry.example.com/' } }],
    };
    const settings = resolveSettings({});
    const engine = await loadEngine(config, settings, dir);
    expect(engine.rules.map((r) => r.def.id)).toContain('policy-error');
    const failed = validate(
      request({
        ...pod('registry.example.com/app:1', { team: 'a' }),
        metadata: { name: 'conflict', namespace: 'shop', labels: { team: 'a' } },
      }),
      engine,
      settings,
    );
    expect(failed.findings.map((f) => f.ruleId)).toEqual(['policy-error']);
    expect(failed.findings[0]!.message).toMatch(
      /^Policy "registry" failed on Pod shop\/conflict: it stopped with an error: main\.rego:\d+:1: var assignment conflict\.$/,
    );
    // policy-error is an error: denied, with the reason in the message
    expect(failed.response.allowed).toBe(false);
    expect(failed.response.status?.message).toContain('[policy-error]');
  });
});
