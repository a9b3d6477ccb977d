/**
 * no-unmatched-service-target-port: a Service port whose targetPort is a name that no container
 * port of the pods it selects (among the run's pod templates) carries. Only checked when the
 * selector matches some template: a Service that selects nothing is no-unmatched-service-selector's.
 */
import { forEachContainer, podLabelsOf, podSpecsOf, workloadKindOf } from '../../engine/kinds.js';
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
  // The run's kind table: custom pod-bearing kinds (an Argo Rollout, a CRD's) count like the built-ins.
  const kinds = env.kinds;
  for (const { object } of env.resources) {
    const workload = workloadKindOf(object, kinds);
    if (!workload?.createsPods) continue;
    const ports = new Set<string>();
    for (const pod of podSpecsOf(object, kinds))
      forEachContainer(
        pod.spec,
        ({ container }) => {
          for (const p of listOf(container.ports))
            if (isObj(p) && typeof p.name === 'string') ports.add(p.name);
        },
        pod.slots,
      );
    index.add(namespaceOf(object), {
      labels: podLabelsOf(object, kinds) ?? {},
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
    ctx.env.kinds.controllerLabels,
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
