// Dogfood: the webhook's own deploy artefacts (webhook/) lint clean under recommended and pss-restricted.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('webhook/ manifests', () => {
  for (const preset of ['recommended', 'pss-restricted'])
    it(`have zero findings under --preset ${preset}`, () => {
      const r = spawnSync(
        process.execPath,
        ['bin/shipshape.js', 'lint', 'webhook/', '--no-config', '--preset', preset, '--format', 'json'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      const findings = JSON.parse(r.stdout) as { findings?: unknown[] } | unknown[];
      const list = Array.isArray(findings) ? findings : (findings.findings ?? []);
      expect(list).toEqual([]);
      expect(r.status).toBe(0);
    });

  it('also lint clean as the plain default run (`shipshape lint webhook/`)', () => {
    const r = spawnSync(process.execPath, ['bin/shipshape.js', 'lint', 'webhook/'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/no problems/);
    expect(r.status).toBe(0);
  });
});

interface WebhookRule {
  apiGroups: string[];
  operations: string[];
  resources: string[];
}
const validating = (variant: string) =>
  parseYaml(readFileSync(join(ROOT, 'webhook', variant, 'validatingwebhookconfiguration.yaml'), 'utf8')) as {
    webhooks: { name: string; rules: WebhookRule[] }[];
  };

describe('webhook/ configurations register what changes a pod’s security', () => {
  for (const variant of ['cert-manager', 'plain-certs'])
    it(`${variant}: UPDATE of pods/ephemeralcontainers goes to validate.shipshape.dev; CONNECT does not`, () => {
      const hook = validating(variant).webhooks.find((w) => w.name === 'validate.shipshape.dev')!;
      const core = hook.rules.filter((r) => r.apiGroups.includes(''));
      expect(
        core.some((r) => r.operations.includes('UPDATE') && r.resources.includes('pods/ephemeralcontainers')),
      ).toBe(true);
      // pods/exec, attach and portforward are CONNECT: RBAC decides them (docs/webhook.md, Subresources)
      expect(
        hook.rules.filter((r) => r.operations.includes('CONNECT') || r.operations.includes('*')),
      ).toEqual([]);
    });
});
