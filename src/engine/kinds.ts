/**
 * Where each kind keeps what the rules read: pod specs, pod template metadata, containers, Job
 * specs, label selectors, controller-added labels, scope. Every per-kind path of the engine and of
 * the rules lives here, in tables, so a kind added to a table (a custom workload kind from config,
 * e.g. `{ apiVersion: argoproj.io/v1alpha1, kind: Rollout, … }`) reaches every rule that reads it.
 */
import { getIn, parsePointer, toPointer } from './k8s/pointer.js';
import { groupOf, isObj, type Obj } from './k8s/object.js';
import type { KubeObject } from './types.js';

/** The lists of containers a pod spec holds, in the order the kubelet starts them. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/**
 * Where a pod-like spec keeps containers, relative to the spec: a list (`containers`), or one
 * container (`single`, an Argo template's `container`). `list` is the pod list the containers
 * behave as (an Argo template's `sidecars` run as regular containers).
 */
export interface ContainerSlot {
  /** `/`-separated field path below the spec (`containers`, `containerSet/containers`). */
  path: string;
  list: ContainerList;
  single?: boolean;
  /**
   * Fields holding the container's ResourceRequirements, first present wins (Tekton v1 steps:
   * `computeResources`); default `resources`.
   */
  resources?: readonly string[];
}

/** The slots of a real PodSpec. */
export const POD_SPEC_SLOTS: readonly ContainerSlot[] = CONTAINER_LISTS.map((list) => ({ path: list, list }));

/** One pod an object describes: the pointers of its spec and of its metadata. */
export interface PodPaths {
  /**
   * Pointer of the pod spec (`/spec/template/spec`); a `*` token stands for every item of an
   * array (`/spec/templates/*`).
   */
  spec: string;
  /**
   * Pointer of the pods' metadata: a Pod's own, else its pod template's (`/spec/template/metadata`);
   * its `*` tokens take the indexes the spec's took.
   */
  metadata: string;
  /** Where the containers are (default: a PodSpec's three lists). */
  containers?: readonly ContainerSlot[];
  /** The pods run to completion (workflow steps): probes have no consumer there. */
  runsToCompletion?: boolean;
  /** Only specs with at least one container are pods (an Argo `steps` template makes none). */
  requireContainers?: boolean;
  /**
   * Pod-level fields the spec inherits when it does not set them, from the object at `from` (an
   * Argo template takes the Workflow's `spec.securityContext`).
   */
  defaults?: { from: string; fields: readonly string[] };
  /**
   * The spec is no PodSpec (a KubeVirt VirtualMachineInstanceSpec): only the pods' labels are
   * known, for the cross-resource rules; no pod or container rule runs on it.
   */
  labelsOnly?: boolean;
}

/** What the engine knows about a kind that describes pods. */
export interface WorkloadKind {
  /** The pods it describes (one for every built-in kind). */
  pods: readonly PodPaths[];
  /**
   * Metadata objects inside it that become other objects' metadata (pod templates, a CronJob's
   * jobTemplate), besides its own `/metadata`.
   */
  templateMetadata: readonly string[];
  /** Whether the kind makes pods; false for PodTemplate, which only describes one. */
  createsPods: boolean;
  /** Pointer of the Job spec it carries (Job, CronJob). */
  jobSpec?: string;
  /** Labels its controller adds to the pods it creates: selectors may rely on them. */
  controllerLabels?: ReadonlySet<string>;
}

/** A label selector of a kind: where it is and how it is spelled. */
export interface SelectorPath {
  pointer: string;
  /** `map`: a plain `key: value` map (Service); `labelSelector`: metav1.LabelSelector. */
  form: 'map' | 'labelSelector';
}

