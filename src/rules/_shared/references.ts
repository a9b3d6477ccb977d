/**
 * What the cross-resource reference rules share: one index of the run's resources, pod template
 * matching for selectors, and the `ignore` option.
 *
 * Reference rules (`scope: set`) only see the files linted together: a Service's pods, an
 * Ingress's Services, a RoleBinding's Role … must be part of the same run, or the rule reports
 * them as missing. They are skipped at admission (no view of the rest of the cluster).
 *
 * Namespaces: a resource without `metadata.namespace` is taken to live in `default` when matching,
 * which is where `kubectl apply` puts it without `-n`. Manifests meant for `kubectl apply -n X`
 * should therefore either all carry the namespace or all leave it out.
 *
 * One index of the whole set is built per run (memo key {@link INDEX_KEY}) and shared by every
 * reference rule.
 */
import { isClusterScoped, podLabelsOf, workloadKindOf } from '../../engine/kinds.js';
import {
  groupOf,
  isObj,
  listOf,
  nameOf as metadataName,
  namespaceOf as metadataNamespace,
  type Obj,
} from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { labelText, matches, type Selector } from '../../engine/k8s/selectors.js';
import type { CheckContext } from '../../engine/rule.js';
import type { KubeObject } from '../../engine/types.js';
import { compilePattern } from '../../engine/regex.js';

type Ctx = Pick<CheckContext, 'env'>;

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The namespace used for matching: metadata.namespace, or `default` when absent. */
export const namespaceOf = (o: KubeObject): string => metadataNamespace(o) || 'default';

/** metadata.name, when it is a non-empty string. */
export const nameOf = (o: KubeObject): string | undefined => metadataName(o) || undefined;

// ---------------------------------------------------------------------------------------------
// The set index

/** The labels of one pod template, plus the labels its controller adds. */
interface PodTemplate {
  labels: Obj;
  auto?: ReadonlySet<string>;
}

interface NamespaceTemplates {
  all: PodTemplate[];
  /** `key\0value` → templates carrying that label (inverted index for equality selectors). */
  byLabel: Map<string, PodTemplate[]>;
}

export interface SetIndex {
  templates: Map<string, NamespaceTemplates>;
  /** `Kind\0namespace\0name` → objects (namespace '' for cluster-scoped kinds). */
  named: Map<string, KubeObject[]>;
  /** Secrets that other objects of the set produce (SealedSecret, ExternalSecret, Certificate). */
  producedSecrets: Set<string>;
  /** PVC names declared by StatefulSet volumeClaimTemplates, `namespace\0name`. */
  claimTemplates: Set<string>;
  /** Every label some controller of the run's kinds adds to its pods (such selector labels are not indexed). */
  controllerLabels: ReadonlySet<string>;
}

const INDEX_KEY = 'references:set-index';

const keyOf = (kind: string, namespace: string, name: string): string =>
  `${kind}\0${isClusterScoped(kind) ? '' : namespace}\0${name}`;

function buildIndex(ctx: Ctx): SetIndex {
  const index: SetIndex = {
    templates: new Map(),
    named: new Map(),
    producedSecrets: new Set(),
    claimTemplates: new Set(),
    controllerLabels: ctx.env.kinds.controllerLabels,
  };
  for (const { object } of ctx.env.resources) {
    const kind = object.kind;
    if (typeof kind !== 'string') continue;
    const ns = namespaceOf(object);
    const name = nameOf(object);
    if (name !== undefined) {
      const k = keyOf(kind, ns, name);
      const list = index.named.get(k);
      if (list) list.push(object);
      else index.named.set(k, [object]);
    }
    const workload = workloadKindOf(object, ctx.env.kinds);
    if (workload?.createsPods) {
      const t: PodTemplate = {
        labels: podLabelsOf(object, ctx.env.kinds) ?? {},
        auto: workload.controllerLabels,
      };
      let nt = index.templates.get(ns);
      if (!nt) index.templates.set(ns, (nt = { all: [], byLabel: new Map() }));
      nt.all.push(t);
      for (const lk in t.labels) {
        const pk = `${lk}\0${labelText(t.labels[lk])}`;
        const posting = nt.byLabel.get(pk);
        if (posting) posting.push(t);
        else nt.byLabel.set(pk, [t]);
      }
    }
    const spec = object.spec;
    if (kind === 'StatefulSet' && isObj(spec)) {
      for (const vct of listOf(spec.volumeClaimTemplates)) {
        const n = isObj(vct) && isObj(vct.metadata) ? str(vct.metadata.name) : undefined;
        if (n) index.claimTemplates.add(`${ns}\0${n}`);
      }
    }
    // Objects that make a Secret appear: Bitnami SealedSecret (same name), External Secrets
    // Operator ExternalSecret (spec.target.name, default its own name), cert-manager Certificate.
    if (name !== undefined) {
      const api = typeof object.apiVersion === 'string' ? groupOf(object.apiVersion) : '';
      if (kind === 'SealedSecret' && api === 'bitnami.com') index.producedSecrets.add(`${ns}\0${name}`);
      else if (kind === 'ExternalSecret' && api === 'external-secrets.io') {
        const target = isObj(spec) && isObj(spec.target) ? str(spec.target.name) : undefined;
        index.producedSecrets.add(`${ns}\0${target ?? name}`);
      } else if (kind === 'Certificate' && api === 'cert-manager.io' && isObj(spec) && str(spec.secretName)) {
        index.producedSecrets.add(`${ns}\0${spec.secretName as string}`);
      }
    }
  }
  return index;
}

