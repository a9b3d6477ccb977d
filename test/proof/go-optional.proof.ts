// Fields the published OpenAPI marks `required` that the API server accepts absent: found by asking
// the real kube-apiserver, and kept in src/schema/go-optional.generated.ts (applied by the schema
// overlays). For every required field that a valid object holds (the realistic generator's objects
// and the hand-written sample's bases), the object without that field is judged by a strict dry-run
// create; a field is Go-optional when every such object is accepted without it.
//
// This is the freshness check of the generated table: it fails when the API server's answers differ
// from the committed table. `GO_OPTIONAL_WRITE=1 npx vitest run --config vitest.proof.config.mjs
// test/proof/go-optional.proof.ts` rewrites it (scripts/go-optional.sh does both steps).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { GO_OPTIONAL, GO_OPTIONAL_PROBED } from '../../src/schema/go-optional.generated.js';
import type { SchemaNode } from '../../src/schema/validate.js';
import { startApiServer, type ApiServer } from './apiserver.js';
import { ROOT } from './differential-lib.js';
import { BUILDERS, NAMESPACES } from './gen/realistic.js';

const MINOR = '1.37';
/** Objects tried per field: one acceptance could be luck of the context, two agree. */
const TRIES = 2;
const DRAWS_PER_KIND = 12;
const OUT = join(ROOT, 'src/schema/go-optional.generated.ts');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const src = bundledSchemas();
const bundle = src.loadVersion(MINOR);
const defs = src.loadDefs();
const minors = Object.keys(src.index.versions);
const bundles = minors.map((m) => src.loadVersion(m));
/**
 * The published definition, without shipshape's overlays (the table is about the raw schema), with
 * `required` as any bundled minor has it (a field required only in an older minor's OpenAPI is
 * probed too: the table applies to every minor).
 */
const raw = (name: string): SchemaNode | undefined => {
  const h = bundle.defs[name];
  const node = h === undefined ? undefined : defs[h];
  if (node === undefined) return undefined;
  const required = new Set(node.required ?? []);
  for (const b of bundles) {
    const other = b.defs[name];
    for (const r of (other === undefined ? undefined : defs[other])?.required ?? []) required.add(r);
  }
  return required.size === 0 ? node : { ...node, required: [...required] };
};

interface Candidate {
  field: string;
  object: Obj;
  path: Array<string | number>;
}

/** Every `definition.field` required by the schema and present in `object`, with where it is. */
function requiredPresent(root: Obj, key: string): Candidate[] {
  const out: Candidate[] = [];
  const walk = (
    value: unknown,
    node: SchemaNode | undefined,
    name: string | undefined,
    path: Array<string | number>,
    depth: number,
  ) => {
    if (node === undefined || depth > 40 || value === null || value === undefined) return;
    if (node.$ref !== undefined) return walk(value, raw(node.$ref), node.$ref, path, depth + 1);
    for (const part of node.allOf ?? []) walk(value, part, name, path, depth + 1);
    if (Array.isArray(value)) {
      if (node.items) value.forEach((item, i) => walk(item, node.items, undefined, [...path, i], depth + 1));
      return;
    }
    if (!isObj(value)) return;
    if (name !== undefined)
      for (const r of node.required ?? [])
        if (value[r] !== undefined && !(path.length === 0 && (r === 'apiVersion' || r === 'kind')))
          out.push({ field: `${name}.${r}`, object: root, path: [...path, r] });
    for (const [k, v] of Object.entries(value)) {
      const sub =
        node.properties?.[k] ??
        (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
      walk(v, sub, undefined, [...path, k], depth + 1);
    }
  };
  const def = bundle.kinds[key];
  if (def !== undefined) walk(root, { $ref: def }, undefined, [], 0);
  return out;
}

function without(o: Obj, path: Array<string | number>): Obj {
  const copy = structuredClone(o);
  let cur: unknown = copy;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, unknown>)[seg];
  delete (cur as Record<string | number, unknown>)[path[path.length - 1]!];
  return copy;
}