const TEMPLATE = { spec: '/spec/template/spec', metadata: '/spec/template/metadata' };
const JOB_LABELS = new Set([
  'batch.kubernetes.io/job-name',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

/**
 * The built-in pod-bearing kinds. Controller labels:
 * https://kubernetes.io/docs/reference/labels-annotations-taints/
 */
export const BUILTIN_WORKLOADS: ReadonlyArray<[string, WorkloadKind]> = [
  ['Pod', { pods: [{ spec: '/spec', metadata: '/metadata' }], templateMetadata: [], createsPods: true }],
  [
    'PodTemplate',
    {
      pods: [{ spec: '/template/spec', metadata: '/template/metadata' }],
      templateMetadata: ['/template/metadata'],
      createsPods: false,
    },
  ],
  [
    'Deployment',
    {
      pods: [TEMPLATE],
      templateMetadata: [TEMPLATE.metadata],
      createsPods: true,
      controllerLabels: new Set(['pod-template-hash']),
    },
  ],
  [
    'StatefulSet',
    {
      pods: [TEMPLATE],
      templateMetadata: [TEMPLATE.metadata],
      createsPods: true,
      controllerLabels: new Set([
        'statefulset.kubernetes.io/pod-name',
        'apps.kubernetes.io/pod-index',
        'controller-revision-hash',
      ]),
    },
  ],
  [
    'DaemonSet',
    {
      pods: [TEMPLATE],
      templateMetadata: [TEMPLATE.metadata],
      createsPods: true,
      controllerLabels: new Set(['controller-revision-hash', 'pod-template-generation']),
    },
  ],
  [
    'ReplicaSet',
    {
      pods: [TEMPLATE],
      templateMetadata: [TEMPLATE.metadata],
      createsPods: true,
      controllerLabels: new Set(['pod-template-hash']),
    },
  ],
  ['ReplicationController', { pods: [TEMPLATE], templateMetadata: [TEMPLATE.metadata], createsPods: true }],
  [
    'Job',
    {
      pods: [TEMPLATE],
      templateMetadata: [TEMPLATE.metadata],
      createsPods: true,
      jobSpec: '/spec',
      controllerLabels: JOB_LABELS,
    },
  ],
  [
    'CronJob',
    {
      pods: [
        {
          spec: '/spec/jobTemplate/spec/template/spec',
          metadata: '/spec/jobTemplate/spec/template/metadata',
        },
      ],
      templateMetadata: ['/spec/jobTemplate/metadata', '/spec/jobTemplate/spec/template/metadata'],
      createsPods: true,
      jobSpec: '/spec/jobTemplate/spec',
      controllerLabels: JOB_LABELS,
    },
  ],
];

/** A container slot with its path pre-split. */
interface CompiledSlot extends ContainerSlot {
  tokens: readonly string[];
  resources: readonly string[];
}

const compileSlot = (s: ContainerSlot): CompiledSlot => ({
  ...s,
  tokens: s.path.split('/'),
  resources: s.resources ?? ['resources'],
});

const STANDARD_SLOTS: readonly CompiledSlot[] = POD_SPEC_SLOTS.map(compileSlot);

/** Pre-split pointers, so per-container lookups do not allocate. */
interface CompiledPod extends PodPaths {
  specTokens: readonly string[];
  metadataTokens: readonly string[];
  labelsTokens: readonly string[];
  slots: readonly CompiledSlot[];
  /** Whether the spec pointer has `*` tokens. */
  wildcard: boolean;
  defaultsTokens?: readonly string[];
}

/**
 * The workload kinds of a run, keyed by kind and optionally by `group/kind` (an entry for a group
 * wins over one for the bare kind). The built-in table matches by kind whatever the apiVersion.
 */
export class KindTable {
  private readonly byKind = new Map<string, WorkloadKind>();
  private readonly byGroupKind = new Map<string, WorkloadKind>();
  private readonly pods = new Map<WorkloadKind, CompiledPod[]>();
  /** Every label some controller of the table adds to its pods. */
  readonly controllerLabels: ReadonlySet<string>;

  /** `key`: `Kind`, or `group/Kind` for a kind of one API group (`''` group: `/Kind`). Later entries win. */
  constructor(entries: Iterable<readonly [string, WorkloadKind]>) {
    const labels = new Set<string>();
    for (const [key, kind] of entries) {
      for (const l of kind.controllerLabels ?? []) labels.add(l);
      const slash = key.lastIndexOf('/');
      if (slash < 0) this.byKind.set(key, kind);
      else this.byGroupKind.set(key, kind);
      this.pods.set(
        kind,
        kind.pods.map((p) => {
          const metadataTokens = parsePointer(p.metadata) ?? [];
          const specTokens = parsePointer(p.spec) ?? [];
          return {
            ...p,
            specTokens,
            metadataTokens,
            labelsTokens: [...metadataTokens, 'labels'],
            slots: p.containers ? p.containers.map(compileSlot) : STANDARD_SLOTS,
            wildcard: specTokens.includes('*'),
            defaultsTokens: p.defaults && (parsePointer(p.defaults.from) ?? undefined),
          };
        }),
      );
    }
    this.controllerLabels = labels;
  }

  /** The entry for an object's kind (and group), if it describes pods. */
  of(object: KubeObject): WorkloadKind | undefined {
    const kind = object.kind;
    if (typeof kind !== 'string') return undefined;
    if (this.byGroupKind.size > 0 && typeof object.apiVersion === 'string') {
      const hit = this.byGroupKind.get(`${groupOf(object.apiVersion)}/${kind}`);
      if (hit) return hit;
    }
    return this.byKind.get(kind);
  }

  /** The pods of an entry, with pre-split spec pointers. */
  podsOf(kind: WorkloadKind): readonly CompiledPod[] {
    return this.pods.get(kind) ?? [];
  }

  /** Every kind name of the table (for the PodLike group). */
  kindNames(): string[] {
    return [
      ...new Set([...this.byKind.keys(), ...[...this.byGroupKind.keys()].map((k) => k.split('/')[1]!)]),
    ];
  }

  /** This table with more entries, which win over its own for the same key. */
  with(entries: Iterable<readonly [string, WorkloadKind]>): KindTable {
    return new KindTable([...this.byKind, ...this.byGroupKind, ...entries]);
  }
}

/** The built-in workload kinds. */
export const BUILTIN_KINDS = new KindTable(BUILTIN_WORKLOADS);

/** Built-in kind names: a workload of another kind (a custom one) meets the PodLike rules by flag. */
export const BUILTIN_POD_KINDS: ReadonlySet<string> = new Set(BUILTIN_KINDS.kindNames());

export const KIND_GROUPS: Readonly<Record<string, readonly string[]>> = {
  PodLike: BUILTIN_KINDS.kindNames(),
  WorkloadLike: [
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
  ],
  RbacRole: ['Role', 'ClusterRole'],
  RbacBinding: ['RoleBinding', 'ClusterRoleBinding'],
};

/** Expand group names (PodLike, …) into concrete kinds. */
export function expandKinds(kinds: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const k of kinds) for (const x of KIND_GROUPS[k] ?? [k]) out.add(x);
  return out;
}

/** A pod spec found in an object: its pointer, its value and the pointer of the pods' metadata. */
export interface PodSpecAt {
  pointer: string;
  spec: Obj;
  metadata: string;
  /** Where its containers are. */
  slots: readonly CompiledSlot[];
  runsToCompletion: boolean;
}

/** Visit the values under `tokens`, a `*` token standing for each array item: (value, concrete tokens). */
export function expand(
  root: unknown,
  tokens: readonly string[],
  visit: (value: unknown, concrete: readonly string[]) => void,
  at = 0,
  acc: string[] = [],
): void {
  let cur = root;
  for (let i = at; i < tokens.length; i++) {
    if (cur === null || typeof cur !== 'object') return;
    const t = tokens[i]!;
    if (t === '*') {
      if (!Array.isArray(cur)) return;
      for (let j = 0; j < cur.length; j++) expand(cur[j], tokens, visit, i + 1, [...acc, String(j)]);
      return;
    }
    cur = (cur as Record<string, unknown>)[t];
    acc = [...acc, t];
  }
  visit(cur, acc);
}

/** The metadata pointer of one expanded pod: the `*` tokens take the spec's indexes, in order. */
function concreteMetadata(pod: CompiledPod, concreteSpec: readonly string[]): string {
  if (!pod.wildcard) return pod.metadata;
  const indexes = pod.specTokens.flatMap((t, i) => (t === '*' ? [concreteSpec[i]!] : []));
  let k = 0;
  return toPointer(pod.metadataTokens.map((t) => (t === '*' ? (indexes[k++] ?? '0') : t)));
}

function hasContainer(spec: Obj, slots: readonly CompiledSlot[]): boolean {
  for (const s of slots) {
    const v = getIn(spec, s.tokens);
    if (s.single ? isObj(v) : Array.isArray(v) && v.some(isObj)) return true;
  }
  return false;
}

/**
 * The container slots of the pod-like specs that are no PodSpec (an Argo template, a Tekton
 * TaskSpec), recorded as the specs are found, so that {@link forEachContainer} on such a spec
 * visits its containers whoever calls it. A derived view of the objects, like a memo.
 */
const SPEC_SLOTS = new WeakMap<Obj, readonly CompiledSlot[]>();

/** The spec with the pod-level fields it inherits and does not set (a shallow copy, when any). */
function withDefaults(object: KubeObject, spec: Obj, pod: CompiledPod): Obj {
  if (!pod.defaults || !pod.defaultsTokens) return spec;
  const from = getIn(object, pod.defaultsTokens);
  if (!isObj(from)) return spec;
  let out: Obj | undefined;
  for (const f of pod.defaults.fields)
    if (spec[f] === undefined && from[f] !== undefined) (out ??= { ...spec })[f] = from[f];
  return out ?? spec;
}

/** Every pod of one table entry (labels-only entries excluded), in table order. */
function eachPod(object: KubeObject, table: KindTable, visit: (p: PodSpecAt) => boolean | void): void {
  const kind = table.of(object);
  if (!kind) return;
  for (const p of table.podsOf(kind)) {
    if (p.labelsOnly) continue;
    const at = (found: unknown, pointer: string, metadata: string): boolean | void => {
      if (!isObj(found) || (p.requireContainers && !hasContainer(found, p.slots))) return;
      const spec = withDefaults(object, found, p);
      if (p.slots !== STANDARD_SLOTS) SPEC_SLOTS.set(spec, p.slots);
      return visit({
        pointer,
        spec,
        metadata,
        slots: p.slots,
        runsToCompletion: p.runsToCompletion === true,
      });
    };
    if (!p.wildcard) {
      if (at(getIn(object, p.specTokens), p.spec, p.metadata) === true) return;
      continue;
    }
    let stop = false;
    expand(object, p.specTokens, (spec, concrete) => {
      if (!stop && at(spec, toPointer(concrete), concreteMetadata(p, concrete)) === true) stop = true;
    });
    if (stop) return;
  }
}

/** Every pod spec of an object (those that are objects), in table order. */
export function podSpecsOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): PodSpecAt[] {
  const out: PodSpecAt[] = [];
  eachPod(object, table, (p) => {
    out.push(p);
  });
  return out;
}

