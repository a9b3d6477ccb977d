/**
 * Check functions for the RBAC (security) and availability (reliability) rules: Role/ClusterRole
 * rules, bindings, replica counts, PodDisruptionBudgets, rollout settings, autoscalers and Jobs.
 * Rule files live in rules/security and rules/reliability; docs are generated from them.
 *
 * RBAC matching follows the authorizer (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac):
 * a rule grants a request when its apiGroups hold the group or "*", its resources hold the
 * resource, "*", or "*\/<subresource>", and its verbs hold the verb or "*".
 */
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';
import type { JsonPatchOp, KubeObject } from '../types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (o: unknown, k: string): Obj | undefined => {
  const v = isObj(o) ? o[k] : undefined;
  return isObj(v) ? v : undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A scalar field value as written, for messages. */
const shown = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : EMPTY);
const EMPTY: readonly unknown[] = Object.freeze([]);
const nsOf = (o: KubeObject): string => str(objAt(o, 'metadata')?.namespace) ?? '';
const nameOf = (o: KubeObject): string => str(objAt(o, 'metadata')?.name) ?? '(unnamed)';
const numberOption = (ctx: CheckContext, key: string, fallback: number): number =>
  int(ctx.options[key]) ?? fallback;

// ---------------------------------------------------------------------------------------------
// RBAC helpers
// ---------------------------------------------------------------------------------------------

/** One resource a check is about, e.g. secrets in the core group or pods/exec. */
interface ApiResource {
  group: string;
  resource: string;
}

/**
 * The policy rules of a Role or ClusterRole. An aggregated ClusterRole (one with an
 * aggregationRule) has no rules of its own: the controller overwrites `rules` with the union of
 * the ClusterRoles its selectors pick, and those source roles are linted themselves.
 */
function policyRules(object: KubeObject): readonly unknown[] {
  if (object.kind === 'ClusterRole' && isObj(object.aggregationRule)) return EMPTY;
  return list(object.rules);
}

const hasNames = (rule: Obj): boolean => list(rule.resourceNames).length > 0;

function groupGranted(rule: Obj, group: string): boolean {
  const groups = list(rule.apiGroups);
  return groups.includes(group) || groups.includes('*');
}

/** Does one `resources` item cover the resource (with its subresource, if any)? */
function resourceItemCovers(item: string, resource: string): boolean {
  if (item === '*' || item === resource) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && item.length > 2 && item.startsWith('*/') && item.slice(1) === resource.slice(slash);
}

/** The verbs among `wanted` that a rule grants ("*" grants them all). */
function grantedVerbs(rule: Obj, wanted: readonly string[]): string[] {
  const verbs = list(rule.verbs);
  if (verbs.includes('*')) return [...wanted];
  return wanted.filter((v) => verbs.includes(v));
}

/**
 * For each item of `rule.resources` that grants one of `targets` (through a group the rule
 * lists), the targets it covers. Items are reported where they are written.
 */
function coveringItems(
  rule: Obj,
  targets: readonly ApiResource[],
): Array<{ index: number; item: string; covered: ApiResource[] }> {
  const out: Array<{ index: number; item: string; covered: ApiResource[] }> = [];
  const resources = list(rule.resources);
  for (let j = 0; j < resources.length; j++) {
    const item = resources[j];
    if (typeof item !== 'string') continue;
    let covered: ApiResource[] | undefined;
    for (const t of targets) {
      if (resourceItemCovers(item, t.resource) && groupGranted(rule, t.group)) (covered ??= []).push(t);
    }
    if (covered) out.push({ index: j, item, covered });
  }
  return out;
}

/** "secrets" or `"*" (every resource, including secrets)` for messages. */
function describeItem(item: string, covered: readonly ApiResource[]): string {
  const names = covered.map((c) => c.resource).join(', ');
  if (item === names) return item;
  return `"${item}" (which includes ${names})`;
}

/** "get, list" — or `"*" (get, list)` when a wildcard verb grants them. */
const verbText = (rule: Obj, verbs: readonly string[]): string =>
  list(rule.verbs).includes('*') ? `"*" (${verbs.join(', ')})` : verbs.join(', ');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------
// RBAC rules
// ---------------------------------------------------------------------------------------------

