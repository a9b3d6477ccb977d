/** no-dangling-secret-ref: every non-optional Secret reference of a pod spec names a Secret of the set (see podReferenceRule). */
import { podReferenceRule } from '../_shared/pod-references.js';

export type { PodReferenceOptions as NoDanglingSecretRefOptions } from '../_shared/pod-references.js';

export const noDanglingSecretRef = podReferenceRule('no-dangling-secret-ref', 'Secret');
