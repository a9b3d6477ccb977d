/**
 * `x-kubernetes-validations` CEL rules of CustomResourceDefinitions, evaluated on custom resources
 * at create as the API server does it (apiextensions-apiserver pkg/apiserver/schema/cel).
 *
 * The CEL implementation is @marcbachmann/cel-js (maintained, zero dependencies): writing a CEL
 * parser and type checker here would be a project of its own. It is loaded on first use, so a run
 * whose CRDs carry no rules does not pay to parse it. Each CRD version gets one environment whose
 * object types come from the structural schema (so `self.nope` or `self.replicas == 1.0` on an
 * integer fails to compile, as at the API server), plus the Kubernetes library (cel-library.ts).
 *
 * Rules compile once per CRD object (cached). Evaluation is bounded deterministically: parse
 * limits on the rule, and a cost estimate (size of `self` raised to the rule's comprehension
 * nesting) refused above the API server's per-call limit; never a wall-clock verdict.
 * Transition rules (they read `oldSelf`) do not apply at create and are skipped.
 */
import { createRequire } from 'node:module';
import type * as CelJs from '@marcbachmann/cel-js';
import { isObj as isPlainObject } from '../engine/k8s/object.js';
import { isSensitive, looksLikeCredential } from '../engine/redact.js';
import { NOT_IMPLEMENTED, RE2_MATCHES, registerKubernetesLibrary } from './cel-library.js';
import { displayPath, pointerOf, type SchemaError, type SchemaNode } from './validate.js';

type Seg = string | number;
type CelModule = typeof CelJs;
type Environment = CelJs.Environment;
type Program = ReturnType<Environment['parse']>;
type AstNode = CelJs.ASTNode;

/** A problem of the CRD itself, at a JSON pointer inside the CRD (as crd.ts reports them). */
export interface CelCrdProblem {
  path: string;
  message: string;
}

/** How a value is turned into its CEL form (ints as BigInt, objects as typed instances). */
type Desc =
  | { k: 'obj'; make: () => Record<string, unknown>; fields: Map<string, Desc>; root: boolean }
  | { k: 'map'; v: Desc }
  | { k: 'list'; v: Desc }
  | { k: 'int' }
  | { k: 'str' }
  | { k: 'plain' }
  | { k: 'dyn' };

type Reason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

interface CompiledRule {
  rule: string;
  program: Program;
  message?: string;
  messageProgram?: Program;
  reason: Reason;
  fieldPath: Seg[];
  /** Nesting depth of comprehensions (all, exists, map, filter…), for the cost bound. */
  loops: number;
}

interface NodeRules {
  rules: CompiledRule[];
  desc: Desc;
  /** The schema's type, as the API server names the value of an object that failed to evaluate. */
  type: string;
}

/** The compiled rules of one CRD version, keyed by the schema node that carries them. */
export interface CelProgram {
  readonly nodes: ReadonlyMap<object, NodeRules>;
  /** Schema nodes with rules at or under them: the walk skips every other subtree. */
  readonly withRules: ReadonlySet<object>;
}

export interface CelCompilation {
  /** What the API server refuses at CRD creation (a rule that does not compile). */
  problems: CelCrdProblem[];
  /** Rules the API server accepts but shipshape cannot evaluate (skipped, reported at the CRD). */
  unsupported: CelCrdProblem[];
  /** By version name; only versions with at least one rule. */
  versions: Map<string, CelProgram>;
}

/** Longest rule accepted (the API server's limit on a rule's text is far below). */
const MAX_RULE_LENGTH = 16 * 1024;
const LIMITS = {
  maxAstNodes: 2000,
  maxDepth: 100,
  maxListElements: 1000,
  maxMapEntries: 1000,
  maxCallArguments: 32,
};
/** The API server's per-expression runtime cost limit (celconfig.PerCallLimit). */
export const COST_LIMIT = 1_000_000;
/** Cost units per value visited by a comprehension (cel-go charges several per iteration). */
const COST_PER_VISIT = 3;
const MAX_ERRORS = 100;
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const REASONS = new Set<string>([
  'FieldValueInvalid',
  'FieldValueForbidden',
  'FieldValueRequired',
  'FieldValueDuplicate',
]);

