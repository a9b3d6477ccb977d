// The bundled schema definitions are parsed one at a time, as a run reaches them
// (src/schema/bundled.ts): defs.json has one definition per line (tools/schemagen), so a run that
// validates one Deployment parses the few definitions it reaches, not the whole file.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_SCHEMA_DIR, bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry, type VersionBundle } from '../../src/schema/registry.js';

const work = mkdtempSync(join(tmpdir(), 'shipshape-defs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 'eighty' }] }],
        bogus: 1,
      },
    },
  },
};
const OPTIONS = { strict: true, redact: false };

function check(dir: string, apiVersion: string, kind: string, object: unknown) {
  const found = new SchemaRegistry(bundledSchemas(dir)).lookup(apiVersion, kind);
  if (found.status !== 'found') throw new Error(`${apiVersion} ${kind}: ${found.status}`);
  return found.check(object, OPTIONS);
}

/** A copy of schemas/kubernetes whose defs.json is `edit(defs.json lines)`. */
function copyWith(edit: (lines: string[]) => string[] | string): string {
  const dir = mkdtempSync(join(work, 'schemas-')) + '/';
  cpSync(BUNDLED_SCHEMA_DIR, dir, { recursive: true });
  const out = edit(readFileSync(join(dir, 'defs.json'), 'utf8').split('\n'));
  writeFileSync(join(dir, 'defs.json'), typeof out === 'string' ? out : out.join('\n'));
  return dir;
}

const lines = readFileSync(join(BUNDLED_SCHEMA_DIR, 'defs.json'), 'utf8').split('\n');
const lineOf = (hash: string) => lines.findIndex((l) => l.startsWith(`  "${hash}": `));
const v137 = JSON.parse(readFileSync(join(BUNDLED_SCHEMA_DIR, 'v1.37.json'), 'utf8')) as VersionBundle;
const expected = check(BUNDLED_SCHEMA_DIR, 'apps/v1', 'Deployment', DEPLOYMENT);

describe('bundled schema definitions, one at a time', () => {
  it('the Deployment has schema findings (so the comparisons below compare something)', () => {
    expect(expected.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/spec/template/spec/bogus',
        '/spec/template/spec/containers/0/ports/0/containerPort',
      ]),
    );
  });

  it('each definition read alone equals the one in the whole file', () => {
    const whole = bundledSchemas().loadDefs();
    const one = bundledSchemas();
    const hashes = Object.keys(whole);
    expect(hashes.length).toBeGreaterThan(1000);
    for (const h of hashes) expect(one.loadDef(h), h).toEqual(whole[h]);
    expect(one.loadDef('0000000000000000')).toBeUndefined();
    expect(one.loadDef('__proto__')).toBeUndefined();
  });

  it('a Deployment is validated without parsing the definitions it does not reach', () => {
    // Break every definition no v1.37 kind uses: parsing the whole file would now fail.
    const used = new Set(Object.values(v137.defs));
    const dir = copyWith((ls) =>
      ls.map((l) => {
        const m = /^ {2}"([0-9a-f]+)": /.exec(l);
        return m && !used.has(m[1]!) ? `  "${m[1]}": {"broken": ` : l;
      }),
    );
    expect(() => bundledSchemas(dir).loadDefs()).toThrow(SyntaxError);
    expect(check(dir, 'apps/v1', 'Deployment', DEPLOYMENT)).toEqual(expected);
  });

  it('a broken definition that is reached is an error naming the file, line and definition', () => {
    const hash = v137.defs['io.k8s.api.apps.v1.Deployment']!;
    const at = lineOf(hash);
    expect(at).toBeGreaterThan(0);
    const dir = copyWith((ls) => ls.map((l, i) => (i === at ? `  "${hash}": {"properties": ` : l)));
    expect(() => check(dir, 'apps/v1', 'Deployment', DEPLOYMENT)).toThrow(
      `${dir}defs.json:${at + 1}: definition ${hash} is not valid JSON`,
    );
  });

  it('a defs.json laid out otherwise (pretty-printed, one line) is parsed whole, with the same result', () => {
    const whole = bundledSchemas().loadDefs();
    for (const text of [JSON.stringify(whole, null, 2), JSON.stringify(whole)]) {
      const dir = copyWith(() => text);
      expect(check(dir, 'apps/v1', 'Deployment', DEPLOYMENT)).toEqual(expected);
      expect(bundledSchemas(dir).loadDef('0000000000000000')).toBeUndefined();
    }
  });
});
