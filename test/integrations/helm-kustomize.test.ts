// `lint --helm` and `lint --kustomize` with the real helm and kustomize (pinned, installed into
// .cache/bin by scripts/install-test-tools.sh) and kubectl's built-in kustomize, plus piped
// `helm template … | shipshape lint -`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, CACHE_BIN, ROOT, tool } from './tools.js';

const HELM_FIX = join(ROOT, 'test/fixtures/helm');
const KUST_FIX = join(ROOT, 'test/fixtures/kustomize');
const WITH_TOOLS = `${CACHE_BIN}${delimiter}${process.env.PATH ?? ''}`;

interface Report {
  findings: Array<{ ruleId: string; location: { file: string; start: { line: number; column: number } } }>;
}

function shipshape(args: string[], o: { cwd: string; path?: string; input?: string }) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: o.cwd,
    env: { ...process.env, PATH: o.path ?? WITH_TOOLS, NO_COLOR: '1' },
    encoding: 'utf8',
    input: o.input,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const where = (r: { stdout: string }) =>
  (JSON.parse(r.stdout) as Report).findings.map(
    (f) => `${f.location.file}:${f.location.start.line}:${f.location.start.column} ${f.ruleId}`,
  );

beforeAll(() => {
  tool(join(CACHE_BIN, 'helm'));
  tool(join(CACHE_BIN, 'kustomize'));
});

describe('lint --helm', () => {
  it('renders the chart and maps every finding to its template', () => {
    const r = shipshape(['lint', '--helm', 'web', '--no-config', '-f', 'json'], { cwd: HELM_FIX });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(where(r)).toEqual([
      // exact: `hostNetwork:` is written in the template
      'web/templates/deployment.yaml:18:7 no-host-network',
      // approximate: readOnlyRootFilesystem / procMount come from `toYaml .Values.securityContext`,
      // so they point at the `securityContext:` key the helper renders into
      'web/templates/deployment.yaml:23:11 require-read-only-root-filesystem',
      'web/templates/deployment.yaml:23:11 no-unmasked-proc-mount',
    ]);
  });

  it('prints template paths in the stylish report', () => {
    const r = shipshape(['lint', '--helm', 'web', '--no-config'], { cwd: HELM_FIX });
    expect(r.stdout).toContain(
      'web/templates/deployment.yaml:18:7   error    Deployment release-name-web sets hostNetwork: true.  no-host-network',
    );
  });

  it('passes values files and --set overrides to helm', () => {
    const good = shipshape(
      ['lint', '--helm', 'web', '--values', 'web/good-values.yaml', '--no-config', '-f', 'json'],
      {
        cwd: HELM_FIX,
      },
    );
    expect(where(good)).toEqual([]);
    expect(good.code).toBe(0);
    const set = shipshape(
      ['lint', '--helm', 'web', '--set', 'hostNetwork=false', '--no-config', '-f', 'json'],
      {
        cwd: HELM_FIX,
      },
    );
    expect(where(set)).toEqual([
      'web/templates/deployment.yaml:23:11 require-read-only-root-filesystem',
      'web/templates/deployment.yaml:23:11 no-unmasked-proc-mount',
    ]);
  });

  it('lints a packaged chart (.tgz); findings name the file inside the archive', () => {
    const out = mkdtempSync(join(tmpdir(), 'shipshape-helm-'));
    const pkg = spawnSync(join(CACHE_BIN, 'helm'), ['package', join(HELM_FIX, 'web'), '-d', out], {
      encoding: 'utf8',
    });
    expect(pkg.status, pkg.stderr).toBe(0);
    const r = shipshape(['lint', '--helm', 'web-0.1.0.tgz', '--no-config', '-f', 'json'], { cwd: out });
    expect(r.code).toBe(1);
    // Templates are read from the archive, so lines map as for a chart folder.
    expect(where(r)).toEqual([
      'web-0.1.0.tgz:templates/deployment.yaml:18:7 no-host-network',
      'web-0.1.0.tgz:templates/deployment.yaml:23:11 require-read-only-root-filesystem',
      'web-0.1.0.tgz:templates/deployment.yaml:23:11 no-unmasked-proc-mount',
    ]);
  });

  it('keeps the # Source: mapping when helm template is piped in', () => {
    const helm = join(CACHE_BIN, 'helm');
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${helm}" template release-name web | "${process.execPath}" "${BIN}" lint - --no-config -f json`,
      ],
      {
        cwd: HELM_FIX,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(where(r)).toEqual([
      'web/templates/deployment.yaml:18:7 no-host-network',
      'web/templates/deployment.yaml:23:11 require-read-only-root-filesystem',
      'web/templates/deployment.yaml:23:11 no-unmasked-proc-mount',
    ]);
  });

  it('says clearly when helm is missing, and exits 2', () => {
    const r = shipshape(['lint', '--helm', 'web', '--no-config'], { cwd: HELM_FIX, path: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^shipshape: --helm needs the helm binary, which was not found on PATH or in \.cache\/bin/,
    );
  });

  it('reports helm’s own error for a broken chart, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-helm-'));
    mkdirSync(join(dir, 'broken/templates'), { recursive: true });
    writeFileSync(join(dir, 'broken/Chart.yaml'), 'apiVersion: v2\nname: broken\nversion: 0.1.0\n');
    writeFileSync(
      join(dir, 'broken/templates/cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ nope }}\n',
    );
    const r = shipshape(['lint', '--helm', 'broken', '--no-config'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^shipshape: helm template broken failed \(exit 1\):\n.*function "nope" not defined/s,
    );
    const missing = shipshape(['lint', '--helm', 'nochart', '--no-config'], { cwd: HELM_FIX });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('shipshape: no such chart: nochart\n');
  });

  it('rejects --values without --helm, and --fix on rendered output', () => {
    expect(shipshape(['lint', '--values', 'x.yaml', '--no-config'], { cwd: HELM_FIX }).stderr).toBe(
      'shipshape: --values and --set apply to --helm charts\n',
    );
    const fix = shipshape(['lint', '--helm', 'web', '--fix', '--no-config'], { cwd: HELM_FIX });
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain('--fix rewrites files');
  });
});

describe('lint --kustomize', () => {
  const expected = [
    'base/deployment.yaml:17:7 no-host-pid',
    'base/deployment.yaml:19:9 require-cpu-request',
    'base/deployment.yaml:19:9 require-memory-limit',
    'base/deployment.yaml:19:9 require-memory-request',
    'base/deployment.yaml:19:9 require-readiness-probe',
  ];

  it('builds with kustomize and maps findings to the file that defines the resource', () => {
    const r = shipshape(['lint', '--kustomize', 'overlay', '--no-config', '-f', 'json'], { cwd: KUST_FIX });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(where(r).sort()).toEqual(expected);
  });

  it('falls back to kubectl kustomize when kustomize is not installed', () => {
    tool('/usr/bin/kubectl');
    const r = shipshape(['lint', '--kustomize', 'overlay', '--no-config', '-f', 'json'], {
      cwd: KUST_FIX,
      path: '/usr/bin',
    });
    expect(r.stderr).toBe('');
    expect(where(r).sort()).toEqual(expected);
  });

  it('says clearly when neither kustomize nor kubectl is there, and exits 2', () => {
    const r = shipshape(['lint', '--kustomize', 'overlay', '--no-config'], {
      cwd: KUST_FIX,
      path: '/nonexistent',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^shipshape: --kustomize needs kustomize or kubectl, neither was found on PATH or in \.cache\/bin/,
    );
  });
});
