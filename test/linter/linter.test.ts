// The composition root (src/linter): behaviour every front end shares, tested once here.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import type { Finding, KubeObject } from '../../src/engine/types.js';
import { lintText } from '../../src/index.js';
import { fixUntilStable, MAX_FIX_PASSES } from '../../src/linter/fix-loop.js';
import { ignoreMatcher, isManifestName, readInputFile } from '../../src/linter/inputs.js';
import { openLinter } from '../../src/linter/linter.js';
import { loadProject, lintWithProject } from '../../src/lsp/project.js';
import { resolveSettings } from '../../src/webhook/admission.js';
import { loadEngine } from '../../src/webhook/engine.js';

const FIX = fileURLToPath(new URL('../fixtures/cli/', import.meta.url));
const CRD = readFileSync(join(FIX, 'crd.yaml'), 'utf8');
const WIDGET = readFileSync(join(FIX, 'widget.yaml'), 'utf8');
const SCHEMA_ONLY = { presets: ['schema'] };
/** A custom resource of the CRD in test/fixtures/cli/crd.yaml that breaks its `minimum: 1`. */
const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec: { size: 0 },
};

const tmp = () => mkdtempSync(join(tmpdir(), 'shipshape-linter-'));
const ids = (fs: readonly Finding[]) =>
  fs.filter((f) => !f.suppressed).map((f) => `${f.ruleId}@${f.resource.kind}`);

describe('resolveConfig: the one place defaults live', () => {
  it('fills strict, inlineConfig, ignoreMissingSchemas and the list fields', () => {
    expect(resolveConfig({})).toMatchObject({
      strict: true,
      inlineConfig: true,
      ignoreMissingSchemas: false,
      ignorePaths: [],
      crds: [],
      schemaLocations: [],
    });
  });

  it('keeps what the config says', () => {
    const r = resolveConfig({ strict: false, inlineConfig: false, crds: ['x.yaml'] });
    expect(r).toMatchObject({ strict: false, inlineConfig: false, crds: ['x.yaml'] });
  });
});

/** The webhook's engine with only the schema rules, validating at admission, with these CRD files. */
const schemaEngine = (crds: string[], dir: string) =>
  loadEngine({ presets: ['schema'], crds }, resolveSettings({ schemaValidation: true }), dir);

describe('one CRD test for every front end', () => {
  // A look-alike with another group is not a CRD: its "schema" must not validate anything.
  const FAKE = CRD.replace('apiextensions.k8s.io/v1', 'example.com/v1');

  it('the library registers an apiextensions CRD from the text and validates its custom resources', async () => {
    const { findings } = await lintText('m.yaml', `${CRD}---\n${WIDGET}`, SCHEMA_ONLY);
    expect(findings.map((f) => f.message).join('\n')).toContain('spec.size');
  });

  it('the library, the CLI path, the editor and the webhook all ignore a look-alike', async () => {
    const fromLibrary = await lintText('m.yaml', `${FAKE}---\n${WIDGET}`, SCHEMA_ONLY);
    expect(ids(fromLibrary.findings)).toContain('missing-schema@Widget');

    const dir = tmp();
    writeFileSync(join(dir, 'crd.yaml'), FAKE);
    writeFileSync(join(dir, 'w.yaml'), WIDGET);
    const linter = await openLinter(SCHEMA_ONLY, { baseDir: dir });
    const fromFiles = await linter.lintFiles(['.']);
    expect(ids(fromFiles.findings)).toContain('missing-schema@Widget');

    writeFileSync(join(dir, '.shipshape.yaml'), 'presets: [schema]\ncrds: [crd.yaml]\n');
    const project = await loadProject(join(dir, '.shipshape.yaml'), dir);
    const parsed = { resources: [], problems: [] };
    expect(project.error).toBeUndefined();
    expect(project.linter.registry.has('example.com/v1', 'Widget')).toBe(false);
    expect(lintWithProject(project, { file: 'x.yaml', text: '', parsed, context: [] })).toEqual([]);

    const engine = await schemaEngine([join(dir, 'crd.yaml')], dir);
    // Unknown schemas are not refused at admission: nothing, rather than the look-alike's verdict.
    expect(engine.lint(widget)).toEqual([]);
  });

  it('the webhook validates custom resources against a real CRD from the config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'crd.yaml'), CRD);
    const engine = await schemaEngine(['crd.yaml'], dir);
    expect(engine.lint(widget).map((f) => f.ruleId)).toEqual(['k8s-schema']);
  });
});

