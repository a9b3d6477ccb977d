/**
 * no-unmatched-service-target-port: a Service port whose targetPort is a name that no container
 * port of the pods it selects (among the run's pod templates) carries. Only checked when the
 * selector matches some template: a Service that selects nothing is no-unmatched-service-selector's.
 */
import {
  BUILTIN_KINDS,
  CONTAINER_LISTS,
  podLabelsOf,
  podSpecOf,
  workloadKindOf,
} from '../../engine/kinds.js';
import { isObj, listOf } from '../../engine/k8s/object.js';
import { mapSelector } from '../../engine/k8s/selectors.js';
import { defineCheck, NONE, type CheckContext, type CheckResult } from '../../engine/rule.js';
import { LabelIndex, type Labelled } from '../_shared/label-index.js';
import { nameOf, namespaceOf } from '../_shared/references.js';

interface Template extends Labelled {
  ports: ReadonlySet<string>;
  kind: string;
  name: string;
}

const KEY = 'no-unmatched-service-target-port:templates';

function templates(env: CheckContext['env']): LabelIndex<Template> {
  let index = env.memo.get(KEY) as LabelIndex<Template> | undefined;
  if (index) return index;
  index = new LabelIndex();
  for (const { object } of env.resources) {
    const workload = workloadKindOf(object);
    if (!workload?.createsPods) continue;
    const spec = podSpecOf(object)?.spec;
    const ports = new Set<string>();
    if (spec)
      for (const list of CONTAINER_LISTS)
        for (const c of listOf(spec[list]))
          if (isObj(c))
            for (const p of listOf(c.ports)) if (isObj(p) && typeof p.name === 'string') ports.add(p.name);
    index.add(namespaceOf(object), {
      labels: podLabelsOf(object) ?? {},
      auto: workload.controllerLabels,
      ports,
      kind: String(object.kind),
      name: nameOf(object) ?? '(unnamed)',
    });
  }
  env.memo.set(KEY, index);
  return index;
}

export const noUnmatchedServiceTargetPort = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec) || !isObj(spec.selector) || spec.type === 'ExternalName') return NONE;
  const named = listOf(spec.ports).some((p) => isObj(p) && typeof p.targetPort === 'string');
  if (!named) return NONE;
  const selected = templates(ctx.env).select(
    namespaceOf(ctx.object),
    mapSelector(spec.selector),
    BUILTIN_KINDS.controllerLabels,
  );
  if (selected.length === 0) return NONE;
  let out: CheckResult[] | undefined;
  const ports = listOf(spec.ports);
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (!isObj(p) || typeof p.targetPort !== 'string') continue;
    const target = p.targetPort;
    if (selected.some((t) => t.ports.has(target))) continue;
    const first = selected[0]!;
    (out ??= []).push({
      path: `/spec/ports/${i}/targetPort`,
      data: {
        port: target,
        pods:
          selected.length === 1
            ? `${first.kind} ${first.name}`
            : `${first.kind} ${first.name} and ${selected.length - 1} more`,
      },
    });
  }
  return out ?? NONE;
});