/** The run's index, built on first use. */
export function indexOf(ctx: Ctx): SetIndex {
  let index = ctx.env.memo.get(INDEX_KEY) as SetIndex | undefined;
  if (!index) {
    index = buildIndex(ctx);
    ctx.env.memo.set(INDEX_KEY, index);
  }
  return index;
}

/** The objects of the set with this kind, namespace (ignored for cluster-scoped kinds) and name. */
export function lookup(
  index: SetIndex,
  kind: string,
  namespace: string,
  name: string,
): KubeObject[] | undefined {
  return index.named.get(keyOf(kind, namespace, name));
}

// ---------------------------------------------------------------------------------------------
// Selectors against the pod templates of the set

/** Does any pod template of the namespace match the selector? An invalid selector: yes (never report). */
export function selectsAnyPod(index: SetIndex, namespace: string, s: Selector): boolean {
  if (s.invalid) return true;
  const nt = index.templates.get(namespace);
  if (!nt) return false;
  // Narrow the candidates through the rarest equality pair (controller labels are not indexed).
  let candidates: PodTemplate[] | undefined;
  for (const [k, v] of s.equal) {
    if (index.controllerLabels.has(k)) continue;
    const posting = nt.byLabel.get(`${k}\0${v}`);
    if (!posting) return false;
    if (!candidates || posting.length < candidates.length) candidates = posting;
  }
  // A controller-added label's value is unknown: any requirement on it counts as satisfied.
  for (const t of candidates ?? nt.all) if (matches(s, t.labels, t.auto)) return true;
  return false;
}

/**
 * Where a non-matching selector goes wrong: the pointer (below `base`, the selector's label map)
 * of the first equality label that no template of the namespace carries with that value, or
 * undefined when every label matches some template and only their combination fails.
 */
export function culprit(index: SetIndex, namespace: string, s: Selector, base: string): string | undefined {
  const nt = index.templates.get(namespace);
  for (const [k, v] of s.equal) {
    if (index.controllerLabels.has(k)) continue;
    if (!nt?.byLabel.has(`${k}\0${v}`)) return `${base}/${escapeSegment(k)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The `ignore` option

/** Names matched by the `ignore` option: exact names or `*` globs. */
function ignoreMatcher(option: unknown): (name: string) => boolean {
  const patterns = listOf(option).filter((p): p is string => typeof p === 'string');
  if (patterns.length === 0) return () => false;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  // RE2 (linear time): a native RegExp of many `.*` backtracks polynomially on long names.
  const globs = patterns
    .filter((p) => p.includes('*'))
    .map((p) =>
      compilePattern(
        p
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*'),
      ),
    );
  return (name) => exact.has(name) || globs.some((g) => g.testFull(name));
}

/** Option matchers are compiled once per run and options object. */
export function cachedMatcher(ctx: Ctx, ruleId: string, option: unknown): (name: string) => boolean {
  const key = `${ruleId}:ignore`;
  let hit = ctx.env.memo.get(key) as { option: unknown; match: (name: string) => boolean } | undefined;
  if (!hit || hit.option !== option) {
    hit = { option, match: ignoreMatcher(option) };
    ctx.env.memo.set(key, hit);
  }
  return hit.match;
}
