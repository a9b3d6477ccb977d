/** no-dangling-ingress-backend: every backend names a Service of the set, and a port it has. */
import { isObj, listOf, type Obj } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { indexOf, lookup, namespaceOf, str, type SetIndex } from '../_shared/references.js';

export const noDanglingIngressBackend = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  const ns = namespaceOf(ctx.object);
  const out: CheckResult[] = [];
  let index: SetIndex | undefined;
  const check = (backend: unknown, base: string): void => {
    if (!isObj(backend) || !isObj(backend.service)) return;
    const svc = backend.service;
    const name = str(svc.name);
    if (!name) return;
    index ??= indexOf(ctx);
    const services = lookup(index, 'Service', ns, name);
    if (!services) {
      out.push({
        path: `${base}/service/name`,
        data: {
          service: name,
          problem: `Service ${name} is not defined among the linted files in namespace ${ns}`,
        },
      });
      return;
    }
    const port = svc.port;
    if (!isObj(port)) return;
    const withPorts = services.filter((s) => isObj(s.spec) && Array.isArray(s.spec.ports));
    if (withPorts.length === 0) return; // e.g. an ExternalName Service without ports
    const ports = withPorts.flatMap((s) => listOf((s.spec as Obj).ports)).filter(isObj);
    if (typeof port.number === 'number') {
      if (!ports.some((p) => p.port === port.number)) {
        out.push({
          path: `${base}/service/port/number`,
          data: { service: name, problem: `Service ${name} has no port ${port.number}` },
        });
      }
    } else if (str(port.name)) {
      if (!ports.some((p) => p.name === port.name)) {
        out.push({
          path: `${base}/service/port/name`,
          data: { service: name, problem: `Service ${name} has no port named ${port.name as string}` },
        });
      }
    }
  };
  check(spec.defaultBackend, '/spec/defaultBackend');
  listOf(spec.rules).forEach((rule, i) => {
    if (!isObj(rule) || !isObj(rule.http)) return;
    listOf(rule.http.paths).forEach((p, j) => {
      if (isObj(p)) check(p.backend, `/spec/rules/${i}/http/paths/${j}/backend`);
    });
  });
  return out;
});
