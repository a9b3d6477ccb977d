/**
 * Pod-bearing kinds beyond the built-ins: the custom kinds shipshape knows (docs/pod-kinds.md has
 * the table with the source of each path), the `podSpecs:` entries of the config, and the pod
 * specs a CRD's schema reveals. Every rule that reads pods reads them through the run's
 * {@link KindTable}, so a kind added here reaches them all.
 */
import {
  BUILTIN_KINDS,
  type ContainerSlot,
  type KindTable,
  type PodPaths,
  type WorkloadKind,
} from './kinds.js';
import { isObj, type Obj } from './k8s/object.js';
import { parsePointer, toPointer } from './k8s/pointer.js';

const TEMPLATE: PodPaths = { spec: '/spec/template/spec', metadata: '/spec/template/metadata' };

/** An Argo Workflows template: its containers are fields of the template (argoproj.io fields.md#template). */
const ARGO_TEMPLATE_SLOTS: readonly ContainerSlot[] = [
  { path: 'initContainers', list: 'initContainers' },
  { path: 'container', list: 'containers', single: true },
  { path: 'script', list: 'containers', single: true },
  { path: 'containerSet/containers', list: 'containers' },
  { path: 'sidecars', list: 'containers' },
];
const argoTemplates = (base: string): PodPaths => ({
  spec: `${base}/templates/*`,
  metadata: `${base}/templates/*/metadata`,
  containers: ARGO_TEMPLATE_SLOTS,
  runsToCompletion: true,
  requireContainers: true,
  // A template's pod-level securityContext, when it sets none, is the workflow's.
  defaults: { from: base, fields: ['securityContext'] },
});

/** A Tekton TaskSpec: steps run one after the other, sidecars beside them (tekton.dev docs/pipelines/tasks). */
const TEKTON_SLOTS: readonly ContainerSlot[] = [
  { path: 'steps', list: 'containers', resources: ['computeResources', 'resources'] },
  { path: 'sidecars', list: 'containers', resources: ['computeResources', 'resources'] },
];
const tektonTask = (spec: string, metadata: string): PodPaths => ({
  spec,
  metadata,
  containers: TEKTON_SLOTS,
  runsToCompletion: true,
  requireContainers: true,
});
const tektonPipeline = (base: string): PodPaths[] => [
  tektonTask(`${base}/tasks/*/taskSpec`, `${base}/tasks/*/taskSpec/metadata`),
  tektonTask(`${base}/finally/*/taskSpec`, `${base}/finally/*/taskSpec/metadata`),
];

const KNATIVE_LABELS = new Set([
  'serving.knative.dev/service',
  'serving.knative.dev/configuration',
  'serving.knative.dev/configurationGeneration',
  'serving.knative.dev/revision',
  'serving.knative.dev/revisionUID',
]);

const workload = (pods: PodPaths[], controllerLabels?: string[]): WorkloadKind => ({
  pods,
  templateMetadata: pods.filter((p) => p.metadata !== '/metadata').map((p) => p.metadata),
  createsPods: true,
  controllerLabels: controllerLabels && new Set(controllerLabels),
});

/** The custom pod-bearing kinds shipshape knows, keyed `group/Kind`: docs/pod-kinds.md. */
export const CUSTOM_WORKLOADS: ReadonlyArray<[string, WorkloadKind]> = [
  // OpenShift: spec.template is a PodTemplateSpec, spec.selector a label map.
  ['apps.openshift.io/DeploymentConfig', workload([TEMPLATE], ['deployment', 'deploymentconfig'])],
  // Argo Rollouts: spec.template is a PodTemplateSpec (absent with spec.workloadRef).
  ['argoproj.io/Rollout', workload([TEMPLATE], ['rollouts-pod-template-hash'])],
  // Argo Workflows: each template with a container, script or containerSet makes one pod.
  ['argoproj.io/Workflow', workload([argoTemplates('/spec')])],
  ['argoproj.io/WorkflowTemplate', workload([argoTemplates('/spec')])],
  ['argoproj.io/ClusterWorkflowTemplate', workload([argoTemplates('/spec')])],
  ['argoproj.io/CronWorkflow', workload([argoTemplates('/spec/workflowSpec')])],
  // Knative Serving: spec.template.spec (Service, Configuration) and a Revision's spec are PodSpecs
  // (a subset of the fields is allowed).
  ['serving.knative.dev/Service', workload([TEMPLATE], [...KNATIVE_LABELS])],
  ['serving.knative.dev/Configuration', workload([TEMPLATE], [...KNATIVE_LABELS])],
  ['serving.knative.dev/Revision', workload([{ spec: '/spec', metadata: '/metadata' }], [...KNATIVE_LABELS])],
  // KubeVirt: a VirtualMachineInstanceSpec is no PodSpec (no containers, no securityContext); its
  // virt-launcher pod carries the template's labels, which Services and policies select.
  [
    'kubevirt.io/VirtualMachine',
    workload(
      [{ ...TEMPLATE, labelsOnly: true }],
      ['kubevirt.io', 'kubevirt.io/created-by', 'vm.kubevirt.io/name'],
    ),
  ],
  [
    'kubevirt.io/VirtualMachineInstance',
    workload(
      [{ spec: '/spec', metadata: '/metadata', labelsOnly: true }],
      ['kubevirt.io', 'kubevirt.io/created-by'],
    ),
  ],
  // Tekton Pipelines: a TaskSpec's steps and sidecars become one pod's containers.
  ['tekton.dev/Task', workload([tektonTask('/spec', '/metadata')])],
  ['tekton.dev/ClusterTask', workload([tektonTask('/spec', '/metadata')])],
  ['tekton.dev/TaskRun', workload([tektonTask('/spec/taskSpec', '/spec/taskSpec/metadata')])],
  ['tekton.dev/Pipeline', workload(tektonPipeline('/spec'))],
  ['tekton.dev/PipelineRun', workload(tektonPipeline('/spec/pipelineSpec'))],
];