const WILDCARD_FIELDS = ['apiGroups', 'resources', 'verbs'] as const;
const WILDCARD_MEANING: Record<(typeof WILDCARD_FIELDS)[number], string> = {
  apiGroups: 'every API group, including ones added later by CRDs',
  resources: 'every resource of the listed groups, including secrets and subresources such as pods/exec',
  verbs: 'every verb, including escalate, bind and impersonate',
};

/** no-rbac-wildcard: "*" in apiGroups, resources (also "*\/sub") or verbs, on the exact item. */
const noRbacWildcard: RuleFunction = (ctx) => {
  const fields = Array.isArray(ctx.options.fields) ? (ctx.options.fields as unknown[]) : WILDCARD_FIELDS;
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    for (const field of WILDCARD_FIELDS) {
      if (!fields.includes(field)) continue;
      const items = list(rule[field]);
      for (let j = 0; j < items.length; j++) {
        const item = items[j];
        if (typeof item !== 'string') continue;
        let meaning: string | undefined;
        if (item === '*') meaning = WILDCARD_MEANING[field];
        else if (field === 'resources' && item.startsWith('*/'))
          meaning = `the ${item.slice(2)} subresource of every resource of the listed groups`;
        if (meaning)
          out.push({ path: `/rules/${i}/${field}/${j}`, data: { rule: i, field, value: item, meaning } });
      }
    }
  }
  return out;
};

/** no-cluster-admin-binding: roleRef to the cluster-admin ClusterRole (or the configured ones). */
const noClusterAdminBinding: RuleFunction = (ctx) => {
  const ref = objAt(ctx.object, 'roleRef');
  const name = str(ref?.name);
  if (ref?.kind !== 'ClusterRole' || name === undefined) return [];
  const roles = Array.isArray(ctx.options.roles) ? (ctx.options.roles as unknown[]) : ['cluster-admin'];
  if (!roles.includes(name)) return [];
  const scope =
    ctx.object.kind === 'ClusterRoleBinding'
      ? 'in every namespace and on cluster-scoped resources'
      : `in namespace ${nsOf(ctx.object) || 'default'}`;
  return [{ path: '/roleRef/name', data: { role: name, scope } }];
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ROLE_RESOURCES: readonly ApiResource[] = [
  { group: RBAC_GROUP, resource: 'roles' },
  { group: RBAC_GROUP, resource: 'clusterroles' },
];
const IMPERSONATE_RESOURCES: readonly ApiResource[] = [
  { group: '', resource: 'users' },
  { group: '', resource: 'groups' },
  { group: '', resource: 'serviceaccounts' },
  { group: 'authentication.k8s.io', resource: 'uids' },
  { group: 'authentication.k8s.io', resource: 'userextras' },
];
const ESCALATION: Record<string, { targets: readonly ApiResource[]; effect: string }> = {
  escalate: { targets: ROLE_RESOURCES, effect: 'its subjects can add permissions they do not hold to roles' },
  bind: {
    targets: ROLE_RESOURCES,
    effect: 'its subjects can bind roles holding permissions they do not have',
  },
  impersonate: {
    targets: IMPERSONATE_RESOURCES,
    effect: 'its subjects can act as other users, groups or ServiceAccounts',
  },
};

/** Does the rule cover one of the targets (userextras/<scope> counts for userextras)? */
function coversAny(rule: Obj, targets: readonly ApiResource[]): string[] {
  const hit: string[] = [];
  for (const t of targets) {
    if (!groupGranted(rule, t.group)) continue;
    for (const item of list(rule.resources)) {
      if (typeof item !== 'string') continue;
      if (
        resourceItemCovers(item, t.resource) ||
        (t.resource === 'userextras' && item.startsWith('userextras/'))
      ) {
        hit.push(t.resource);
        break;
      }
    }
  }
  return hit;
}

/**
 * no-rbac-escalation-verbs: escalate / bind on roles, impersonate on identities; the finding is on
 * the verb item ("*" included). `bind` narrowed by resourceNames only lets the subject bind those
 * named roles (the pattern the Kubernetes docs recommend), so it is not reported.
 */
const noRbacEscalationVerbs: RuleFunction = (ctx) => {
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = list(rule.verbs);
    for (let j = 0; j < verbs.length; j++) {
      const verb = verbs[j];
      if (typeof verb !== 'string') continue;
      const names = verb === '*' ? Object.keys(ESCALATION) : Object.hasOwn(ESCALATION, verb) ? [verb] : [];
      const granted: string[] = [];
      const effects: string[] = [];
      for (const v of names) {
        if (v === 'bind' && hasNames(rule)) continue;
        const e = ESCALATION[v]!;
        const on = coversAny(rule, e.targets);
        if (on.length === 0) continue;
        granted.push(`${v} on ${on.join(', ')}`);
        effects.push(e.effect);
      }
      if (granted.length === 0) continue;
      const grants = verb === '*' ? `"*", which includes ${granted.join(' and ')}` : granted[0]!;
      out.push({
        path: `/rules/${i}/verbs/${j}`,
        data: { rule: i, verb, grants, effect: effects.join('; ') },
      });
    }
  }
  return out;
};

