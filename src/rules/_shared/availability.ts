/**
 * What the availability rules share (replicas, PodDisruptionBudgets, rollouts, autoscalers): one
 * index per run of the run's HorizontalPodAutoscalers, PodDisruptionBudgets and pod-making
 * objects, replica ranges, and the percentages of the disruption and rollout fields.
 */
import { podLabelsOf, workloadKindOf } from '../../engine/kinds.js';
import { isObj, nameOf as metadataName, namespaceOf, objAt, type Obj } from '../../engine/k8s/object.js';
import { labelSelector, labelText, matches, type Selector } from '../../engine/k8s/selectors.js';
import type { CheckContext } from '../../engine/rule.js';
import type { KubeObject } from '../../engine/types.js';

type Ctx = Pick<CheckContext, 'env' | 'options'>;

/** A whole number, when `v` is one. */
export const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;

/** The namespace as written ('' when none: such a manifest lands wherever it is applied). */
export const nsOf = (o: KubeObject): string => namespaceOf(o) ?? '';
export const nameOf = (o: KubeObject): string => metadataName(o) ?? '(unnamed)';

/** A whole-number option, or `fallback`. */
export const numberOption = (ctx: Ctx, key: string, fallback: number): number =>
  int(ctx.options[key]) ?? fallback;

interface Entry {
  ns: string;
  object: KubeObject;
  /** Pod labels (workloads), read once. */
  labels?: Obj;
  /** Parsed selector (PDBs); undefined when the PDB has none, which selects no pods. */
  selector?: Selector;
}

/** The objects of one namespace, also indexed by label pair ("key=value"). */
interface Bucket {
  all: Entry[];
  /** Workloads: under each pod label pair. PDBs: under the first pair of matchLabels. */
  byPair: Map<string, Entry[]>;
  /** PDBs without matchLabels (matchExpressions only, or an empty selector). */
  rest: Entry[];
}

interface SetIndex {
  /** HorizontalPodAutoscalers by `${targetKind}/${targetName}`. */
  hpas: Map<string, Entry[]>;
  /** PodDisruptionBudgets by namespace ('' = no namespace written). */
  pdbs: Map<string, Bucket>;
  /** Pod-making objects by namespace, for the PDB rules. */
  workloads: Map<string, Bucket>;
}

const INDEX_KEY = 'require-pod-disruption-budget/index';

function push<K>(map: Map<K, Entry[]>, key: K, e: Entry): void {
  const l = map.get(key);
  if (l) l.push(e);
  else map.set(key, [e]);
}

function bucket(map: Map<string, Bucket>, ns: string): Bucket {
  let b = map.get(ns);
  if (!b) map.set(ns, (b = { all: [], byPair: new Map(), rest: [] }));
  return b;
}

/** The first `key=value` of a selector's matchLabels, if it has any. */
const firstPair = (s: Selector): string | undefined =>
  s.equal.length > 0 ? `${s.equal[0]![0]}=${s.equal[0]![1]}` : undefined;

/** Build (once per run) the index the set-scoped availability rules share. */
function setIndex(ctx: Ctx): SetIndex {
  let idx = ctx.env.memo.get(INDEX_KEY) as SetIndex | undefined;
  if (idx) return idx;
  idx = { hpas: new Map(), pdbs: new Map(), workloads: new Map() };
  for (const r of ctx.env.resources) {
    const o = r.object;
    const kind = o.kind;
    if (kind === 'HorizontalPodAutoscaler') {
      const ref = objAt(objAt(o, 'spec'), 'scaleTargetRef');
      const k = typeof ref?.kind === 'string' ? ref.kind : undefined;
      const n = typeof ref?.name === 'string' ? ref.name : undefined;
      if (k && n) push(idx.hpas, `${k}/${n}`, { ns: nsOf(o), object: o });
    } else if (kind === 'PodDisruptionBudget') {
      const raw = objAt(o, 'spec')?.selector;
      const e: Entry = { ns: nsOf(o), object: o, selector: isObj(raw) ? labelSelector(raw) : undefined };
      const b = bucket(idx.pdbs, e.ns);
      b.all.push(e);
      const pair = e.selector && firstPair(e.selector);
      if (pair === undefined) b.rest.push(e);
      else push(b.byPair, pair, e);
    } else if (workloadKindOf(o, ctx.env.kinds)?.createsPods) {
      const labels = podLabelsOf(o, ctx.env.kinds);
      const e: Entry = { ns: nsOf(o), object: o, labels };
      const b = bucket(idx.workloads, e.ns);
      b.all.push(e);
      if (labels) for (const k of Object.keys(labels)) push(b.byPair, `${k}=${labelText(labels[k])}`, e);
    }
  }
  ctx.env.memo.set(INDEX_KEY, idx);
  return idx;
}