let cel: CelModule | undefined;
let baseEnv: Environment | undefined;
function base(): { cel: CelModule; env: Environment } {
  if (!cel || !baseEnv) {
    const require = createRequire(import.meta.url);
    cel = require('@marcbachmann/cel-js') as CelModule;
    const env = new cel.Environment({ enableOptionalTypes: true, limits: LIMITS });
    registerKubernetesLibrary(env);
    baseEnv = env;
  }
  return { cel, env: baseEnv };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does any schema node under `node` carry x-kubernetes-validations? (Cheap; no CEL loaded.) */
function hasRules(node: unknown, depth = 0): boolean {
  if (!isObject(node) || depth > 200) return false;
  if (node['x-kubernetes-validations'] !== undefined) return true;
  const props = node.properties;
  if (isObject(props) && Object.values(props).some((p) => hasRules(p, depth + 1))) return true;
  return hasRules(node.items, depth + 1) || hasRules(node.additionalProperties, depth + 1);
}

const cache = new WeakMap<object, CelCompilation>();
const EMPTY: CelCompilation = { problems: [], unsupported: [], versions: new Map() };

/** Compile every rule of a CRD (once per CRD object). Never throws. */
export function compileCrdRules(crd: unknown): CelCompilation {
  if (!isObject(crd)) return EMPTY;
  const hit = cache.get(crd);
  if (hit) return hit;
  const spec = crd.spec;
  const versions = isObject(spec) && Array.isArray(spec.versions) ? (spec.versions as unknown[]) : [];
  const roots = versions.map((v) =>
    isObject(v) && isObject(v.schema) ? v.schema.openAPIV3Schema : undefined,
  );
  let out = EMPTY;
  if (roots.some((r) => hasRules(r))) {
    out = { problems: [], unsupported: [], versions: new Map() };
    versions.forEach((v, i) => {
      const root = roots[i];
      if (!isObject(v) || typeof v.name !== 'string' || !hasRules(root)) return;
      const c = new Compiler(out, ['spec', 'versions', i, 'schema', 'openAPIV3Schema']);
      out.versions.set(v.name, c.compile(root as SchemaNode));
    });
  }
  cache.set(crd, out);
  return out;
}

class Compiler {
  private readonly nodes = new Map<object, NodeRules>();
  private readonly withRules = new Set<object>();
  private readonly descs = new Map<object, { desc: Desc; type: string; cel: string }>();
  private types = 0;
  private env!: Environment;

  constructor(
    private readonly out: CelCompilation,
    private readonly base: Seg[],
  ) {}

  compile(root: SchemaNode): CelProgram {
    const { env } = base();
    this.env = env.clone();
    // Types first (an environment stops taking registrations once cloned), then the rules.
    const found: Array<[SchemaNode, Seg[]]> = [];
    this.find(root, [...this.base], 0, found);
    for (const [node] of found) this.typeOf(node, node === root, 0);
    for (const [node, segs] of found) {
      const t = this.descs.get(node)!;
      const list = (node as Record<string, unknown>)['x-kubernetes-validations'];
      const compiled = this.nodeRules(node, list, [...segs, 'x-kubernetes-validations']);
      if (compiled.length > 0)
        this.nodes.set(node, { rules: compiled, desc: t.desc, type: t.type || 'object' });
    }
    return { nodes: this.nodes, withRules: this.withRules };
  }

  /** Collect the nodes that carry rules; marks every node on the way to one. */
  private find(node: SchemaNode, segs: Seg[], depth: number, found: Array<[SchemaNode, Seg[]]>): boolean {
    if (!isObject(node) || depth > 100) return false;
    let any = false;
    if (node['x-kubernetes-validations'] !== undefined) {
      found.push([node, segs]);
      any = true;
    }
    const props = (isObject(node.properties) ? node.properties : {}) as Record<string, SchemaNode>;
    for (const [name, sub] of Object.entries(props))
      if (this.find(sub, [...segs, 'properties', name], depth + 1, found)) any = true;
    if (node.items && this.find(node.items, [...segs, 'items'], depth + 1, found)) any = true;
    const ap = node.additionalProperties;
    if (isObject(ap) && this.find(ap, [...segs, 'additionalProperties'], depth + 1, found)) any = true;
    if (any) this.withRules.add(node);
    return any;
  }

  /** Register the CEL type of a schema node (objects become named types with their fields). */
  private typeOf(node: SchemaNode, root: boolean, depth: number): { desc: Desc; type: string; cel: string } {
    const known = this.descs.get(node);
    if (known) return known;
    const type = node.type ?? '';
    let r: { desc: Desc; type: string; cel: string };
    if (depth > 100 || node['x-kubernetes-int-or-string'] || type === '')
      r = { desc: { k: 'dyn' }, type, cel: 'dyn' };
    else if (type === 'integer') r = { desc: { k: 'int' }, type, cel: 'int' };
    else if (type === 'number') r = { desc: { k: 'plain' }, type, cel: 'double' };
    else if (type === 'boolean') r = { desc: { k: 'plain' }, type, cel: 'bool' };
    else if (type === 'string') r = { desc: { k: 'str' }, type, cel: 'string' };
    else if (type === 'array') {
      const item = node.items
        ? this.typeOf(node.items, false, depth + 1)
        : { desc: { k: 'dyn' } as Desc, cel: 'dyn' };
      r = { desc: { k: 'list', v: item.desc }, type, cel: `list<${item.cel}>` };
    } else if (type === 'object' && (node.properties || root)) {
      const fields = new Map<string, Desc>();
      const celFields: Record<string, string> = {};
      for (const [name, sub] of Object.entries(isObject(node.properties) ? node.properties : {})) {
        if (!isObject(sub)) continue;
        const t = this.typeOf(sub, false, depth + 1);
        fields.set(name, t.desc);
        celFields[name] = t.cel;
      }
      if (root || node['x-kubernetes-embedded-resource']) {
        for (const f of ['apiVersion', 'kind']) {
          fields.set(f, { k: 'str' });
          celFields[f] = 'string';
        }
      }
      if (root) {
        const meta = this.objectType({ name: 'string', generateName: 'string' });
        fields.set('metadata', {
          k: 'obj',
          make: meta.make,
          fields: new Map([
            ['name', { k: 'str' }],
            ['generateName', { k: 'str' }],
          ]),
          root: false,
        });
        celFields.metadata = meta.name;
      }
      const t = this.objectType(celFields);
      r = { desc: { k: 'obj', make: t.make, fields, root }, type, cel: t.name };
    } else if (type === 'object' && isObject(node.additionalProperties)) {
      const v = this.typeOf(node.additionalProperties, false, depth + 1);
      r = { desc: { k: 'map', v: v.desc }, type, cel: `map<string, ${v.cel}>` };
    } else
      r = {
        desc: { k: 'dyn' },
        type,
        cel: node['x-kubernetes-preserve-unknown-fields'] ? 'dyn' : 'map<string, dyn>',
      };
    this.descs.set(node, r);
    return r;
  }

  private objectType(fields: Record<string, string>): { name: string; make: () => Record<string, unknown> } {
    const name = `Object${++this.types}`;
    // One class per type: cel-js tells types apart by constructor.
    const ctor = class {};
    this.env.registerType(name, { ctor, fields });
    this.env.registerOperator(
      `${name} == ${name}`,
      (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b),
    );
    return { name, make: () => new ctor() as Record<string, unknown> };
  }

  private problem(segs: Seg[], message: string, unsupported = false): void {
    const list = unsupported ? this.out.unsupported : this.out.problems;
    if (list.length < 20) list.push({ path: pointerOf(segs), message: `${displayPath(segs)}: ${message}` });
  }

  private nodeRules(node: SchemaNode, list: unknown, segs: Seg[]): CompiledRule[] {
    if (!Array.isArray(list)) {
      this.problem(segs, 'must be a list of validation rules');
      return [];
    }
    const t = this.descs.get(node);
    if (!t) return [];
    const out: CompiledRule[] = [];
    list.forEach((item, i) => {
      const at = [...segs, i];
      if (!isObject(item) || typeof item.rule !== 'string' || item.rule.trim() === '') {
        this.problem([...at, 'rule'], 'Required value');
        return;
      }
      const env = this.env.clone();
      env.registerVariable('self', t.cel);
      env.registerVariable('oldSelf', t.cel);
      const rule = this.expression(env, item.rule, [...at, 'rule'], 'bool');
      if (rule === undefined) return;
      let messageProgram: Program | undefined;
      if (typeof item.messageExpression === 'string' && item.messageExpression.trim() !== '') {
        messageProgram = this.expression(env, item.messageExpression, [...at, 'messageExpression'], 'string');
        if (messageProgram === undefined) return;
      }
      const reason = typeof item.reason === 'string' ? item.reason : 'FieldValueInvalid';
      if (!REASONS.has(reason)) {
        this.problem(
          [...at, 'reason'],
          `Unsupported value: ${JSON.stringify(reason)}: supported values: ${[...REASONS].map((r) => `"${r}"`).join(', ')}`,
        );
        return;
      }
      let fieldPath: Seg[] = [];
      if (typeof item.fieldPath === 'string' && item.fieldPath !== '') {
        const parsed = parseFieldPath(item.fieldPath, node);
        if (!parsed) {
          this.problem(
            [...at, 'fieldPath'],
            `Invalid value: ${JSON.stringify(item.fieldPath)}: must be a valid path`,
          );
          return;
        }
        fieldPath = parsed;
      }
      // Transition rules compare with the stored object: there is none at create.
      if (uses(rule.ast, (n) => n.op === 'id' && n.args === 'oldSelf')) return;
      out.push({
        rule: item.rule.trim(),
        program: rule,
        message: typeof item.message === 'string' && item.message.trim() !== '' ? item.message : undefined,
        messageProgram,
        reason: reason as Reason,
        fieldPath,
        loops: loopDepth(rule.ast),
      });
    });
    return out;
  }

  /** Parse and type-check one expression; a problem (and undefined) when it cannot be used. */
  private expression(
    env: Environment,
    text: string,
    segs: Seg[],
    want: 'bool' | 'string',
  ): Program | undefined {
    const what = want === 'bool' ? 'compilation failed' : 'messageExpression compilation failed';
    if (text.length > MAX_RULE_LENGTH) {
      this.problem(segs, `Too long: may not be more than ${MAX_RULE_LENGTH} bytes`);
      return undefined;
    }
    let program: Program;
    try {
      program = env.parse(text);
    } catch (err) {
      this.problem(segs, `Invalid value: ${JSON.stringify(text)}: ${what}: ${summary(err)}`);
      return undefined;
    }
    const missing = unimplemented(program.ast);
    if (missing) {
      this.problem(
        segs,
        `rule ${JSON.stringify(text)} uses ${missing}(), which shipshape does not implement: the rule is not checked`,
        true,
      );
      return undefined;
    }
    renameMatches(program.ast);
    const checked = program.check();
    if (!checked.valid) {
      this.problem(segs, `Invalid value: ${JSON.stringify(text)}: ${what}: ${summary(checked.error)}`);
      return undefined;
    }
    if (checked.type !== want && checked.type !== 'dyn') {
      const msg =
        want === 'bool'
          ? 'cel expression must evaluate to a bool'
          : 'messageExpression must evaluate to a string';
      this.problem(segs, `Invalid value: ${JSON.stringify(text)}: ${msg}`);
      return undefined;
    }
    return program;
  }
}

/** The first line of a cel-js error, in cel-go's words where they differ. */
function summary(err: unknown): string {
  const text = err instanceof Error ? err.message.split('\n')[0]!.trim() : String(err);
  const noKey = /^No such key: (.*)$/.exec(text);
  return noKey ? `undefined field '${noKey[1]}'` : text;
}

function children(n: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const visit = (a: unknown): void => {
    if (Array.isArray(a)) a.forEach(visit);
    else if (typeof a === 'object' && a !== null && 'op' in a) out.push(a as AstNode);
  };
  visit(n.args);
  return out;
}

function uses(n: AstNode, test: (n: AstNode) => boolean, depth = 0): boolean {
  if (test(n)) return true;
  return depth < 200 && children(n).some((c) => uses(c, test, depth + 1));
}

function callName(n: AstNode): string | undefined {
  if (n.op === 'call') return n.args[0];
  if (n.op === 'rcall') {
    const [name, receiver] = n.args;
    return receiver.op === 'id' ? `${receiver.args}.${name}` : name;
  }
  return undefined;
}

/** A Kubernetes library function the rule calls that shipshape does not implement. */
function unimplemented(ast: AstNode): string | undefined {
  let found: string | undefined;
  uses(ast, (n) => {
    if (n.op !== 'call' && n.op !== 'rcall') return false;
    const qualified = callName(n)!;
    const name = n.args[0];
    if (NOT_IMPLEMENTED.has(qualified)) found = qualified;
    else if (NOT_IMPLEMENTED.has(name)) found = name;
    return found !== undefined;
  });
  return found;
}

/** Point the AST's `x.matches(re)` at the RE2 implementation (cel-js's own runs a JS RegExp). */
function renameMatches(ast: AstNode, depth = 0): void {
  if (ast.op === 'rcall' && ast.args[0] === 'matches') (ast.args as unknown[])[0] = RE2_MATCHES;
  if (depth < 200) for (const c of children(ast)) renameMatches(c, depth + 1);
}

function loopDepth(n: AstNode, depth = 0): number {
  if (depth > 200) return 0;
  const inner = Math.max(0, ...children(n).map((c) => loopDepth(c, depth + 1)));
  return n.op === 'rcall' && COMPREHENSIONS.has(n.args[0]) ? inner + 1 : inner;
}

/** `.spec.replicas`, `.a['b.c']`, `.list[0]`, relative to the rule's node; undefined when invalid. */
function parseFieldPath(path: string, node: SchemaNode): Seg[] | undefined {
  const segs: Seg[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let cur: SchemaNode | undefined = node;
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) return undefined;
    at = re.lastIndex;
    if (m[3] !== undefined) {
      segs.push(Number(m[3]));
      cur = cur?.items;
    } else {
      const name = m[1] ?? m[2]!.replace(/\\(.)/g, '$1');
      segs.push(name);
      const next: SchemaNode | undefined =
        cur?.properties?.[name] ??
        (isObject(cur?.additionalProperties) ? cur.additionalProperties : undefined);
      if (next === undefined) return undefined;
      cur = next;
    }
  }
  return segs;
}

