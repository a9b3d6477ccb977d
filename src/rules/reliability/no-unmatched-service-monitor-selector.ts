/**
 * no-unmatched-service-monitor-selector: a Prometheus Operator ServiceMonitor whose selector (in
 * the namespaces its namespaceSelector names, by default its own) matches no Service of the run,
 * or whose endpoint port names no port of the Services it matches.
 * https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitorSpec
 */
import { groupOf, isObj, listOf, type Obj } from '../../engine/k8s/object.js';
import { describeSelector, labelSelector } from '../../engine/k8s/selectors.js';
import { defineCheck, NONE, type CheckContext, type CheckResult } from '../../engine/rule.js';
import { LabelIndex, type Labelled } from '../_shared/label-index.js';
import { namespaceOf } from '../_shared/references.js';

interface Service extends Labelled {
  ports: ReadonlySet<string>;
}

const KEY = 'no-unmatched-service-monitor-selector:services';

function services(env: CheckContext['env']): LabelIndex<Service> {
  let index = env.memo.get(KEY) as LabelIndex<Service> | undefined;
  if (index) return index;
  index = new LabelIndex();
  for (const { object } of env.resources) {
    if (object.kind !== 'Service' || object.apiVersion !== 'v1') continue;
    const md = object.metadata;
    const labels = isObj(md) && isObj(md.labels) ? md.labels : {};
    const ports = new Set<string>();
    const spec = object.spec;
    if (isObj(spec))
      for (const p of listOf(spec.ports)) if (isObj(p) && typeof p.name === 'string') ports.add(p.name);
    index.add(namespaceOf(object), { labels, ports });
  }
  env.memo.set(KEY, index);
  return index;
}

/** The namespaces a ServiceMonitor looks in: `any`, `matchNames`, or its own. */
function namespacesOf(monitor: Obj, own: string, index: LabelIndex<Service>): string[] {
  const ns = monitor.namespaceSelector;
  if (isObj(ns) && ns.any === true) return [...index.namespaces()];
  const names = isObj(ns) ? listOf(ns.matchNames).filter((n): n is string => typeof n === 'string') : [];
  return names.length > 0 ? names : [own];
}

export const noUnmatchedServiceMonitorSelector = defineCheck('resource', (ctx) => {
  const api = typeof ctx.object.apiVersion === 'string' ? groupOf(ctx.object.apiVersion) : '';
  const spec = ctx.object.spec;
  if (api !== 'monitoring.coreos.com' || !isObj(spec) || !isObj(spec.selector)) return NONE;
  const selector = labelSelector(spec.selector);
  if (selector.invalid) return NONE;
  const index = services(ctx.env);
  const namespaces = namespacesOf(spec, namespaceOf(ctx.object), index);
  const matched = namespaces.flatMap((ns) => index.select(ns, selector));
  const where =
    namespaces.length === 1 ? `namespace ${namespaces[0]!}` : `namespaces ${namespaces.join(', ')}`;
  if (matched.length === 0) {
    const text = describeSelector(selector);
    return [
      {
        path: '/spec/selector',
        data: {
          problem: `selects no Service: no Service among the linted files in ${where} has the labels ${text === '' ? '(any)' : text}`,
        },
      },
    ];
  }
  let out: CheckResult[] | undefined;
  const endpoints = listOf(spec.endpoints);
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i];
    if (!isObj(e) || typeof e.port !== 'string') continue;
    const port = e.port;
    if (matched.some((s) => s.ports.has(port))) continue;
    (out ??= []).push({
      path: `/spec/endpoints/${i}/port`,
      data: {
        problem: `scrapes port ${port}, but none of the ${matched.length} Service(s) it selects in ${where} has a port of that name`,
      },
    });
  }
  return out ?? NONE;
});