/** The (first) pod spec of an object, when it has one. */
export function podSpecOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): PodSpecAt | undefined {
  let found: PodSpecAt | undefined;
  eachPod(object, table, (p) => {
    found = p;
    return true;
  });
  return found;
}

/** The first pod entry of an object's kind (labels-only ones included), for its metadata. */
function firstPod(object: KubeObject, table: KindTable): CompiledPod | undefined {
  const kind = table.of(object);
  return kind && table.podsOf(kind)[0];
}

/** Pointer of the metadata of the pods an object describes (its first pod's), if it describes pods. */
export function podMetadataPointerOf(
  object: KubeObject,
  table: KindTable = BUILTIN_KINDS,
): string | undefined {
  const pod = firstPod(object, table);
  if (!pod) return undefined;
  if (!pod.metadataTokens.includes('*')) return pod.metadata;
  return podSpecOf(object, table)?.metadata;
}

/** The labels of the pods an object describes (its first pod's), when they are an object. */
export function podLabelsOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): Obj | undefined {
  const pod = firstPod(object, table);
  if (!pod) return undefined;
  const meta = podMetadataPointerOf(object, table);
  const labels = meta === undefined ? undefined : getIn(object, [...(parsePointer(meta) ?? []), 'labels']);
  return isObj(labels) ? labels : undefined;
}

