/**
 * What the Pod Security Standards rules share. Each of those rules implements one PSS control the
 * way the Pod Security admission controller evaluates it (k8s.io/pod-security-admission/policy,
 * policy version 1.37), so a manifest that shipshape passes is one the API server admits under
 * that level: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * The rules run once per pod-bearing resource (target podSpec or resource) or once per container
 * (target container); they read fields directly and allocate only when they report.
 */
import { forEachContainer, podSpecOf } from '../../engine/kinds.js';
import { asObj, isObj, type Obj } from '../../engine/k8s/object.js';
import type { CheckContext } from '../../engine/rule.js';

export const POD_LEVEL = 'The pod-level securityContext';

/** `securityContext` of a pod spec or container, when it is an object. */
export const secCtx = (o: Obj): Obj | undefined => asObj(o.securityContext);

/**
 * Check the pod-level securityContext and every container's (init, regular, ephemeral), as the
 * admission controller does: `check(securityContext, pointer of its owner, who for messages)`.
 */
export function eachSecurityContext(
  spec: Obj,
  check: (sc: Obj | undefined, base: string, where: string) => void,
  base = '',
): void {
  check(secCtx(spec), base, POD_LEVEL);
  forEachContainer(spec, (c) => check(secCtx(c.container), base + c.pointer, `Container ${c.name}`));
}

/** The pod spec around a container target (for pod-wide facts such as spec.os.name). */
export const podSpecAround = (ctx: Pick<CheckContext, 'object' | 'pod' | 'env'>): Obj | undefined =>
  (ctx.pod ?? podSpecOf(ctx.object, ctx.env.kinds))?.spec;

/**
 * PSS exempts Windows pods from the Linux-only Restricted controls (Privilege Escalation,
 * Seccomp, Capabilities) from policy v1.25: "OS-specific policy controls".
 */
export const isWindowsPod = (spec: Obj | undefined): boolean => isObj(spec?.os) && spec.os.name === 'windows';

/**
 * A pod with `hostUsers: false` runs in a user namespace; from policy v1.35 the admission
 * controller does not check runAsNonRoot and runAsUser for it (root in the pod is not root on the
 * node). https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/#integration-with-pod-security-admission-checks
 */
export const usesUserNamespace = (spec: Obj): boolean => spec.hostUsers === false;

/** The `capabilities.add` list of a container, when it is one. */
export function addedCapabilities(c: Obj): unknown[] | undefined {
  const caps = secCtx(c)?.capabilities;
  return isObj(caps) && Array.isArray(caps.add) ? caps.add : undefined;
}
