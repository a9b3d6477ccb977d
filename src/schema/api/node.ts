/** node.k8s.io: RuntimeClasses (pkg/apis/node/validation). */
import { Issues, arr, isObj, obj, str, type Obj, type ValidatorTable } from './issues.js';
import { DNS1123_LABEL_MSG, isDns1123Label, validateLabels } from './formats.js';

/** A quantity that is negative (a leading '-' on a number). */
const NEGATIVE = /^-\d/;

function validateRuntimeClass(o: Obj, v: Issues): void {
  const handler = str(o.handler) ?? '';
  if (handler === '') v.required(['handler']);
  else if (!isDns1123Label(handler)) v.invalid(['handler'], handler, DNS1123_LABEL_MSG);
  const podFixed = obj(obj(o.overhead)?.podFixed);
  if (podFixed !== undefined)
    for (const [k, q] of Object.entries(podFixed)) {
      const s = typeof q === 'number' ? String(q) : str(q);
      if (s !== undefined && NEGATIVE.test(s.trim()))
        v.invalid(['overhead', 'podFixed', k], s, 'must be greater than or equal to 0');
    }
  const scheduling = obj(o.scheduling);
  if (scheduling === undefined) return;
  validateLabels(scheduling.nodeSelector, ['scheduling', 'nodeSelector'], v);
  arr(scheduling.tolerations).forEach((t, i) => {
    if (!isObj(t)) return;
    if (t.operator === 'Exists' && (str(t.value) ?? '') !== '')
      v.invalid(
        ['scheduling', 'tolerations', i, 'operator'],
        t.value,
        "value must be empty when `operator` is 'Exists'",
      );
  });
}

export const NODE_VALIDATORS: ValidatorTable = {
  'node.k8s.io/RuntimeClass': validateRuntimeClass,
};
