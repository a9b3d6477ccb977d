/**
 * Rego checks: policies compiled by `opa build -t wasm`, loaded through @open-policy-agent/opa-wasm,
 * evaluated per resource under a time budget and a memory limit. Pure: modules arrive as bytes.
 * See docs/policies.md (the input/output contract) and docs/adr/0004-rego-evaluation.md (safety).
 */
import * as opaWasm from '@open-policy-agent/opa-wasm';
import vm from 'node:vm';
import { HOST_BUILTINS, regoString } from './rego-builtins.js';
import {
  globalValue,
  PAGE,
  REQUIRED_EXPORTS,
  Wasm,
  type OpaExports,
  type WasmMemory,
  type WasmModule,
} from './wasm.js';
import { RuleConfigError, type CompileDeps } from '../compile.js';
import { expandKinds } from '../kinds.js';
import { escapeSegment, getIn, pointerTokens } from '../k8s/pointer.js';
import type { CheckContext, CheckResult, EvalEnv, RuleDefinition } from '../rule.js';
import type { KubeObject, Resource, Severity } from '../types.js';

/** The rule that reports policies failing on a resource. */
export const POLICY_ERROR_RULE = 'policy-error';

/** Safety limits of policy evaluation (the options of the `policy-error` rule). */
export interface PolicyLimits {
  /**
   * CPU-time budget of one evaluation (one policy, one resource), in milliseconds. Enforced by a
   * wall-clock watchdog, but an evaluation is judged too slow only when it used this much CPU time:
   * on a busy machine it is retried with a longer watchdog instead (see PolicyRuntime).
   */
  timeoutMs: number;
  /** Maximum WebAssembly memory of one policy instance, in MiB. */
  memoryMiB: number;
  /** Largest policy input (the serialised resource plus parameters), in KiB. */
  maxInputKiB: number;
}

/** Defaults: generous for real policies, small enough that a runaway one stops quickly. */
export const DEFAULT_POLICY_LIMITS: Readonly<PolicyLimits> = {
  timeoutMs: 1000,
  memoryMiB: 128,
  maxInputKiB: 2048,
};

/** Which view of the resource a policy's input carries (see docs/policies.md). */
export type InputView = 'both' | 'conftest' | 'gatekeeper';

