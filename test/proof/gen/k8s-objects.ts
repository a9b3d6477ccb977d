/**
 * fast-check generators of Kubernetes objects derived from the bundled schemas: valid objects (walk
 * the compact schema: required fields, types, overlay enums, int-or-string, quantities, list-map
 * keys kept unique) and mutated ones (one targeted defect each). Used by the differential test
 * against kubectl-validate and by the hostile-input tests.
 */
import fc from 'fast-check';
import { bundledSchemas } from '../../../src/schema/bundled.js';
import { applyOverlay } from '../../../src/schema/overlays.js';
import type { SchemaNode } from '../../../src/schema/validate.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Seg = string | number;

/** Objects nest optional fields down to this depth; below it only required fields are generated. */
const MAX_OPTIONAL_DEPTH = 6;

/** The bundled schemas of one Kubernetes minor, with the overlays the registry applies. */
export class SchemaSet {
  private readonly kindsMap: Record<string, string>;
  private readonly defHashes: Record<string, string>;
  private readonly defs: Record<string, SchemaNode>;
  private readonly memo = new Map<string, SchemaNode | undefined>();

  constructor(readonly minor: string) {
    const src = bundledSchemas();
    const bundle = src.loadVersion(minor);
    this.kindsMap = bundle.kinds;
    this.defHashes = bundle.defs;
    this.defs = src.loadDefs();
  }

  resolve(name: string): SchemaNode | undefined {
    if (!this.memo.has(name)) {
      const h = this.defHashes[name];
      const raw = h === undefined ? undefined : this.defs[h];
      this.memo.set(name, raw && applyOverlay(name, raw));
    }
    return this.memo.get(name);
  }

  /** Follow `$ref`s, and fold `allOf` members (the published schemas wrap refs as `allOf: [{$ref}]`). */
  deref(node: SchemaNode): SchemaNode {
    let cur: SchemaNode | undefined = node;
    for (let i = 0; cur?.$ref !== undefined && i < 32; i++) cur = this.resolve(cur.$ref);
    if (cur?.allOf === undefined) return cur ?? {};
    const { allOf, ...rest } = cur;
    let merged: SchemaNode = rest;
    for (const part of allOf) {
      const p = this.deref(part);
      merged = {
        ...p,
        ...merged,
        properties: p.properties || merged.properties ? { ...p.properties, ...merged.properties } : undefined,
        required: [...(p.required ?? []), ...(merged.required ?? [])],
      };
    }
    return merged;
  }

  /** `apiVersion/Kind` → root definition name. */
  get kinds(): Readonly<Record<string, string>> {
    return this.kindsMap;
  }
}

/** Kinds users write in manifests (not Lists, not review/subresource types). */
export const COMMON_KINDS = [
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'v1/Pod',
  'v1/Service',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/ServiceAccount',
  'v1/Namespace',
  'v1/PersistentVolumeClaim',
  'v1/PersistentVolume',
  'v1/LimitRange',
  'v1/ResourceQuota',
  'v1/Endpoints',
  'networking.k8s.io/v1/Ingress',
  'networking.k8s.io/v1/IngressClass',
  'networking.k8s.io/v1/NetworkPolicy',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'scheduling.k8s.io/v1/PriorityClass',
  'storage.k8s.io/v1/StorageClass',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'discovery.k8s.io/v1/EndpointSlice',
  'coordination.k8s.io/v1/Lease',
] as const;

const VALID_QUANTITIES: Json[] = [
  '100m',
  '1',
  '0.5',
  '128Mi',
  '1Gi',
  '2e3',
  '1k',
  '1500M',
  '.5',
  '+1',
  1,
  2.5,
];
// Cheap word-based strings (fc.stringMatching costs ~1 ms a value, too slow for thousands of fields).
const WORDS = ['web', 'api', 'db', 'cache', 'main', 'edge', 'x', 'alpha', 'metrics', 'data'];
const WORD = fc.tuple(fc.constantFrom(...WORDS), fc.nat(99)).map(([w, n]) => (n < 50 ? w : `${w}-${n}`));
const NAME = WORD;
const LABEL_KEY = fc.constantFrom('app', 'tier', 'example.com/team', 'app.kubernetes.io/name');
const LABEL_VALUE = WORD;

const isFreeForm = (s: SchemaNode): boolean =>
  s.type === 'object' && s.properties === undefined && s.additionalProperties === undefined;

/** Builds value arbitraries for schema nodes; memoised per definition and depth. */
export class ObjectGenerator {
  private readonly memo = new Map<string, fc.Arbitrary<Json>>();
  constructor(readonly schemas: SchemaSet) {}

