/**
 * What makes a CustomResourceDefinition unusable as a schema: the parts of the API server's CRD
 * validation that the validator relies on (every schema node an object, combinators lists of
 * schemas, `items` one schema, `pattern` valid Go/RE2 syntax, known types, …), plus the removed
 * apiextensions.k8s.io/v1beta1 form. Each problem names the field by its JSON pointer inside the CRD,
 * so it becomes a finding at that field; a CRD with problems validates nothing.
 */
import { patternProblem } from '../engine/regex.js';
import { compileCrdRules } from './cel.js';
import { displayPath } from './validate.js';
import type { Resource, ResourceRef, SourceProblem } from '../engine/types.js';

/** One problem of a CRD: where (a JSON pointer inside the CRD object) and what. */
export interface CrdProblem {
  path: string;
  message: string;
}

type Seg = string | number;

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const LIST_TYPES = new Set(['atomic', 'set', 'map']);
/** Keywords whose value is one schema. */
const ONE_SCHEMA = ['not'] as const;
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'] as const;
/** Keywords whose value is a schema or a boolean. */
const SCHEMA_OR_BOOL = ['additionalProperties', 'additionalItems'] as const;
const NUMBERS = ['minimum', 'maximum', 'multipleOf'] as const;
const COUNTS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;
const BOOLEANS = [
  'nullable',
  'uniqueItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
] as const;
/** Deeper than this, a schema is reported rather than walked (the validator stops at 200 too). */
const MAX_DEPTH = 200;
const MAX_PROBLEMS = 20;

