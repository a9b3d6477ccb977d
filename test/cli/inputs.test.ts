// Inputs that are not plain readable files: every one is a finding, and every other file is still reported.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../bin/shipshape.js', import.meta.url));
const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n';
const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: 1\n';

interface JsonReport {
  findings: { ruleId: string; message: string; location?: { file: string } }[];
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-inputs-'));
  writeFileSync(join(dir, 'good.yaml'), GOOD);
  writeFileSync(join(dir, 'bad.yaml'), BAD);
  return dir;
}

async function lintJson(args: string[], cwd: string) {
  const r = await runCli(['lint', ...args, '--no-config', '--preset', 'schema', '-f', 'json'], { cwd });
  const report = JSON.parse(r.stdout || '{"findings":[]}') as JsonReport;
  return { ...r, report, rules: report.findings.map((f) => `${f.ruleId} ${f.location?.file ?? ''}`) };
}

const unreadable = (report: JsonReport) =>
  report.findings.filter((f) => f.ruleId === 'unreadable-file').map((f) => f.message);

describe('non-regular files are findings, never a hang or a read of a device', () => {
  it('a *.yaml named pipe in a walked folder is reported, not opened for a blocking read', async () => {
    const dir = workspace();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const r = await lintJson(['.'], dir);
    expect(r.code).toBe(1);
    expect(unreadable(r.report)).toEqual(['cannot read pipe.yaml: a named pipe (FIFO), not a regular file']);
    expect(r.rules).toContain('k8s-schema bad.yaml');
  });

  it('a named pipe given by name is reported (it used to be "no such file")', async () => {
    const dir = workspace();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const r = await lintJson(['pipe.yaml', 'bad.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(unreadable(r.report)).toEqual(['cannot read pipe.yaml: a named pipe (FIFO), not a regular file']);
    expect(r.rules).toContain('k8s-schema bad.yaml');
  });

  it('a symbolic link to /dev/zero is reported as a device, not read', async () => {
    const dir = workspace();
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const r = await lintJson(['.'], dir);
    expect(unreadable(r.report)).toEqual(['cannot read zero.yaml: a character device, not a regular file']);
    expect(r.rules).toContain('k8s-schema bad.yaml');
  });

  it('a dangling symbolic link is reported', async () => {
    const dir = workspace();
    symlinkSync('gone.yaml', join(dir, 'dangling.yaml'));
    const r = await lintJson(['.'], dir);
    expect(unreadable(r.report)).toEqual(['cannot read dangling.yaml: no such file or directory']);
  });

  it('the stylish summary counts the unreadable file and the exit code fails the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-inputs-'));
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const r = await runCli(['lint', '.', '--no-config', '--preset', 'schema'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cannot read pipe.yaml: a named pipe (FIFO), not a regular file');
    expect(r.stdout).toContain('unreadable-file');
  });
});

describe('directory walks', () => {
  it('a symbolic link back to a parent folder does not lint a file twice', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'more.yaml'), BAD.replace('name: bad', 'name: more'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    const r = await lintJson(['.'], dir);
    expect(r.rules.filter((x) => x.startsWith('k8s-schema')).sort()).toEqual([
      'k8s-schema bad.yaml',
      'k8s-schema sub/more.yaml',
    ]);
  });

  it('a file reached through two links is read once', async () => {
    const dir = workspace();
    symlinkSync('bad.yaml', join(dir, 'again.yaml'));
    const r = await lintJson(['.'], dir);
    expect(r.rules.filter((x) => x.startsWith('k8s-schema'))).toEqual(['k8s-schema again.yaml']);
  });
});

/**
 * Permission errors, as a user without access sees them. Root reads everything, so as root the
 * built CLI runs as `nobody` (uid 65534); as any other user it runs directly.
 */
function lintAsUnprivileged(dir: string): { status: number | null; report: JsonReport; stderr: string } {
  const args = [BIN, 'lint', '.', '--no-config', '--preset', 'schema', '-f', 'json'];
  const asRoot = process.getuid?.() === 0;
  const r = asRoot
    ? spawnSync(
        process.execPath,
        [
          '-e',
          `process.setgid(65534); process.setuid(65534); process.argv.splice(1, 0, ${JSON.stringify(BIN)}); import(${JSON.stringify(BIN)});`,
          ...args.slice(1),
        ],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } },
      )
    : spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  return {
    status: r.status,
    stderr: r.stderr,
    report: JSON.parse(r.stdout || '{"findings":[]}') as JsonReport,
  };
}

describe('unreadable files and folders', () => {
  it('an unreadable file and an unreadable sub-folder are findings; every other file is reported', () => {
    const dir = workspace();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'bad.yaml'), 0o644);
    chmodSync(join(dir, 'good.yaml'), 0o644);
    writeFileSync(join(dir, 'secret.yaml'), GOOD, { mode: 0o600 });
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'hidden.yaml'), BAD);
    chmodSync(join(dir, 'locked'), 0o000);
    const r = lintAsUnprivileged(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(unreadable(r.report).sort()).toEqual([
      'cannot read locked: permission denied',
      'cannot read secret.yaml: permission denied',
    ]);
    expect(r.report.findings.some((f) => f.ruleId === 'k8s-schema' && f.location?.file === 'bad.yaml')).toBe(
      true,
    );
  });
});
