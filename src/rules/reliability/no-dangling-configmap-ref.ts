/** no-dangling-configmap-ref: every non-optional ConfigMap reference of a pod spec names a ConfigMap of the set (see podReferenceRule). */
import { podReferenceRule } from '../_shared/pod-references.js';

export type { PodReferenceOptions as NoDanglingConfigmapRefOptions } from '../_shared/pod-references.js';

export const noDanglingConfigmapRef = podReferenceRule('no-dangling-configmap-ref', 'ConfigMap');