const pointerOf = (segs: readonly Seg[]): string =>
  segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: CrdProblem[] = [];

  add(segs: readonly Seg[], msg: string): void {
    if (this.problems.length < MAX_PROBLEMS)
      this.problems.push({ path: pointerOf(segs), message: `${displayPath(segs)}: ${msg}` });
  }

  schema(written: unknown, segs: Seg[], depth: number): void {
    // The API server decodes a null keyword as absent (`properties: null` is no properties).
    const node = isObject(written) ? withoutNullKeywords(written) : written;
    if (!isObject(node)) {
      this.add(segs, `must be a schema (a mapping), got ${kindOf(node)}`);
      return;
    }
    if (depth > MAX_DEPTH) {
      this.add(segs, `schema nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    const at = (k: Seg) => [...segs, k];
    if ('$ref' in node) this.add(at('$ref'), '$ref is not allowed in a CRD schema');
    const type = node.type;
    if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type)))
      this.add(at('type'), `must be one of ${[...TYPES].join(', ')}, got ${describe(type)}`);
    if (node.pattern !== undefined) {
      if (typeof node.pattern !== 'string')
        this.add(at('pattern'), `must be a string, got ${kindOf(node.pattern)}`);
      else {
        const problem = patternProblem(node.pattern);
        if (problem)
          this.add(
            at('pattern'),
            `is not a valid regular expression (RE2 syntax, as the API server uses): ${problem}`,
          );
      }
    }
    for (const k of NUMBERS)
      if (node[k] !== undefined && typeof node[k] !== 'number')
        this.add(at(k), `must be a number, got ${kindOf(node[k])}`);
    for (const k of COUNTS) {
      const v = node[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
        this.add(at(k), `must be a whole number ≥ 0, got ${describe(v)}`);
    }
    for (const k of BOOLEANS)
      if (node[k] !== undefined && typeof node[k] !== 'boolean')
        this.add(at(k), `must be true or false, got ${kindOf(node[k])}`);
    for (const k of ['exclusiveMinimum', 'exclusiveMaximum'])
      if (node[k] !== undefined && typeof node[k] !== 'boolean' && typeof node[k] !== 'number')
        this.add(at(k), `must be true or false, got ${kindOf(node[k])}`);
    this.strings(node.required, at('required'));
    this.strings(node['x-kubernetes-list-map-keys'], at('x-kubernetes-list-map-keys'));
    const listType = node['x-kubernetes-list-type'];
    if (listType !== undefined && (typeof listType !== 'string' || !LIST_TYPES.has(listType)))
      this.add(at('x-kubernetes-list-type'), `must be atomic, set or map, got ${describe(listType)}`);
    if (node.enum !== undefined && !Array.isArray(node.enum))
      this.add(at('enum'), `must be a list, got ${kindOf(node.enum)}`);

    if (node.items !== undefined) {
      if (Array.isArray(node.items))
        this.add(at('items'), 'must be one schema (a mapping); a list of schemas is not allowed in a CRD');
      else this.schema(node.items, at('items'), depth + 1);
    }
    for (const k of ONE_SCHEMA) if (node[k] !== undefined) this.schema(node[k], at(k), depth + 1);
    for (const k of SCHEMA_OR_BOOL) {
      const v = node[k];
      if (v !== undefined && typeof v !== 'boolean') this.schema(v, at(k), depth + 1);
    }
    for (const k of SCHEMA_LISTS) {
      const v = node[k];
      if (v === undefined) continue;
      if (!Array.isArray(v)) {
        this.add(at(k), `must be a list of schemas, got ${kindOf(v)}`);
        continue;
      }
      v.forEach((s, i) => this.schema(s, [...segs, k, i], depth + 1));
    }
    for (const k of SCHEMA_MAPS) {
      const v = node[k];
      if (v === undefined) continue;
      if (!isObject(v)) {
        this.add(at(k), `must be a mapping of names to schemas, got ${kindOf(v)}`);
        continue;
      }
      for (const [name, s] of Object.entries(v)) this.schema(s, [...segs, k, name], depth + 1);
    }
  }

  private strings(v: unknown, segs: Seg[]): void {
    if (v === undefined) return;
    if (!Array.isArray(v)) this.add(segs, `must be a list of strings, got ${kindOf(v)}`);
    else
      v.forEach(
        (s, i) => typeof s !== 'string' && this.add([...segs, i], `must be a string, got ${kindOf(s)}`),
      );
  }
}

/** A schema node without its null-valued keywords (the same object when it has none). */
function withoutNullKeywords(node: Record<string, unknown>): Record<string, unknown> {
  for (const k in node) {
    if (node[k] === null) {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(node)) if (v !== null) out[key] = v;
      return out;
    }
  }
  return node;
}

/**
 * A CRD schema as the API server decodes it: null keywords are absent, at every depth. Nodes
 * without a null (below them too) are shared with the written schema, not copied.
 */
export function schemaWithoutNulls<T>(node: T, depth = 0): T {
  if (!isObject(node) || depth > MAX_DEPTH) return node;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => {
    out ??= { ...node };
    if (v === null) delete out[k];
    else out[k] = v;
  };
  for (const k in node) {
    const v = node[k];
    if (v === null) set(k, null);
    else if (
      k === 'items' ||
      (ONE_SCHEMA as readonly string[]).includes(k) ||
      (SCHEMA_OR_BOOL as readonly string[]).includes(k)
    ) {
      const c = schemaWithoutNulls(v, depth + 1);
      if (c !== v) set(k, c);
    } else if ((SCHEMA_LISTS as readonly string[]).includes(k) && Array.isArray(v)) {
      const c = (v as unknown[]).map((s) => schemaWithoutNulls(s, depth + 1));
      if (c.some((s, i) => s !== (v as unknown[])[i])) set(k, c);
    } else if ((SCHEMA_MAPS as readonly string[]).includes(k) && isObject(v)) {
      let m: Record<string, unknown> | undefined;
      for (const name in v) {
        const c = schemaWithoutNulls(v[name], depth + 1);
        if (c !== v[name]) (m ??= { ...v })[name] = c;
      }
      if (m) set(k, m);
    }
  }
  return (out ?? node) as T;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 37) + '…' : v) : kindOf(v);
}

/** The CRD's name for messages. */
export function crdName(crd: unknown): string {
  const name = (crd as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === 'string' ? name : '(unnamed)';
}

/**
 * Problems that keep a CustomResourceDefinition from being used as a schema; empty when it is
 * usable. Only what the validator depends on: the rest is the bundled CRD schema's business.
 */
export function crdProblems(crd: unknown): CrdProblem[] {
  const c = new Checker();
  if (!isObject(crd)) return c.problems;
  const apiVersion = crd.apiVersion;
  if (apiVersion === 'apiextensions.k8s.io/v1beta1') {
    c.add(
      ['apiVersion'],
      'apiextensions.k8s.io/v1beta1 CustomResourceDefinitions were removed in Kubernetes 1.22 and are not read; convert the CRD to apiextensions.k8s.io/v1',
    );
    return c.problems;
  }
  const spec = crd.spec;
  if (!isObject(spec)) return c.problems;
  const versions = spec.versions;
  if (!Array.isArray(versions)) return c.problems;
  versions.forEach((v, i) => {
    if (!isObject(v)) return;
    const schema = v.schema;
    if (schema === undefined || schema === null) return;
    const base: Seg[] = ['spec', 'versions', i, 'schema'];
    if (!isObject(schema)) {
      c.add(base, `must be a mapping with openAPIV3Schema, got ${kindOf(schema)}`);
      return;
    }
    const root = schema.openAPIV3Schema;
    if (root === undefined || root === null) return;
    c.schema(root, [...base, 'openAPIV3Schema'], 0);
  });
  // Validation rules that do not compile: the API server refuses the CRD (only for a sound schema).
  if (c.problems.length === 0) c.problems.push(...compileCrdRules(crd).problems);
  return c.problems;
}

/**
 * The problems of a CRD read with `--crd` (not linted itself) as source problems at the offending
 * field, so an unusable CRD file is reported rather than silently ignored.
 */
export function crdSourceProblems(r: Resource): SourceProblem[] {
  const source = r.source;
  if (!source) return [];
  const ref: ResourceRef = {
    apiVersion: String(r.object.apiVersion),
    kind: String(r.object.kind),
    name: crdName(r.object),
  };
  return crdProblems(r.object).map((p) => {
    const range = source.locate(p.path);
    return {
      ruleId: 'invalid-resource',
      message: `CustomResourceDefinition ${ref.name} (--crd) is not used: ${p.message}`,
      file: source.file,
      document: source.document,
      start: range.start,
      end: range.end,
      path: p.path,
      resource: ref,
    };
  });
}