const SECRET: readonly ApiResource[] = [{ group: '', resource: 'secrets' }];
const READ_VERBS = ['get', 'list', 'watch'] as const;

/**
 * no-rbac-secret-read: get/list/watch (or "*") on secrets, on the resources item that grants them.
 * A rule narrowed by resourceNames reads only the named Secrets and is not reported unless the
 * `includeResourceNames` option is set.
 */
const noRbacSecretRead: RuleFunction = (ctx) => {
  const includeNamed = ctx.options.includeResourceNames === true;
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule) || (!includeNamed && hasNames(rule))) continue;
    const verbs = grantedVerbs(rule, READ_VERBS);
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, SECRET)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
};

const EXEC_ATTACH: readonly ApiResource[] = [
  { group: '', resource: 'pods/exec' },
  { group: '', resource: 'pods/attach' },
];

/**
 * no-rbac-pod-exec: pods/exec or pods/attach with create (what kubectl uses) or get (enough for
 * WebSocket clients on API servers that authorize the upgrade as a GET). resourceNames does not
 * make it safe: exec into any one pod runs commands with that pod's identity and mounts.
 */
const noRbacPodExec: RuleFunction = (ctx) => {
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = grantedVerbs(rule, ['create', 'get']);
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, EXEC_ATTACH)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
};

const WORKLOADS: readonly ApiResource[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];

/**
 * no-rbac-pod-create: create (or the configured verbs) on pods or a workload resource. A rule with
 * resourceNames cannot grant create (the new object's name is not known at authorization time).
 */
const noRbacPodCreate: RuleFunction = (ctx) => {
  const wanted = Array.isArray(ctx.options.verbs)
    ? (ctx.options.verbs as unknown[]).filter((v): v is string => typeof v === 'string')
    : ['create'];
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    let verbs = grantedVerbs(rule, wanted);
    if (hasNames(rule)) verbs = verbs.filter((v) => v !== 'create');
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, WORKLOADS)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
};

const NODE_PROXY: readonly ApiResource[] = [{ group: '', resource: 'nodes/proxy' }];
// The kubelet maps HTTP methods to these verbs; get alone reaches /exec over WebSocket.
const NODE_PROXY_VERBS = ['get', 'create', 'update', 'patch', 'delete'] as const;

/** no-rbac-node-proxy: any kubelet-API verb on nodes/proxy; resourceNames (named nodes) still fires. */
const noRbacNodeProxy: RuleFunction = (ctx) => {
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = grantedVerbs(rule, NODE_PROXY_VERBS);
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, NODE_PROXY)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
};

function roleRefText(object: KubeObject): string {
  const ref = objAt(object, 'roleRef');
  return `${str(ref?.kind) ?? 'role'} ${str(ref?.name) ?? '(unnamed)'}`;
}

/**
 * no-default-service-account-binding: a subject that is a namespace's `default` ServiceAccount, or
 * the group of every ServiceAccount of one namespace (which includes `default`).
 */
const noDefaultServiceAccountBinding: RuleFunction = (ctx) => {
  const subjects = list(ctx.object.subjects);
  const out: CheckResult[] = [];
  const role = roleRefText(ctx.object);
  for (let j = 0; j < subjects.length; j++) {
    const s = subjects[j];
    if (!isObj(s)) continue;
    const name = str(s.name);
    if (s.kind === 'ServiceAccount' && name === 'default') {
      const ns = str(s.namespace) || nsOf(ctx.object) || 'default';
      out.push({
        path: `/subjects/${j}/name`,
        data: { role, subject: `the default ServiceAccount of namespace ${ns}` },
      });
    } else if (s.kind === 'Group' && name?.startsWith('system:serviceaccounts:')) {
      const ns = name.slice('system:serviceaccounts:'.length);
      out.push({
        path: `/subjects/${j}/name`,
        data: { role, subject: `every ServiceAccount of namespace ${ns}, default included` },
      });
    }
  }
  return out;
};

