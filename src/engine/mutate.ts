/**
 * Declarative mutations (the `mutations:` config section, ADR 0015): what each one changes in an
 * object, as JSON Patch operations that `shipshape fix` splices into YAML text and `/mutate` sends
 * back as its patch. Every operation is conditional on the object as it is (add when absent,
 * replace only with `overwrite`, remove when present), so planning again on the result gives
 * nothing: idempotent, and safe when the API server calls the webhook a second time.
 *
 * The pod scopes read the run's kind table (the built-in kinds, the custom kinds shipshape knows,
 * CRDs embedding a PodSpec, the config's `podSpecs:`): the same table the pod rules read, so a
 * mutation reaches the pods of every kind a rule reaches.
 */
import {
  CONTAINER_LISTS,
  forEachContainer,
  podMetadataPointerOf,
  podSpecsOf,
  type KindTable,
  type PodSpecAt,
} from './kinds.js';
import { isObj } from './k8s/object.js';
import { escapeSegment, getIn, parsePointer } from './k8s/pointer.js';
import { jsonEqual, patchedCopy } from './patch.js';
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

/**
 * Whether a pod spec is a PodSpec: its containers in a PodSpec's three lists. An Argo template or
 * a Tekton TaskSpec is pod-like (containers, steps) but has other pod-level fields, or none: a
 * `podSpec` path is not written there.
 */
const isPodSpec = (pod: PodSpecAt) =>
  pod.slots.length === CONTAINER_LISTS.length &&
  pod.slots.every((s, i) => s.path === CONTAINER_LISTS[i] && s.list === CONTAINER_LISTS[i] && !s.single);

/**
 * The pod template of a PodSpec, if it has one: the object holding the pods' metadata and the
 * spec as `spec` (`/spec/template` of a Deployment, '' of a Pod). A PodSpec at another place
 * (`/spec/cleanup/podSpec` of a config `podSpecs:` entry, its pods carrying the object's own
 * metadata) has none.
 */
function templateOf(pod: PodSpecAt): string | undefined {
  const parent = parentOf(pod.metadata);
  return isPodSpec(pod) && pod.pointer === `${parent}/spec` ? parent : undefined;
}

/** The pointers the action's paths start from, each once, in document order. */
function bases(object: KubeObject, scope: MutationScope, kinds: KindTable): string[] {
  if (scope === 'object') return [''];
  const out = new Set<string>();
  for (const pod of podSpecsOf(object, kinds)) {
    if (scope === 'podTemplate') {
      const template = templateOf(pod);
      if (template !== undefined) out.add(template);
    } else if (scope === 'podSpec') {
      if (isPodSpec(pod)) out.add(pod.pointer);
    } else forEachContainer(pod.spec, (c) => out.add(pod.pointer + c.pointer), pod.slots);
  }
  return [...out];
}

/**
 * The parents of the pods' metadata (labels and annotations of the pods): each pod's, and the
 * first pod's of a kind that describes only labels (a KubeVirt VM's template).
 */
function podMetadataParents(object: KubeObject, kinds: KindTable): string[] {
  const out = podSpecsOf(object, kinds).map((pod) => parentOf(pod.metadata));
  const first = podMetadataPointerOf(object, kinds);
  if (first !== undefined) out.push(parentOf(first));
  return out;
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

/**
 * The operations one mutation makes on `object` as it is now (empty when it is already so); the
 * pod scopes follow `kinds`, the run's table of pod-bearing kinds.
 */
export function mutationOps(object: KubeObject, m: CompiledMutation, kinds: KindTable): PlannedOp[] {
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
    if (a.podTemplates) for (const parent of podMetadataParents(object, kinds)) where.add(parent);
    const noun = a.field === 'labels' ? 'label' : 'annotation';
    for (const base of where)
      for (const [key, value] of a.entries) {
        put(pointerOf(base, ['metadata', a.field, key]), value, `${noun} ${key}=${value}`);
      }
    return out;
  }
  for (const base of bases(object, a.scope, kinds)) {
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
 * operations in the order to apply them; none when every mutation is already satisfied. `kinds` is
 * the run's table of pod-bearing kinds (the linter's, with its CRDs and `podSpecs:`).
 */
export function planMutations(
  object: KubeObject,
  mutations: readonly CompiledMutation[],
  kinds: KindTable,
): PlannedOp[] {
  const out: PlannedOp[] = [];
  // Copy-on-write: `current` shares all it does not change with `object` (copying the whole
  // object was most of the cost of planning at admission).
  const owned = new Set<object>();
  let current = object;
  for (const m of mutations) {
    if (!m.matches(current)) continue;
    const ops = mutationOps(current, m, kinds);
    // Each operation alone: one that cannot apply (it never should: `settable`) is dropped, not the rest.
    for (const p of ops) {
      const r = patchedCopy(current, [p.op], owned);
      if (!r.changed) continue;
      current = r.value;
      out.push(p);
    }
  }
  return out;
}
