/**
 * require-run-as-non-root (PSS Restricted: Running as Non-root): runAsNonRoot must be true on the
 * pod or on every container. A container's own value overrides the pod's; an explicit false
 * anywhere (pod included) fails.
 */
import { forEachContainer } from '../../engine/kinds.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { POD_LEVEL, secCtx, usesUserNamespace } from '../_shared/pss.js';

export const requireRunAsNonRoot = defineCheck('podSpec', (ctx) => {
  const spec = ctx.target;
  if (usesUserNamespace(spec)) return NONE;
  const podSc = secCtx(spec);
  const podValue = podSc?.runAsNonRoot;
  const podSet = podValue !== undefined && podValue !== null;
  let out: CheckResult[] | undefined;
  if (podSet && podValue !== true) {
    const path = '/securityContext/runAsNonRoot';
    out = [
      {
        path,
        data: { where: POD_LEVEL, state: `sets runAsNonRoot: ${show(podValue)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: true }] },
      },
    ];
  }
  forEachContainer(spec, ({ container, pointer: p, name }) => {
    const sc = secCtx(container);
    const v = sc?.runAsNonRoot;
    if (v === true) return;
    const where = `Container ${name}`;
    if (v !== undefined && v !== null) {
      const path = `${p}/securityContext/runAsNonRoot`;
      (out ??= []).push({
        path,
        data: { where, state: `sets runAsNonRoot: ${show(v)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: true }] },
      });
    } else if (podValue !== true) {
      (out ??= []).push({
        path: sc ? `${p}/securityContext` : p,
        target: 'key',
        data: { where, state: 'does not set runAsNonRoot: true, and neither does the pod' },
        // The rule's fix: one pod-level runAsNonRoot: true covers every container that sets nothing.
      });
    }
  });
  return out ?? NONE;
});
