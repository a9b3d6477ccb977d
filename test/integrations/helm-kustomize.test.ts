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

describe('lint --helm: what helm template is asked for, and where findings land', () => {
  // The chart `gated` requires Kubernetes >= 1.31 (Chart.yaml kubeVersion), adds hostIPC from 1.35
  // (.Capabilities.KubeVersion), renders a Widget when example.com/v1/Widget is served
  // (.Capabilities.APIVersions) and holds the Widget CRD in crds/; its containers list starts with
  // items inside disabled `{{ if }}` blocks and an empty `{{ range }}`.
  const pick = (r: { stdout: string }, ...rules: string[]) =>
    where(r).filter((w) => rules.some((x) => w.endsWith(` ${x}`)));

  it('skips list items of disabled if blocks when mapping a finding to its line', () => {
    const r = shipshape(['lint', '--helm', 'gated', '--no-config', '-f', 'json'], { cwd: HELM_FIX });
    expect(r.stderr).toBe('');
    expect(pick(r, 'no-privileged-container', 'no-unmasked-proc-mount')).toEqual([
      'gated/templates/deployment.yaml:36:13 no-privileged-container',
      'gated/templates/deployment.yaml:40:13 no-unmasked-proc-mount',
    ]);
  });

  it('renders for the target Kubernetes version (-k is helm template --kube-version)', () => {
    // Default: the newest bundled version (1.37), so the chart's >= 1.31 requirement holds.
    expect(
      pick(
        shipshape(['lint', '--helm', 'gated', '--no-config', '-f', 'json'], { cwd: HELM_FIX }),
        'no-host-ipc',
      ),
    ).toEqual(['gated/templates/deployment.yaml:16:7 no-host-ipc']);
    const old = shipshape(['lint', '--helm', 'gated', '--no-config', '-k', '1.34', '-f', 'json'], {
      cwd: HELM_FIX,
    });
    expect(old.code).toBe(1);
    expect(pick(old, 'no-host-ipc')).toEqual([]);
    const tooOld = shipshape(['lint', '--helm', 'gated', '--no-config', '-k', '1.30'], { cwd: HELM_FIX });
    expect(tooOld.code).toBe(2);
    expect(tooOld.stderr).toContain(
      'chart requires kubeVersion: >=1.31.0-0 which is incompatible with Kubernetes v1.30',
    );
  });

  it('passes --namespace, --release-name, --api-versions and --include-crds to helm template', () => {
    const r = shipshape(
      [
        'lint',
        '--helm',
        'gated',
        '--no-config',
        '-f',
        'json',
        '--namespace',
        'shop',
        '--release-name',
        'front',
        '--api-versions',
        'example.com/v1/Widget',
        '--include-crds',
      ],
      { cwd: HELM_FIX },
    );
    const report = JSON.parse(r.stdout) as {
      findings: Array<{
        ruleId: string;
        message: string;
        resource: { kind: string; name?: string; namespace?: string };
      }>;
    };
    const deployment = report.findings.find((f) => f.ruleId === 'no-privileged-container')!;
    expect(deployment.resource).toMatchObject({ kind: 'Deployment', name: 'front-gated', namespace: 'shop' });
    // The Widget is rendered (API version served) and checked against the CRD from crds/.
    expect(pick(r, 'k8s-schema')).toEqual(['gated/templates/widget.yaml:8:3 k8s-schema']);
    expect(report.findings.find((f) => f.ruleId === 'k8s-schema')!.message).toBe(
      'spec.size: expected integer, got string "big"',
    );
    expect(shipshape(['lint', '--namespace', 'x', '--no-config'], { cwd: HELM_FIX }).stderr).toBe(
      'shipshape: --namespace apply to --helm charts\n',
    );
  });

  it('counts the templates in the summary, not one file', () => {
    expect(shipshape(['lint', '--helm', 'web', '--no-config'], { cwd: HELM_FIX }).stdout).toContain(
      '✖ 3 problems (2 errors, 1 warning, 0 info) in 2 resources in 2 files',
    );
    const crds = shipshape(
      ['lint', '--helm', 'gated', '--no-config', '--api-versions', 'example.com/v1/Widget', '--include-crds'],
      { cwd: HELM_FIX },
    );
    expect(crds.stdout).toMatch(/ in 3 resources in 3 files\n$/);
  });

  it('--fail-if-no-objects fails a chart that renders nothing, with --helm and piped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-empty-chart-'));
    mkdirSync(join(dir, 'off/templates'), { recursive: true });
    writeFileSync(join(dir, 'off/Chart.yaml'), 'apiVersion: v2\nname: off\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'off/values.yaml'), 'enabled: false\n');
    writeFileSync(
      join(dir, 'off/templates/cm.yaml'),
      '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n{{- end }}\n',
    );
    const r = shipshape(['lint', '--helm', 'off', '--no-config', '--fail-if-no-objects'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'shipshape: no Kubernetes objects in the input (--fail-if-no-objects): read the output of --helm off\n',
    );
    const helm = join(CACHE_BIN, 'helm');
    const piped = spawnSync(
      'sh',
      [
        '-c',
        `"${helm}" template off | "${process.execPath}" "${BIN}" lint - --no-config --fail-if-no-objects`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(piped.status).toBe(2);
    expect(piped.stderr).toContain(
      'no Kubernetes objects in the input (--fail-if-no-objects): read standard input',
    );
    // Turned on, the same chart passes.
    expect(
      shipshape(['lint', '--helm', 'off', '--set', 'enabled=true', '--no-config', '--fail-if-no-objects'], {
        cwd: dir,
      }).code,
    ).toBe(0);
  });

  it('reports the right files and lines from any working directory', () => {
    // From the repository root, with a relative chart path.
    const fromRoot = shipshape(['lint', '--helm', 'test/fixtures/helm/gated', '--no-config', '-f', 'json'], {
      cwd: ROOT,
    });
    expect(pick(fromRoot, 'no-privileged-container')).toEqual([
      'test/fixtures/helm/gated/templates/deployment.yaml:36:13 no-privileged-container',
    ]);
    // From inside the chart's templates folder, and piped from inside the chart folder.
    const inside = shipshape(['lint', '--helm', '..', '--no-config', '-f', 'json'], {
      cwd: join(HELM_FIX, 'gated/templates'),
    });
    expect(pick(inside, 'no-privileged-container')).toEqual([
      'deployment.yaml:36:13 no-privileged-container',
    ]);
    const helm = join(CACHE_BIN, 'helm');
    const piped = spawnSync(
      'sh',
      [
        '-c',
        `"${helm}" template . --kube-version 1.33 | "${process.execPath}" "${BIN}" lint - --no-config -f json`,
      ],
      { cwd: join(HELM_FIX, 'gated'), encoding: 'utf8' },
    );
    expect(pick(piped, 'no-privileged-container')).toEqual([
      'templates/deployment.yaml:36:13 no-privileged-container',
    ]);
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

  it('reports a value an overlay patch set on the patch file (strategic merge and JSON 6902)', () => {
    // patched/ = base + security.yaml (strategic merge: hostNetwork, the api container's
    // securityContext) + ipc.yaml (JSON 6902: hostIPC, a hostPort); what the base set stays there.
    const r = shipshape(['lint', '--kustomize', 'patched', '--no-config', '-f', 'json'], { cwd: KUST_FIX });
    expect(r.stderr).toBe('');
    expect(where(r).sort()).toEqual([
      'base/deployment.yaml:17:7 no-host-pid',
      'base/deployment.yaml:19:9 require-cpu-request',
      'base/deployment.yaml:19:9 require-memory-limit',
      'base/deployment.yaml:19:9 require-memory-request',
      'base/deployment.yaml:19:9 require-readiness-probe',
      'patched/ipc.yaml:3:3 no-host-ipc',
      'patched/ipc.yaml:8:7 no-host-port',
      'patched/security.yaml:12:13 no-privileged-container',
      'patched/security.yaml:13:13 require-read-only-root-filesystem',
      'patched/security.yaml:8:7 no-host-network',
    ]);
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
