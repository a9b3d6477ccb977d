/** Named groups of kinds and where each pod-bearing kind keeps its pod spec. */
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

/** Read the value at a JSON pointer (undefined when any step is missing). */
export function getAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const seg = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Escape one JSON pointer segment. */
export const escapeSegment = (s: string): string =>
  s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;

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