/** A policy that cannot be loaded: the file and the reason. The CLI reports it with exit code 2. */
export class PolicyLoadError extends RuleConfigError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot load policy ${file}: ${reason}`);
  }
}

/** A policy module compiled once per process; each rule using it gets its own instance. */
export interface PolicyModule {
  /** Short name used in messages (the policy folder or file name). */
  name: string;
  /** Where it came from, for messages. */
  file: string;
  module: WasmModule;
  /** Entrypoint names, as given to `opa build -e`, e.g. `main/deny`. */
  entrypoints: readonly string[];
  /** `data` shipped in the bundle (data.json), if any. */
  data?: unknown;
  abiMinor: number;
}

/** Pages a fresh instance starts with (the SDK's default). */
const INITIAL_PAGES = 5;
/** An instance whose memory grew past this is replaced after the evaluation (memory never shrinks). */
const SOFT_MEMORY_BYTES = 16 * 1024 * 1024;
/** Resources evaluated ahead per guarded call (one guarded call costs a watchdog thread). */
const CHUNK = 512;
/** A policy that exceeds its time budget this often is not evaluated again in the run. */
const MAX_TIMEOUTS = 3;
/**
 * An interrupted evaluation that used less CPU than its budget was starved by the machine, not slow:
 * it is retried alone with the watchdog doubled, this many times (at most 2^6 - 1 = 63 budgets of
 * wall-clock time), before it is reported as unable to finish.
 */
const MAX_STARVED_RETRIES = 5;
/** Share of the budget an interrupted evaluation must have used on the CPU to count as too slow. */
const CPU_SHARE = 0.8;

/** CPU time of this process (user + system, all threads), in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Thrown by the `opa_abort` import: the policy stopped with a runtime error (e.g. a conflict). */
class PolicyAbort extends Error {}
/** The input does not fit the configured limit. */
class InputTooLarge extends Error {}

const EMPTY_RESULT_BYTES = new TextEncoder().encode('[{"result":[]}]');
const EMPTY_RESULT: unknown = [{ result: [] }];
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

type LoadedPolicyLike = {
  dataAddr: number;
  dataHeapPtr: number;
  entrypoints: Record<string, number>;
  evaluate(input: unknown, entrypoint: number): unknown;
  setData(data: unknown): void;
};
const LoadedPolicy = (
  opaWasm as unknown as {
    default: { LoadedPolicy: new (i: unknown, m: WasmMemory, minor: number) => LoadedPolicyLike };
  }
).default.LoadedPolicy;

/** A live instance of a policy module with its own bounded memory. */
class PolicyInstance {
  readonly policy: LoadedPolicyLike;
  readonly memory: WasmMemory;
  private readonly ex: OpaExports;
  private view: Uint8Array;
  private readonly builtinNames: string[] = [];

  constructor(
    readonly mod: PolicyModule,
    maxPages: number,
  ) {
    this.memory = new Wasm.Memory({ initial: Math.min(INITIAL_PAGES, maxPages), maximum: maxPages });
    this.view = new Uint8Array(this.memory.buffer);
    const call = (id: number, args: number[]): number => this.callBuiltin(id, args);
    const instance = new Wasm.Instance(mod.module, {
      env: {
        memory: this.memory,
        opa_abort: (addr: number) => {
          throw new PolicyAbort(this.cString(addr));
        },
        // print() output is dropped: stdout carries the report.
        opa_println: () => undefined,
        opa_builtin0: (id: number) => call(id, []),
        opa_builtin1: (id: number, _c: number, a: number) => call(id, [a]),
        opa_builtin2: (id: number, _c: number, a: number, b: number) => call(id, [a, b]),
        opa_builtin3: (id: number, _c: number, a: number, b: number, c: number) => call(id, [a, b, c]),
        opa_builtin4: (id: number, _c: number, a: number, b: number, c: number, d: number) =>
          call(id, [a, b, c, d]),
      },
    });
    this.ex = instance.exports as unknown as OpaExports;
    for (const [name, id] of Object.entries(this.dump(this.ex.builtins()) as Record<string, number>))
      this.builtinNames[id] = name;
    this.policy = new LoadedPolicy(instance, this.memory, mod.abiMinor);
  }

  /** Builtin names the module imports from the host. */
  get builtins(): string[] {
    return this.builtinNames.filter((n) => n !== undefined);
  }

  /** A view of the memory, renewed only when growth detached the old buffer (reading .buffer is not free). */
  private bytes(): Uint8Array {
    if (this.view.byteLength === 0) this.view = new Uint8Array(this.memory.buffer);
    return this.view;
  }

  private cString(addr: number): string {
    const b = this.bytes();
    const end = b.indexOf(0, addr);
    return decoder.decode(b.subarray(addr, end < 0 ? b.length : end));
  }

  private dump(addr: number): unknown {
    return JSON.parse(this.cString(this.ex.opa_json_dump(addr)));
  }

  private load(value: unknown): number {
    const bytes = utf8(JSON.stringify(value));
    const addr = this.ex.opa_malloc(bytes.length);
    this.bytes().set(bytes, addr);
    const parsed = this.ex.opa_json_parse(addr, bytes.length);
    if (!parsed) throw new PolicyAbort('failed to load a built-in result');
    return parsed;
  }

  private callBuiltin(id: number, args: number[]): number {
    const impl = HOST_BUILTINS[this.builtinNames[id] ?? ''];
    if (!impl) throw new PolicyAbort(`built-in function ${this.builtinNames[id] ?? id} is not available`);
    let result: unknown;
    try {
      result = impl(...args.map((a) => this.dump(a)));
    } catch {
      // OPA (without strict built-in errors) makes a failing built-in call undefined.
      return 0;
    }
    return result === undefined ? 0 : this.load(result);
  }

  /** Evaluate one entrypoint on an input given as UTF-8 JSON pieces; returns the result set. */
  evaluate(entrypoint: number, pieces: readonly Uint8Array[], length: number): unknown {
    const opaEval = this.ex.opa_eval;
    if (!opaEval || this.mod.abiMinor < 2) {
      const buf = new Uint8Array(length);
      let at = 0;
      for (const p of pieces) {
        buf.set(p, at);
        at += p.length;
      }
      return this.policy.evaluate(buf.buffer, entrypoint);
    }
    const base = this.policy.dataHeapPtr;
    const short = base + length - this.bytes().length;
    // Grows within the memory's maximum or throws a RangeError (reported as the memory limit).
    if (short > 0) this.memory.grow(Math.ceil(short / PAGE));
    const b = this.bytes();
    let at = base;
    for (const p of pieces) {
      b.set(p, at);
      at += p.length;
    }
    // The heap restarts after the input on every call, so evaluations do not accumulate garbage.
    const ret = opaEval.call(this.ex, 0, entrypoint, this.policy.dataAddr, base, length, base + length, 0);
    return this.isEmptyResult(ret) ? EMPTY_RESULT : JSON.parse(this.cString(ret));
  }

  /** Whether the result at addr is `[{"result":[]}]`, the common answer, read without decoding. */
  private isEmptyResult(addr: number): boolean {
    const b = this.bytes();
    for (let i = 0; i < EMPTY_RESULT_BYTES.length; i++)
      if (b[addr + i] !== EMPTY_RESULT_BYTES[i]) return false;
    return b[addr + EMPTY_RESULT_BYTES.length] === 0;
  }

  /** Bytes of WebAssembly memory in use (it only grows). */
  get memoryBytes(): number {
    return this.bytes().length;
  }
}

/**
 * Compile a policy module (once per process) and check it: an OPA WebAssembly module of a known ABI
 * whose host built-ins shipshape provides. Throws PolicyLoadError naming the file and the reason.
 */
export function compilePolicy(bytes: Uint8Array, file: string, name: string, data?: unknown): PolicyModule {
  let module: WasmModule;
  try {
    module = new Wasm.Module(bytes);
  } catch (err) {
    throw new PolicyLoadError(file, `not a valid WebAssembly module (${(err as Error).message})`);
  }
  const imports = Wasm.Module.imports(module);
  if (!imports.some((i) => i.module === 'env' && i.name === 'memory' && i.kind === 'memory'))
    throw new PolicyLoadError(
      file,
      'not an OPA policy module: it does not import env.memory (build it with `opa build -t wasm`)',
    );
  for (const i of imports) {
    if (i.module !== 'env' || !/^(memory|opa_abort|opa_println|opa_builtin[0-4])$/.test(i.name))
      throw new PolicyLoadError(file, `not an OPA policy module: unexpected import ${i.module}.${i.name}`);
  }
  const probe: PolicyModule = { name, file, module, entrypoints: [], data, abiMinor: 0 };
  let inst: PolicyInstance;
  try {
    const ex = new Wasm.Instance(module, {
      env: {
        memory: new Wasm.Memory({ initial: INITIAL_PAGES }),
        opa_abort: () => {
          throw new PolicyAbort('abort');
        },
        opa_println: () => undefined,
        opa_builtin0: () => 0,
        opa_builtin1: () => 0,
        opa_builtin2: () => 0,
        opa_builtin3: () => 0,
        opa_builtin4: () => 0,
      },
    }).exports as unknown as OpaExports;
    const missing = REQUIRED_EXPORTS.filter(
      (e) => typeof (ex as unknown as Record<string, unknown>)[e] !== 'function',
    );
    if (missing.length > 0)
      throw new PolicyLoadError(file, `not an OPA policy module: missing exports ${missing.join(', ')}`);
    const major = globalValue(ex.opa_wasm_abi_version);
    if (major !== undefined && major !== 1)
      throw new PolicyLoadError(
        file,
        `unsupported OPA WebAssembly ABI version ${major} (shipshape supports 1.x)`,
      );
    probe.abiMinor = globalValue(ex.opa_wasm_abi_minor_version) ?? 0;
    inst = new PolicyInstance(probe, 16 * 16);
  } catch (err) {
    if (err instanceof PolicyLoadError) throw err;
    throw new PolicyLoadError(file, `the module does not instantiate (${(err as Error).message})`);
  }
  const unknown = inst.builtins.filter((b) => !HOST_BUILTINS[b]);
  if (unknown.length > 0)
    throw new PolicyLoadError(
      file,
      `it calls built-in functions that the WebAssembly runtime does not provide: ${unknown.join(', ')} ` +
        `(provided: ${Object.keys(HOST_BUILTINS).join(', ')}, plus every built-in OPA compiles into the module)`,
    );
  probe.entrypoints = Object.keys(inst.policy.entrypoints).sort();
  if (probe.entrypoints.length === 0)
    throw new PolicyLoadError(file, 'the module has no entrypoints (pass -e to `opa build`)');
  return probe;
}

/** What an entrypoint's value holds. */
type EntryKind = 'deny' | 'warn' | 'violation' | 'document';
const RESULT_SETS = new Set(['deny', 'warn', 'violation']);

interface Entrypoint {
  name: string;
  id: number;
  kind: EntryKind;
}

const kindOf = (name: string): EntryKind => {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return RESULT_SETS.has(last) ? (last as EntryKind) : 'document';
};

/** Normalise `data.main`, `main` or `main/deny` to an entrypoint path (`main`, `main/deny`). */
const entrypointPath = (s: string): string =>
  s
    .trim()
    .replace(/^data\./, '')
    .replace(/\./g, '/')
    .replace(/^\/+|\/+$/g, '');

/**
 * Pick the entrypoints to evaluate. `selection` names entrypoints or packages (a package selects the
 * deny/warn/violation entrypoints under it); without one every entrypoint is used, except those
 * inside a package that is itself an entrypoint (its document already holds their results).
 */
export function selectEntrypoints(mod: PolicyModule, selection?: readonly string[]): string[] {
  const all = mod.entrypoints;
  if (!selection || selection.length === 0) {
    const set = new Set(all);
    return all.filter((e) => {
      for (let i = e.lastIndexOf('/'); i > 0; i = e.lastIndexOf('/', i - 1))
        if (set.has(e.slice(0, i))) return false;
      return true;
    });
  }
  const out = new Set<string>();
  for (const raw of selection) {
    const want = entrypointPath(raw);
    if (all.includes(want)) {
      out.add(want);
      continue;
    }
    const under = all.filter((e) => e.startsWith(`${want}/`) && kindOf(e) !== 'document');
    if (under.length === 0)
      throw new PolicyLoadError(
        mod.file,
        `no entrypoint "${raw}" (entrypoints: ${all.join(', ')}; rebuild with \`opa build -t wasm -e ${want}/deny …\`)`,
      );
    under.forEach((e) => out.add(e));
  }
  return [...out];
}

