/**
 * Core kinds about the cluster rather than workloads (pkg/apis/core/validation): a Node's pod CIDRs
 * and an Event's namespace and type, in both Event APIs (v1 and events.k8s.io/v1).
 */
import { Issues, arr, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { addNamed, invalidIn, labelValueProblems, qualifiedNameProblems } from './formats.js';
import { legacyCIDRProblems, parsePrefix, reportAddress, strictAddresses } from './netaddr.js';

/**
 * A Node's taints (validateNodeTaints): key a qualified name, value a label value, unique by key
 * and effect. The API server names them `metadata.taints[i]` although they sit under `spec`.
 */
function validateTaints(taints: unknown, v: Issues): void {
  const seen = new Set<string>();
  arr(taints).forEach((t, i) => {
    const taint = obj(t);
    if (taint === undefined) return;
    const shown = `metadata.taints[${i}]`;
    const key = str(taint.key) ?? '';
    const value = str(taint.value) ?? '';
    const effect = str(taint.effect) ?? '';
    for (const p of qualifiedNameProblems(key))
      invalidIn(v, ['spec', 'taints', i, 'key'], `${shown}.key`, key, p);
    const valueProblems = labelValueProblems(value);
    if (valueProblems.length > 0)
      invalidIn(v, ['spec', 'taints', i, 'value'], `${shown}.value`, value, valueProblems.join(';'));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      const shownTaint = JSON.stringify({ Key: key, Value: value, Effect: effect, TimeAdded: null });
      addNamed(
        v,
        ['spec', 'taints', i],
        shown,
        `Duplicate value: ${shownTaint}: taints must be unique by key and effect pair`,
      );
      return;
    }
    seen.add(id);
  });
}

/** A Node's taints and pod CIDRs: `podCIDRs`, or `podCIDR` alone (the API server defaults one from the other). */
function validateNode(o: Obj, v: Issues): void {
  const spec = obj(o.spec) ?? {};
  validateTaints(spec.taints, v);
  const list = arr(spec.podCIDRs);
  const single = str(spec.podCIDR);
  const cidrs: Array<{ value: string; path: Path }> =
    list.length > 0
      ? list.flatMap((c, i) => (typeof c === 'string' ? [{ value: c, path: ['spec', 'podCIDRs', i] }] : []))
      : single !== undefined && single !== ''
        ? [{ value: single, path: ['spec', 'podCIDR'] }]
        : [];
  let valid = true;
  for (const c of cidrs) {
    const problems = legacyCIDRProblems(c.value, strictAddresses(v));
    reportAddress(v, c.path, c.value, problems);
    if (problems.some((p) => !p.warning)) valid = false;
  }
  if (!valid || cidrs.length < 2) return;
  const families = cidrs.map((c) => parsePrefix(c.value)?.addr.v6);
  if (cidrs.length > 2 || families[0] === families[1])
    v.invalid(
      ['spec', 'podCIDRs'],
      cidrs.map((c) => c.value),
      'may specify no more than one CIDR for each IP family',
    );
}

const EVENT_TYPES = ['Normal', 'Warning'];

/**
 * An Event. Its `involvedObject` (`regarding` in events.k8s.io/v1) must be in the Event's namespace;
 * an Event with an `eventTime` (every events.k8s.io/v1 Event) may also be about a cluster-scoped
 * object from `default` or `kube-system` (and about any other namespace's object), and its type is
 * Normal or Warning. A manifest without a namespace is created in `default` (kubectl's default).
 */
function validateEvent(o: Obj, v: Issues, field: 'involvedObject' | 'regarding'): void {
  const namespace = str(obj(o.metadata)?.namespace) || 'default';
  const involved = obj(o[field]) ?? {};
  const involvedNs = str(involved.namespace) ?? '';
  const at = [field, 'namespace'];
  const mismatch = 'does not match event.namespace';
  const eventTime = o.eventTime;
  if (eventTime === undefined || eventTime === null || eventTime === '') {
    if (involvedNs === '' ? namespace !== 'default' : involvedNs !== namespace)
      v.invalid(at, involvedNs, mismatch);
    return;
  }
  if (involvedNs === '' && namespace !== 'default' && namespace !== 'kube-system')
    v.invalid(at, involvedNs, mismatch);
  const type = o.type === null ? '' : o.type;
  if (typeof type === 'string' && !EVENT_TYPES.includes(type))
    v.add(['type'], `Invalid value: "": has invalid value: ${v.show(type, ['type']) === '' ? '' : type}`);
}

export const CORE_CLUSTER_VALIDATORS: ValidatorTable = {
  '/Node': validateNode,
  '/Event': (o, v) => validateEvent(o, v, 'involvedObject'),
  'events.k8s.io/Event': (o, v) => validateEvent(o, v, 'regarding'),
};
