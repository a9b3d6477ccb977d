/** no-invalid-labels: label keys and values of metadata, templates and selectors, as the API server validates them. */
import { keyProblem, labelValueProblem } from '../../engine/k8s/labels.js';
import { asObj, type Obj } from '../../engine/k8s/object.js';
import { escapeSegment, toPointer } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { dotted, quote } from '../_shared/format.js';
import { forEachLabelSelector, forEachMapSelector, forEachMetadata } from '../_shared/metadata.js';

function checkLabelMap(map: Obj, segs: readonly string[], what: string, out: CheckResult[]): void {
  for (const key in map) {
    const kp = keyProblem(key);
    if (kp)
      out.push({
        path: toPointer(segs) + '/' + escapeSegment(key),
        target: 'key',
        data: { detail: `${what} key ${quote(key)} in ${dotted(segs)}: ${kp}` },
      });
    const v = map[key];
    const vp = typeof v === 'string' ? labelValueProblem(v) : undefined;
    if (vp)
      out.push({
        path: toPointer(segs) + '/' + escapeSegment(key),
        data: { detail: `value of ${what} ${quote(key)} in ${dotted(segs)}: ${vp}` },
      });
  }
}

function checkLabelSelector(sel: Obj, segs: readonly string[], out: CheckResult[]): void {
  const ml = asObj(sel.matchLabels);
  if (ml) checkLabelMap(ml, [...segs, 'matchLabels'], 'selector', out);
  const me = sel.matchExpressions;
  if (!Array.isArray(me)) return;
  me.forEach((e, i) => {
    const expr = asObj(e);
    if (!expr) return;
    const eSegs = [...segs, 'matchExpressions', String(i)];
    if (typeof expr.key === 'string') {
      const kp = keyProblem(expr.key);
      if (kp)
        out.push({
          path: toPointer([...eSegs, 'key']),
          data: { detail: `selector key ${quote(expr.key)} in ${dotted(eSegs)}: ${kp}` },
        });
    }
    if (Array.isArray(expr.values)) {
      expr.values.forEach((v, j) => {
        if (typeof v !== 'string') return;
        const vp = labelValueProblem(v);
        if (vp)
          out.push({
            path: toPointer([...eSegs, 'values', String(j)]),
            data: { detail: `selector value in ${dotted(eSegs)}: ${vp}` },
          });
      });
    }
  });
}

export const noInvalidLabels = defineCheck('resource', (ctx) => {
  const out: CheckResult[] = [];
  forEachMetadata(ctx.object, ctx.env.kinds, (segs, meta) => {
    const labels = asObj(meta.labels);
    if (labels) checkLabelMap(labels, [...segs, 'labels'], 'label', out);
  });
  forEachLabelSelector(ctx.object, (segs, sel) => checkLabelSelector(sel, segs, out));
  forEachMapSelector(ctx.object, (segs, m) => checkLabelMap(m, segs, 'selector', out));
  return out.length ? out : NONE;
});