const BROAD_SUBJECTS: Record<string, { kind: string; who: string }> = {
  'system:anonymous': { kind: 'User', who: 'anonymous requests' },
  'system:unauthenticated': { kind: 'Group', who: 'every unauthenticated request' },
  'system:authenticated': { kind: 'Group', who: 'every authenticated user and ServiceAccount' },
  'system:serviceaccounts': { kind: 'Group', who: 'every ServiceAccount of every namespace' },
};

/** no-rbac-broad-subject: bindings to anonymous, unauthenticated, all authenticated or all ServiceAccounts. */
const noRbacBroadSubject: RuleFunction = (ctx) => {
  const subjects = list(ctx.object.subjects);
  const out: CheckResult[] = [];
  for (let j = 0; j < subjects.length; j++) {
    const s = subjects[j];
    if (!isObj(s)) continue;
    const name = str(s.name);
    const broad =
      name !== undefined && Object.hasOwn(BROAD_SUBJECTS, name) ? BROAD_SUBJECTS[name] : undefined;
    if (!broad || s.kind !== broad.kind) continue;
    out.push({
      path: `/subjects/${j}/name`,
      data: { role: roleRefText(ctx.object), subject: name!, who: broad.who },
    });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// Reliability helpers: the run's autoscalers, disruption budgets and workloads, indexed once
// ---------------------------------------------------------------------------------------------

interface Entry {
  ns: string;
  object: KubeObject;
  /** Pod labels (workloads) or selector (PDBs), read once. */
  labels?: Obj;
  selector?: unknown;
}

/** The objects of one namespace, also indexed by label pair ("key=value"). */
interface Bucket {
  all: Entry[];
  /** Workloads: under each pod label pair. PDBs: under the first pair of matchLabels. */
  byPair: Map<string, Entry[]>;
  /** PDBs without matchLabels (matchExpressions only, or an empty selector). */
  rest: Entry[];
}

interface SetIndex {
  /** HorizontalPodAutoscalers by `${targetKind}/${targetName}`. */
  hpas: Map<string, Entry[]>;
  /** PodDisruptionBudgets by namespace ('' = no namespace written). */
  pdbs: Map<string, Bucket>;
  /** Pod-bearing objects by namespace, for the PDB rules. */
  workloads: Map<string, Bucket>;
}

const INDEX_KEY = 'require-pod-disruption-budget/index';
const POD_OWNERS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'DaemonSet',
  'Job',
  'CronJob',
]);

function push<K>(map: Map<K, Entry[]>, key: K, e: Entry): void {
  const l = map.get(key);
  if (l) l.push(e);
  else map.set(key, [e]);
}

function bucket(map: Map<string, Bucket>, ns: string): Bucket {
  let b = map.get(ns);
  if (!b) map.set(ns, (b = { all: [], byPair: new Map(), rest: [] }));
  return b;
}

/** The first `key=value` of a selector's matchLabels, if it has any. */
function firstPair(selector: unknown): string | undefined {
  const ml = objAt(selector, 'matchLabels');
  if (!ml) return undefined;
  for (const k of Object.keys(ml)) return `${k}=${String(ml[k])}`;
  return undefined;
}

/** Build (once per run) the index the set-scoped reliability rules share. */
function setIndex(ctx: CheckContext): SetIndex {
  let idx = ctx.env.memo.get(INDEX_KEY) as SetIndex | undefined;
  if (idx) return idx;
  idx = { hpas: new Map(), pdbs: new Map(), workloads: new Map() };
  for (const r of ctx.env.resources) {
    const o = r.object;
    const kind = o.kind;
    if (kind === 'HorizontalPodAutoscaler') {
      const ref = objAt(objAt(o, 'spec'), 'scaleTargetRef');
      const k = str(ref?.kind);
      const n = str(ref?.name);
      if (k && n) push(idx.hpas, `${k}/${n}`, { ns: nsOf(o), object: o });
    } else if (kind === 'PodDisruptionBudget') {
      const selector = objAt(o, 'spec')?.selector;
      const e: Entry = { ns: nsOf(o), object: o, selector };
      const b = bucket(idx.pdbs, e.ns);
      b.all.push(e);
      const pair = firstPair(selector);
      if (pair === undefined) b.rest.push(e);
      else push(b.byPair, pair, e);
    } else if (typeof kind === 'string' && POD_OWNERS.has(kind)) {
      const labels = podLabels(o);
      const e: Entry = { ns: nsOf(o), object: o, labels };
      const b = bucket(idx.workloads, e.ns);
      b.all.push(e);
      if (labels) for (const k of Object.keys(labels)) push(b.byPair, `${k}=${String(labels[k])}`, e);
    }
  }
  ctx.env.memo.set(INDEX_KEY, idx);
  return idx;
}