/** Valid objects: the generator's (a fixed seed) and the sample's hand-written bases. */
function validObjects(): Array<{ key: string; object: Obj }> {
  const out: Array<{ key: string; object: Obj }> = [];
  const keyOf = (o: Obj) => `${String(o.apiVersion)}/${String(o.kind)}`;
  for (const [key, build] of Object.entries(BUILDERS)) {
    if (!(key in bundle.kinds)) continue;
    const draws = fc.sample(
      fc.record({
        name: fc.constantFrom('web', 'api', 'queue'),
        ns: fc.constantFrom(...NAMESPACES),
        image: fc.constant('nginx:1.27'),
        port: fc.constantFrom(80, 8080),
        replicas: fc.integer({ min: 0, max: 3 }),
        n: fc.nat(1000),
        flag: fc.boolean(),
        flag2: fc.boolean(),
      }),
      { numRuns: DRAWS_PER_KIND, seed: 7 },
    );
    for (const d of draws) out.push({ key, object: build(d) });
  }
  const base = join(ROOT, 'test/proof/fixtures/api-sample/base');
  for (const f of readdirSync(base).sort())
    for (const doc of parseAllDocuments(readFileSync(join(base, f), 'utf8'))) {
      const o: unknown = doc.toJS();
      if (isObj(o)) out.push({ key: keyOf(o), object: o });
    }
  return out;
}

function render(table: Record<string, string[]>, probed: number, version: string): string {
  const lines = Object.keys(table)
    .sort()
    .map((d) => `  '${d}': [${table[d]!.map((f) => `'${f}'`).join(', ')}],`);
  return `// Generated by test/proof/go-optional.proof.ts against kube-apiserver ${version}: do not edit.
// Regenerate with scripts/go-optional.sh (needs scripts/e2e-setup.sh).
/**
 * Fields the published OpenAPI marks required that the API server accepts absent (its Go validation
 * does not require them): definition → fields. Measured, not assumed: each was removed from valid
 * objects and the API server accepted every one of them.
 */
export const GO_OPTIONAL: Readonly<Record<string, readonly string[]>> = {
${lines.join('\n')}
};
/** How many required fields the probe could try (those the valid objects hold). */
export const GO_OPTIONAL_PROBED = ${probed};
`;
}

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ namespaces: NAMESPACES.filter((n) => n !== 'default') });
});
afterAll(async () => {
  await server?.stop();
});

describe('required in OpenAPI, optional in Go', () => {
  it('the committed table says what the API server accepts', async () => {
    const byField = new Map<string, Candidate[]>();
    for (const { key, object } of validObjects())
      for (const c of requiredPresent(object, key)) {
        const list = byField.get(c.field) ?? [];
        if (list.length < TRIES && !list.some((x) => x.object === c.object)) list.push(c);
        byField.set(c.field, list);
      }
    const probes = [...byField.values()].flat();
    const verdicts = await server.judgeAll(
      probes.map((c) => ({ text: JSON.stringify(without(c.object, c.path)) })),
    );
    const accepted = new Map<string, boolean>();
    probes.forEach((c, i) => accepted.set(c.field, (accepted.get(c.field) ?? true) && verdicts[i]!.accepted));
    const table: Record<string, string[]> = {};
    for (const [field, ok] of accepted) {
      if (!ok) continue;
      const dot = field.lastIndexOf('.');
      (table[field.slice(0, dot)] ??= []).push(field.slice(dot + 1));
    }
    for (const d of Object.keys(table)) table[d]!.sort();
    const text = render(table, accepted.size, server.version);
    if (process.env.GO_OPTIONAL_WRITE === '1') writeFileSync(OUT, text);
    console.log(
      `go-optional: ${accepted.size} required fields probed, ${Object.values(table).flat().length} accepted absent`,
    );
    expect({ table, probed: accepted.size }).toEqual({
      table: Object.fromEntries(Object.entries(GO_OPTIONAL).map(([k, v]) => [k, [...v]])),
      probed: GO_OPTIONAL_PROBED,
    });
  });
});
