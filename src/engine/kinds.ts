/** Named groups of kinds and where each pod-bearing kind keeps its pod spec. */
import { escapeSegment, getAt } from './k8s/pointer.js';
import type { KubeObject } from './types.js';

/** JSON pointer of the pod spec inside each pod-bearing kind. */
export const POD_SPEC_POINTER: Readonly<Record<string, string>> = {
  Pod: '/spec',
  PodTemplate: '/template/spec',
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec',
  ReplicationController: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

export const KIND_GROUPS: Readonly<Record<string, readonly string[]>> = {
  PodLike: Object.keys(POD_SPEC_POINTER),
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

export { escapeSegment, getAt };

export function podSpecOf(
  object: KubeObject,
): { pointer: string; spec: Record<string, unknown> } | undefined {
  const pointer = POD_SPEC_POINTER[object.kind as string];
  if (pointer === undefined) return undefined;
  const spec = getAt(object, pointer);
  return spec && typeof spec === 'object' && !Array.isArray(spec)
    ? { pointer, spec: spec as Record<string, unknown> }
    : undefined;
}

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