// --- evaluation --------------------------------------------------------------------------------

export interface CelEvalOptions {
  redact: boolean;
}

/** Count values in `v`, stopping once past `limit`. */
function sizeOf(v: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop();
    n++;
    if (Array.isArray(x)) for (const e of x) stack.push(e);
    else if (isPlainObject(x)) for (const e of Object.values(x)) stack.push(e);
  }
  return n;
}

class Evaluator {
  readonly errors: SchemaError[] = [];
  /** A rule went over the cost limit: like the API server, run no further rules. */
  private stopped = false;
  private readonly converted = new Map<object, unknown>();

  constructor(
    private readonly program: CelProgram,
    private readonly root: unknown,
    private readonly o: CelEvalOptions,
  ) {}

  /** The CEL form of a value (memoized per object, so nested rules reuse their parents' work). */
  convert(v: unknown, d: Desc): unknown {
    if (v === null || v === undefined) return v;
    if (typeof v === 'object') {
      const hit = this.converted.get(v);
      if (hit !== undefined) return hit;
    }
    let out: unknown = v;
    switch (d.k) {
      case 'int':
        out = typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
        break;
      case 'str':
        out = typeof v === 'number' ? String(v) : v; // a quantity written as a YAML number
        break;
      case 'plain':
        break;
      case 'dyn':
        out = this.dyn(v, 0);
        break;
      case 'list':
        if (Array.isArray(v)) out = v.map((e) => this.convert(e, d.v));
        break;
      case 'map':
        if (isPlainObject(v)) {
          const m: Record<string, unknown> = {};
          for (const [k, e] of Object.entries(v))
            if (e !== null && e !== undefined) m[k] = this.convert(e, d.v);
          out = m;
        }
        break;
      case 'obj':
        if (isPlainObject(v)) {
          const inst = d.make();
          for (const [k, fd] of d.fields) {
            const e = v[k];
            if (e !== null && e !== undefined) inst[k] = this.convert(e, fd);
          }
          out = inst;
        }
        break;
    }
    if (typeof v === 'object') this.converted.set(v, out);
    return out;
  }

