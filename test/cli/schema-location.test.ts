// --schema-location in kubeconform's naming: local folders, and URL templates (only when given,
// cached on disk), plus the library entry point.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { renderLocation } from '../../src/schema/locations.js';
import { lintText } from '../../src/index.js';

const widgetSchema = {
  $schema: 'http://json-schema.org/schema#',
  type: 'object',
  required: ['spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: { size: { type: 'integer' }, color: { enum: ['red', 'blue'] } },
    },
  },
};
const widget =
  'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: "big"\n  colour: red\n';

const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  runCli([...args, '--no-config', '--preset', 'schema'], { cwd, env });

describe('--schema-location', () => {
  it('renders kubeconform templates', () => {
    const o = { kubernetesVersion: 'v1.37.2', strict: true };
    expect(renderLocation('schemas', 'apps/v1', 'Deployment', o)).toBe(
      'schemas/v1.37.2-standalone-strict/deployment-apps-v1.json',
    );
    expect(renderLocation('schemas/', 'v1', 'Pod', { ...o, strict: false })).toBe(
      'schemas/v1.37.2-standalone/pod-v1.json',
    );
    expect(
      renderLocation(
        'https://h/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
        'cert-manager.io/v1',
        'Certificate',
        o,
      ),
    ).toBe('https://h/cert-manager.io/certificate_v1.json');
    expect(
      renderLocation('s/{{ .ResourceKind }}{{ .KindSuffix }}.json', 'networking.k8s.io/v1', 'Ingress', o),
    ).toBe('s/ingress-networking-v1.json');
  });

  it('validates custom resources against schemas in a local folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-loc-'));
    mkdirSync(join(dir, 'schemas/v1.37.2-standalone-strict'), { recursive: true });
    writeFileSync(
      join(dir, 'schemas/v1.37.2-standalone-strict/widget-example-v1.json'),
      JSON.stringify(widgetSchema),
    );
    writeFileSync(join(dir, 'w.yaml'), widget);
    const r = await cli(['lint', 'w.yaml', '--schema-location', 'schemas'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('w.yaml:6:9  error  spec.size: expected integer, got string  k8s-schema');
    expect(r.stdout).toContain(
      'w.yaml:7:3  error  spec.colour: unknown field (did you mean "color"?)  k8s-schema',
    );
    const without = await cli(['lint', 'w.yaml'], dir);
    expect(without.stdout).toContain('missing-schema');
  });

  describe('from a URL template', () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      if (req.url === '/example.com/widget_v1.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(widgetSchema));
      } else res.writeHead(404).end();
    });
    let base = '';
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const addr = server.address() as { port: number };
      base = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches only when a URL is given, then serves from the disk cache', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shipshape-url-'));
      const cache = join(dir, 'cache');
      writeFileSync(join(dir, 'w.yaml'), widget);
      const template = `${base}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`;
      const first = await cli(['lint', 'w.yaml', '--schema-location', template], dir, {
        XDG_CACHE_HOME: cache,
      });
      expect(first.stdout).toContain('spec.size: expected integer');
      expect(hits).toBe(1);
      expect(readdirSync(join(cache, 'shipshape/schemas'))).toHaveLength(1);
      const second = await cli(['lint', 'w.yaml', '--schema-location', template], dir, {
        XDG_CACHE_HOME: cache,
      });
      expect(second.stdout).toBe(first.stdout);
      expect(hits).toBe(1);
    });
  });
});

describe('library API', () => {
  it('lintText returns located findings from text', async () => {
    const { findings, resources } = await lintText(
      'deploy.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: "80"\n',
      {
        presets: ['schema'],
      },
    );
    expect(resources).toHaveLength(1);
    expect(findings.map((f) => [f.ruleId, f.message, f.location?.start])).toEqual([
      ['k8s-schema', 'spec.ports[0].port: expected integer, got string "80"', { line: 7, column: 13 }],
    ]);
  });
});