/** A rule's view of a policy: which module, entrypoints, parameters and data. */
export interface RegoBindingSpec {
  module: PolicyModule;
  /** Entrypoint or package names; default: every entrypoint of the module. */
  entrypoints?: readonly string[];
  /** `input.parameters` (already validated). */
  parameters?: unknown;
  /** `data` for the policy, merged over the bundle's own data (top-level keys). */
  data?: unknown;
  /** Which views of the resource the input carries; default 'both'. */
  input?: InputView;
  /** Evaluate only these kinds (on top of the rule's `match`), e.g. from a `kinds` parameter. */
  kinds?: readonly string[];
  /** Parameters without which the policy reports nothing: when all are empty it is never evaluated. */
  idleWithout?: readonly string[];
  /** JSON pointers the findings depend on: a resource with nothing at any of them is not evaluated. */
  needs?: readonly string[];
}

/** Absent, null, `{}`, `[]` or `""`: what a policy sees as "nothing there". */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

/** Resolves a rule's `rego` check to a binding (loading files and validating parameters as needed). */
export type RegoResolver = (def: RuleDefinition, options: Record<string, unknown>) => RegoBindingSpec;

/**
 * One resource, serialised once for every policy that looks at it. Serialising happens on first use,
 * inside the evaluation's error handling (an object too deep for JSON.stringify is a policy-error).
 */
