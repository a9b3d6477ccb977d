// CLI contract tests: a command line, the files it reads, the exact output and the exit code.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIX = join(ROOT, 'test/fixtures/cli');
const BIN = join(ROOT, 'bin/shipshape.js');

/**
 * These tests pin the CLI contract with the schema rules; the rule catalog has its own runner
 * (test/rules). So `lint` runs get `--preset schema` unless a test chooses rules itself.
 */
function cli(argsIn: string[], opts: { cwd?: string; stdin?: string; tty?: boolean } = {}) {
  const chooses = argsIn.some((a) => a === '--preset' || a === '--rule') || argsIn[0] === 'init';
  return runCli(chooses ? argsIn : [...argsIn, '--preset', 'schema'], { cwd: FIX, ...opts });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'shipshape-cli-'));

describe('shipshape lint: exit codes and stylish output', () => {
  it('exits 0 and says what it checked on a clean file', async () => {
    expect(await cli(['lint', 'good.yaml', '--no-config'])).toEqual({
      code: 0,
      stdout: '\u2714 no problems (2 resources in 1 file)\n',
      stderr: '',
    });
  });

  it('prints file:line:col severity message rule-id and exits 1 on schema errors', async () => {
    const r = await cli(['lint', 'bad.yaml', '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'bad.yaml:6:13   error  spec.replicas: expected integer, got string "3"  k8s-schema',
        'bad.yaml:9:3    error  spec.tempate: unknown field (did you mean "template"?)  k8s-schema',
        'bad.yaml:19:28  error  spec.template.spec.containers[0].imagePullPolicy: must be one of Always, Never, IfNotPresent, got string "Sometimes"  k8s-schema',
        '',
        '\u2716 3 problems (3 errors, 0 warnings, 0 info) in 1 resource in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('makes lint the default command', async () => {
    const r = await cli(['bad.yaml', '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad.yaml:6:13');
  });

  it('reports syntax errors, duplicate keys and non-objects as findings and keeps checking the rest', async () => {
    const r = await cli(['lint', 'broken.yaml', 'good.yaml', '-f', 'json', '--no-config']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      findings: Array<{
        ruleId: string;
        location: { file: string; document: number; start: { line: number; column: number } };
        message: string;
      }>;
      summary: { resources: number; files: number };
    };
    const brief = out.findings.map(
      (f) =>
        `${f.location.file}#${f.location.document}:${f.location.start.line}:${f.location.start.column} ${f.ruleId}`,
    );
    expect(brief).toEqual([
      'broken.yaml#1:5:3 duplicate-key',
      expect.stringMatching(/^broken\.yaml#2:1[34]:\d+ yaml-syntax$/),
      'broken.yaml#3:15:1 invalid-resource',
    ]);
    expect(out.findings[2]!.message).toContain('apiVersion');
    // the first document of broken.yaml and both of good.yaml were still checked
    expect(out.summary.resources).toBe(3);
    expect(out.summary.files).toBe(2);
  });

  it('turns duplicate keys into warnings with --no-strict, and honours --max-warnings and --fail-severity', async () => {
    const strict = await cli(['lint', 'dupkey.yaml', '--no-config']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('dupkey.yaml:7:3  error  ');
    const lax = await cli(['lint', 'dupkey.yaml', '--no-config', '--no-strict']);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toContain('dupkey.yaml:7:3  warning  ');
    const capped = await cli(['lint', 'dupkey.yaml', '--no-config', '--no-strict', '--max-warnings', '0']);
    expect(capped.code).toBe(1);
    expect(capped.stderr).toBe('shipshape: 1 warnings exceed the maximum of 0 (--max-warnings)\n');
    expect(
      (await cli(['lint', 'dupkey.yaml', '--no-config', '--no-strict', '--fail-severity', 'warn'])).code,
    ).toBe(1);
    const quiet = await cli(['lint', 'dupkey.yaml', '--no-config', '--no-strict', '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: '\u2714 no problems (1 resource in 1 file)\n', stderr: '' });
  });

  it('reads stdin for -', async () => {
    const r = await cli(['lint', '-', '--no-config'], { stdin: readFileSync(join(FIX, 'bad.yaml'), 'utf8') });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      '<stdin>:6:13   error  spec.replicas: expected integer, got string "3"  k8s-schema',
    );
  });

  it('expands List kinds and points into their items', async () => {
    const r = await cli(['lint', 'list.yaml', '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'list.yaml:14:17  error  spec.ports[0].port: expected integer, got string "eighty"  k8s-schema',
    );
    expect(r.stdout).toContain('in 2 resources in 1 file');
  });

  it('validates custom resources against CRDs from --crd or from the input', async () => {
    const viaFlag = await cli(['lint', 'widget.yaml', '--crd', 'crd.yaml', '--no-config']);
    expect(viaFlag.code).toBe(1);
    expect(viaFlag.stdout).toContain(
      'widget.yaml:6:9  error  spec.size: must be at least 1, got 0  k8s-schema',
    );
    const inInput = await cli(['lint', 'crd.yaml', 'widget.yaml', '--no-config']);
    expect(inInput.stdout).toContain('spec.size: must be at least 1, got 0');
    const missing = await cli(['lint', 'widget.yaml', '--no-config']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      'widget.yaml:1:13  error  no schema for example.com/v1 Widget in Kubernetes',
    );
    expect(missing.stdout).toContain('missing-schema');
    expect((await cli(['lint', 'widget.yaml', '--ignore-missing-schemas', '--no-config'])).code).toBe(0);
  });

  it('reports removed APIs with their replacement', async () => {
    const r = await cli(['lint', 'removed.yaml', '--no-config']);
    expect(r.stdout).toContain(
      'removed.yaml:1:13  error  extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1  removed-api',
    );
    expect((await cli(['lint', 'removed.yaml', '--no-config', '--ignore-missing-schemas'])).code).toBe(1);
  });

  it('validates against an older Kubernetes version when asked', async () => {
    const dir = tmp();
    // ValidatingAdmissionPolicy went GA (admissionregistration.k8s.io/v1) in 1.30; v1beta1 was still served then.
    writeFileSync(
      join(dir, 'vap.yaml'),
      'apiVersion: admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\nspec:\n  matchConstraints:\n    resourceRules:\n      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}\n  validations:\n    - expression: "true"\n',
    );
    expect((await cli(['lint', 'vap.yaml', '-k', '1.30', '--no-config'], { cwd: dir })).code).toBe(0);
    const newest = await cli(['lint', 'vap.yaml', '--no-config'], { cwd: dir });
    expect(newest.code).toBe(1);
    expect(newest.stdout).toMatch(
      /is not served by Kubernetes 1\.\d+ \(last served in 1\.\d+\); use admissionregistration\.k8s\.io\/v1 {2}removed-api/,
    );
  });

  it('lints directories recursively and the current directory by default', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'a/b'), { recursive: true });
    cpSync(join(FIX, 'good.yaml'), join(dir, 'a/b/good.yml'));
    cpSync(join(FIX, 'bad.yaml'), join(dir, 'a/bad.json.yaml'));
    writeFileSync(join(dir, 'package.json'), '{"name":"not-a-manifest"}');
    writeFileSync(join(dir, 'notes.txt'), 'not yaml');
    const r = await cli(['lint', '--no-config', '-f', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { summary: { files: number; resources: number } };
    expect(out.summary).toMatchObject({ files: 2, resources: 3 });
    expect(r.code).toBe(1);
    const glob = await cli(['lint', 'a/**/*.yml', '--no-config'], { cwd: dir });
    expect(glob).toEqual({ code: 0, stdout: '\u2714 no problems (2 resources in 1 file)\n', stderr: '' });
  });
});

describe('shipshape lint: usage and configuration errors exit 2', () => {
  it('names a missing path', async () => {
    expect(await cli(['lint', 'nope.yaml', '--no-config'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'shipshape: no such file or directory: nope.yaml\n',
    });
  });

  it('rejects an unknown format, version or option', async () => {
    const f = await cli(['lint', 'good.yaml', '-f', 'xml', '--no-config']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("argument 'xml' is invalid");
    const v = await cli(['lint', 'good.yaml', '-k', '1.12', '--no-config']);
    expect(v).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'unknown Kubernetes version "1.12": bundled schemas cover 1.30, ',
      ) as string,
    });
    expect((await cli(['lint', '--frobnicate'])).code).toBe(2);
    const rule = await cli(['lint', 'good.yaml', '--rule', 'k8s-schemaa=warn', '--no-config']);
    expect(rule).toEqual({
      code: 2,
      stdout: '',
      stderr: 'shipshape: unknown rule "k8s-schemaa" (did you mean "k8s-schema"?)\n',
    });
  });

  it('reports invalid configuration with file, line, column and problem', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      'strict: true\nfailSeverity: fatal\nrule:\n  k8s-schema: warn\n',
    );
    cpSync(join(FIX, 'good.yaml'), join(dir, 'good.yaml'));
    const r = await cli(['lint', 'good.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'shipshape: invalid configuration:',
        `  ${join(dir, '.shipshape.yaml')}:2:15: failSeverity: must be one of error, warn, info, got string "fatal"`,
        `  ${join(dir, '.shipshape.yaml')}:3:1: rule: unknown field (did you mean "rules"?)`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, '.shipshape.yaml'), 'strict: [\n');
    const syntax = await cli(['lint', 'good.yaml'], { cwd: dir });
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(
      new RegExp(`^shipshape: ${join(dir, '.shipshape.yaml').replace(/[.]/g, '\\.')}:\\d+:\\d+: `),
    );
  });
});

describe('configuration', () => {
  it('is discovered upward and applies rule settings, versions and exemptions', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'deploy/prod'), { recursive: true });
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      [
        'rules:',
        '  missing-schema: warn',
        'exemptions:',
        '  - rules: [k8s-schema]',
        '    names: ["web*"]',
        '    reason: legacy chart, tracked in TICKET-1',
      ].join('\n'),
    );
    cpSync(join(FIX, 'widget.yaml'), join(dir, 'deploy/prod/widget.yaml'));
    cpSync(join(FIX, 'bad.yaml'), join(dir, 'deploy/prod/bad.yaml'));
    const r = await cli(['lint', '.', '-f', 'json'], { cwd: join(dir, 'deploy/prod') });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      findings: Array<{
        ruleId: string;
        severity: string;
        suppressed?: { kind: string; justification?: string };
      }>;
    };
    expect(out.findings.filter((f) => f.ruleId === 'missing-schema').map((f) => f.severity)).toEqual([
      'warn',
    ]);
    const suppressed = out.findings.filter((f) => f.suppressed);
    expect(suppressed).toHaveLength(3);
    expect(suppressed[0]!.suppressed).toEqual({
      kind: 'config',
      justification: 'legacy chart, tracked in TICKET-1',
    });
  });

  it('shipshape init writes a valid starter config once', async () => {
    const dir = tmp();
    const first = await cli(['init'], { cwd: dir });
    expect(first).toEqual({ code: 0, stdout: `wrote ${join(dir, '.shipshape.yaml')}\n`, stderr: '' });
    const again = await cli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists (use --force to overwrite)');
    // the starter config is itself valid and lints the examples
    cpSync(join(FIX, 'good.yaml'), join(dir, 'good.yaml'));
    expect((await cli(['lint', 'good.yaml'], { cwd: dir })).code).toBe(0);
  });
});

