/**
 * Declarative mutations (the `mutations:` config section, ADR 0015): what each one changes in an
 * object, as JSON Patch operations that `shipshape fix` splices into YAML text and `/mutate` sends
 * back as its patch. Every operation is conditional on the object as it is (add when absent,
 * replace only with `overwrite`, remove when present), so planning again on the result gives
 * nothing: idempotent, and safe when the API server calls the webhook a second time.
 */
import { forEachContainer, podSpecsOf } from './kinds.js';
import { isObj } from './k8s/object.js';
import { escapeSegment, getIn, parsePointer } from './k8s/pointer.js';
import { applyPatch, clone, jsonEqual } from './patch.js';
import type { JsonPatchOp, KubeObject } from './types.js';

/** Where a `set`/`remove` path starts: the object, each pod template, each pod spec, each container. */
export type MutationScope = 'object' | 'podTemplate' | 'podSpec' | 'container';

/** One mutation's action, compiled (paths split into reference tokens). */
export type MutationAction =
  | {
      kind: 'metadata';
      field: 'labels' | 'annotations';
      entries: ReadonlyArray<readonly [string, string]>;
      /** Also on the pod templates of workloads (their pods' metadata). */
      podTemplates: boolean;
    }
  | { kind: 'set'; tokens: readonly string[]; value: unknown; scope: MutationScope }
  | { kind: 'remove'; tokens: readonly string[]; scope: MutationScope };

/** A mutation ready to plan: its name, which objects it selects, what it does. */
export interface CompiledMutation {
  name: string;
  /** Whether it applies to this object (as the caller sees it: the request's namespace filled in). */
  matches(object: KubeObject): boolean;
  action: MutationAction;
  /** Replace a present, different value (labels, annotations, `set`); default only absent ones are added. */
  overwrite: boolean;
}

/** One operation a mutation makes, with words for notes and logs (never the value of a `set`). */
export interface PlannedOp {
  mutation: string;
  op: JsonPatchOp;
  /** `add label env=prod at /metadata/labels/env`. */
  description: string;
}

const absent = (v: unknown) => v === undefined || v === null;

/** Pointer of the pods' metadata parent (`/spec/template`) for a pod-metadata pointer, '' for a Pod. */
const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf('/'));

/** The pointers the action's paths start from, each once, in document order. */
function bases(object: KubeObject, scope: MutationScope): string[] {
  if (scope === 'object') return [''];
  const out = new Set<string>();
  for (const pod of podSpecsOf(object)) {
    if (scope === 'podTemplate') out.add(parentOf(pod.metadata));
    else if (scope === 'podSpec') out.add(pod.pointer);
    else forEachContainer(pod.spec, (c) => out.add(pod.pointer + c.pointer));
  }
  return [...out];
}

/**
 * Whether an `add` at `tokens` can work: every step on the way is absent, null (both become an
 * object) or an object; a list only as an existing item. Anything else (a string where an object
 * should be) is the manifest's problem for the rules to report, not a field to overwrite.
 */
function settable(object: unknown, tokens: readonly string[]): boolean {
  let cur = object;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (absent(cur)) return true;
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(tokens[i]!) || Number(tokens[i]) >= cur.length) return false;
      cur = cur[Number(tokens[i])];
    } else if (isObj(cur)) cur = Object.hasOwn(cur, tokens[i]!) ? cur[tokens[i]!] : undefined;
    else return false;
  }
  return absent(cur) || isObj(cur);
}

const pointerOf = (base: string, tokens: readonly string[]) =>
  base + tokens.map((t) => '/' + escapeSegment(t)).join('');

/** The operations one mutation makes on `object` as it is now (empty when it is already so). */
export function mutationOps(object: KubeObject, m: CompiledMutation): PlannedOp[] {
  const out: PlannedOp[] = [];
  const a = m.action;
  const put = (path: string, value: unknown, what: string) => {
    const full = parsePointer(path)!;
    if (!settable(object, full)) return;
    const before = getIn(object, full);
    if (!absent(before) && (!m.overwrite || jsonEqual(before, value))) return;
    out.push({
      mutation: m.name,
      op: { op: absent(before) ? 'add' : 'replace', path, value },
      description: `${absent(before) ? 'add' : 'replace'} ${what} at ${path}`,
    });
  };
  if (a.kind === 'metadata') {
    const where = new Set(['']);
    if (a.podTemplates) for (const pod of podSpecsOf(object)) where.add(parentOf(pod.metadata));
    const noun = a.field === 'labels' ? 'label' : 'annotation';
    for (const base of where)
      for (const [key, value] of a.entries) {
        put(pointerOf(base, ['metadata', a.field, key]), value, `${noun} ${key}=${value}`);
      }
    return out;
  }
  for (const base of bases(object, a.scope)) {
    const path = pointerOf(base, a.tokens);
    if (a.kind === 'set') put(path, a.value, 'a value');
    else if (getIn(object, parsePointer(path)!) !== undefined)
      out.push({ mutation: m.name, op: { op: 'remove', path }, description: `remove ${path}` });
  }
  return out;
}

/**
 * Plan the mutations in config order, each on the result of the ones before (so a later mutation
 * sees, and may match on, what an earlier one added). `object` is not changed. Returns the
 * operations in the order to apply them; none when every mutation is already satisfied.
 */
export function planMutations(object: KubeObject, mutations: readonly CompiledMutation[]): PlannedOp[] {
  const out: PlannedOp[] = [];
  let current = object;
  for (const m of mutations) {
    if (!m.matches(current)) continue;
    const ops = mutationOps(current, m);
    if (ops.length === 0) continue;
    if (current === object) current = clone(object);
    // Each operation alone: one that cannot apply (it never should: `settable`) is dropped, not the rest.
    for (const p of ops) if (applyPatch(current, [p.op]).changed) out.push(p);
  }
  return out;
}
