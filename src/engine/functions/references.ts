/**
 * Check functions for the cross-resource reference rules and for `deprecated-api`.
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
 * reference rule of this file.
 */
import { CONTAINER_LISTS, escapeSegment, POD_SPEC_POINTER } from '../kinds.js';
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';
import type { KubeObject } from '../types.js';
import { compilePattern } from '../regex.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const EMPTY: unknown[] = [];
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : EMPTY);
/** A label value as text (labels are strings, but YAML may have typed them as numbers or booleans). */
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : (JSON.stringify(v) ?? '');

/** The namespace used for matching: metadata.namespace, or `default` when absent. */
function namespaceOf(o: KubeObject): string {
  const meta = o.metadata;
  return (isObj(meta) && str(meta.namespace)) || 'default';
}

function nameOf(o: KubeObject): string | undefined {
  const meta = o.metadata;
  return isObj(meta) ? str(meta.name) : undefined;
}

/** API group of an apiVersion ('' for the core group). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

// ---------------------------------------------------------------------------------------------
// The set index

/** Kinds whose objects are cluster-scoped among those the rules look up by name. */
const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'Namespace',
  'PersistentVolume',
  'StorageClass',
]);

/**
 * Labels that controllers add to the pods they create, so a selector may use them although the
 * pod template does not carry them (e.g. a Service selecting one StatefulSet pod by name). Values
 * are not checked: a selector on such a key counts as satisfied by templates of that kind.
 * https://kubernetes.io/docs/reference/labels-annotations-taints/
 */
const CONTROLLER_LABELS: Readonly<Record<string, ReadonlySet<string>>> = {
  Deployment: new Set(['pod-template-hash']),
  ReplicaSet: new Set(['pod-template-hash']),
  StatefulSet: new Set([
    'statefulset.kubernetes.io/pod-name',
    'apps.kubernetes.io/pod-index',
    'controller-revision-hash',
  ]),
  DaemonSet: new Set(['controller-revision-hash', 'pod-template-generation']),
  Job: new Set([
    'batch.kubernetes.io/job-name',
    'job-name',
    'batch.kubernetes.io/controller-uid',
    'controller-uid',
    'batch.kubernetes.io/job-completion-index',
  ]),
  CronJob: new Set([
    'batch.kubernetes.io/job-name',
    'job-name',
    'batch.kubernetes.io/controller-uid',
    'controller-uid',
    'batch.kubernetes.io/job-completion-index',
  ]),
};
const ANY_CONTROLLER_LABEL = new Set(Object.values(CONTROLLER_LABELS).flatMap((s) => [...s]));

/** Kinds whose pods a selector can match, with the pointer of their pod labels. */
const POD_LABELS_POINTER: ReadonlyMap<string, string> = new Map(
  Object.entries(POD_SPEC_POINTER)
    .filter(([kind]) => kind !== 'PodTemplate')
    .map(([kind, p]) => [kind, `${p.slice(0, -'/spec'.length)}/metadata/labels`]),
);

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

interface SetIndex {
  templates: Map<string, NamespaceTemplates>;
  /** `Kind\0namespace\0name` → objects (namespace '' for cluster-scoped kinds). */
  named: Map<string, KubeObject[]>;
  /** Secrets that other objects of the set produce (SealedSecret, ExternalSecret, Certificate). */
  producedSecrets: Set<string>;
  /** PVC names declared by StatefulSet volumeClaimTemplates, `namespace\0name`. */
  claimTemplates: Set<string>;
}

const INDEX_KEY = 'references:set-index';

const keyOf = (kind: string, namespace: string, name: string): string =>
  `${kind}\0${CLUSTER_SCOPED.has(kind) ? '' : namespace}\0${name}`;