describe('output formats', () => {
  it.each([
    ['json', (s: string) => expect((JSON.parse(s) as { version: number }).version).toBe(1)],
    [
      'sarif',
      (s: string) =>
        expect((JSON.parse(s) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(3),
    ],
    ['junit', (s: string) => expect(s).toMatch(/^<\?xml[^]*<testsuite [^]*bad\.yaml[^]*<failure /)],
    [
      'github',
      (s: string) =>
        expect(s.split('\n')[0]).toBe(
          '::error file=bad.yaml,line=6,col=13,endLine=6,endColumn=16,title=k8s-schema::spec.replicas: expected integer, got string "3"',
        ),
    ],
    [
      'gitlab',
      (s: string) =>
        expect((JSON.parse(s) as Array<{ check_name: string }>).map((i) => i.check_name)).toEqual([
          'k8s-schema',
          'k8s-schema',
          'k8s-schema',
        ]),
    ],
  ])('%s reports the same three findings and exits 1', async (format, assert) => {
    const r = await cli(['lint', 'bad.yaml', '-f', format, '--no-config']);
    expect(r.code).toBe(1);
    assert(r.stdout);
  });

  it('writes --output-file whole and prints nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'report.sarif');
    const r = await cli(['lint', join(FIX, 'bad.yaml'), '-f', 'sarif', '-o', out, '--no-config'], {
      cwd: dir,
    });
    expect(r).toEqual({ code: 1, stdout: '', stderr: '' });
    expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('colours only on a TTY', async () => {
    expect((await cli(['lint', 'bad.yaml', '--no-config'], { tty: true })).stdout).toContain('\u001b[31m');
    expect((await cli(['lint', 'bad.yaml', '--no-config'], { tty: false })).stdout).not.toContain('\u001b[');
  });
});

describe('the installed binary', () => {
  it('runs as a process with real exit codes and stdin', () => {
    const ok = spawnSync(process.execPath, [BIN, 'lint', 'good.yaml', '--no-config', '--preset', 'schema'], {
      cwd: FIX,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [BIN, 'lint', '-', '--no-config', '--preset', 'schema'], {
      cwd: FIX,
      input: readFileSync(join(FIX, 'bad.yaml')),
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('<stdin>:6:13');
    const usage = spawnSync(process.execPath, [BIN, 'lint', 'missing.yaml'], { cwd: FIX, encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });

  it('touches no network: every connect, lookup and fetch is trapped', () => {
    const trap = join(ROOT, 'test/helpers/no-network.mjs');
    // the trap itself works: a process that tries to fetch is stopped with 99
    const probe = spawnSync(process.execPath, ['--import', trap, '-e', 'fetch("http://127.0.0.1:9")'], {
      encoding: 'utf8',
    });
    expect(probe.status).toBe(99);
    const r = spawnSync(
      process.execPath,
      ['--import', trap, BIN, 'lint', '.', '-f', 'sarif', '--no-config'],
      { cwd: FIX, encoding: 'utf8' },
    );
    expect(r.stderr).not.toContain('NETWORK ATTEMPT');
    expect(r.status).toBe(1);
    expect(existsSync(join(ROOT, 'dist/program/main.js'))).toBe(true);
    const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help).toContain('lint [options] [paths...]');
  });
});
