// Dogfood: the webhook's own deploy artefacts (webhook/) lint clean under recommended and pss-restricted.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
