/**
 * no-dangling-statefulset-service: a StatefulSet's serviceName names a Service of the set, in its
 * namespace, and that Service is headless (clusterIP: None).
 */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { indexOf, lookup, namespaceOf, str } from '../_shared/references.js';

export const noDanglingStatefulsetService = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return NONE;
  const service = str(spec.serviceName);
  // serviceName is optional since Kubernetes 1.31 (no per-pod DNS then).
  if (!service) return NONE;
  const ns = namespaceOf(ctx.object);
  const found = lookup(indexOf(ctx), 'Service', ns, service);
  if (!found || found.length === 0)
    return [
      {
        path: '/spec/serviceName',
        data: { service, problem: `which is not defined among the linted files in namespace ${ns}` },
      },
    ];
  if (found.some((s) => isObj(s.spec) && s.spec.clusterIP === 'None')) return NONE;
  return [
    {
      path: '/spec/serviceName',
      data: { service, problem: 'which is not headless (clusterIP: None), so its pods get no DNS names' },
    },
  ];
});