class Prepared {
  private bytes?: Uint8Array;
  /** `{"kind":…,"name":…,"operation":"CREATE","object":` for the Gatekeeper view. */
  reviewHead?: Uint8Array;
  /** The object has its own top-level `parameters` or `review` (e.g. a StorageClass). */
  readonly reserved: boolean;
  readonly label: string;

  constructor(readonly object: KubeObject) {
    this.reserved = Object.hasOwn(object, 'parameters') || Object.hasOwn(object, 'review');
    this.label = describe(object);
  }

  get json(): Uint8Array {
    // Buffer.from writes into Node's pooled slab: measurably cheaper than TextEncoder here.
    return (this.bytes ??= Buffer.from(JSON.stringify(this.object), 'utf8'));
  }
}

const COMMA = utf8(',');
const CLOSE = utf8('}');
const CLOSE2 = utf8('}}');
const REVIEW_KEY = utf8(',"review":');

function describe(object: KubeObject): string {
  const meta = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  const name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
  return `${String(object.kind)} ${typeof meta?.namespace === 'string' ? `${meta.namespace}/` : ''}${name}`;
}

/** Gatekeeper's `input.review` around the object (the subset that makes sense offline). */
function review(object: KubeObject): Record<string, unknown> {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const meta = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  return {
    kind: {
      group: slash < 0 ? '' : apiVersion.slice(0, slash),
      version: apiVersion.slice(slash + 1),
      kind: object.kind,
    },
    name: meta?.name,
    namespace: meta?.namespace,
    operation: 'CREATE',
  };
}