function getPointer(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.slice(1).split('/')) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function buildIndex(ctx: CheckContext): SetIndex {
  const index: SetIndex = {
    templates: new Map(),
    named: new Map(),
    producedSecrets: new Set(),
    claimTemplates: new Set(),
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
    const labelsPointer = POD_LABELS_POINTER.get(kind);
    if (labelsPointer !== undefined) {
      const labels = getPointer(object, labelsPointer);
      const t: PodTemplate = { labels: isObj(labels) ? labels : {}, auto: CONTROLLER_LABELS[kind] };
      let nt = index.templates.get(ns);
      if (!nt) index.templates.set(ns, (nt = { all: [], byLabel: new Map() }));
      nt.all.push(t);
      for (const lk in t.labels) {
        const pk = `${lk}\0${text(t.labels[lk])}`;
        const posting = nt.byLabel.get(pk);
        if (posting) posting.push(t);
        else nt.byLabel.set(pk, [t]);
      }
    }
    const spec = object.spec;
    if (kind === 'StatefulSet' && isObj(spec)) {
      for (const vct of arr(spec.volumeClaimTemplates)) {
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

function indexOf(ctx: CheckContext): SetIndex {
  let index = ctx.env.memo.get(INDEX_KEY) as SetIndex | undefined;
  if (!index) {
    index = buildIndex(ctx);
    ctx.env.memo.set(INDEX_KEY, index);
  }
  return index;
}

function lookup(index: SetIndex, kind: string, namespace: string, name: string): KubeObject[] | undefined {
  return index.named.get(keyOf(kind, namespace, name));
}

// ---------------------------------------------------------------------------------------------
// Label selectors

interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: readonly string[];
}

/** A selector in one normalized form: equality pairs plus set-based requirements. */
interface Selector {
  equal: Array<[string, string]>;
  exprs: Requirement[];
  /** An expression this linter cannot evaluate (unknown operator): never report. */
  unknown: boolean;
}

/** A Service-style selector (a plain label map). */
function mapSelector(m: Obj): Selector {
  const equal: Array<[string, string]> = [];
  for (const k in m) equal.push([k, text(m[k])]);
  return { equal, exprs: [], unknown: false };
}

/** A metav1.LabelSelector (matchLabels + matchExpressions). */
function labelSelector(s: Obj): Selector {
  const sel = isObj(s.matchLabels) ? mapSelector(s.matchLabels) : { equal: [], exprs: [], unknown: false };
  for (const e of arr(s.matchExpressions)) {
    if (!isObj(e) || typeof e.key !== 'string') {
      sel.unknown = true;
      continue;
    }
    const op = e.operator;
    if (op === 'In' || op === 'NotIn' || op === 'Exists' || op === 'DoesNotExist') {
      sel.exprs.push({ key: e.key, op, values: arr(e.values).map(text) });
    } else sel.unknown = true;
  }
  return sel;
}

const isEmpty = (s: Selector): boolean => s.equal.length === 0 && s.exprs.length === 0 && !s.unknown;

function templateMatches(t: PodTemplate, s: Selector): boolean {
  for (const [k, v] of s.equal) {
    const have = t.labels[k];
    if (have === undefined || have === null) {
      if (!t.auto?.has(k)) return false;
    } else if (text(have) !== v) return false;
  }
  for (const r of s.exprs) {
    const have = t.labels[r.key];
    const present = have !== undefined && have !== null;
    // A controller-added label's value is unknown: count any requirement on it as satisfied.
    if (!present && t.auto?.has(r.key)) continue;
    switch (r.op) {
      case 'In':
        if (!present || !r.values!.includes(text(have))) return false;
        break;
      case 'NotIn':
        if (present && r.values!.includes(text(have))) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/** Does any pod template of the namespace match the selector? */
function selectsAnyPod(index: SetIndex, namespace: string, s: Selector): boolean {
  if (s.unknown) return true;
  const nt = index.templates.get(namespace);
  if (!nt) return false;
  // Narrow the candidates through the rarest equality pair (controller labels are not indexed).
  let candidates: PodTemplate[] | undefined;
  for (const [k, v] of s.equal) {
    if (ANY_CONTROLLER_LABEL.has(k)) continue;
    const posting = nt.byLabel.get(`${k}\0${v}`);
    if (!posting) return false;
    if (!candidates || posting.length < candidates.length) candidates = posting;
  }
  for (const t of candidates ?? nt.all) if (templateMatches(t, s)) return true;
  return false;
}

/**
 * Where a non-matching selector goes wrong: the pointer (below `base`, the selector's label map)
 * of the first equality label that no template of the namespace carries with that value, or
 * undefined when every label matches some template and only their combination fails.
 */
function culprit(index: SetIndex, namespace: string, s: Selector, base: string): string | undefined {
  const nt = index.templates.get(namespace);
  for (const [k, v] of s.equal) {
    if (ANY_CONTROLLER_LABEL.has(k)) continue;
    if (!nt?.byLabel.has(`${k}\0${v}`)) return `${base}/${escapeSegment(k)}`;
  }
  return undefined;
}

/** `a=b, c in (d,e)` for messages. */
function describe(s: Selector): string {
  const parts = s.equal.map(([k, v]) => `${k}=${v}`);
  for (const r of s.exprs) {
    if (r.op === 'Exists') parts.push(r.key);
    else if (r.op === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.op === 'In' ? 'in' : 'notin'} (${r.values!.join(',')})`);
  }
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Selector rules

/** no-unmatched-service-selector: a Service's selector matches no pod template. */
const serviceSelector: RuleFunction = (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec) || spec.type === 'ExternalName' || !isObj(spec.selector)) return [];
  const sel = mapSelector(spec.selector);
  if (isEmpty(sel)) return [];
  const index = indexOf(ctx);
  const ns = namespaceOf(ctx.object);
  if (selectsAnyPod(index, ns, sel)) return [];
  const label = culprit(index, ns, sel, '/spec/selector');
  const data = { selector: describe(sel) };
  return [label ? { path: label, data } : { path: '/spec/selector', target: 'key', data }];
};

/** no-unmatched-pdb-selector: a PodDisruptionBudget selects no pod template. */
const pdbSelector: RuleFunction = (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  if (spec.selector === undefined || spec.selector === null) {
    // policy/v1: a null selector matches no pods (an empty one matches all of the namespace).
    return [
      {
        path: '/spec',
        target: 'key',
        data: { selector: '(none)', problem: 'it has no selector, and a missing selector selects no pods' },
      },
    ];
  }
  if (!isObj(spec.selector)) return [];
  const sel = labelSelector(spec.selector);
  if (isEmpty(sel)) return [];
  const index = indexOf(ctx);
  const ns = namespaceOf(ctx.object);
  if (selectsAnyPod(index, ns, sel)) return [];
  const label = culprit(index, ns, sel, '/spec/selector/matchLabels');
  const data = {
    selector: describe(sel),
    problem: `no pod template among the linted files in namespace ${ns} matches ${describe(sel)}`,
  };
  return [label ? { path: label, data } : { path: '/spec/selector', target: 'key', data }];
};

/** no-unmatched-network-policy-selector: spec.podSelector, or a same-namespace peer podSelector, matches nothing. */
const networkPolicySelector: RuleFunction = (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  const ns = namespaceOf(ctx.object);
  const out: CheckResult[] = [];
  let index: SetIndex | undefined;
  const check = (raw: unknown, path: string, role: string): void => {
    if (!isObj(raw)) return;
    const sel = labelSelector(raw);
    if (isEmpty(sel)) return; // {} selects every pod of the namespace
    index ??= indexOf(ctx);
    if (selectsAnyPod(index, ns, sel)) return;
    const label = culprit(index, ns, sel, `${path}/matchLabels`);
    const data = { selector: describe(sel), role };
    out.push(label ? { path: label, data } : { path, target: 'key', data });
  };
  check(spec.podSelector, '/spec/podSelector', 'pod selector');
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    arr(spec[dir]).forEach((rule, i) => {
      if (!isObj(rule)) return;
      arr(rule[peersKey]).forEach((peer, j) => {
        // With a namespaceSelector the peer pods live in other namespaces: out of reach here.
        if (!isObj(peer) || peer.namespaceSelector !== undefined) return;
        check(peer.podSelector, `/spec/${dir}/${i}/${peersKey}/${j}/podSelector`, `${dir} peer selector`);
      });
    });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// Name references

/** no-dangling-ingress-backend: every backend names a Service of the set, and a port it has. */
const ingressBackend: RuleFunction = (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  const ns = namespaceOf(ctx.object);
  const out: CheckResult[] = [];
  let index: SetIndex | undefined;
  const check = (backend: unknown, base: string): void => {
    if (!isObj(backend) || !isObj(backend.service)) return;
    const svc = backend.service;
    const name = str(svc.name);
    if (!name) return;
    index ??= indexOf(ctx);
    const services = lookup(index, 'Service', ns, name);
    if (!services) {
      out.push({
        path: `${base}/service/name`,
        data: {
          service: name,
          problem: `Service ${name} is not defined among the linted files in namespace ${ns}`,
        },
      });
      return;
    }
    const port = svc.port;
    if (!isObj(port)) return;
    const withPorts = services.filter((s) => isObj(s.spec) && Array.isArray(s.spec.ports));
    if (withPorts.length === 0) return; // e.g. an ExternalName Service without ports
    const ports = withPorts.flatMap((s) => arr((s.spec as Obj).ports)).filter(isObj);
    if (typeof port.number === 'number') {
      if (!ports.some((p) => p.port === port.number)) {
        out.push({
          path: `${base}/service/port/number`,
          data: { service: name, problem: `Service ${name} has no port ${port.number}` },
        });
      }
    } else if (str(port.name)) {
      if (!ports.some((p) => p.name === port.name)) {
        out.push({
          path: `${base}/service/port/name`,
          data: { service: name, problem: `Service ${name} has no port named ${port.name as string}` },
        });
      }
    }
  };
  check(spec.defaultBackend, '/spec/defaultBackend');
  arr(spec.rules).forEach((rule, i) => {
    if (!isObj(rule) || !isObj(rule.http)) return;
    arr(rule.http.paths).forEach((p, j) => {
      if (isObj(p)) check(p.backend, `/spec/rules/${i}/http/paths/${j}/backend`);
    });
  });
  return out;
};

/** no-dangling-hpa-target: scaleTargetRef names an object of the set (same kind, name and API group). */
const hpaTarget: RuleFunction = (ctx) => {
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
};

/** A reference from a pod spec to a named object, with pointers relative to the pod spec. */
interface PodRef {
  name: string;
  path: string;
  /** Keys read from the object (env key refs, volume items). */
  keys?: Array<{ key: string; path: string }>;
}

type RefKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';

function itemKeys(items: unknown, base: string): Array<{ key: string; path: string }> | undefined {
  const out: Array<{ key: string; path: string }> = [];
  arr(items).forEach((it, k) => {
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
  arr(spec.volumes).forEach((v, i) => {
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
    arr(v.projected.sources).forEach((s, j) => {
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
  for (const list of CONTAINER_LISTS) {
    arr(spec[list]).forEach((c, ci) => {
      if (!isObj(c)) return;
      const cbase = `/${list}/${ci}`;
      arr(c.env).forEach((e, ei) => {
        const r = isObj(e) && isObj(e.valueFrom) ? e.valueFrom[keyRef] : undefined;
        if (!isObj(r) || r.optional === true || !str(r.name)) return;
        const base = `${cbase}/env/${ei}/valueFrom/${keyRef}`;
        out.push({
          name: r.name as string,
          path: `${base}/name`,
          keys: str(r.key) ? [{ key: r.key as string, path: `${base}/key` }] : undefined,
        });
      });
      arr(c.envFrom).forEach((e, ei) => {
        const r = isObj(e) ? e[fromRef] : undefined;
        if (isObj(r) && r.optional !== true && str(r.name))
          out.push({ name: r.name as string, path: `${cbase}/envFrom/${ei}/${fromRef}/name` });
      });
    });
  }
  if (want === 'Secret') {
    arr(spec.imagePullSecrets).forEach((s, i) => {
      if (isObj(s) && str(s.name)) out.push({ name: s.name as string, path: `/imagePullSecrets/${i}/name` });
    });
  }
  return out;
}

/** Names matched by the `ignore` option: exact names or `*` globs. */
function ignoreMatcher(option: unknown): (name: string) => boolean {
  const patterns = arr(option).filter((p): p is string => typeof p === 'string');
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
function cachedMatcher(ctx: CheckContext, ruleId: string, option: unknown): (name: string) => boolean {
  const key = `${ruleId}:ignore`;
  let hit = ctx.env.memo.get(key) as { option: unknown; match: (name: string) => boolean } | undefined;
  if (!hit || hit.option !== option) {
    hit = { option, match: ignoreMatcher(option) };
    ctx.env.memo.set(key, hit);
  }
  return hit.match;
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

const LABEL: Record<RefKind, string> = {
  ConfigMap: 'ConfigMap',
  Secret: 'Secret',
  PersistentVolumeClaim: 'PersistentVolumeClaim',
};

function podReferenceRule(ruleId: string, kind: RefKind): RuleFunction {
  return (ctx) => {
    const spec = ctx.target;
    if (!isObj(spec)) return [];
    const refs = podRefs(spec, kind);
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
          message: `${ctx.object.kind as string} ${nameOf(ctx.object) ?? '(unnamed)'} reads key ${k.key} of ${LABEL[kind]} ${ref.name}, which has no such key.`,
        });
      }
    }
    return out;
  };
}

/** no-dangling-service-account-ref: serviceAccountName (or the old serviceAccount) names a ServiceAccount of the set. */
const serviceAccountRef: RuleFunction = (ctx) => {
  const spec = ctx.target;
  if (!isObj(spec)) return [];
  const field = str(spec.serviceAccountName)
    ? 'serviceAccountName'
    : str(spec.serviceAccount)
      ? 'serviceAccount'
      : undefined;
  if (!field) return [];
  const name = spec[field] as string;
  if (name === 'default') return []; // every namespace has one
  if (cachedMatcher(ctx, 'no-dangling-service-account-ref', ctx.options.ignore)(name)) return [];
  if (lookup(indexOf(ctx), 'ServiceAccount', namespaceOf(ctx.object), name)) return [];
  return [{ path: `/${field}`, data: { ref: name } }];
};

/**
 * ClusterRoles every cluster has: the user-facing roles and the `system:` ones.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
 */
const BUILTIN_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** no-dangling-role-ref: roleRef names a Role (same namespace) or ClusterRole that exists. */
const roleRef: RuleFunction = (ctx) => {
  const ref = ctx.object.roleRef;
  if (!isObj(ref)) return [];
  const kind = str(ref.kind);
  const name = str(ref.name);
  if (!kind || !name) return [];
  const binding = ctx.object.kind as string;
  if (binding === 'ClusterRoleBinding' && kind === 'Role') {
    return [
      {
        path: '/roleRef/kind',
        message: `ClusterRoleBinding ${nameOf(ctx.object) ?? '(unnamed)'} refers to Role ${name}, but a ClusterRoleBinding can only refer to a ClusterRole.`,
      },
    ];
  }
  if (kind === 'ClusterRole') {
    if (BUILTIN_CLUSTER_ROLES.has(name) || name.startsWith('system:')) return [];
    if (cachedMatcher(ctx, 'no-dangling-role-ref', ctx.options.knownClusterRoles)(name)) return [];
  } else if (kind !== 'Role') return [];
  if (lookup(indexOf(ctx), kind, namespaceOf(ctx.object), name)) return [];
  return [
    {
      path: '/roleRef/name',
      data: {
        ref: `${kind} ${name}`,
        problem:
          kind === 'Role'
            ? `which is not defined among the linted files in namespace ${namespaceOf(ctx.object)}`
            : 'which is neither a built-in ClusterRole nor defined among the linted files',
      },
    },
  ];
};

// ---------------------------------------------------------------------------------------------
// Deprecated APIs

/**
 * APIs that the Kubernetes project deprecated while still serving them, restated from the
 * Deprecated API Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
 * and the API server's deprecation warnings. Entries: apiVersion, kinds, deprecated since,
 * removed in (undefined: no removal scheduled), what to use instead.
 * APIs that are no longer served at all belong to `removed-api` (src/schema/removed-apis.ts).
 */
const DEPRECATED_TABLE: Array<[string, string[], string, string | undefined, string | undefined]> = [
  // Flow control v1beta3 was superseded by v1 (GA in 1.29) and stopped being served in 1.32.
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.29',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
  ],
  // ComponentStatus has been deprecated since 1.19, with no replacement API.
  ['v1', ['ComponentStatus'], '1.19', undefined, undefined],
  // Endpoints is deprecated since 1.33 in favour of EndpointSlice (no removal planned):
  // https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/
  ['v1', ['Endpoints'], '1.33', undefined, 'discovery.k8s.io/v1 EndpointSlice'],
];

interface Deprecation {
  since?: string;
  removedIn?: string;
  /** apiVersion (same kind) or "apiVersion Kind" to use instead. */
  replacement?: string;
}

const DEPRECATED: ReadonlyMap<string, Deprecation> = new Map(
  DEPRECATED_TABLE.flatMap(([apiVersion, kinds, since, removedIn, replacement]) =>
    kinds.map((kind): [string, Deprecation] => [`${apiVersion}/${kind}`, { since, removedIn, replacement }]),
  ),
);

/**
 * When pre-release versions that were served next to their GA version stopped being served,
 * read off the bundled schemas (schemas/kubernetes/v1.30 … v1.37): the first minor without them.
 */
const PRERELEASE_REMOVED_IN: ReadonlyMap<string, string> = new Map([
  ['admissionregistration.k8s.io/v1alpha1/ValidatingAdmissionPolicy', '1.32'],
  ['admissionregistration.k8s.io/v1alpha1/ValidatingAdmissionPolicyBinding', '1.32'],
  ['admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicy', '1.34'],
  ['admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicyBinding', '1.34'],
  ['authentication.k8s.io/v1alpha1/SelfSubjectReview', '1.32'],
  ['authentication.k8s.io/v1beta1/SelfSubjectReview', '1.33'],
  ['networking.k8s.io/v1beta1/IPAddress', '1.37'],
  ['networking.k8s.io/v1beta1/ServiceCIDR', '1.37'],
  ['storage.k8s.io/v1alpha1/VolumeAttributesClass', '1.35'],
  ['storage.k8s.io/v1beta1/VolumeAttributesClass', '1.37'],
]);

const PRERELEASE = /^v\d+(alpha|beta)\d+$/;

function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

interface DeprecationVerdict {
  data: Record<string, string>;
  fix?: CheckResult['fix'];
}

function judgeApi(ctx: CheckContext, apiVersion: string, kind: string): DeprecationVerdict | null {
  const schemas = ctx.env.schemas!;
  const hit = schemas.lookup(apiVersion, kind);
  // Unserved APIs are removed-api's or missing-schema's business; custom resources are not ours.
  if (hit.status !== 'found' || hit.origin !== 'builtin') return null;
  const target = schemas.minor;
  const key = `${apiVersion}/${kind}`;
  const known = DEPRECATED.get(key);
  if (known && (known.since === undefined || compareMinor(known.since, target) <= 0)) {
    const replacement = known.replacement;
    const status = [
      `deprecated since ${known.since}`,
      known.removedIn ? `no longer served from ${known.removedIn}` : 'no removal scheduled',
    ].join(', ');
    return {
      data: {
        api: `${apiVersion} ${kind}`,
        status,
        advice: replacement ? `move to ${replacement}` : 'it has no replacement API, so stop depending on it',
      },
      fix:
        replacement && !replacement.includes(' ')
          ? { safety: 'unsafe', patch: [{ op: 'replace', path: '/apiVersion', value: replacement }] }
          : undefined,
    };
  }
  // A pre-release version served next to a GA version of the same kind in the target release.
  const slash = apiVersion.indexOf('/');
  if (slash < 0 || !PRERELEASE.test(apiVersion.slice(slash + 1))) return null;
  const group = apiVersion.slice(0, slash);
  let ga: string | undefined;
  for (let n = 1; n <= 9; n++) {
    const candidate = `${group}/v${n}`;
    if (!schemas.has(candidate, kind)) continue;
    const h = schemas.lookup(candidate, kind);
    if (h.status === 'found' && h.origin === 'builtin') ga = candidate; // keep the highest
  }
  if (!ga) return null;
  const removedIn = PRERELEASE_REMOVED_IN.get(key);
  return {
    data: {
      api: `${apiVersion} ${kind}`,
      status: `pre-release, while Kubernetes ${target} serves the stable ${ga}${removedIn ? `; no longer served from ${removedIn}` : ''}`,
      advice: `move to ${ga}`,
    },
    fix: { safety: 'unsafe', patch: [{ op: 'replace', path: '/apiVersion', value: ga }] },
  };
}

/** deprecated-api: the apiVersion/kind is still served by the target version but deprecated. */
const deprecatedApi: RuleFunction = (ctx) => {
  const schemas = ctx.env.schemas;
  const { apiVersion, kind } = ctx.object;
  if (!schemas || typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  let cache = ctx.env.memo.get('deprecated-api') as Map<string, DeprecationVerdict | null> | undefined;
  if (!cache) ctx.env.memo.set('deprecated-api', (cache = new Map()));
  const key = `${apiVersion}/${kind}`;
  let verdict = cache.get(key);
  if (verdict === undefined) {
    verdict = judgeApi(ctx, apiVersion, kind);
    cache.set(key, verdict);
  }
  if (!verdict) return [];
  return [{ path: '/apiVersion', data: verdict.data, ...(verdict.fix ? { fix: verdict.fix } : {}) }];
};

export const functions: Record<string, RuleFunction> = {
  'no-unmatched-service-selector': serviceSelector,
  'no-unmatched-pdb-selector': pdbSelector,
  'no-unmatched-network-policy-selector': networkPolicySelector,
  'no-dangling-ingress-backend': ingressBackend,
  'no-dangling-hpa-target': hpaTarget,
  'no-dangling-configmap-ref': podReferenceRule('no-dangling-configmap-ref', 'ConfigMap'),
  'no-dangling-secret-ref': podReferenceRule('no-dangling-secret-ref', 'Secret'),
  'no-dangling-pvc-ref': podReferenceRule('no-dangling-pvc-ref', 'PersistentVolumeClaim'),
  'no-dangling-service-account-ref': serviceAccountRef,
  'no-dangling-role-ref': roleRef,
  'deprecated-api': deprecatedApi,
};