/** Matches a pointer into a container of any list: group 1 is the container's own pointer. */
export const CONTAINER_POINTER =
  /^(.*\/(?:initContainers|containers|ephemeralContainers|steps|sidecars)\/\d+|.*\/templates\/\d+\/(?:container|script))(?:\/|$)/;

/** A container of a pod spec: its value, where it is (relative to the pod spec) and its name. */
export interface ContainerAt {
  container: Obj;
  /** `/containers/0`, relative to the pod spec. */
  pointer: string;
  list: ContainerList;
  index: number;
  /** Its name, or `#<index>` when it has none. */
  name: string;
  /** The fields that may hold its resources (`resources`, or Tekton's `computeResources`). */
  resources: readonly string[];
}

/**
 * Visit every container (init, regular, ephemeral) of a pod spec that is an object; `slots` say
 * where they are for a pod-like spec that is no PodSpec (default: a PodSpec's lists).
 */
export function forEachContainer(
  spec: Obj,
  visit: (c: ContainerAt) => void,
  slots: readonly ContainerSlot[] = SPEC_SLOTS.get(spec) ?? STANDARD_SLOTS,
): void {
  for (const slot of slots) {
    const s = (slot as Partial<CompiledSlot>).tokens ? (slot as CompiledSlot) : compileSlot(slot);
    const cs = s.tokens.length === 1 ? spec[s.tokens[0]!] : getIn(spec, s.tokens);
    if (s.single) {
      if (!isObj(cs)) continue;
      // An Argo template's container is named by its template.
      const name = typeof cs.name === 'string' ? cs.name : typeof spec.name === 'string' ? spec.name : s.path;
      visit({ container: cs, pointer: `/${s.path}`, list: s.list, index: 0, name, resources: s.resources });
      continue;
    }
    if (!Array.isArray(cs)) continue;
    for (let index = 0; index < cs.length; index++) {
      const container: unknown = cs[index];
      if (!isObj(container)) continue;
      const name = typeof container.name === 'string' ? container.name : `#${index}`;
      visit({ container, pointer: `/${s.path}/${index}`, list: s.list, index, name, resources: s.resources });
    }
  }
}

