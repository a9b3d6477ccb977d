/**
 * Where the metadata rules look: every metadata object of a resource (its own, its templates',
 * StatefulSet claim templates') and every label selector, as lists of (unencoded) tokens so
 * messages can name the field (`spec.template.metadata.labels`).
 */
import { expand, selectorPathsOf, type KindTable } from '../../engine/kinds.js';
import { asObj, namespaceOf, type Obj } from '../../engine/k8s/object.js';
import { getIn, parsePointer } from '../../engine/k8s/pointer.js';
import type { KubeObject } from '../../engine/types.js';

/** The object's namespace; one without `metadata.namespace` counts as `default` (as in the other set rules). */
export const nsOf = (object: KubeObject): string => namespaceOf(object) || 'default';

const tokenCache = new Map<string, readonly string[]>();

/** The tokens of one of the kind tables' (fixed, well-formed) pointers, split once. */
export function tokensOf(pointer: string): readonly string[] {
  let t = tokenCache.get(pointer);
  if (!t) tokenCache.set(pointer, (t = parsePointer(pointer) ?? []));
  return t;
}

/**
 * Visit every metadata object of a resource: its own, its templates', StatefulSet claim templates'.
 * Templates are those of the run's kind table (`ctx.env.kinds`), the one the pod rules read: the
 * built-in workloads, the custom kinds shipshape knows, the config's `podSpecs:` and CRDs that embed
 * a PodSpec (a `*` in a template path visits every item of the array).
 */
export function forEachMetadata(
  object: KubeObject,
  kinds: KindTable,
  visit: (segs: readonly string[], meta: Obj) => void,
): void {
  const own = asObj(object.metadata);
  if (own) visit(['metadata'], own);
  for (const p of kinds.of(object)?.templateMetadata ?? []) {
    const segs = tokensOf(p);
    if (!segs.includes('*')) {
      const m = asObj(getIn(object, segs));
      if (m) visit(segs, m);
      continue;
    }
    expand(object, segs, (value, concrete) => {
      const m = asObj(value);
      if (m) visit(concrete, m);
    });
  }
  if (object.kind === 'StatefulSet') {
    const vcts = getIn(object, ['spec', 'volumeClaimTemplates']);
    if (Array.isArray(vcts)) {
      vcts.forEach((t, i) => {
        const m = asObj(asObj(t)?.metadata);
        if (m) visit(['spec', 'volumeClaimTemplates', String(i), 'metadata'], m);
      });
    }
  }
}

/** Visit every metav1.LabelSelector of a resource, including NetworkPolicy peers. */
export function forEachLabelSelector(
  object: KubeObject,
  visit: (segs: readonly string[], sel: Obj) => void,
): void {
  for (const p of selectorPathsOf(object.kind)) {
    if (p.form !== 'labelSelector') continue;
    const segs = tokensOf(p.pointer);
    const s = asObj(getIn(object, segs));
    if (s) visit(segs, s);
  }
  if (object.kind !== 'NetworkPolicy') return;
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = getIn(object, ['spec', dir]);
    if (!Array.isArray(rules)) continue;
    rules.forEach((r, i) => {
      const list = asObj(r)?.[peers];
      if (!Array.isArray(list)) return;
      list.forEach((p, j) => {
        const peer = asObj(p);
        if (!peer) return;
        for (const f of ['podSelector', 'namespaceSelector']) {
          const s = asObj(peer[f]);
          if (s) visit(['spec', dir, String(i), peers, String(j), f], s);
        }
      });
    });
  }
}

/** Visit every plain `key: value` selector of a resource (Service, ReplicationController). */
export function forEachMapSelector(
  object: KubeObject,
  visit: (segs: readonly string[], sel: Obj) => void,
): void {
  for (const p of selectorPathsOf(object.kind)) {
    if (p.form !== 'map') continue;
    const segs = tokensOf(p.pointer);
    const m = asObj(getIn(object, segs));
    if (m) visit(segs, m);
  }
}
