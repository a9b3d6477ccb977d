/** no-dangling-pvc-ref: every non-optional PersistentVolumeClaim reference of a pod spec names a PersistentVolumeClaim of the set (see podReferenceRule). */
import { podReferenceRule } from '../_shared/pod-references.js';

export type { PodReferenceOptions as NoDanglingPvcRefOptions } from '../_shared/pod-references.js';

export const noDanglingPvcRef = podReferenceRule('no-dangling-pvc-ref', 'PersistentVolumeClaim');
