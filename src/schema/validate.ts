/**
 * A validator for the Kubernetes dialect of OpenAPI v3 (built-in schemas and CRD structural schemas).
 *
 * Why not ajv here: compiling one Deployment schema with ajv takes ~250 ms on our machine, the whole
 * cold-start budget (docs/adr/0002-kubernetes-schema-validator.md). Walking the compact schema
 * directly costs nothing up front, and lets messages and Kubernetes extensions
 * (int-or-string, preserve-unknown-fields, embedded resources, list-map keys) be handled exactly.
 */
import { isObj as isPlainObject } from '../engine/k8s/object.js';
import { escapeSegment } from '../engine/k8s/pointer.js';

import { isSensitive } from '../engine/redact.js';
import { compilePattern, PatternError, type Pattern } from '../engine/regex.js';

/** A node of the compact schema form produced by tools/schemagen (or a CRD's openapiV3Schema). */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** CEL validation rules (CRDs only); evaluated by src/schema/cel.ts, not by this walker. */
  'x-kubernetes-validations'?: unknown;
}

/** One schema violation. `path` is a JSON pointer; `message` starts with the readable field path. */
export interface SchemaError {
  path: string;
  message: string;
  /** 'key' when the finding is about the key itself (unknown or duplicate field). */
  target: 'key' | 'value';
  /**
   * 'warn' when the API server accepts the object anyway (it rewrites the value or ignores the
   * fault), so the finding must not make the verdict "invalid"; absent means an error.
   */
  severity?: 'warn';
}

export interface ValidateOptions {
  /** Unknown fields are errors (the default everywhere in shipshape). */
  strict: boolean;
  /**
   * Never print values. Without it, values are still hidden where src/engine/redact.ts says they
   * are sensitive (inside Secrets, under credential-named keys, credential-looking strings).
   */
  redact: boolean;
  /** Resolve a `$ref` name to its schema. */
  resolve: (name: string) => SchemaNode | undefined;
  /**
   * The schema ships with shipshape (the config schema, rules' `check.schema`): its `pattern`s are
   * reviewed and run as native RegExp. Otherwise (CRDs, anything from input) they run on RE2.
   */
  trustedPatterns?: boolean;
  /**
   * A built-in kind: the API server does not enforce `x-kubernetes-list-type` uniqueness on create
   * (its Go validation rejects the duplicates that matter, e.g. container names), so duplicate
   * items are warnings. CRDs' structural schemas are enforced, so they stay errors there.
   */
  builtin?: boolean;
  /**
   * The schema is plain JSON Schema (a rule's `check.schema`), not the Kubernetes dialect: an
   * explicit `additionalProperties: false` rejects other fields whatever `strict` says.
   */
  jsonSchema?: boolean;
}

const MAX_ERRORS = 100;

/**
 * The errors that stop the API server from running a CRD's x-kubernetes-validations rules: wrong
 * types and values outside an enum (its TypeInvalid and NotSupported errors).
 */
export const BLOCKING_ERRORS = new WeakSet<SchemaError>();

/** Validate `value` against `schema`, returning every violation (capped at 100). */
export function validateSchema(value: unknown, schema: SchemaNode, options: ValidateOptions): SchemaError[] {
  const v = new Walker(options, value);
  v.node(value, schema, [], 0);
  return v.errors;
}

type Seg = string | number;