/** The kinds of a run without config or CRDs: the built-ins and the custom kinds above. */
export const DEFAULT_KINDS: KindTable = BUILTIN_KINDS.with(CUSTOM_WORKLOADS);

/** A `podSpecs:` entry of the config: a kind and the pointers (or dotted paths) of its pod specs. */
export interface PodSpecConfig {
  apiVersion: string;
  kind: string;
  /** Pointers (`/spec/template/spec`) or dotted paths (`spec.template.spec`); `*` or `[]` for array items. */
  paths: string[];
}

/** A path of the config as a JSON pointer: `spec.jobs[].template` → `/spec/jobs/*\/template`. */
export function toPodPointer(path: string): string {
  if (path.startsWith('/')) return path;
  return toPointer(
    path
      .replace(/\[\]/g, '.*')
      .split('.')
      .filter((s) => s !== ''),
  );
}

/**
 * The pods of a pointer: a path ending in `/spec` is a PodSpec inside a PodTemplateSpec whose
 * metadata sits beside it; any other is a PodSpec whose pods carry the object's own metadata.
 */
export function podPathsAt(pointer: string): PodPaths {
  const tokens = parsePointer(pointer) ?? [];
  const last = tokens[tokens.length - 1];
  const metadata =
    tokens.length > 1 && last === 'spec' ? toPointer([...tokens.slice(0, -1), 'metadata']) : '/metadata';
  return { spec: pointer, metadata };
}

/** The `group/Kind` key of an apiVersion and kind (`group` is '' for the core group). */
const keyOf = (apiVersion: string, kind: string): string => {
  const slash = apiVersion.indexOf('/');
  return `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`;
};

/** Table entries for the config's `podSpecs:`. */
export function configWorkloads(entries: readonly PodSpecConfig[]): [string, WorkloadKind][] {
  return entries.map((e) => [
    keyOf(e.apiVersion, e.kind),
    workload(e.paths.map((p) => podPathsAt(toPodPointer(p)))),
  ]);
}

/** Limits of the CRD schema walk (a CRD is input: it must not make the walk expensive). */
const MAX_DEPTH = 16;
const MAX_NODES = 20_000;

/** Does an OpenAPI schema describe a PodSpec: a `containers` array of objects with `name` and `image`? */
function isPodSpecSchema(s: Obj): boolean {
  const props = s.properties;
  if (!isObj(props)) return false;
  const containers = props.containers;
  if (!isObj(containers) || containers.type !== 'array' || !isObj(containers.items)) return false;
  const item = containers.items.properties;
  return isObj(item) && isObj(item.image) && isObj(item.name);
}

/**
 * The PodSpec pointers (with `*` for array items) a CRD version's openAPIV3Schema embeds: every
 * object schema shaped like a PodSpec, not looking further inside one.
 */
export function podSpecPointersIn(schema: unknown): string[] {
  const out: string[] = [];
  let nodes = 0;
  const walk = (s: unknown, tokens: string[]): void => {
    if (!isObj(s) || tokens.length > MAX_DEPTH || ++nodes > MAX_NODES) return;
    if (tokens.length > 0 && isPodSpecSchema(s)) {
      out.push(toPointer(tokens));
      return;
    }
    if (isObj(s.properties))
      for (const [k, v] of Object.entries(s.properties)) if (k !== 'status') walk(v, [...tokens, k]);
    if (s.type === 'array' && isObj(s.items)) walk(s.items, [...tokens, '*']);
  };
  walk(schema, []);
  return out;
}

/** Table entries for the pod specs the CRDs among `objects` embed (served versions' schemas, merged). */
export function crdWorkloads(objects: Iterable<Obj>): [string, WorkloadKind][] {
  const out: [string, WorkloadKind][] = [];
  for (const crd of objects) {
    const spec = crd.spec;
    if (!isObj(spec) || typeof spec.group !== 'string' || !isObj(spec.names)) continue;
    const kind = spec.names.kind;
    if (typeof kind !== 'string' || !Array.isArray(spec.versions)) continue;
    const pointers = new Set<string>();
    for (const v of spec.versions) {
      const schema = isObj(v) && isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
      for (const p of podSpecPointersIn(schema)) pointers.add(p);
    }
    if (pointers.size > 0) out.push([`${spec.group}/${kind}`, workload([...pointers].map(podPathsAt))]);
  }
  return out;
}