describe('one fix loop', () => {
  it('stops after MAX_FIX_PASSES passes when fixes never settle', () => {
    let relints = 0;
    const out = fixUntilStable(0, [], {
      apply: (n) => n + 1,
      relint: () => {
        relints++;
        return [];
      },
    });
    expect(out).toMatchObject({ value: MAX_FIX_PASSES, changed: true });
    expect(relints).toBe(MAX_FIX_PASSES);
  });

  it('returns the first findings untouched when nothing changes', () => {
    const first: Finding[] = [];
    const out = fixUntilStable('x', first, { apply: () => undefined, relint: () => [] });
    expect(out).toEqual({ value: 'x', findings: first, changed: false });
  });

  it('files and admission objects reach the same fixed point for the same manifest', async () => {
    const dir = tmp();
    const text =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: web\n  namespace: team\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c0\n            image: registry.example.com/app:1.0\n';
    writeFileSync(join(dir, 'cron.yaml'), text);
    const linter = await openLinter({ presets: ['recommended', 'pss-restricted'] }, { baseDir: dir });
    const files = await linter.lintFiles(['cron.yaml'], { fix: 'safe' });
    expect(files.fixed).toHaveLength(1);
    const { parseSource } = await import('../../src/source/parse.js');
    const fromText = parseSource('cron.yaml', files.fixed[0]!.after).resources[0]!.object;

    const object = parseSource('cron.yaml', text).resources[0]!.object;
    const fixedObject = linter.fixObject(object, linter.lintObject(object), (o) => linter.lintObject(o));
    expect(fixedObject).toEqual(fromText);
    expect(object).toEqual(parseSource('cron.yaml', text).resources[0]!.object); // the input is untouched
  });
});

describe('input discovery', () => {
  it('knows manifest names once: package.json, tsconfig*.json and the config are never manifests', () => {
    expect(isManifestName('deploy.yaml')).toBe(true);
    expect(isManifestName('x.JSON')).toBe(true);
    for (const n of ['package.json', 'package-lock.json', 'tsconfig.build.json', '.shipshape.yaml', 'a.txt'])
      expect(isManifestName(n)).toBe(false);
  });

  it('ignorePaths are relative to the config folder and never ignore what lies outside it', () => {
    const ignored = ignoreMatcher(['**/generated/**', 'vendor/*'], '/repo');
    expect(ignored('/repo/a/generated/x.yaml')).toBe(true);
    expect(ignored('/repo/vendor/y.yaml')).toBe(true);
    expect(ignored('/repo/app/y.yaml')).toBe(false);
    expect(ignored('/elsewhere/generated/x.yaml')).toBe(false);
  });
});

describe('reading inputs', () => {
  it('a file that vanishes between the walk and the read is a finding; the others are still linted', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'a.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: 1\n',
    );
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    const linter = await openLinter(SCHEMA_ONLY, {
      baseDir: dir,
      readFile: (abs) => {
        if (abs.endsWith('b.yaml'))
          throw Object.assign(new Error("ENOENT: no such file or directory, open 'b.yaml'"), {
            code: 'ENOENT',
          });
        return readInputFile(abs);
      },
    });
    const out = await linter.lintFiles(['.']);
    expect(out.findings.map((f) => `${f.ruleId}: ${f.message}`).sort()).toEqual([
      'k8s-schema: data.k: expected string, got integer 1',
      'unreadable-file: cannot read b.yaml: no such file or directory',
    ]);
    expect(out.files).toBe(2);
  });

  it('refuses a file over the size limit without reading it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(2048));
    expect(() => readInputFile(join(dir, 'big.yaml'), 1024)).toThrow(
      '2048 bytes, over the limit of 1024 bytes',
    );
    expect(readInputFile(join(dir, 'big.yaml'), 4096).length).toBe(2048);
  });
});