/** Render a JSON pointer from segments (RFC 6901 escaping). */
export function pointerOf(segs: readonly Seg[]): string {
  let out = '';
  for (const s of segs) out += '/' + (typeof s === 'number' ? String(s) : escapeSegment(s));
  return out;
}

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Render segments the way a person reads them: `spec.template.spec.containers[0]["app.k8s.io/x"]`. */
export function displayPath(segs: readonly Seg[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (SIMPLE_KEY.test(s)) out += out === '' ? s : '.' + s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(root)' : out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** `got string "3"`; values are shortened, and hidden when redacting. */
function describe(v: unknown, redact: boolean): string {
  const t = typeName(v);
  if (redact || t === 'object' || t === 'array' || t === 'null') return t;
  let s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  if (s.length > 48) s = s.slice(0, 45) + '…' + (typeof v === 'string' ? '"' : '');
  return `${t} ${s}`;
}

const int32 = (n: number): boolean => n >= -2147483648 && n <= 2147483647;
// Kubernetes resource.Quantity: sign, number, then a binary-SI, decimal-SI or exponent suffix.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
// What the API server's decoder takes without an error: blanks around it, and no digits at all
// ("m", "Ki", "e3", ".", "+"), which it stores as 0.
export const QUANTITY_DECODED = /^\s*[+-]?\d*(?:\.\d*)?(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?\s*$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks for the formats whose violation the API server would reject (or rewrite: a warning). */
function formatProblem(format: string, v: unknown): string | { warning: string } | undefined {
  switch (format) {
    case 'int32':
      return typeof v === 'number' && !int32(v) ? 'out of range for a 32-bit integer' : undefined;
    case 'quantity':
      if (typeof v !== 'string' || QUANTITY.test(v)) return undefined;
      if (v.trim() !== '' && QUANTITY_DECODED.test(v))
        return {
          warning: /^\s*[+-]?\.?\d/.test(v)
            ? 'is not a canonical quantity (the API server trims the blanks around it)'
            : 'is not a quantity: it has no digits, and the API server stores it as 0',
        };
      return `must be a quantity such as 500m, 1.5, 128Mi or 1Gi`;
    case 'date-time':
      return typeof v === 'string' && !DATE_TIME.test(v)
        ? 'must be an RFC 3339 date-time such as 2024-01-02T15:04:05Z'
        : undefined;
    case 'byte':
      return typeof v === 'string' && !BASE64.test(v.replace(/\s+/g, ''))
        ? 'must be base64-encoded'
        : undefined;
    default:
      return undefined;
  }
}

/** Edit distance counting an adjacent transposition as one edit (OSA), bounded: max+1 once larger. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let c = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        c = Math.min(c, prev2[j - 2]! + 1);
      cur.push(c);
      if (c < rowMin) rowMin = c;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest known field name, for "did you mean" hints. */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = distance(lower, k.toLowerCase(), bestD);
    if (d < bestD || (d === bestD && best === undefined)) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

class Walker {
  readonly errors: SchemaError[] = [];
  constructor(
    private readonly o: ValidateOptions,
    /** The value validated as a whole (the resource), for the redaction rule. */
    private readonly root: unknown,
  ) {}

  /** Is the value at segs not to be printed? */
  private hide(segs: readonly Seg[], value: unknown): boolean {
    return this.o.redact || isSensitive(this.root, segs, value);
  }

  private add(segs: Seg[], msg: string, target: 'key' | 'value' = 'value', warning = false): void {
    if (this.errors.length >= MAX_ERRORS) return;
    const e: SchemaError = { path: pointerOf(segs), message: `${displayPath(segs)}: ${msg}`, target };
    if (warning) e.severity = 'warn';
    this.errors.push(e);
  }

  /** An error that keeps a CRD's validation rules from running (see BLOCKING_ERRORS). */
  private block(segs: Seg[], msg: string): void {
    const before = this.errors.length;
    this.add(segs, msg);
    if (this.errors.length > before) BLOCKING_ERRORS.add(this.errors[before]!);
  }

  private deref(s: SchemaNode): SchemaNode | undefined {
    let cur: SchemaNode | undefined = s;
    for (let hops = 0; cur?.$ref !== undefined && hops < 32; hops++) cur = this.o.resolve(cur.$ref);
    return cur;
  }

  /**
   * Validate value at segs; depth guards against pathological recursion. A boolean schema (JSON
   * Schema allows one wherever a schema goes): true accepts anything, false nothing that is present.
   */
  node(value: unknown, schemaIn: SchemaNode | boolean, segs: Seg[], depth: number): void {
    if (typeof schemaIn === 'boolean') {
      if (!schemaIn && value !== null && value !== undefined) this.add(segs, 'is not allowed here');
      return;
    }
    const schema = schemaIn.$ref !== undefined ? this.deref(schemaIn) : schemaIn;
    if (schema === undefined || depth > 200) return;
    // null means "absent" to the API server for built-in types and is pruned for custom resources.
    if (value === null || value === undefined) return;

    if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') {
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
        this.block(segs, `expected integer or string, got ${describe(value, this.hide(segs, value))}`);
        return;
      }
      // A built-in IntOrString decodes its number into an int32 (a custom resource's keeps int64).
      if (schema.format === 'int-or-string' && typeof value === 'number' && !int32(value)) {
        this.block(segs, `out of range for a 32-bit integer, got ${describe(value, this.hide(segs, value))}`);
        return;
      }
    } else if (schema.type !== undefined && !this.typeMatches(schema.type, value, schema.format)) {
      this.block(segs, `expected ${schema.type}, got ${describe(value, this.hide(segs, value))}`);
      return;
    }

    if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
      const shown = schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ');
      this.block(segs, `must be one of ${shown}, got ${describe(value, this.hide(segs, value))}`);
    }
    if ('const' in schema && !deepEqual(schema.const, value))
      this.add(
        segs,
        `must be ${JSON.stringify(schema.const)}${this.hide(segs, value) ? '' : `, got ${describe(value, false)}`}`,
      );
    if (schema.format !== undefined) {
      const problem = formatProblem(schema.format, value);
      if (typeof problem === 'string')
        this.add(segs, `${problem}, got ${describe(value, this.hide(segs, value))}`);
      else if (problem)
        this.add(segs, `${describe(value, this.hide(segs, value))} ${problem.warning}`, 'value', true);
    }

    if (typeof value === 'string') this.checkString(value, schema, segs);
    else if (typeof value === 'number') this.checkNumber(value, schema, segs);
    else if (Array.isArray(value)) this.checkArray(value, schema, segs, depth);
    else if (isPlainObject(value)) this.checkObject(value, schema, segs, depth);

    if (schema.allOf) for (const s of schema.allOf) this.node(value, s, segs, depth + 1);
    if (schema.format === 'int-or-string') return; // its oneOf [integer, string] was checked above
    if (schema.anyOf) this.alternatives(value, schema.anyOf, 'anyOf', segs, depth);
    if (schema.oneOf) this.alternatives(value, schema.oneOf, 'oneOf', segs, depth);
    if (schema.not && this.errorsOf(value, schema.not, segs, depth).length === 0)
      this.add(segs, 'must not match the forbidden schema (not)');
  }

  private errorsOf(value: unknown, s: SchemaNode | boolean, segs: Seg[], depth: number): SchemaError[] {
    const sub = new Walker(this.o, this.root);
    sub.node(value, s, [...segs], depth + 1);
    return sub.errors;
  }

  /**
   * anyOf/oneOf: when nothing matches, explain through the branch whose type fits the value
   * (its own errors read best), or else list the accepted types.
   */
  private alternatives(
    value: unknown,
    branches: SchemaNode[],
    kind: 'anyOf' | 'oneOf',
    segs: Seg[],
    depth: number,
  ): void {
    const results = branches.map((b) => this.errorsOf(value, b, segs, depth));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 1 || (passing > 1 && kind === 'anyOf')) return;
    if (passing > 1) {
      this.add(segs, 'matches more than one of the allowed schemas (oneOf)');
      return;
    }
    const types = branches.map((b) => (b.$ref !== undefined ? this.deref(b) : b)?.type);
    const fitting = types.findIndex((t) => t !== undefined && this.typeMatches(t, value));
    if (fitting >= 0) {
      for (const e of results[fitting]!) if (this.errors.length < MAX_ERRORS) this.errors.push(e);
    } else if (types.every((t) => t !== undefined)) {
      this.add(
        segs,
        `expected ${[...new Set(types)].join(' or ')}, got ${describe(value, this.hide(segs, value))}`,
      );
    } else {
      this.add(
        segs,
        `must match ${kind === 'anyOf' ? 'at least one' : 'exactly one'} of the allowed schemas (${kind})`,
      );
    }
  }

  private typeMatches(type: string, v: unknown, format?: string): boolean {
    switch (type) {
      case 'string':
        // Quantities arrive as YAML numbers (`cpu: 1`); the API server accepts those.
        return typeof v === 'string' || (format === 'quantity' && typeof v === 'number');
      case 'integer':
        return typeof v === 'number' && Number.isInteger(v);
      case 'number':
        return typeof v === 'number';
      case 'boolean':
        return typeof v === 'boolean';
      case 'array':
        return Array.isArray(v);
      case 'object':
        return isPlainObject(v);
      default:
        return true;
    }
  }

  private checkString(v: string, s: SchemaNode, segs: Seg[]): void {
    if (s.minLength !== undefined && v.length < s.minLength)
      this.add(segs, `must be at least ${s.minLength} characters long`);
    if (s.maxLength !== undefined && v.length > s.maxLength)
      this.add(segs, `must be at most ${s.maxLength} characters long`);
    if (s.pattern === undefined) return;
    const re = this.o.trustedPatterns ? nativeRegex(s.pattern) : re2Regex(s.pattern);
    if (re instanceof PatternError) this.add(segs, `cannot be checked: its schema's pattern ${re.message}`);
    else if (!re.test(v))
      this.add(
        segs,
        `must match the pattern ${s.pattern}${this.hide(segs, v) ? '' : `, got ${JSON.stringify(v)}`}`,
      );
  }

  private checkNumber(v: number, s: SchemaNode, segs: Seg[]): void {
    const got = this.hide(segs, v) ? '' : `, got ${v}`;
    const exMin = s.exclusiveMinimum;
    const exMax = s.exclusiveMaximum;
    if (s.minimum !== undefined && (exMin === true ? v <= s.minimum : v < s.minimum))
      this.add(segs, `must be ${exMin === true ? 'greater than' : 'at least'} ${s.minimum}${got}`);
    if (typeof exMin === 'number' && v <= exMin) this.add(segs, `must be greater than ${exMin}${got}`);
    if (s.maximum !== undefined && (exMax === true ? v >= s.maximum : v > s.maximum))
      this.add(segs, `must be ${exMax === true ? 'less than' : 'at most'} ${s.maximum}${got}`);
    if (typeof exMax === 'number' && v >= exMax) this.add(segs, `must be less than ${exMax}${got}`);
    if (
      s.multipleOf !== undefined &&
      s.multipleOf > 0 &&
      Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9
    )
      this.add(segs, `must be a multiple of ${s.multipleOf}`);
  }

  private checkArray(v: unknown[], s: SchemaNode, segs: Seg[], depth: number): void {
    if (s.minItems !== undefined && v.length < s.minItems)
      this.add(segs, `must have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems)
      this.add(segs, `must have at most ${s.maxItems} items`);
    if (s.items !== undefined && (s.items as SchemaNode | boolean) !== true) {
      for (let i = 0; i < v.length; i++) {
        segs.push(i);
        this.node(v[i], s.items, segs, depth + 1);
        segs.pop();
      }
    }
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'map' && s['x-kubernetes-list-map-keys'])
      this.checkListMap(v, s['x-kubernetes-list-map-keys'], segs);
    else if (listType === 'set' || s.uniqueItems) this.checkSet(v, segs);
  }

  /** x-kubernetes-list-type: map — items are identified by their key fields, which must be unique. */
  private checkListMap(v: unknown[], keys: string[], segs: Seg[]): void {
    if (v.length < 2) return;
    const seen = new Map<unknown, number>();
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (!isPlainObject(item)) continue;
      // One key (the common case) compares by value; several keys by a joined, typed identity.
      const id =
        keys.length === 1
          ? (item[keys[0]!] ?? '')
          : keys.map((k) => `${typeof item[k]}:${JSON.stringify(item[k] ?? '')}`).join('\u0000');
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, i);
        continue;
      }
      const what = keys.map((k) => `${k}=${describeKey(item[k])}`).join(', ');
      segs.push(i);
      this.add(
        segs,
        `duplicate entry (${what}); the same key is already used by item [${first}]${this.dupNote()}`,
        'value',
        this.o.builtin === true,
      );
      segs.pop();
    }
  }

  /** Built-in kinds: a create accepts the duplicate; server-side apply refuses it. */
  private dupNote(): string {
    return this.o.builtin === true
      ? ' (the API server accepts it on create, but server-side apply refuses duplicates)'
      : '';
  }

  private checkSet(v: unknown[], segs: Seg[]): void {
    if (v.length < 2) return;
    const seen = new Set<string>();
    for (let i = 0; i < v.length; i++) {
      const id = JSON.stringify(v[i]);
      if (seen.has(id)) {
        segs.push(i);
        this.add(
          segs,
          `duplicate value${this.hide(segs, v[i]) ? '' : ` ${id.length > 48 ? id.slice(0, 45) + '…' : id}`}${this.dupNote()}`,
          'value',
          this.o.builtin === true,
        );
        segs.pop();
      } else seen.add(id);
    }
  }

  private checkObject(v: Record<string, unknown>, s: SchemaNode, segs: Seg[], depth: number): void {
    const props = s.properties;
    const keys = Object.keys(v);
    if (s.minProperties !== undefined && keys.length < s.minProperties)
      this.add(segs, `must have at least ${s.minProperties} fields`);
    if (s.maxProperties !== undefined && keys.length > s.maxProperties)
      this.add(segs, `must have at most ${s.maxProperties} fields`);
    if (s.required) {
      for (const r of s.required) {
        if (v[r] === undefined || v[r] === null) {
          segs.push(r);
          this.add(segs, `missing required field "${r}"`);
          segs.pop();
        }
      }
    }
    if (s['x-kubernetes-embedded-resource']) {
      for (const r of ['apiVersion', 'kind']) {
        if (typeof v[r] !== 'string' || v[r] === '') {
          segs.push(r);
          this.add(segs, `missing required field "${r}" (embedded resource)`);
          segs.pop();
        }
      }
    }
    const additional = s.additionalProperties;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    // An object schema that names no properties and no additionalProperties accepts anything
    // (e.g. RawExtension, FieldsV1); with properties, unknown fields are errors in strict mode.
    const closed = props !== undefined && additional === undefined && !preserve;
    for (const k of keys) {
      const sub = props?.[k];
      if (sub !== undefined) {
        segs.push(k);
        this.node(v[k], sub, segs, depth + 1);
        segs.pop();
      } else if (typeof additional === 'object') {
        segs.push(k);
        this.node(v[k], additional, segs, depth + 1);
        segs.pop();
      } else if (
        (additional === false || closed) &&
        (this.o.strict || (additional === false && this.o.jsonSchema))
      ) {
        segs.push(k);
        const hint = props ? suggest(k, Object.keys(props)) : undefined;
        this.add(segs, `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`, 'key');
        segs.pop();
      }
    }
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function describeKey(v: unknown): string {
  return v === undefined ? '(unset)' : JSON.stringify(v);
}

/** A pattern from input: RE2 (linear time, Go syntax), compiled once per pattern string. */
function re2Regex(p: string): Pattern | PatternError {
  try {
    return compilePattern(p);
  } catch (err) {
    if (err instanceof PatternError) return err;
    throw err;
  }
}

const nativeCache = new Map<string, RegExp | PatternError>();
/** A pattern of a schema shipped with shipshape (see ValidateOptions.trustedPatterns). */
function nativeRegex(p: string): RegExp | PatternError {
  let r = nativeCache.get(p);
  if (!r) {
    try {
      r = new RegExp(p, 'u');
    } catch (err) {
      r = new PatternError(p, (err as Error).message);
    }
    nativeCache.set(p, r);
  }
  return r;
}