  private dyn(v: unknown, depth: number): unknown {
    if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
    if (depth > 200) return v;
    if (Array.isArray(v)) return v.map((e) => this.dyn(e, depth + 1));
    if (isPlainObject(v)) {
      const m: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v))
        if (e !== null && e !== undefined) m[k] = this.dyn(e, depth + 1);
      return m;
    }
    return v;
  }

  walk(value: unknown, schema: SchemaNode, segs: Seg[], depth: number): void {
    if (this.stopped || value === null || value === undefined || depth > 200) return;
    if (!this.program.withRules.has(schema)) return;
    const here = this.program.nodes.get(schema);
    if (here) this.evaluate(value, here, segs);
    if (Array.isArray(value)) {
      if (!schema.items) return;
      for (let i = 0; i < value.length; i++) this.walk(value[i], schema.items, [...segs, i], depth + 1);
    } else if (isPlainObject(value)) {
      const ap = schema.additionalProperties;
      for (const [k, e] of Object.entries(value)) {
        const sub = schema.properties?.[k] ?? (typeof ap === 'object' ? ap : undefined);
        if (sub) this.walk(e, sub, [...segs, k], depth + 1);
      }
    }
  }

  private add(segs: Seg[], message: string): void {
    if (this.errors.length < MAX_ERRORS)
      this.errors.push({
        path: pointerOf(segs),
        message: `${displayPath(segs)}: ${message}`,
        target: 'value',
      });
  }

  private evaluate(value: unknown, node: NodeRules, segs: Seg[]): void {
    const self = this.convert(value, node.desc);
    const size = sizeOf(value, COST_LIMIT);
    const hidden = this.o.redact || isSensitive(this.root, segs, value);
    for (const r of node.rules) {
      // Deterministic stand-in for the API server's cost accounting: each comprehension level
      // visits every value of `self`, at a few cost units per innermost visit.
      const cost = r.loops === 0 ? 1 : COST_PER_VISIT * size ** r.loops;
      if (cost > COST_LIMIT) {
        this.add(
          segs,
          `Invalid value: "${node.type}": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleString(r)}`,
        );
        this.stopped = true;
        return;
      }
      let result: unknown;
      try {
        result = r.program({ self });
      } catch (err) {
        this.add(
          segs,
          `Invalid value: "${node.type}": ${runtimeError(err)} evaluating rule: ${ruleString(r)}`,
        );
        continue;
      }
      if (result === true) continue;
      if (result !== false) {
        this.add(segs, `Invalid value: "${node.type}": rule did not evaluate to a bool: ${ruleString(r)}`);
        continue;
      }
      this.fail(value, self, r, segs, hidden);
    }
  }

  /** Is any value at or under `segs` one that is never printed (a message expression could)? */
  private holdsSensitive(value: unknown, segs: Seg[]): boolean {
    const stack: Array<[unknown, Seg[]]> = [[value, segs]];
    for (let seen = 0; stack.length > 0; seen++) {
      if (seen > 10_000) return true;
      const [v, at] = stack.pop()!;
      if (Array.isArray(v)) v.forEach((e, i) => stack.push([e, [...at, i]]));
      else if (isPlainObject(v)) for (const [k, e] of Object.entries(v)) stack.push([e, [...at, k]]);
      else if (isSensitive(this.root, at, v)) return true;
    }
    return false;
  }

  private fail(value: unknown, self: unknown, r: CompiledRule, segs: Seg[], hidden: boolean): void {
    let detail = r.message ?? `failed rule: ${r.rule}`;
    // The message expression can print values: not when they are to be hidden.
    if (r.messageProgram && !hidden && !this.holdsSensitive(value, segs)) {
      try {
        const m: unknown = r.messageProgram({ self });
        if (typeof m === 'string' && m.trim() !== '' && !looksLikeCredential(m)) detail = m;
      } catch {
        // The API server falls back to the message (or the rule) too.
      }
    }
    const at = [...segs, ...r.fieldPath];
    const shown = !hidden && r.fieldPath.length === 0 ? scalar(value) : undefined;
    switch (r.reason) {
      case 'FieldValueForbidden':
        this.add(at, `Forbidden: ${detail}`);
        break;
      case 'FieldValueRequired':
        this.add(at, `Required value: ${detail}`);
        break;
      case 'FieldValueDuplicate':
        this.add(at, `Duplicate value${shown === undefined ? '' : `: ${shown}`}`);
        break;
      default:
        this.add(at, `Invalid value: ${shown === undefined ? '' : `${shown}: `}${detail}`);
    }
  }
}

/** How the API server prints a scalar value in "Invalid value"; objects and lists are not shown. */
function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

const ruleString = (r: CompiledRule): string => r.message ?? r.rule;

function runtimeError(err: unknown): string {
  const text = err instanceof Error ? err.message.split('\n')[0]!.trim() : String(err);
  return text.replace(/^No such key: /, 'no such key: ');
}

/** Evaluate a CRD version's rules on a custom resource (status already dropped when it should be). */
export function evaluateCel(
  object: unknown,
  schema: SchemaNode,
  program: CelProgram,
  options: CelEvalOptions,
): SchemaError[] {
  const e = new Evaluator(program, object, options);
  try {
    e.walk(object, schema, [], 0);
  } catch (err) {
    // A library bug must not take the run down: say so at the resource instead.
    e.errors.push({
      path: '',
      message: `(root): validation rules could not be evaluated: ${err instanceof Error ? err.message : String(err)}`,
      target: 'value',
    });
  }
  return e.errors;
}

/** What the API server adds when type or enum errors keep it from running the rules. */
export const RULES_NOT_CHECKED =
  '(root): some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
