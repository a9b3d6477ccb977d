/**
 * Where each kind keeps what the rules read: pod specs, pod template metadata, containers, Job
 * specs, label selectors, controller-added labels, scope. Every per-kind path of the engine and of
 * the rules lives here, in tables, so a kind added to a table (a custom workload kind from config,
 * e.g. `{ apiVersion: argoproj.io/v1alpha1, kind: Rollout, … }`) reaches every rule that reads it.
 */
import { getIn, parsePointer } from './k8s/pointer.js';
import { groupOf, isObj, type Obj } from './k8s/object.js';
import type { KubeObject } from './types.js';

/** One pod an object describes: the pointers of its spec and of its metadata. */
export interface PodPaths {
  /** Pointer of the pod spec (`/spec/template/spec`). */
  spec: string;
  /** Pointer of the pods' metadata: a Pod's own, else its pod template's (`/spec/template/metadata`). */
  metadata: string;
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
const BUILTIN_WORKLOADS: ReadonlyArray<[string, WorkloadKind]> = [
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

/** Pre-split pointers, so per-container lookups do not allocate. */
interface CompiledPod extends PodPaths {
  specTokens: readonly string[];
  labelsTokens: readonly string[];
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

  /** `key`: `Kind`, or `group/Kind` for a kind of one API group (`''` group: `/Kind`). */
  constructor(entries: Iterable<readonly [string, WorkloadKind]>) {
    const labels = new Set<string>();
    for (const [key, kind] of entries) {
      for (const l of kind.controllerLabels ?? []) labels.add(l);
      const slash = key.lastIndexOf('/');
      if (slash < 0) this.byKind.set(key, kind);
      else this.byGroupKind.set(key, kind);
      this.pods.set(
        kind,
        kind.pods.map((p) => ({
          ...p,
          specTokens: parsePointer(p.spec) ?? [],
          labelsTokens: [...(parsePointer(p.metadata) ?? []), 'labels'],
        })),
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
}

/** The built-in workload kinds. */
export const BUILTIN_KINDS = new KindTable(BUILTIN_WORKLOADS);

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
}

/** Every pod spec of an object (those that are objects), in table order. */
export function podSpecsOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): PodSpecAt[] {
  const kind = table.of(object);
  if (!kind) return [];
  const out: PodSpecAt[] = [];
  for (const p of table.podsOf(kind)) {
    const spec = getIn(object, p.specTokens);
    if (isObj(spec)) out.push({ pointer: p.spec, spec, metadata: p.metadata });
  }
  return out;
}

/** The (first) pod spec of an object, when it has one. */
export function podSpecOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): PodSpecAt | undefined {
  const kind = table.of(object);
  if (!kind) return undefined;
  for (const p of table.podsOf(kind)) {
    const spec = getIn(object, p.specTokens);
    if (isObj(spec)) return { pointer: p.spec, spec, metadata: p.metadata };
  }
  return undefined;
}

/** Pointer of the metadata of the pods an object describes (its first pod's), if it describes pods. */
export function podMetadataPointerOf(
  object: KubeObject,
  table: KindTable = BUILTIN_KINDS,
): string | undefined {
  const kind = table.of(object);
  return kind && table.podsOf(kind)[0]?.metadata;
}

/** The labels of the pods an object describes (its first pod's), when they are an object. */
export function podLabelsOf(object: KubeObject, table: KindTable = BUILTIN_KINDS): Obj | undefined {
  const kind = table.of(object);
  const pod = kind && table.podsOf(kind)[0];
  if (!pod) return undefined;
  const labels = getIn(object, pod.labelsTokens);
  return isObj(labels) ? labels : undefined;
}

/** The lists of containers a pod spec holds, in the order the kubelet starts them. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** Matches a pointer into a container of any list: group 1 is the container's own pointer. */
export const CONTAINER_POINTER = new RegExp(`^(.*/(?:${CONTAINER_LISTS.join('|')})/\\d+)(?:/|$)`);

/** A container of a pod spec: its value, where it is (relative to the pod spec) and its name. */
export interface ContainerAt {
  container: Obj;
  /** `/containers/0`, relative to the pod spec. */
  pointer: string;
  list: ContainerList;
  index: number;
  /** Its name, or `#<index>` when it has none. */
  name: string;
}

/** Visit every container (init, regular, ephemeral) of a pod spec that is an object. */
export function forEachContainer(spec: Obj, visit: (c: ContainerAt) => void): void {
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (let index = 0; index < cs.length; index++) {
      const container: unknown = cs[index];
      if (!isObj(container)) continue;
      const name = typeof container.name === 'string' ? container.name : `#${index}`;
      visit({ container, pointer: `/${list}/${index}`, list, index, name });
    }
  }
}

/** The built-in workload kind of an object's kind, if any. */
export const workloadKindOf = (
  object: KubeObject,
  table: KindTable = BUILTIN_KINDS,
): WorkloadKind | undefined => table.of(object);

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