/**
 * The buckets an object of namespace `ns` can meet. A manifest without metadata.namespace lands
 * wherever it is applied, so it is taken to share the namespace of whatever it is compared with.
 */
function bucketsFor(map: Map<string, Bucket>, ns: string): Bucket[] {
  if (ns === '') return [...map.values()];
  const out: Bucket[] = [];
  const here = map.get(ns);
  if (here) out.push(here);
  const floating = map.get('');
  if (floating) out.push(floating);
  return out;
}

const selects = (e: Entry, labels: Obj | undefined): boolean =>
  e.selector !== undefined && matches(e.selector, labels);

/** Is some PodDisruptionBudget of the run selecting pods with these labels in this namespace? */
export function hasPdbFor(ctx: Ctx, ns: string, labels: Obj | undefined): boolean {
  for (const b of bucketsFor(setIndex(ctx).pdbs, ns)) {
    if (labels) {
      for (const k of Object.keys(labels)) {
        const hits = b.byPair.get(`${k}=${labelText(labels[k])}`);
        if (hits) for (const e of hits) if (selects(e, labels)) return true;
      }
    }
    for (const e of b.rest) if (selects(e, labels)) return true;
  }
  return false;
}

/** The pod-making objects of the run whose pods a PodDisruptionBudget's selector matches. */
export function workloadsSelectedBy(ctx: Ctx, ns: string, selector: unknown): Entry[] {
  const out: Entry[] = [];
  if (!isObj(selector)) return out;
  const sel = labelSelector(selector);
  const pair = firstPair(sel);
  for (const b of bucketsFor(setIndex(ctx).workloads, ns)) {
    const candidates = pair === undefined ? b.all : b.byPair.get(pair);
    if (candidates) for (const e of candidates) if (matches(sel, e.labels)) out.push(e);
  }
  return out;
}

/** The HorizontalPodAutoscaler of the run that scales this object, if any. */
export function hpaFor(ctx: Ctx, object: KubeObject): KubeObject | undefined {
  const idx = setIndex(ctx);
  const candidates = idx.hpas.get(`${String(object.kind)}/${nameOf(object)}`);
  if (!candidates) return undefined;
  const ns = nsOf(object);
  return candidates.find((e) => e.ns === ns || e.ns === '' || ns === '')?.object;
}

export interface ReplicaRange {
  /** Fewest replicas the object runs with (spec.replicas, or the HPA's minReplicas). */
  min: number;
  /** Most replicas (spec.replicas, or the HPA's maxReplicas). */
  max: number;
  hpa?: KubeObject;
}

/** spec.replicas (unset means 1), or the range an HPA of the run scales it within. */
export function replicaRange(ctx: Ctx, object: KubeObject): ReplicaRange {
  const hpa = hpaFor(ctx, object);
  if (hpa) {
    const spec = objAt(hpa, 'spec');
    const min = int(spec?.minReplicas) ?? 1;
    return { min, max: Math.max(min, int(spec?.maxReplicas) ?? min), hpa };
  }
  const r = int(objAt(object, 'spec')?.replicas) ?? 1;
  return { min: r, max: r };
}

export const describeRange = (r: ReplicaRange): string =>
  r.hpa ? `${r.min} to ${r.max} replicas (HorizontalPodAutoscaler ${nameOf(r.hpa)})` : `${r.max} replicas`;

/** "25%" → 25; anything else → undefined. */
export function percent(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

export const isZero = (v: unknown): boolean => v === 0 || percent(v) === 0;

/**
 * The patch op that sets a number field: `replace` keeps an existing number's node (and its
 * comment); anything else, a quoted percentage included, is written anew with `add`.
 */
export const setOp = (current: unknown): 'add' | 'replace' =>
  typeof current === 'number' ? 'replace' : 'add';
