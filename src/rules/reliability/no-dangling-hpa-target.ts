/** no-dangling-hpa-target: scaleTargetRef names an object of the set (same kind, name and API group). */
import { groupOf, isObj } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { indexOf, lookup, namespaceOf, str } from '../_shared/references.js';

export const noDanglingHpaTarget = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec) || !isObj(spec.scaleTargetRef)) return [];
  const ref = spec.scaleTargetRef;
  const kind = str(ref.kind);
  const name = str(ref.name);
  if (!kind || !name) return [];
  const apiVersion = str(ref.apiVersion);
  const found = lookup(indexOf(ctx), kind, namespaceOf(ctx.object), name);
  const group = apiVersion === undefined ? undefined : groupOf(apiVersion);
  if (
    found?.some(
      (o) => group === undefined || (typeof o.apiVersion === 'string' && groupOf(o.apiVersion) === group),
    )
  )
    return [];
  return [
    {
      path: '/spec/scaleTargetRef/name',
      data: { target: `${apiVersion ? `${apiVersion} ` : ''}${kind} ${name}` },
    },
  ];
});