/** The workload kind of an object's kind, if any. */
export const workloadKindOf = (
  object: KubeObject,
  table: KindTable = BUILTIN_KINDS,
): WorkloadKind | undefined => table.of(object);

/** The ResourceRequirements of a container (`resources`, or the field its slot names), and the field. */
export function containerResources(
  container: Obj,
  fields: readonly string[] = ['resources'],
): { field: string; value: unknown } {
  for (const f of fields) if (container[f] !== undefined) return { field: f, value: container[f] };
  return { field: fields[0] ?? 'resources', value: undefined };
}

/** The label selectors each kind declares at a fixed place (NetworkPolicy peers are per rule). */
const SELECTORS: ReadonlyMap<string, readonly SelectorPath[]> = new Map<string, readonly SelectorPath[]>([
  ['Deployment', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['StatefulSet', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['DaemonSet', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['ReplicaSet', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['Job', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['CronJob', [{ pointer: '/spec/jobTemplate/spec/selector', form: 'labelSelector' }]],
  ['PodDisruptionBudget', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['NetworkPolicy', [{ pointer: '/spec/podSelector', form: 'labelSelector' }]],
  ['Service', [{ pointer: '/spec/selector', form: 'map' }]],
  ['ReplicationController', [{ pointer: '/spec/selector', form: 'map' }]],
  ['Rollout', [{ pointer: '/spec/selector', form: 'labelSelector' }]],
  ['DeploymentConfig', [{ pointer: '/spec/selector', form: 'map' }]],
]);

/** The fixed-place label selectors of a kind. */
export const selectorPathsOf = (kind: unknown): readonly SelectorPath[] =>
  (typeof kind === 'string' ? SELECTORS.get(kind) : undefined) ?? [];

/** Built-in cluster-scoped kinds: they have no namespace. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** Is the kind a built-in cluster-scoped one? */
export const isClusterScoped = (kind: unknown): boolean =>
  typeof kind === 'string' && CLUSTER_SCOPED.has(kind);
