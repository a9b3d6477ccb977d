// `shipshape fix` never loses data: mode, owner and links survive, read-only files are refused.
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// :latest with imagePullPolicy: IfNotPresent is fixed safely to Always (no-stale-image-pull-policy).
const FIXABLE =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/app:latest\n      imagePullPolicy: IfNotPresent\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-fixw-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const fix = (args: string[], cwd: string) =>
  runCli(['fix', ...args, '--no-config', '--rule', 'no-stale-image-pull-policy=error'], { cwd });

describe('shipshape fix writes in place without losing data', () => {
  it('the fixture is fixable at all (the fix changes the text)', async () => {
    const dir = workspace({ 'pod.yaml': FIXABLE });
    await fix(['pod.yaml'], dir);
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).not.toBe(FIXABLE);
  });

  it('keeps the mode of the file (a 0600 Secret manifest stays 0600, exec bits stay)', async () => {
    const dir = workspace({ 'secret.yaml': FIXABLE, 'script.yaml': FIXABLE });
    chmodSync(join(dir, 'secret.yaml'), 0o600);
    chmodSync(join(dir, 'script.yaml'), 0o755);
    await fix(['.'], dir);
    expect(readFileSync(join(dir, 'secret.yaml'), 'utf8')).not.toBe(FIXABLE);
    expect(statSync(join(dir, 'secret.yaml')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(dir, 'script.yaml')).mode & 0o7777).toBe(0o755);
  });

  it('keeps the owner when the process may set it', async () => {
    const dir = workspace({ 'pod.yaml': FIXABLE });
    const before = statSync(join(dir, 'pod.yaml'));
    await fix(['pod.yaml'], dir);
    const after = statSync(join(dir, 'pod.yaml'));
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
  });

  it('writes through a symbolic link: the link stays a link, its target is fixed', async () => {
    const dir = workspace({ 'real.yaml': FIXABLE });
    symlinkSync('real.yaml', join(dir, 'link.yaml'));
    await fix(['link.yaml'], dir);
    expect(lstatSync(join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.yaml'))).toBe('real.yaml');
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).not.toBe(FIXABLE);
  });

  it('refuses a read-only file with a clear message, lints it as it is, and still fixes the others', async () => {
    const dir = workspace({ 'locked.yaml': FIXABLE, 'open.yaml': FIXABLE, 'clean.yaml': CLEAN });
    chmodSync(join(dir, 'locked.yaml'), 0o444);
    chmodSync(join(dir, 'clean.yaml'), 0o444);
    const r = await fix(['.'], dir);
    expect(readFileSync(join(dir, 'locked.yaml'), 'utf8')).toBe(FIXABLE);
    expect(statSync(join(dir, 'locked.yaml')).mode & 0o7777).toBe(0o444);
    expect(readFileSync(join(dir, 'open.yaml'), 'utf8')).not.toBe(FIXABLE);
    // Only the file that needed a fix is named; the finding it still has is reported.
    expect(r.stderr).toBe('shipshape: locked.yaml is read-only (mode 0444): not fixed\n');
    expect(r.stdout).toContain('locked.yaml');
    expect(r.stdout).toContain('no-stale-image-pull-policy');
    expect(r.code).toBe(1);
  });

  it('leaves no temporary file behind', async () => {
    const dir = workspace({ 'pod.yaml': FIXABLE });
    await fix(['pod.yaml'], dir);
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
  });
});
