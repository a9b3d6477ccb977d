/** require-load-balancer-source-ranges: an internet-facing LoadBalancer Service without source ranges. */
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';

/** Annotations that make a cloud load balancer internal (not reachable from the internet). */
const INTERNAL_LB: ReadonlyArray<readonly [string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', /^intranet$/i],
];

export const requireLoadBalancerSourceRanges = defineCheck('resource', (ctx) => {
  const spec = asObj(ctx.object.spec);
  if (spec?.type !== 'LoadBalancer') return NONE;
  const ranges = spec.loadBalancerSourceRanges;
  if (Array.isArray(ranges) && ranges.length > 0) return NONE;
  const ann = asObj(asObj(ctx.object.metadata)?.annotations);
  if (ann) {
    const a = ann['service.beta.kubernetes.io/load-balancer-source-ranges'];
    if (typeof a === 'string' && a.trim() !== '') return NONE;
    for (const [k, re] of INTERNAL_LB) {
      const v = ann[k];
      if (typeof v === 'string' && re.test(v)) return NONE;
    }
  }
  return [{ path: Array.isArray(ranges) ? '/spec/loadBalancerSourceRanges' : '/spec/type' }];
});