/**
 * The buckets an object of namespace `ns` can meet. A manifest without metadata.namespace lands
 * wherever it is applied, so it is taken to share the namespace of whatever it is compared with.
 */
function bucketsFor(map: Map<string, Bucket>, ns: string): Bucket[] {
  if (ns === '') return [...map.values()];
  const out: Bucket[] = [];
  const here = map.get(ns);
  if (here) out.push(here);
  const floating = map.get('');
  if (floating) out.push(floating);
  return out;
}

/** Is some PodDisruptionBudget of the run selecting pods with these labels in this namespace? */
function hasPdbFor(ctx: CheckContext, ns: string, labels: Obj | undefined): boolean {
  for (const b of bucketsFor(setIndex(ctx).pdbs, ns)) {
    if (labels) {
      for (const k of Object.keys(labels)) {
        const hits = b.byPair.get(`${k}=${String(labels[k])}`);
        if (hits) for (const e of hits) if (selectorMatches(e.selector, labels)) return true;
      }
    }
    for (const e of b.rest) if (selectorMatches(e.selector, labels)) return true;
  }
  return false;
}

/** The workloads of the run whose pods a PodDisruptionBudget's selector matches. */
function workloadsSelectedBy(ctx: CheckContext, ns: string, selector: unknown): Entry[] {
  const out: Entry[] = [];
  if (!isObj(selector)) return out;
  const pair = firstPair(selector);
  for (const b of bucketsFor(setIndex(ctx).workloads, ns)) {
    const candidates = pair === undefined ? b.all : b.byPair.get(pair);
    if (candidates) for (const e of candidates) if (selectorMatches(selector, e.labels)) out.push(e);
  }
  return out;
}

/** The HorizontalPodAutoscaler of the run that scales this object, if any. */
function hpaFor(ctx: CheckContext, object: KubeObject): KubeObject | undefined {
  const idx = setIndex(ctx);
  const candidates = idx.hpas.get(`${String(object.kind)}/${nameOf(object)}`);
  if (!candidates) return undefined;
  const ns = nsOf(object);
  return candidates.find((e) => e.ns === ns || e.ns === '' || ns === '')?.object;
}

interface ReplicaRange {
  /** Fewest replicas the object runs with (spec.replicas, or the HPA's minReplicas). */
  min: number;
  /** Most replicas (spec.replicas, or the HPA's maxReplicas). */
  max: number;
  hpa?: KubeObject;
}

/** spec.replicas (unset means 1), or the range an HPA of the run scales it within. */
function replicaRange(ctx: CheckContext, object: KubeObject): ReplicaRange {
  const hpa = hpaFor(ctx, object);
  if (hpa) {
    const spec = objAt(hpa, 'spec');
    const min = int(spec?.minReplicas) ?? 1;
    return { min, max: Math.max(min, int(spec?.maxReplicas) ?? min), hpa };
  }
  const r = int(objAt(object, 'spec')?.replicas) ?? 1;
  return { min: r, max: r };
}

const describeRange = (r: ReplicaRange): string =>
  r.hpa ? `${r.min} to ${r.max} replicas (HorizontalPodAutoscaler ${nameOf(r.hpa)})` : `${r.max} replicas`;

