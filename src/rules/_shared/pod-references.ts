/**
 * The rules that check a pod spec's references to named objects of the set
 * (no-dangling-{configmap,secret,pvc}-ref): volumes, projected sources, env and envFrom, image
 * pull secrets, and the keys read from them.
 */
import { forEachContainer } from '../../engine/kinds.js';
import { isObj, listOf, type Obj } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult, type DeclaredRuleFunction } from '../../engine/rule.js';
import type { KubeObject } from '../../engine/types.js';
import { cachedMatcher, indexOf, lookup, nameOf, namespaceOf, str } from './references.js';

/** A reference from a pod spec to a named object, with pointers relative to the pod spec. */
interface PodRef {
  name: string;
  path: string;
  /** Keys read from the object (env key refs, volume items). */
  keys?: Array<{ key: string; path: string }>;
}

export type RefKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';

function itemKeys(items: unknown, base: string): Array<{ key: string; path: string }> | undefined {
  const out: Array<{ key: string; path: string }> = [];
  listOf(items).forEach((it, k) => {
    if (isObj(it) && str(it.key)) out.push({ key: it.key as string, path: `${base}/items/${k}/key` });
  });
  return out.length ? out : undefined;
}

/** Every non-optional reference of the wanted kind in a pod spec. */
function podRefs(spec: Obj, want: RefKind): PodRef[] {
  const out: PodRef[] = [];
  const volumeField =
    want === 'ConfigMap' ? 'configMap' : want === 'Secret' ? 'secret' : 'persistentVolumeClaim';
  const nameField =
    want === 'Secret' ? 'secretName' : want === 'PersistentVolumeClaim' ? 'claimName' : 'name';
  listOf(spec.volumes).forEach((v, i) => {
    if (!isObj(v)) return;
    const src = v[volumeField];
    if (isObj(src) && src.optional !== true && str(src[nameField])) {
      const base = `/volumes/${i}/${volumeField}`;
      out.push({
        name: src[nameField] as string,
        path: `${base}/${nameField}`,
        keys: itemKeys(src.items, base),
      });
    }
    if (want === 'PersistentVolumeClaim' || !isObj(v.projected)) return;
    listOf(v.projected.sources).forEach((s, j) => {
      const p = isObj(s) ? s[volumeField] : undefined;
      if (isObj(p) && p.optional !== true && str(p.name)) {
        const base = `/volumes/${i}/projected/sources/${j}/${volumeField}`;
        out.push({ name: p.name as string, path: `${base}/name`, keys: itemKeys(p.items, base) });
      }
    });
  });
  if (want === 'PersistentVolumeClaim') return out;
  const keyRef = want === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
  const fromRef = want === 'ConfigMap' ? 'configMapRef' : 'secretRef';
  forEachContainer(spec, ({ container: c, pointer: cbase }) => {
    listOf(c.env).forEach((e, ei) => {
      const r = isObj(e) && isObj(e.valueFrom) ? e.valueFrom[keyRef] : undefined;
      if (!isObj(r) || r.optional === true || !str(r.name)) return;
      const base = `${cbase}/env/${ei}/valueFrom/${keyRef}`;
      out.push({
        name: r.name as string,
        path: `${base}/name`,
        keys: str(r.key) ? [{ key: r.key as string, path: `${base}/key` }] : undefined,
      });
    });
    listOf(c.envFrom).forEach((e, ei) => {
      const r = isObj(e) ? e[fromRef] : undefined;
      if (isObj(r) && r.optional !== true && str(r.name))
        out.push({ name: r.name as string, path: `${cbase}/envFrom/${ei}/${fromRef}/name` });
    });
  });
  if (want === 'Secret') {
    listOf(spec.imagePullSecrets).forEach((s, i) => {
      if (isObj(s) && str(s.name)) out.push({ name: s.name as string, path: `/imagePullSecrets/${i}/name` });
    });
  }
  return out;
}

function hasKey(o: KubeObject, kind: RefKind, key: string): boolean | undefined {
  const fields = kind === 'ConfigMap' ? (['data', 'binaryData'] as const) : (['data', 'stringData'] as const);
  let any = false;
  for (const f of fields) {
    const d = o[f];
    if (!isObj(d)) continue;
    any = true;
    if (key in d) return true;
  }
  // No data at all, or a token Secret the control plane fills in: the keys are unknown.
  if (!any || (kind === 'Secret' && o.type === 'kubernetes.io/service-account-token')) return undefined;
  return false;
}

/** Published by the control plane in every namespace (the cluster's root CA bundle). */
const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export interface PodReferenceOptions {
  /** Names to accept without a definition: exact names or `*` globs. */
  ignore: string[];
}

/** The check of one reference rule: every reference of `kind` names an object of the set that has the keys read. */
export function podReferenceRule(ruleId: string, kind: RefKind): DeclaredRuleFunction {
  return defineCheck<'podSpec', PodReferenceOptions>('podSpec', (ctx) => {
    const refs = podRefs(ctx.target, kind);
    if (refs.length === 0) return [];
    const index = indexOf(ctx);
    const ns = namespaceOf(ctx.object);
    const ignored = cachedMatcher(ctx, ruleId, ctx.options.ignore);
    const out: CheckResult[] = [];
    for (const ref of refs) {
      if (ignored(ref.name) || (kind === 'ConfigMap' && ref.name === ROOT_CA_CONFIGMAP)) continue;
      const found = lookup(index, kind, ns, ref.name);
      if (!found) {
        if (kind === 'Secret' && index.producedSecrets.has(`${ns}\0${ref.name}`)) continue;
        if (kind === 'PersistentVolumeClaim' && index.claimTemplates.has(`${ns}\0${ref.name}`)) continue;
        out.push({ path: ref.path, data: { ref: ref.name } });
        continue;
      }
      for (const k of ref.keys ?? []) {
        const verdicts = found.map((o) => hasKey(o, kind, k.key));
        if (verdicts.includes(true) || verdicts.includes(undefined)) continue;
        out.push({
          path: k.path,
          data: { ref: ref.name },
          message: `${ctx.object.kind as string} ${nameOf(ctx.object) ?? '(unnamed)'} reads key ${k.key} of ${kind} ${ref.name}, which has no such key.`,
        });
      }
    }
    return out;
  });
}