  /** A valid object of `apiVersion/Kind` (a key of {@link SchemaSet.kinds}). */
  valid(key: string): fc.Arbitrary<Record<string, Json>> {
    const def = this.schemas.kinds[key];
    if (def === undefined) throw new Error(`no schema for ${key}`);
    const slash = key.lastIndexOf('/');
    const apiVersion = key.slice(0, slash);
    const kind = key.slice(slash + 1);
    const meta = fc.record(
      {
        name: NAME,
        namespace: NAME,
        labels: fc.dictionary(LABEL_KEY, LABEL_VALUE, { maxKeys: 2 }),
        annotations: fc.dictionary(LABEL_KEY, fc.constantFrom('', 'a b', 'true', '{"k":1}'), { maxKeys: 1 }),
      },
      { requiredKeys: ['name'] },
    );
    const root = this.schemas.deref({ $ref: def });
    // Every top-level field but status (spec, data, rules, …): that is where the schema is.
    const props = omit(root.properties ?? {}, ['apiVersion', 'kind', 'metadata', 'status']);
    const rest = this.objectArb({ ...root, properties: props, required: Object.keys(props) }, 0);
    return fc.tuple(rest, meta).map(([body, metadata]) => ({
      apiVersion,
      kind,
      metadata: metadata,
      ...(body as Record<string, Json>),
    }));
  }

  /** Any value valid for `node` at nesting `depth`. */
  value(node: SchemaNode, depth: number): fc.Arbitrary<Json> {
    if (node.allOf !== undefined) return this.value(this.schemas.deref(node), depth);
    if (node.$ref !== undefined) {
      const k = `${node.$ref}@${Math.min(depth, MAX_OPTIONAL_DEPTH + 1)}`;
      let a = this.memo.get(k);
      if (a === undefined) {
        // letrec-free recursion: a placeholder breaks cycles (recursive definitions such as
        // JSONSchemaProps only recurse through optional fields, cut at MAX_OPTIONAL_DEPTH).
        let inner: fc.Arbitrary<Json> | undefined;
        a = fc.constant(null).chain(() => (inner ??= this.value(this.schemas.deref(node), depth)));
        this.memo.set(k, a);
      }
      return a;
    }
    const s = node;
    if (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string')
      return fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', '25%', '1', 'metrics'));
    if (s.format === 'quantity') return fc.constantFrom(...VALID_QUANTITIES);
    if (s.enum !== undefined && s.enum.length > 0) return fc.constantFrom(...(s.enum as Json[]));
    switch (s.type) {
      case 'string':
        return this.stringArb(s);
      case 'integer': {
        const min = s.minimum ?? 0;
        const max = s.maximum ?? Math.max(min + 100, 100);
        return fc.integer({
          min: Math.ceil(min + (s.exclusiveMinimum === true ? 1 : 0)),
          max: Math.floor(max),
        });
      }
      case 'number':
        return fc.integer({ min: 0, max: 400 }).map((n) => n / 4);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return this.arrayArb(s, depth);
      case 'object':
        return this.objectArb(s, depth);
      default:
        if (s.properties) return this.objectArb(s, depth);
        // untyped (RawExtension-like, preserve-unknown-fields): a small free-form value
        return fc.constantFrom<Json>({}, { a: 1 }, 'x', 3);
    }
  }

  private stringArb(s: SchemaNode): fc.Arbitrary<Json> {
    if (s.format === 'date-time') return fc.constantFrom('2024-01-02T15:04:05Z', '2030-12-31T23:59:59+01:00');
    if (s.format === 'byte') return fc.constantFrom('', 'aGVsbG8=', 'c2hpcHNoYXBl');
    if (s.pattern !== undefined) {
      try {
        return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 64));
      } catch {
        /* a pattern JS cannot read: fall through */
      }
    }
    const min = s.minLength ?? 1;
    return WORD.map((v) => v.padEnd(min, 'x').slice(0, s.maxLength ?? 64));
  }

  private arrayArb(s: SchemaNode, depth: number): fc.Arbitrary<Json> {
    if (s.items === undefined) return fc.constant([]);
    const item = this.value(s.items, depth + 1);
    const maxLength =
      depth > MAX_OPTIONAL_DEPTH ? Math.min(1, s.minItems ?? 0) : Math.max(2, s.minItems ?? 0);
    const minLength = s.minItems ?? 0;
    const keys = s['x-kubernetes-list-type'] === 'map' ? s['x-kubernetes-list-map-keys'] : undefined;
    if (keys)
      return fc.uniqueArray(item, {
        minLength,
        maxLength,
        selector: (v) =>
          keys.map((k) => JSON.stringify((v as Record<string, Json>)[k] ?? null)).join('\u0000'),
      });
    if (s['x-kubernetes-list-type'] === 'set' || s.uniqueItems)
      return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
    return fc.array(item, { minLength, maxLength });
  }

  private objectArb(s: SchemaNode, depth: number): fc.Arbitrary<Json> {
    if (isFreeForm(s)) return fc.constantFrom<Json>({}, { k: 'v' });
    if (s.properties === undefined) {
      const add = s.additionalProperties;
      if (typeof add === 'object')
        return fc.dictionary(WORD, this.value(add, depth + 1), {
          maxKeys: depth > MAX_OPTIONAL_DEPTH ? 0 : 2,
        });
      return fc.constant({});
    }
    const props = s.properties;
    // Optional struct fields that have required fields of their own are always generated: the API
    // server decodes an absent non-pointer struct as {} and then enforces its required fields
    // (e.g. a Deployment's `template.spec.containers`), so leaving them out is not valid.
    const structWithRequired = (k: string) => {
      const d = this.schemas.deref(props[k]!);
      return d.type === 'object' && (d.required ?? []).length > 0;
    };
    const required = Object.keys(props).filter(
      (k) => (s.required ?? []).includes(k) || (depth <= MAX_OPTIONAL_DEPTH && structWithRequired(k)),
    );
    const optional = Object.keys(props).filter((k) => !required.includes(k));
    const budget = depth > MAX_OPTIONAL_DEPTH ? 0 : depth < 4 ? 5 : 2;
    return fc.subarray(optional, { maxLength: Math.min(budget, optional.length) }).chain((chosen) => {
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const k of [...required, ...chosen]) {
        // A required list is a non-empty one to the API server (`containers: []` is refused).
        const d = this.schemas.deref(props[k]!);
        const node =
          (s.required ?? []).includes(k) && d.type === 'array'
            ? { ...d, minItems: Math.max(1, d.minItems ?? 0) }
            : props[k]!;
        model[k] = this.value(node, depth + 1);
      }
      return fc.record(model);
    });
  }
}