function reviewHead(p: Prepared): Uint8Array {
  if (!p.reviewHead) {
    const head = JSON.stringify(review(p.object));
    p.reviewHead = utf8(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"object":`);
  }
  return p.reviewHead;
}

const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  error: 'error',
  deny: 'error',
  violation: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
};

const SEGMENT = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\])/;

/**
 * A result's `path` as a JSON pointer relative to the resource: a JSON pointer, a dotted path
 * (`spec.template.spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`) or an
 * array of segments. `input.`, `review.object.` prefixes are dropped. Undefined when unusable.
 */
export function toPointer(path: unknown): string | undefined {
  // Fast path: already a JSON pointer (what shipped policies return).
  if (typeof path === 'string' && path.startsWith('/')) {
    if (path === '/review/object') return '';
    return path.startsWith('/review/object/') ? path.slice('/review/object'.length) : path;
  }
  let segs: string[];
  if (Array.isArray(path)) segs = path.map((s) => String(s));
  else if (typeof path !== 'string') return undefined;
  else if (path === '') return '';
  else {
    segs = [];
    let rest = path.trim();
    while (rest.length > 0) {
      const m = SEGMENT.exec(rest);
      if (!m) return undefined;
      segs.push(m[1] ?? m[2] ?? (m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : (m[4] ?? '')));
      rest = rest.slice(m[0].length);
    }
  }
  if (segs[0] === 'input') segs.shift();
  if (segs[0] === 'review' && segs[1] === 'object') segs.splice(0, 2);
  return segs.map((s) => `/${escapeSegment(s)}`).join('');
}

/** One rule bound to one policy instance. */
class Binding {
  readonly entrypoints: Entrypoint[];
  readonly view: InputView;
  readonly kinds?: Set<string>;
  readonly excludeKinds?: Set<string>;
  readonly label: string;
  /** The parameters leave the policy nothing to report: it is never evaluated. */
  readonly idle: boolean;
  /** Token lists of `needs`: at least one must hold something for the resource to be evaluated. */
  private readonly needs?: string[][];
  private readonly parameters: unknown;
  private readonly paramsHead: Uint8Array;
  private readonly data: unknown;
  private instance?: PolicyInstance;
  timeouts = 0;
  disabled?: string;
  /** Evaluations and instantiations so far (for tests and benchmarks). */
  evaluations = 0;
  instantiations = 1;

  constructor(
    readonly index: number,
    readonly def: RuleDefinition,
    readonly mod: PolicyModule,
    spec: RegoBindingSpec,
    private readonly limits: PolicyLimits,
    shortcuts = true,
  ) {
    const probe = new PolicyInstance(mod, this.maxPages);
    this.entrypoints = selectEntrypoints(mod, spec.entrypoints).map((name) => ({
      name,
      id: probe.policy.entrypoints[name]!,
      kind: kindOf(name),
    }));
    this.view = spec.input ?? 'both';
    this.kinds = def.match?.kinds ? expandKinds(def.match.kinds) : undefined;
    if (spec.kinds && spec.kinds.length > 0) {
      const only = expandKinds(spec.kinds);
      this.kinds = new Set([...only].filter((k) => !this.kinds || this.kinds.has(k)));
    }
    this.excludeKinds = def.match?.excludeKinds ? expandKinds(def.match.excludeKinds) : undefined;
    this.parameters = spec.parameters ?? {};
    const params = this.parameters as Record<string, unknown>;
    this.idle =
      shortcuts && spec.idleWithout !== undefined && spec.idleWithout.every((k) => isEmpty(params[k]));
    if (shortcuts && spec.needs && spec.needs.length > 0) this.needs = spec.needs.map(pointerTokens);
    this.paramsHead = utf8(`{"parameters":${JSON.stringify(this.parameters)}`);
    const own = mod.data && typeof mod.data === 'object' ? (mod.data as Record<string, unknown>) : {};
    const extra = spec.data && typeof spec.data === 'object' ? (spec.data as Record<string, unknown>) : {};
    this.data = { ...own, ...extra };
    this.label = def.id === mod.name ? `"${def.id}"` : `"${def.id}" (policy ${mod.name})`;
    this.setup(probe);
    this.instance = probe;
  }

  private get maxPages(): number {
    return Math.max(1, Math.floor((this.limits.memoryMiB * 1024 * 1024) / PAGE));
  }

  private setup(inst: PolicyInstance): void {
    if (Object.keys(this.data as object).length > 0) inst.policy.setData(this.data);
  }

  applies(kind: string): boolean {
    return !this.idle && (!this.kinds || this.kinds.has(kind)) && !this.excludeKinds?.has(kind);
  }

  /** Whether the resource holds something at one of the pointers the policy needs. */
  wants(object: KubeObject): boolean {
    if (!this.needs) return true;
    for (const tokens of this.needs) if (!isEmpty(getIn(object, tokens))) return true;
    return false;
  }

  /** Drop the instance (after a trap, an interrupt or memory growth); the next evaluation makes a new one. */
  reset(): void {
    this.instance = undefined;
  }

  private live(): PolicyInstance {
    if (!this.instance) {
      const inst = new PolicyInstance(this.mod, this.maxPages);
      this.setup(inst);
      this.instance = inst;
      this.instantiations++;
    }
    return this.instance;
  }

  /** Memory of the live instance, for tests and benchmarks. */
  get memoryBytes(): number {
    return this.instance?.memoryBytes ?? 0;
  }

  /** The input as UTF-8 pieces, without building one big string. */
  private input(p: Prepared): { pieces: Uint8Array[]; length: number } {
    let pieces: Uint8Array[];
    if (p.reserved && this.view !== 'gatekeeper') {
      const merged: Record<string, unknown> = { ...p.object, parameters: this.parameters };
      if (this.view === 'both') merged.review = { ...review(p.object), object: p.object };
      pieces = [utf8(JSON.stringify(merged))];
    } else {
      const empty = p.json.length <= 2;
      const tail = empty ? [CLOSE] : [COMMA, p.json.subarray(1)];
      if (this.view === 'conftest') pieces = [this.paramsHead, ...tail];
      else if (this.view === 'gatekeeper')
        pieces = [this.paramsHead, REVIEW_KEY, reviewHead(p), p.json, CLOSE2];
      else pieces = [this.paramsHead, REVIEW_KEY, reviewHead(p), p.json, CLOSE, ...tail];
    }
    let length = 0;
    for (const x of pieces) length += x.length;
    if (length > this.limits.maxInputKiB * 1024)
      throw new InputTooLarge(
        `its input is ${(length / 1024).toFixed(1)} KiB, over the ${this.limits.maxInputKiB} KiB limit (policy-error option maxInputKiB)`,
      );
    return { pieces, length };
  }

  /** Evaluate every selected entrypoint on one resource. Throws on policy failure. */
  evaluate(p: Prepared): CheckResult[] {
    this.evaluations++;
    const { pieces, length } = this.input(p);
    const inst = this.live();
    const out: CheckResult[] = [];
    for (const ep of this.entrypoints) {
      const rs = inst.evaluate(ep.id, pieces, length);
      if (!Array.isArray(rs) || rs.length === 0) continue;
      for (const r of rs) this.collect(ep.kind, (r as { result?: unknown }).result, out);
    }
    if (inst.memoryBytes > SOFT_MEMORY_BYTES) this.reset();
    return out;
  }

  private collect(kind: EntryKind, value: unknown, out: CheckResult[]): void {
    if (value === undefined || value === null) return;
    if (kind === 'document') {
      if (Array.isArray(value)) {
        for (const e of value) out.push(this.result('violation', e));
      } else if (typeof value === 'object') {
        for (const k of ['deny', 'violation', 'warn'] as const) {
          const v = (value as Record<string, unknown>)[k];
          if (Array.isArray(v)) for (const e of v) out.push(this.result(k, e));
        }
      }
      return;
    }
    if (Array.isArray(value)) for (const e of value) out.push(this.result(kind, e));
    else if (value !== false) out.push(this.result(kind, value));
  }

  private result(kind: 'deny' | 'warn' | 'violation', entry: unknown): CheckResult {
    let msg: unknown = entry;
    let path: unknown;
    let rule: unknown;
    let severity: unknown;
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const e = entry as Record<string, unknown>;
      msg = e.msg ?? e.message ?? entry;
      path = e.path;
      rule = e.rule;
      severity = e.severity;
    }
    let message = typeof msg === 'string' ? msg : regoString(msg);
    if (typeof rule === 'string' && rule !== '') message = `[${rule}] ${message}`;
    const r: CheckResult = { data: { message } };
    const pointer = toPointer(path);
    if (pointer !== undefined) r.path = pointer;
    const sev = typeof severity === 'string' ? SEVERITY_WORDS[severity.toLowerCase()] : undefined;
    if (sev) r.severity = sev;
    else if (kind === 'warn') r.severity = 'warn';
    return r;
  }

  /** A `policy-error` result about this binding and a resource. */
  failure(p: Prepared | string, reason: string): CheckResult {
    const what = typeof p === 'string' ? p : p.label;
    return {
      ruleId: POLICY_ERROR_RULE,
      path: '',
      message: `Policy ${this.label} failed on ${what}: ${reason}.`,
    };
  }
}

/** Counters of one rule's policy instance, for tests and benchmarks. */
export interface BindingStats {
  ruleId: string;
  policy: string;
  evaluations: number;
  instantiations: number;
  /** WebAssembly memory of the live instance (0 when none is live). */
  memoryBytes: number;
  timeouts: number;
}

/** Why an evaluation failed, in words. */
function reason(err: unknown, limits: PolicyLimits): string {
  if (err instanceof InputTooLarge) return err.message;
  if (err instanceof PolicyAbort) {
    return /malloc|out of memory/i.test(err.message)
      ? `it ran out of memory (limit ${limits.memoryMiB} MiB, policy-error option memoryMiB)`
      : `it stopped with an error: ${err.message}`;
  }
  if (err instanceof RangeError) {
    if (/memory/i.test(err.message))
      return `it ran out of memory (limit ${limits.memoryMiB} MiB, policy-error option memoryMiB)`;
    if (/call stack/i.test(err.message)) return 'it exceeded the maximum call depth';
  }
  if (err instanceof Wasm.RuntimeError) return `it trapped: ${err.message}`;
  if (err instanceof SyntaxError) return `its result is not valid JSON (${err.message})`;
  return `it threw: ${err instanceof Error ? err.message : String(err)}`;
}

interface Task {
  binding: Binding;
  prepared: Prepared;
  resource: Resource;
  out?: CheckResult[];
}

interface Slot {
  results: (CheckResult[] | undefined)[];
  remaining: number;
}

interface RunState {
  index?: Map<Resource, number>;
  pending: Map<Resource, Slot>;
}

const isTimeout = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';

/**
 * Evaluates policies with the safety limits. Evaluation is synchronous (the engine is), so the time
 * budget is enforced with V8's execution termination: work runs inside `vm` with a `timeout`, which
 * interrupts even a loop inside WebAssembly. A guarded call starts a watchdog thread, so resources
 * are evaluated in chunks ahead of the engine and each chunk shares one guarded call.
 */
export class PolicyRuntime {
  readonly limits: PolicyLimits;
  private script?: vm.Script;
  private context?: vm.Context;
  private job?: () => void;
  /** Guarded calls made (for tests and benchmarks). */
  guardedCalls = 0;
  /** Sessions created by compileDeps, for stats(). */
  private readonly sessions: RegoSession[] = [];

  /**
   * `shortcuts: false` evaluates every binding on every resource its kinds match, ignoring the rules'
   * `idleWithout` and `needs` (tests compare both ways).
   */
  constructor(
    limits: Partial<PolicyLimits> = {},
    readonly options: { shortcuts?: boolean } = {},
  ) {
    this.limits = { ...DEFAULT_POLICY_LIMITS, ...limits };
  }

  /** Run `fn` under a watchdog of `timeoutMs` wall-clock milliseconds; false when it was interrupted. */
  guarded(fn: () => void, timeoutMs = this.limits.timeoutMs): boolean {
    // Created on first use: a context costs a millisecond, and most runs evaluate no policy.
    this.script ??= new vm.Script('run()', { filename: 'shipshape-policy-guard' });
    this.context ??= vm.createContext({ run: () => this.job?.() });
    this.job = fn;
    this.guardedCalls++;
    try {
      this.script.runInContext(this.context, { timeout: timeoutMs });
      return true;
    } catch (err) {
      if (isTimeout(err)) return false;
      throw err;
    } finally {
      this.job = undefined;
    }
  }

  /**
   * The `rego` hook for compileRules: a new session whose rules are evaluated together. Call once per
   * compileRules call.
   */
  compileDeps(resolve: RegoResolver): NonNullable<CompileDeps['rego']> {
    const session = new RegoSession(this, resolve);
    this.sessions.push(session);
    return (def, options) => session.add(def, options);
  }

  /** Counters of every bound rule (for tests and benchmarks). */
  stats(): BindingStats[] {
    return this.sessions.flatMap((s) =>
      s.bindings.map((b) => ({
        ruleId: b.def.id,
        policy: b.mod.name,
        evaluations: b.evaluations,
        instantiations: b.instantiations,
        memoryBytes: b.memoryBytes,
        timeouts: b.timeouts,
      })),
    );
  }
}

/** The rego rules of one compileRules call, evaluated together resource by resource. */
export class RegoSession {
  readonly bindings: Binding[] = [];
  private readonly runs = new WeakMap<EvalEnv, RunState>();

  constructor(
    private readonly runtime: PolicyRuntime,
    private readonly resolve: RegoResolver,
  ) {}

  /** Bind a rule to its policy; returns the rule's evaluator. */
  add(def: RuleDefinition, options: Record<string, unknown>): (ctx: CheckContext) => CheckResult[] {
    if ((def.target ?? 'resource') !== 'resource')
      throw new RuleConfigError(
        `rule "${def.id}": a rego check sees the whole resource; remove \`target: ${def.target}\``,
      );
    if (def.scope === 'set')
      throw new RuleConfigError(`rule "${def.id}": rego checks cannot have scope: set`);
    const spec = this.resolve(def, options);
    const binding = new Binding(
      this.bindings.length,
      def,
      spec.module,
      spec,
      this.runtime.limits,
      this.runtime.options.shortcuts !== false,
    );
    this.bindings.push(binding);
    return (ctx) => this.take(ctx, binding);
  }

  private take(ctx: CheckContext, b: Binding): CheckResult[] {
    if (!b.applies(String(ctx.object.kind)) || !b.wants(ctx.object)) return [];
    let run = this.runs.get(ctx.env);
    if (!run) {
      run = { pending: new Map() };
      this.runs.set(ctx.env, run);
    }
    let slot = run.pending.get(ctx.resource);
    if (!slot) {
      this.evaluateAhead(run, ctx);
      slot = run.pending.get(ctx.resource);
    }
    const out = slot?.results[b.index];
    if (!slot || out === undefined) {
      const task: Task = { binding: b, prepared: new Prepared(ctx.object), resource: ctx.resource };
      this.evaluate([task]);
      return task.out ?? [];
    }
    slot.results[b.index] = undefined;
    if (--slot.remaining === 0) run.pending.delete(ctx.resource);
    return out;
  }

  /** Evaluate the next chunk of the run's resources, starting with the one the engine asked for. */
  private evaluateAhead(run: RunState, ctx: CheckContext): void {
    const resources = ctx.env.resources;
    if (!run.index) {
      run.index = new Map();
      resources.forEach((r, i) => run.index!.set(r, i));
    }
    const start = run.index.get(ctx.resource);
    const chosen = start === undefined ? [ctx.resource] : [];
    if (start !== undefined)
      for (let i = start; i < resources.length && chosen.length < CHUNK; i++) {
        const r = resources[i]!;
        if (i === start || !run.pending.has(r)) chosen.push(r);
      }
    const tasks: Task[] = [];
    for (const r of chosen) {
      const kind = String(r.object.kind);
      let prepared: Prepared | undefined;
      const slot: Slot = { results: [], remaining: 0 };
      for (const b of this.bindings) {
        if (!b.applies(kind) || !b.wants(r.object)) continue;
        prepared ??= new Prepared(r.object);
        tasks.push({ binding: b, prepared, resource: r });
        slot.remaining++;
      }
      if (slot.remaining > 0) run.pending.set(r, slot);
    }
    this.evaluate(tasks);
    for (const t of tasks) run.pending.get(t.resource)!.results[t.binding.index] = t.out ?? [];
  }

  /**
   * Evaluate tasks under the time budget: guarded calls of at most a quarter of the budget each, and
   * an interrupted evaluation retried alone (see {@link alone}) before it is reported as too slow.
   */
  private evaluate(tasks: Task[]): void {
    const limits = this.runtime.limits;
    let pos = 0;
    const step = () => {
      const callStart = performance.now();
      for (let done = 0; pos < tasks.length; pos++, done++) {
        // Hand the rest to a fresh guarded call long before this one's budget runs out, so the
        // watchdog interrupts only an evaluation that is itself slow (or starved).
        if (done > 0 && performance.now() - callStart > limits.timeoutMs / 4) return;
        tasks[pos]!.out = this.one(tasks[pos]!);
      }
    };
    while (pos < tasks.length) {
      if (this.runtime.guarded(step)) continue;
      // The watchdog can fire just after the last task finished: then nothing was interrupted.
      if (pos >= tasks.length) break;
      const t = tasks[pos]!;
      if (t.out === undefined) {
        t.binding.reset();
        t.out = this.alone(t);
      }
      pos++;
    }
  }

  private one(t: Task): CheckResult[] {
    const b = t.binding;
    if (b.disabled) return [b.failure(t.prepared, b.disabled)];
    try {
      return b.evaluate(t.prepared);
    } catch (err) {
      // A trap can leave the instance's state half-updated: start the next evaluation afresh.
      b.reset();
      return [b.failure(t.prepared, reason(err, this.runtime.limits))];
    }
  }

  /**
   * An interrupted evaluation, alone under its own watchdog. The verdict must not depend on the
   * machine's load, so it is judged by the CPU time it used, not by the wall clock: interrupted
   * after using (nearly) its whole budget of CPU time, it is too slow; interrupted with less, the
   * machine starved it, and it runs again with the watchdog doubled.
   */
  private alone(t: Task): CheckResult[] {
    const limits = this.runtime.limits;
    const b = t.binding;
    let wall = limits.timeoutMs;
    let elapsed = 0;
    for (let attempt = 0; ; attempt++) {
      let out: CheckResult[] | undefined;
      const cpu0 = cpuMs();
      const wall0 = performance.now();
      const ok = this.runtime.guarded(() => {
        out = this.one(t);
      }, wall);
      if (ok && out) return out;
      const cpu = cpuMs() - cpu0;
      elapsed += performance.now() - wall0;
      b.reset();
      let failure: string | undefined;
      if (cpu >= limits.timeoutMs * CPU_SHARE)
        failure = `it exceeded the ${limits.timeoutMs} ms time budget (policy-error option timeoutMs)`;
      else if (attempt >= MAX_STARVED_RETRIES)
        failure = `it could not finish: the machine gave it only ${Math.round(cpu)} ms of CPU time of its ${limits.timeoutMs} ms budget in ${Math.round(elapsed)} ms (policy-error option timeoutMs)`;
      if (failure === undefined) {
        wall *= 2;
        continue;
      }
      b.timeouts++;
      if (b.timeouts >= MAX_TIMEOUTS)
        b.disabled = `not evaluated: the policy exceeded its time budget ${MAX_TIMEOUTS} times in this run`;
      return [b.failure(t.prepared, failure)];
    }
  }
}
