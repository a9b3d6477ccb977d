// The language server driven by a real LSP client (vscode-jsonrpc over the server's stdio):
// diagnostics, incremental changes, code-action round trips, hover, configuration reload and
// cross-resource context.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { BIN, ROOT, TestClient, uriOf } from './client.js';

const FIX = join(ROOT, 'test/fixtures/lsp');
const DEPLOYMENT = readFileSync(join(FIX, 'deployment.yaml'), 'utf8');

const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop().catch(() => c.child.kill());
});

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(dir: string, o: { watchedFiles?: boolean; init?: Record<string, unknown> } = {}) {
  const c = new TestClient({ rootDir: dir, watchedFiles: o.watchedFiles, initializationOptions: o.init });
  clients.push(c);
  await c.initialize();
  return c;
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('shipshape lsp over stdio', () => {
  it('announces its capabilities', async () => {
    const c = new TestClient({ rootDir: workspace() });
    clients.push(c);
    const init = await c.initialize();
    expect(init.serverInfo?.name).toBe('shipshape');
    expect(init.capabilities.textDocumentSync).toBe(2); // incremental
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.codeActionProvider).toEqual({
      codeActionKinds: ['quickfix', 'source.fixAll.shipshape'],
    });
    expect(c.registrations).toMatchObject([
      {
        method: 'workspace/didChangeWatchedFiles',
        registerOptions: {
          watchers: [{ globPattern: '**/.shipshape.{yaml,yml}' }, { globPattern: '**/*.{yaml,yml,json}' }],
        },
      },
    ]);
  });

  it('publishes diagnostics on open with the exact ranges, severities and codes the CLI reports', async () => {
    const dir = workspace({ 'deployment.yaml': DEPLOYMENT });
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    const ds = await c.diagnostics(uri);

    expect(ds[0]).toEqual({
      range: { start: { line: 16, character: 19 }, end: { line: 16, character: 23 } },
      severity: 1,
      code: 'no-host-network',
      codeDescription: { href: 'https://shipshape.dev/rules/no-host-network' },
      source: 'shipshape',
      message: 'Deployment web sets hostNetwork: true.',
      data: { version: 1, index: 0 },
    });
    // Every finding of `shipshape lint -f json` on the same file, one to one.
    const cli = spawnSync(process.execPath, [BIN, 'lint', 'deployment.yaml', '-f', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const report = JSON.parse(cli.stdout) as {
      findings: Array<{
        ruleId: string;
        severity: string;
        location: { start: { line: number; column: number }; end: { line: number; column: number } };
      }>;
    };
    expect(report.findings.length).toBe(3);
    expect(ds.map((d) => [d.code, d.severity, d.range])).toEqual(
      report.findings.map((f) => [
        f.ruleId,
        { error: 1, warn: 2, info: 3 }[f.severity],
        {
          start: { line: f.location.start.line - 1, character: f.location.start.column - 1 },
          end: { line: f.location.end.line - 1, character: f.location.end.column - 1 },
        },
      ]),
    );
    expect(codes(ds)).toEqual(['no-host-network', 'no-stale-image-pull-policy', 'no-unmasked-proc-mount']);
    expect(ds.map((d) => d.severity)).toEqual([1, 2, 1]);
  });

  it('re-validates on incremental changes', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    expect(codes(await c.diagnostics(uri))).toContain('no-host-network');
    // Delete line 17 (`      hostNetwork: true`).
    await c.edit(uri, { start: { line: 16, character: 0 }, end: { line: 17, character: 0 } }, '');
    const ds = await c.diagnostics(uri);
    expect(codes(ds)).toEqual(['no-stale-image-pull-policy', 'no-unmasked-proc-mount']);
    // Everything below the deleted line moved up by one.
    expect(ds[1]!.range.start).toEqual({ line: 22, character: 23 });
    // Typing a syntax error gives a yaml-syntax diagnostic.
    await c.edit(
      uri,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      'key: [unclosed\n',
    );
    expect(codes(await c.diagnostics(uri))).toContain('yaml-syntax');
  });

  it('coalesces a burst of edits and always ends with the newest text', async () => {
    const dir = workspace();
    const c = await start(dir, { init: { debounceMs: 300 } });
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    await c.diagnostics(uri);
    const before = c.published.length;
    let text = DEPLOYMENT;
    for (let i = 0; i < 20; i++) {
      text = text.replace(/replicas: \d+/, `replicas: ${i + 3}`);
      await c.change(uri, text);
    }
    const final = text.replace('hostNetwork: true', 'hostNetwork: false');
    await c.change(uri, final);
    const ds = await c.diagnostics(uri);
    expect(codes(ds)).not.toContain('no-host-network');
    const lints = c.published.length - before;
    expect(lints).toBeGreaterThanOrEqual(1);
    expect(lints).toBeLessThanOrEqual(3);
  });

  it('round-trips the rule fix: the returned WorkspaceEdit removes the finding', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    const ds = await c.diagnostics(uri);
    const proc = ds.find((d) => d.code === 'no-unmasked-proc-mount')!;
    const actions = await c.codeActions(uri, [proc]);
    expect(actions.map((a) => a.title)).toEqual([
      'Fix no-unmasked-proc-mount: sets procMount to Default',
      'Suppress no-unmasked-proc-mount on this line (shipshape-disable-next-line comment)',
      'Suppress no-unmasked-proc-mount for Deployment web (shipshape.dev/ignore annotation)',
    ]);
    const fix = actions[0]!;
    expect(fix.kind).toBe('quickfix');
    expect(fix.isPreferred).toBe(true);
    expect(fix.diagnostics).toEqual([proc]);
    // A minimal edit: only the value changes.
    expect(fix.edit?.documentChanges).toEqual([
      {
        textDocument: { uri, version: 1 },
        edits: [
          {
            range: { start: { line: 23, character: 23 }, end: { line: 23, character: 31 } },
            newText: 'Default',
          },
        ],
      },
    ]);
    const next = await c.apply(uri, fix);
    expect(next).toBe(DEPLOYMENT.replace('procMount: Unmasked', 'procMount: Default'));
    expect(codes(await c.diagnostics(uri))).toEqual(['no-host-network', 'no-stale-image-pull-policy']);
  });

  it('offers unsafe fixes as not preferred, and applies them on request', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    const host = (await c.diagnostics(uri)).find((d) => d.code === 'no-host-network')!;
    const [fix] = await c.codeActions(uri, [host]);
    expect(fix!.title).toBe('Fix no-host-network: removes hostNetwork (unsafe: review the change)');
    expect(fix!.isPreferred).toBe(false);
    const next = await c.apply(uri, fix!);
    expect(next).toBe(DEPLOYMENT.replace('      hostNetwork: true\n', ''));
    expect(codes(await c.diagnostics(uri))).not.toContain('no-host-network');
  });

  it('suppresses a finding on its line with a shipshape-disable-next-line comment', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    let ds = await c.diagnostics(uri);
    const host = ds.find((d) => d.code === 'no-host-network')!;
    const here = (await c.codeActions(uri, [host])).find((a) => a.title.includes('on this line'))!;
    const next = await c.apply(uri, here);
    expect(next).toBe(
      DEPLOYMENT.replace(
        '      hostNetwork: true\n',
        '      # shipshape-disable-next-line no-host-network -- TODO explain why\n      hostNetwork: true\n',
      ),
    );
    ds = await c.diagnostics(uri);
    expect(codes(ds)).toEqual(['no-stale-image-pull-policy', 'no-unmasked-proc-mount']);
    // Another finding further down gets its own comment, indented like its line.
    await c.change(
      uri,
      c.text(uri).replace('      hostNetwork: true\n', '      hostNetwork: true\n      hostPID: true\n'),
    );
    const pid = (await c.diagnostics(uri)).find((d) => d.code === 'no-host-pid')!;
    expect(pid.range.start.line).toBe(18);
    const herePid = (await c.codeActions(uri, [pid])).find((a) => a.title.includes('on this line'))!;
    const text3 = await c.apply(uri, herePid);
    expect(text3).toContain(
      '      hostNetwork: true\n      # shipshape-disable-next-line no-host-pid -- TODO explain why\n      hostPID: true\n',
    );
    expect(codes(await c.diagnostics(uri))).not.toContain('no-host-pid');
  });

  it('suppresses a finding for the object with the shipshape.dev/ignore annotation', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    const pull = (await c.diagnostics(uri)).find((d) => d.code === 'no-stale-image-pull-policy')!;
    const forObject = (await c.codeActions(uri, [pull])).find((a) => a.title.includes('annotation'))!;
    expect(forObject.title).toBe(
      'Suppress no-stale-image-pull-policy for Deployment web (shipshape.dev/ignore annotation)',
    );
    const next = await c.apply(uri, forObject);
    expect(next).toBe(
      DEPLOYMENT.replace(
        '  labels:\n    app: web\nspec:',
        '  labels:\n    app: web\n  annotations:\n    shipshape.dev/ignore: no-stale-image-pull-policy -- TODO explain why\nspec:',
      ),
    );
    expect(codes(await c.diagnostics(uri))).toEqual(['no-host-network', 'no-unmasked-proc-mount']);
    // A second rule is added to the same annotation.
    const proc = (await c.diagnostics(uri)).find((d) => d.code === 'no-unmasked-proc-mount')!;
    const again = (await c.codeActions(uri, [proc])).find((a) => a.title.includes('annotation'))!;
    const after = await c.apply(uri, again);
    expect(after).toContain(
      '    shipshape.dev/ignore: no-stale-image-pull-policy, no-unmasked-proc-mount -- TODO explain why\n',
    );
    expect(codes(await c.diagnostics(uri))).toEqual(['no-host-network']);
  });

  it('offers a fix-all source action for the safe fixes', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    await c.diagnostics(uri);
    const actions = await c.codeActions(uri, [], ['source.fixAll']);
    expect(actions.map((a) => [a.title, a.kind])).toEqual([
      ['Fix all safely fixable shipshape problems', 'source.fixAll.shipshape'],
    ]);
    await c.apply(uri, actions[0]!);
    expect(codes(await c.diagnostics(uri))).toEqual(['no-host-network', 'no-stale-image-pull-policy']);
  });

  it('shows why and remediation on hover over a diagnostic, nothing elsewhere', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    await c.diagnostics(uri);
    const h = await c.hover(uri, 16, 21);
    expect(h?.range).toEqual({ start: { line: 16, character: 19 }, end: { line: 16, character: 23 } });
    const md = (h?.contents as { kind: string; value: string }).value;
    const def = (
      JSON.parse(readFileSync(join(ROOT, 'rules/index.json'), 'utf8')) as Array<{
        id: string;
        why: string;
        remediation: string;
      }>
    ).find((d) => d.id === 'no-host-network')!;
    expect((h?.contents as { kind: string }).kind).toBe('markdown');
    expect(md).toContain('**no-host-network** (error): Deployment web sets hostNetwork: true.');
    expect(md).toContain(`**Why:** ${def.why.trim()}`);
    expect(md).toContain(`**Fix:** ${def.remediation.trim()}`);
    expect(md).toContain('[Rule documentation](https://shipshape.dev/rules/no-host-network)');
    expect(await c.hover(uri, 0, 3)).toBeNull();
  });

  it('lints only documents that look like Kubernetes manifests, unless a configured glob matches', async () => {
    const dir = workspace();
    const c = await start(dir, { init: { files: ['k8s/**/*.yaml'] } });
    const values = uriOf(join(dir, 'values.yaml'));
    await c.open(values, 'replicaCount: 1\nimage:\n  tag: latest\n');
    expect(await c.diagnostics(values)).toEqual([]);
    const forced = uriOf(join(dir, 'k8s/partial.yaml'));
    await c.open(forced, 'metadata:\n  name: x\n');
    expect(codes(await c.diagnostics(forced))).toEqual(['invalid-resource']);
    // Go templates in a Helm chart are not YAML: left alone.
    mkdirSync(join(dir, 'chart/templates'), { recursive: true });
    writeFileSync(join(dir, 'chart/Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    const tpl = uriOf(join(dir, 'chart/templates/deploy.yaml'));
    await c.open(tpl, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n');
    expect(await c.diagnostics(tpl)).toEqual([]);
    // As the CLI's walk (src/linter/manifest-files.ts): kustomization and compose files, though
    // a kustomization has apiVersion and kind.
    const kustomization = uriOf(join(dir, 'overlays/kustomization.yaml'));
    await c.open(
      kustomization,
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n',
    );
    expect(await c.diagnostics(kustomization)).toEqual([]);
    const compose = uriOf(join(dir, 'compose.yaml'));
    await c.open(compose, 'apiVersion: v1\nkind: Pod\nservices: {}\n');
    expect(await c.diagnostics(compose)).toEqual([]);
  });

  it('lints JSON manifests and fixes them as JSON', async () => {
    const dir = workspace();
    const c = await start(dir);
    const uri = uriOf(join(dir, 'pod.json'));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { procMount: 'Unmasked' } }] },
    };
    await c.open(uri, JSON.stringify(pod, null, 2) + '\n', 'json');
    const ds = await c.diagnostics(uri);
    const proc = ds.find((d) => d.code === 'no-unmasked-proc-mount')!;
    expect(proc.range.start).toEqual({ line: 12, character: 23 });
    const actions = await c.codeActions(uri, [proc]);
    // No comments in JSON: no inline suppression.
    expect(actions.map((a) => a.title)).toEqual([
      'Fix no-unmasked-proc-mount: sets procMount to Default',
      'Suppress no-unmasked-proc-mount for Pod p (shipshape.dev/ignore annotation)',
    ]);
    const fixed = await c.apply(uri, actions[0]!);
    expect(JSON.parse(fixed)).toEqual({
      ...pod,
      spec: { containers: [{ ...pod.spec.containers[0], securityContext: { procMount: 'Default' } }] },
    });
    expect(codes(await c.diagnostics(uri))).not.toContain('no-unmasked-proc-mount');
  });

  it('reloads .shipshape.yaml when the client reports it changed', async () => {
    const dir = workspace({ '.shipshape.yaml': 'rules:\n  no-host-network: warn\n' });
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    let ds = await c.diagnostics(uri);
    expect(ds.find((d) => d.code === 'no-host-network')?.severity).toBe(2);
    const n = c.published.length;
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      'rules:\n  no-host-network: off\n  no-unmasked-proc-mount: info\n',
    );
    await c.watchedFilesChanged([{ uri: uriOf(join(dir, '.shipshape.yaml')), type: 2 }]);
    await c.until(() => c.published.length > n, 're-published diagnostics');
    ds = c.latest(uri)!.diagnostics;
    expect(codes(ds)).toEqual(['no-stale-image-pull-policy', 'no-unmasked-proc-mount']);
    expect(ds[1]!.severity).toBe(3);
  });

  it('watches .shipshape.yaml itself when the client does not report file changes', async () => {
    const dir = workspace({ '.shipshape.yaml': 'rules:\n  no-host-network: warn\n' });
    const c = await start(dir, { watchedFiles: false });
    expect(c.registrations).toEqual([]);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    expect((await c.diagnostics(uri)).find((d) => d.code === 'no-host-network')?.severity).toBe(2);
    writeFileSync(join(dir, '.shipshape.yaml'), 'rules:\n  no-host-network: off\n');
    await c.until(
      () => !codes(c.latest(uri)?.diagnostics ?? []).includes('no-host-network') && true,
      'diagnostics after the config file changed on disk',
    );
  });

  it('reports a broken .shipshape.yaml and lints with the defaults', async () => {
    const dir = workspace({ '.shipshape.yaml': 'rules:\n  no-such-rule: error\n' });
    const c = await start(dir);
    const uri = uriOf(join(dir, 'deployment.yaml'));
    await c.open(uri, DEPLOYMENT);
    expect(codes(await c.diagnostics(uri))).toContain('no-host-network');
    const msg = await c.until(() => c.messages.find((m) => m.type === 1), 'an error message');
    expect(msg.message).toMatch(/^shipshape: .*no-such-rule.*\(using the default configuration\)$/);
  });

  it('lets cross-resource rules see the workspace manifests and the other open documents', async () => {
    const dir = workspace({ 'deploy/deployment.yaml': DEPLOYMENT });
    const c = await start(dir);
    const svc = (app: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n`;
    const uri = uriOf(join(dir, 'service.yaml'));
    // The Deployment on disk (never opened) matches the selector: no false alarm.
    await c.open(uri, svc('web'));
    expect(codes(await c.diagnostics(uri))).not.toContain('no-unmatched-service-selector');
    await c.change(uri, svc('api'));
    expect(codes(await c.diagnostics(uri))).toContain('no-unmatched-service-selector');
    // An open buffer wins over the file on disk: relabel the Deployment's pods in the editor.
    const depUri = uriOf(join(dir, 'deploy/deployment.yaml'));
    await c.open(depUri, DEPLOYMENT.replace(/app: web/g, 'app: api'));
    await c.diagnostics(depUri);
    await c.until(
      () => !codes(c.latest(uri)?.diagnostics ?? []).includes('no-unmatched-service-selector') && true,
      'the service re-linted against the open Deployment',
    );
    // A file created on disk is picked up once the client reports it.
    const other = uriOf(join(dir, 'other.yaml'));
    await c.close(depUri);
    await c.open(other, svc('worker'));
    expect(codes(await c.diagnostics(other))).toContain('no-unmatched-service-selector');
    cpSync(join(dir, 'deploy/deployment.yaml'), join(dir, 'worker.yaml'));
    writeFileSync(join(dir, 'worker.yaml'), DEPLOYMENT.replace(/web/g, 'worker'));
    await c.watchedFilesChanged([{ uri: uriOf(join(dir, 'worker.yaml')), type: 1 }]);
    await c.until(
      () => !codes(c.latest(other)?.diagnostics ?? []).includes('no-unmatched-service-selector') && true,
      'the new workspace file used as context',
    );
  });

  it('validates custom resources against schemas from the config’s schemaLocations', async () => {
    const version = new SchemaRegistry(bundledSchemas()).kubernetesVersion;
    const schema = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object', properties: { size: { type: 'integer' } } },
      },
    };
    const dir = workspace({
      '.shipshape.yaml': 'schemaLocations: [schemas]\npresets: [schema]\n',
      [`schemas/${version}-standalone-strict/widget-example-v1.json`]: JSON.stringify(schema),
    });
    const c = await start(dir);
    const uri = uriOf(join(dir, 'widget.yaml'));
    await c.open(uri, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n');
    const ds = await c.diagnostics(uri);
    expect(ds.map((d) => [d.code, d.message, d.range.start])).toEqual([
      ['k8s-schema', 'spec.size: expected integer, got string', { line: 5, character: 8 }],
    ]);
  });

  it('exits cleanly on shutdown + exit', async () => {
    const c = new TestClient({ rootDir: workspace() });
    await c.initialize();
    expect(await c.stop()).toBe(0);
  });
});