/** Labels of the pods an object creates. */
function podLabels(object: KubeObject): Obj | undefined {
  switch (object.kind) {
    case 'Pod':
      return objAt(objAt(object, 'metadata'), 'labels') ?? {};
    case 'CronJob':
      return objAt(
        objAt(objAt(objAt(objAt(objAt(object, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'metadata'),
        'labels',
      );
    default:
      return objAt(objAt(objAt(objAt(object, 'spec'), 'template'), 'metadata'), 'labels');
  }
}

/** metav1.LabelSelector semantics; an empty selector matches everything, a missing one nothing. */
export function selectorMatches(selector: unknown, labels: Obj | undefined): boolean {
  if (!isObj(selector)) return false;
  const l = labels ?? {};
  const ml = selector.matchLabels;
  if (isObj(ml)) for (const k of Object.keys(ml)) if (l[k] !== ml[k]) return false;
  for (const e of list(selector.matchExpressions)) {
    if (!isObj(e)) return false;
    const key = str(e.key);
    if (key === undefined) return false;
    const present = Object.prototype.hasOwnProperty.call(l, key);
    const values = list(e.values);
    switch (e.operator) {
      case 'In':
        if (!present || !values.includes(l[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(l[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** "25%" → 25; anything else → undefined. */
function percent(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

const isZero = (v: unknown): boolean => v === 0 || percent(v) === 0;

/**
 * The patch op that sets a number field: `replace` keeps an existing number's node (and its
 * comment); anything else, a quoted percentage included, is written anew with `add`.
 */
const setOp = (current: unknown): 'add' | 'replace' => (typeof current === 'number' ? 'replace' : 'add');

// ---------------------------------------------------------------------------------------------
// Reliability rules
// ---------------------------------------------------------------------------------------------

/**
 * require-multiple-replicas: Deployments/StatefulSets below `minReplicas` (unset means 1). An
 * object scaled by an HPA of the run is left to require-hpa-min-replicas; replicas: 0 is a
 * deliberate scale-down and is not reported.
 */
const requireMultipleReplicas: RuleFunction = (ctx) => {
  const min = numberOption(ctx, 'minReplicas', 2);
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const replicas = spec.replicas;
  if (replicas === 0) return [];
  const r = int(replicas) ?? 1;
  if (r >= min || hpaFor(ctx, ctx.object)) return [];
  const fix: { safety: 'safe' | 'unsafe'; patch: JsonPatchOp[] } = {
    safety: 'unsafe',
    patch: [{ op: setOp(replicas), path: '/spec/replicas', value: min }],
  };
  return [
    {
      path: replicas === undefined ? '/spec' : '/spec/replicas',
      data: {
        replicas:
          replicas === undefined ? '1 replica (replicas is unset)' : `${r} replica${r === 1 ? '' : 's'}`,
        min,
      },
      fix,
    },
  ];
};

/** require-pod-disruption-budget: multi-replica Deployment/StatefulSet whose pods no PDB selects. */
const requirePodDisruptionBudget: RuleFunction = (ctx) => {
  const min = numberOption(ctx, 'minReplicas', 2);
  const range = replicaRange(ctx, ctx.object);
  if (range.max < min) return [];
  if (hasPdbFor(ctx, nsOf(ctx.object), podLabels(ctx.object))) return [];
  const hasReplicas = int(objAt(ctx.object, 'spec')?.replicas) !== undefined;
  return [
    { path: hasReplicas ? '/spec/replicas' : '/metadata/name', data: { replicas: describeRange(range) } },
  ];
};

/** no-pdb-blocking-eviction: maxUnavailable 0 / "0%", or minAvailable of 100% or more. */
const noPdbBlockingEviction: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  if (spec.maxUnavailable !== undefined && isZero(spec.maxUnavailable)) {
    return [
      {
        path: '/spec/maxUnavailable',
        data: { field: 'maxUnavailable', value: shown(spec.maxUnavailable) },
        fix: {
          safety: 'unsafe',
          patch: [{ op: setOp(spec.maxUnavailable), path: '/spec/maxUnavailable', value: 1 }],
        },
      },
    ];
  }
  const p = percent(spec.minAvailable);
  if (p !== undefined && p >= 100) {
    return [
      {
        path: '/spec/minAvailable',
        data: { field: 'minAvailable', value: shown(spec.minAvailable) },
        fix: {
          safety: 'unsafe',
          patch: [
            { op: 'remove', path: '/spec/minAvailable' },
            { op: 'add', path: '/spec/maxUnavailable', value: 1 },
          ],
        },
      },
    ];
  }
  return [];
};

/**
 * no-pdb-covering-all-replicas: a minAvailable (number or percentage, rounded up as the disruption
 * controller does) that is at least the replicas of every workload of the run the PDB selects.
 * Skipped when a selected workload's size is unknown (DaemonSet, Job, CronJob) and for
 * percentages of 100% or more (no-pdb-blocking-eviction reports those).
 */
const noPdbCoveringAllReplicas: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  const minAvailable = spec?.minAvailable;
  if (!spec || minAvailable === undefined) return [];
  const pct = percent(minAvailable);
  const fixed = int(minAvailable);
  if (
    (pct === undefined && fixed === undefined) ||
    (pct !== undefined && pct >= 100) ||
    fixed === 0 ||
    pct === 0
  )
    return [];
  let total = 0;
  const names: string[] = [];
  for (const e of workloadsSelectedBy(ctx, nsOf(ctx.object), spec.selector)) {
    const o = e.object;
    switch (o.kind) {
      case 'Pod':
        total += 1;
        names.push(`Pod ${nameOf(o)}`);
        break;
      case 'Deployment':
      case 'StatefulSet':
      case 'ReplicaSet':
      case 'ReplicationController': {
        const r = replicaRange(ctx, o);
        total += r.min;
        const n = r.hpa
          ? `at least ${plural(r.min, 'replica')} (HorizontalPodAutoscaler ${nameOf(r.hpa)})`
          : plural(r.min, 'replica');
        names.push(`${String(o.kind)} ${nameOf(o)} with ${n}`);
        break;
      }
      default:
        return []; // DaemonSet, Job, CronJob: how many pods is not known from the manifest
    }
  }
  if (total === 0) return [];
  const required = fixed ?? Math.ceil((pct! * total) / 100);
  if (required < total) return [];
  return [
    {
      path: '/spec/minAvailable',
      data: { minAvailable: shown(minAvailable), pods: plural(total, 'pod'), workloads: names.join(', ') },
    },
  ];
};

function hasPodAntiAffinity(pod: Obj | undefined): boolean {
  const anti = objAt(objAt(pod, 'affinity'), 'podAntiAffinity');
  return (
    list(anti?.requiredDuringSchedulingIgnoredDuringExecution).length > 0 ||
    list(anti?.preferredDuringSchedulingIgnoredDuringExecution).length > 0
  );
}

/** require-pod-spreading: multi-replica Deployment/StatefulSet with neither pod anti-affinity nor topology spread. */
const requirePodSpreading: RuleFunction = (ctx) => {
  const min = numberOption(ctx, 'minReplicas', 2);
  const pod = objAt(objAt(objAt(ctx.object, 'spec'), 'template'), 'spec');
  if (!pod) return [];
  if (hasPodAntiAffinity(pod) || list(pod.topologySpreadConstraints).length > 0) return [];
  const range = replicaRange(ctx, ctx.object);
  if (range.max < min) return [];
  return [
    {
      path: isObj(pod.affinity) ? '/spec/template/spec/affinity' : '/spec/template/spec',
      data: { replicas: describeRange(range) },
    },
  ];
};

/**
 * no-invalid-rolling-update: rolling-update values the API server rejects, after defaulting
 * (Deployment: 25% / 25%; DaemonSet: maxUnavailable 1, maxSurge 0): both zero, or, for a
 * DaemonSet, both non-zero (a DaemonSet surges or takes pods down, not both).
 */
const noInvalidRollingUpdate: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const isDeployment = ctx.object.kind === 'Deployment';
  const field = isDeployment ? 'strategy' : 'updateStrategy';
  const strategy = objAt(spec, field);
  const type = strategy?.type;
  if (type !== undefined && type !== 'RollingUpdate') return [];
  const ru = objAt(strategy, 'rollingUpdate');
  const mu = ru?.maxUnavailable ?? (isDeployment ? '25%' : 1);
  const ms = ru?.maxSurge ?? (isDeployment ? '25%' : 0);
  const base = `/spec/${field}/rollingUpdate`;
  const muText = ru?.maxUnavailable === undefined ? `${shown(mu)} (the default)` : shown(mu);
  const msText = ru?.maxSurge === undefined ? `${shown(ms)} (the default)` : shown(ms);
  if (isZero(mu) && isZero(ms)) {
    return [
      {
        path: `${base}/maxUnavailable`,
        data: {
          problem: `sets maxUnavailable: ${muText} and maxSurge: ${msText}, so a rollout could never replace a pod`,
        },
        fix: {
          safety: 'unsafe',
          patch: [
            isDeployment
              ? { op: setOp(ru?.maxSurge), path: `${base}/maxSurge`, value: 1 }
              : { op: setOp(ru?.maxUnavailable), path: `${base}/maxUnavailable`, value: 1 },
          ],
        },
      },
    ];
  }
  if (!isDeployment && !isZero(mu) && !isZero(ms)) {
    return [
      {
        path: `${base}/maxSurge`,
        data: {
          problem: `sets maxSurge: ${msText} while maxUnavailable is ${muText}, and a DaemonSet may use only one of them`,
        },
        fix: {
          safety: 'unsafe',
          patch: [
            {
              op: setOp(ru?.maxUnavailable),
              path: `${base}/maxUnavailable`,
              value: 0,
            },
          ],
        },
      },
    ];
  }
  return [];
};

/**
 * no-disruptive-rollout: a multi-replica Deployment that rolls out with the Recreate strategy, or
 * whose maxUnavailable (percentages round down, as the controller does) lets every replica go.
 */
const noDisruptiveRollout: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const range = replicaRange(ctx, ctx.object);
  if (range.max < 2) return [];
  const strategy = objAt(spec, 'strategy');
  if (strategy?.type === 'Recreate') {
    return [
      {
        path: '/spec/strategy/type',
        data: { replicas: describeRange(range), how: 'uses the Recreate strategy' },
      },
    ];
  }
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') return [];
  const mu = objAt(strategy, 'rollingUpdate')?.maxUnavailable;
  if (mu === undefined) return [];
  const pct = percent(mu);
  const fixedMu = int(mu);
  const all =
    (pct !== undefined && pct >= 100) ||
    (pct !== undefined && range.min >= 2 && Math.floor((pct * range.min) / 100) >= range.min) ||
    (fixedMu !== undefined && range.min >= 2 && fixedMu >= range.min);
  if (!all) return [];
  return [
    {
      path: '/spec/strategy/rollingUpdate/maxUnavailable',
      data: { replicas: describeRange(range), how: `allows maxUnavailable: ${shown(mu)}` },
    },
  ];
};

/** require-hpa-min-replicas: minReplicas below the option (unset means 1; 0 is deliberate scale-to-zero). */
const requireHpaMinReplicas: RuleFunction = (ctx) => {
  const min = numberOption(ctx, 'minReplicas', 2);
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const m = spec.minReplicas;
  if (m === 0) return [];
  const eff = int(m) ?? 1;
  if (eff >= min) return [];
  const patch: JsonPatchOp[] = [{ op: setOp(m), path: '/spec/minReplicas', value: min }];
  const max = int(spec.maxReplicas);
  if (max !== undefined && max < min)
    patch.push({ op: setOp(spec.maxReplicas), path: '/spec/maxReplicas', value: min });
  return [
    {
      path: m === undefined ? '/spec' : '/spec/minReplicas',
      data: { current: m === undefined ? 'unset (1)' : String(eff), min },
      fix: { safety: 'unsafe', patch },
    },
  ];
};

/** require-job-backoff-limit: a Job (or a CronJob's jobTemplate) without backoffLimit or backoffLimitPerIndex. */
const requireJobBackoffLimit: RuleFunction = (ctx) => {
  const pointer = ctx.object.kind === 'CronJob' ? '/spec/jobTemplate/spec' : '/spec';
  const spec =
    ctx.object.kind === 'CronJob'
      ? objAt(objAt(objAt(ctx.object, 'spec'), 'jobTemplate'), 'spec')
      : objAt(ctx.object, 'spec');
  if (!spec) return [];
  if (spec.backoffLimit !== undefined || spec.backoffLimitPerIndex !== undefined) return [];
  return [{ path: pointer }];
};

export const functions: Record<string, RuleFunction> = {
  'no-rbac-wildcard': noRbacWildcard,
  'no-cluster-admin-binding': noClusterAdminBinding,
  'no-rbac-escalation-verbs': noRbacEscalationVerbs,
  'no-rbac-secret-read': noRbacSecretRead,
  'no-rbac-pod-exec': noRbacPodExec,
  'no-rbac-pod-create': noRbacPodCreate,
  'no-rbac-node-proxy': noRbacNodeProxy,
  'no-default-service-account-binding': noDefaultServiceAccountBinding,
  'no-rbac-broad-subject': noRbacBroadSubject,
  'require-multiple-replicas': requireMultipleReplicas,
  'require-pod-disruption-budget': requirePodDisruptionBudget,
  'no-pdb-blocking-eviction': noPdbBlockingEviction,
  'no-pdb-covering-all-replicas': noPdbCoveringAllReplicas,
  'require-pod-spreading': requirePodSpreading,
  'no-invalid-rolling-update': noInvalidRollingUpdate,
  'no-disruptive-rollout': noDisruptiveRollout,
  'require-hpa-min-replicas': requireHpaMinReplicas,
  'require-job-backoff-limit': requireJobBackoffLimit,
};
