#!/usr/bin/env node
// Writes kubeconform's offline schema folder from shipshape's bundled schemas, so kubeconform runs
// without the network and validates against the same definitions (enum overlays included) as
// `shipshape --preset schema`. Layout: <out>/v1.37.2-standalone-strict/deployment-apps-v1.json,
// the layout kubeconform expects under `-schema-location <out>`. Needs `npm run build` (overlays).
// Usage: node scripts/kubeconform-schemas.mjs <out-dir> [minor ...]   (default: the bundle's default)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyOverlay } from '../dist/schema/overlays.js';

const SCHEMAS = new URL('../schemas/kubernetes/', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8'));

const index = read('index.json');
const defs = read('defs.json');

// Same grammar as src/schema/validate.ts (kubeconform's own schemas accept any string here).
const QUANTITY = '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$';
const COPIED = [
  'required',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
];

/** One compact node → draft-4 JSON Schema, strict (closed objects), null allowed where typed. */
function convert(node, refs) {
  if (node.$ref !== undefined) {
    refs.add(node.$ref);
    return { $ref: `#/definitions/${node.$ref}` };
  }
  if (node['x-kubernetes-int-or-string'] || node.format === 'int-or-string')
    return { oneOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] };
  if (node.format === 'quantity')
    return { oneOf: [{ type: 'string', pattern: QUANTITY }, { type: 'number' }, { type: 'null' }] };
  const s = {};
  if (node.type !== undefined) s.type = [node.type, 'null'];
  if (node.format !== undefined && node.format !== 'int32' && node.format !== 'int64') s.format = node.format;
  for (const k of COPIED) if (node[k] !== undefined) s[k] = node[k];
  if (node.properties) {
    s.properties = {};
    for (const [k, v] of Object.entries(node.properties)) s.properties[k] = convert(v, refs);
  }
  if (typeof node.additionalProperties === 'object')
    s.additionalProperties = convert(node.additionalProperties, refs);
  else if (node.additionalProperties === false) s.additionalProperties = false;
  else if (node.properties && !node['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  if (node.items) s.items = convert(node.items, refs);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (node[k]) s[k] = node[k].map((n) => convert(n, refs));
  if (node.not) s.not = convert(node.not, refs);
  return s;
}

/** Every definition of a minor, converted (for tools that take one definitions document). */
export function convertDefinitions(minor) {
  const bundle = read(`v${minor}.json`);
  const out = {};
  for (const name of Object.keys(bundle.defs))
    out[name] = convert(applyOverlay(name, defs[bundle.defs[name]] ?? {}), new Set());
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...minorsArg] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node scripts/kubeconform-schemas.mjs <out-dir> [minor ...]');
    process.exit(2);
  }
  const minors = minorsArg.length > 0 ? minorsArg : [index.default];
  let files = 0;
  for (const minor of minors) {
    const bundle = read(`v${minor}.json`);
    const full = index.versions[minor].replace(/^v/, '');
    const dir = join(out, `v${full}-standalone-strict`);
    mkdirSync(dir, { recursive: true });
    const defOf = (name) => applyOverlay(name, defs[bundle.defs[name]] ?? {});
    for (const [key, root] of Object.entries(bundle.kinds)) {
      const slash = key.lastIndexOf('/');
      const apiVersion = key.slice(0, slash);
      const kind = key.slice(slash + 1);
      const [groupOrVersion, version] = apiVersion.split('/');
      const suffix =
        version === undefined ? `-${groupOrVersion}` : `-${groupOrVersion.split('.')[0]}-${version}`;
      const refs = new Set();
      const schema = convert(defOf(root), refs);
      const definitions = {};
      const queue = [...refs];
      while (queue.length > 0) {
        const name = queue.pop();
        if (name in definitions) continue;
        const inner = new Set();
        definitions[name] = convert(defOf(name), inner);
        for (const r of inner) if (!(r in definitions)) queue.push(r);
      }
      schema.definitions = definitions;
      writeFileSync(join(dir, `${kind.toLowerCase()}${suffix.toLowerCase()}.json`), JSON.stringify(schema));
      files++;
    }
    console.log(`kubeconform schemas: ${dir}`);
  }
  console.log(`kubeconform schemas: ${files} files`);
}