function omit<T>(o: Record<string, T>, keys: string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

// ---- mutations --------------------------------------------------------------------------------

/** One place in a generated object and the (dereferenced) schema that governs it. */
export interface Site {
  path: Seg[];
  schema: SchemaNode;
  value: Json;
}

/** Every value in `value`, paired with its schema (anyOf/oneOf branches are not entered). */
export function sitesOf(
  schemas: SchemaSet,
  value: Json,
  schema: SchemaNode,
  path: Seg[] = [],
  out: Site[] = [],
): Site[] {
  const s = schemas.deref(schema);
  out.push({ path, schema: s, value });
  if (Array.isArray(value) && s.items) {
    value.forEach((v, i) => sitesOf(schemas, v, s.items!, [...path, i], out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const sub =
        s.properties?.[k] ??
        (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) sitesOf(schemas, v, sub, [...path, k], out);
    }
  }
  return out;
}

export const MUTATIONS = [
  'wrong-type',
  'unknown-field',
  'missing-required',
  'bad-enum',
  'bad-quantity',
  'int-or-string-edge',
  'duplicate-list-map-key',
  'null-value',
  'yaml-plain-scalar',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** A generated case: the object, and what was done to it (undefined: left valid). */
export interface Case {
  object: Record<string, Json>;
  mutation?: { kind: Mutation; path: string; detail: string };
}

const isIntOrString = (s: SchemaNode) =>
  s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string';
const isObj = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const ptr = (p: Seg[]) => p.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

const BAD_QUANTITIES: Json[] = [
  '1x',
  '12MiB',
  '--1',
  '1.2.3',
  '',
  ' 1',
  '1 Gi',
  'e3',
  'Infinity',
  '0x10',
  '1e',
  'm',
];
const INT_OR_STRING_EDGES: Json[] = [
  1.5,
  true,
  {},
  [],
  '',
  '-1',
  -1,
  0,
  '99999999999',
  4294967296,
  '8080',
  'http-port-name-too-long-x',
];

/** Wrong-typed replacements for a value whose schema has `type`. */
function wrongTypeFor(type: string | undefined, pick: number): Json | undefined {
  const choices: Record<string, Json[]> = {
    string: [12, true, { a: 'b' }, ['x']],
    integer: ['7', 1.5, true, { n: 1 }],
    number: ['x', true, [1]],
    boolean: ['yes', 'true', 1],
    object: ['x', ['a'], 3],
    array: [{ a: 1 }, 'x', 2],
  };
  const c = type === undefined ? undefined : choices[type];
  return c ? c[pick % c.length] : undefined;
}

function setAt(root: Record<string, Json>, path: Seg[], fn: (parent: Json, last: Seg) => void): void {
  let cur: Json = root;
  for (let i = 0; i < path.length - 1; i++) cur = (cur as Record<string, Json>)[path[i] as string] ?? null;
  fn(cur, path[path.length - 1]!);
}

/**
 * Apply mutation `kind` to a deep copy of `object`, at the `pick`-th applicable site; when the
 * object has no site for `kind`, another kind that applies.
 */
export function mutate(
  schemas: SchemaSet,
  key: string,
  object: Record<string, Json>,
  kind: Mutation,
  pick: number,
): Case {
  const wanted = mutateOnce(schemas, key, object, kind, pick);
  if (wanted) return wanted;
  // otherwise one of the kinds that apply, chosen by `pick` (not the next in order, which would
  // over-represent the kinds that almost always apply)
  const applicable = MUTATIONS.map((k) => mutateOnce(schemas, key, object, k, pick)).filter(
    (c) => c !== undefined,
  );
  if (applicable.length > 0) return applicable[(pick >> 5) % applicable.length]!;
  // nothing to mutate at all: an unknown top-level field always is
  const obj = structuredClone(object);
  obj.unknownTopLevelField = 1;
  return {
    object: obj,
    mutation: { kind: 'unknown-field', path: '/unknownTopLevelField', detail: `fallback for ${kind}` },
  };
}

function mutateOnce(
  schemas: SchemaSet,
  key: string,
  object: Record<string, Json>,
  kind: Mutation,
  pick: number,
): Case | undefined {
  const obj = structuredClone(object);
  const rootSchema: SchemaNode = { $ref: schemas.kinds[key]! };
  // metadata, apiVersion and kind are generated by hand: mutate below them only for types/unknowns
  const sites = sitesOf(schemas, obj, rootSchema).filter(
    (s) => s.path.length > 0 && s.path[0] !== 'apiVersion' && s.path[0] !== 'kind',
  );
  const choose = <T>(xs: T[]): T | undefined => (xs.length === 0 ? undefined : xs[pick % xs.length]);
  const done = (path: Seg[], detail: string): Case => ({
    object: obj,
    mutation: { kind, path: ptr(path), detail },
  });

  switch (kind) {
    case 'wrong-type': {
      const site = choose(
        sites.filter(
          (s) => s.schema.type !== undefined && !isIntOrString(s.schema) && s.schema.format !== 'quantity',
        ),
      );
      const bad = site && wrongTypeFor(site.schema.type, pick >> 3);
      if (site && bad !== undefined) {
        setAt(obj, site.path, (p, last) => ((p as Record<string, Json>)[last as string] = bad));
        return done(site.path, `${site.schema.type} ← ${JSON.stringify(bad)}`);
      }
      break;
    }
    case 'unknown-field': {
      const site = choose(
        sites.filter(
          (s) =>
            isObj(s.value) &&
            s.schema.properties !== undefined &&
            s.schema.additionalProperties === undefined &&
            !s.schema['x-kubernetes-preserve-unknown-fields'],
        ),
      );
      if (site) {
        (site.value as Record<string, Json>).unknownField = 'x';
        return done([...site.path, 'unknownField'], 'added unknownField');
      }
      break;
    }
    case 'missing-required': {
      const site = choose(
        sites.filter(
          (s) => isObj(s.value) && (s.schema.required ?? []).some((r) => r in (s.value as object)),
        ),
      );
      if (site) {
        const present = site.schema.required!.filter((r) => r in (site.value as object));
        const r = present[(pick >> 3) % present.length]!;
        delete (site.value as Record<string, Json>)[r];
        return done([...site.path, r], `removed required ${r}`);
      }
      break;
    }
    case 'bad-enum': {
      const site = choose(sites.filter((s) => s.schema.enum !== undefined && typeof s.value === 'string'));
      if (site) {
        setAt(
          obj,
          site.path,
          (p, last) => ((p as Record<string | number, Json>)[last] = 'NotAnAllowedValue'),
        );
        return done(site.path, `enum ${JSON.stringify(site.schema.enum)} ← "NotAnAllowedValue"`);
      }
      break;
    }
    case 'bad-quantity': {
      const site = choose(sites.filter((s) => s.schema.format === 'quantity'));
      if (site) {
        const bad = BAD_QUANTITIES[(pick >> 3) % BAD_QUANTITIES.length]!;
        setAt(obj, site.path, (p, last) => ((p as Record<string | number, Json>)[last] = bad));
        return done(site.path, `quantity ← ${JSON.stringify(bad)}`);
      }
      break;
    }
    case 'int-or-string-edge': {
      const site = choose(sites.filter((s) => isIntOrString(s.schema)));
      if (site) {
        const v = INT_OR_STRING_EDGES[(pick >> 3) % INT_OR_STRING_EDGES.length]!;
        setAt(obj, site.path, (p, last) => ((p as Record<string | number, Json>)[last] = v));
        return done(site.path, `int-or-string ← ${JSON.stringify(v)}`);
      }
      break;
    }
    case 'duplicate-list-map-key': {
      const site = choose(
        sites.filter(
          (s) =>
            Array.isArray(s.value) &&
            s.value.length > 0 &&
            (s.schema['x-kubernetes-list-type'] === 'map' || s.schema['x-kubernetes-list-type'] === 'set'),
        ),
      );
      if (site) {
        const arr = site.value as Json[];
        arr.push(structuredClone(arr[0]!));
        return done(
          [...site.path, arr.length - 1],
          `duplicated item 0 of a ${site.schema['x-kubernetes-list-type']} list (keys ${JSON.stringify(site.schema['x-kubernetes-list-map-keys'] ?? [])})`,
        );
      }
      break;
    }
    case 'null-value': {
      const site = choose(
        sites.filter((s) => s.path.length > 1 && typeof s.path[s.path.length - 1] === 'string'),
      );
      if (site) {
        setAt(obj, site.path, (p, last) => ((p as Record<string, Json>)[last as string] = null));
        return done(site.path, 'set to null');
      }
      break;
    }
    case 'yaml-plain-scalar': {
      // A YAML 1.1 plain scalar written unquoted where a string, integer or boolean belongs (the
      // "Norway problem"): both sides must read it the way kubectl's YAML decoder does.
      const site = choose(
        sites.filter(
          (s) =>
            (s.schema.type === 'string' || s.schema.type === 'integer' || s.schema.type === 'boolean') &&
            s.schema.enum === undefined &&
            s.schema.format === undefined &&
            // the namespace names cluster state (one that does not exist is "not found"), not syntax
            !(s.path.length === 2 && s.path[0] === 'metadata' && s.path[1] === 'namespace'),
        ),
      );
      if (site) {
        const token = PLAIN_SCALARS[(pick >> 3) % PLAIN_SCALARS.length]!;
        setAt(obj, site.path, (p, last) => ((p as Record<string | number, Json>)[last] = PLAIN + token));
        return done(site.path, `${site.schema.type} ← plain ${token}`);
      }
      break;
    }
  }
  return undefined;
}

/** Marker of a value to write as an unquoted YAML scalar (see {@link toYamlText}). */
const PLAIN = '@@plain@@';
const PLAIN_SCALARS = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'True',
  '0777',
  '0x1F',
  '0o17',
  '1e3',
  '1_000',
  '+12',
  '-0',
  '.inf',
  '-.Inf',
  '.NaN',
  '~',
  'Null',
  '2024-01-02',
  '12:30:00',
  '1.0',
  '010',
  '0b101',
];

/**
 * The object as text: JSON (which is YAML), with any plain-scalar marker written unquoted, so the
 * file must be read as YAML (`.yaml`). Returns the text and whether it needs the `.yaml` name.
 */
export function toYamlText(object: Record<string, Json>): { text: string; yaml: boolean } {
  const json = JSON.stringify(object, null, 1);
  if (!json.includes(PLAIN)) return { text: json, yaml: false };
  return { text: json.replace(/"@@plain@@([^"]*)"/g, '$1'), yaml: true };
}

/** A case: a valid object of one of `kinds`, then (with probability 2/3) one mutation. */
export function caseArb(
  gen: ObjectGenerator,
  kinds: readonly string[],
): fc.Arbitrary<{ key: string; case: Case }> {
  const available = kinds.filter((k) => k in gen.schemas.kinds);
  return fc
    .constantFrom(...available)
    .chain((key) =>
      fc.tuple(
        fc.constant(key),
        gen.valid(key),
        fc.option(fc.constantFrom(...MUTATIONS), { freq: 3 }),
        fc.nat(),
      ),
    )
    .map(([key, object, kind, pick]) => ({
      key,
      case: kind === null ? { object } : mutate(gen.schemas, key, object, kind, pick),
    }));
}
