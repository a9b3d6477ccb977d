/**
 * What the RBAC rules share. Matching follows the authorizer (k8s.io/kubernetes
 * plugin/pkg/auth/authorizer/rbac): a rule grants a request when its apiGroups hold the group or
 * "*", its resources hold the resource, "*", or "*\/<subresource>", and its verbs hold the verb or "*".
 *
 * Bindings are resolved to the roles of the run (indexed once per run): a RoleBinding's Role in its
 * namespace, a ClusterRole by name for either kind of binding, and an aggregated ClusterRole to the
 * rules of the ClusterRoles its clusterRoleSelectors pick, as the aggregation controller fills them.
 */
import { isObj, listOf, nameOf, namespaceOf, objAt, type Obj } from '../../engine/k8s/object.js';
import { labelSelector, labelText, matches } from '../../engine/k8s/selectors.js';
import type { CheckResult, EvalEnv } from '../../engine/rule.js';
import type { KubeObject, Resource } from '../../engine/types.js';

/** One resource a check is about, e.g. secrets in the core group or pods/exec. */
export interface ApiResource {
  group: string;
  resource: string;
}

const NO_RULES: readonly unknown[] = Object.freeze([]);

/**
 * The policy rules of a Role or ClusterRole. An aggregated ClusterRole (one with an
 * aggregationRule) has no rules of its own: the controller overwrites `rules` with the union of
 * the ClusterRoles its selectors pick, and those source roles are linted themselves.
 */
export function policyRules(object: KubeObject): readonly unknown[] {
  if (object.kind === 'ClusterRole' && isObj(object.aggregationRule)) return NO_RULES;
  return listOf(object.rules);
}

/** Is the rule narrowed to named objects (resourceNames)? */
export const hasNames = (rule: Obj): boolean => listOf(rule.resourceNames).length > 0;

export function groupGranted(rule: Obj, group: string): boolean {
  const groups = listOf(rule.apiGroups);
  return groups.includes(group) || groups.includes('*');
}

/** Does one `resources` item cover the resource (with its subresource, if any)? */
export function resourceItemCovers(item: string, resource: string): boolean {
  if (item === '*' || item === resource) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && item.length > 2 && item.startsWith('*/') && item.slice(1) === resource.slice(slash);
}

/** The verbs among `wanted` that a rule grants ("*" grants them all). */
export function grantedVerbs(rule: Obj, wanted: readonly string[]): string[] {
  const verbs = listOf(rule.verbs);
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
  const resources = listOf(rule.resources);
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

/** "secrets" or `"*" (which includes secrets)` for messages. */
function describeItem(item: string, covered: readonly ApiResource[]): string {
  const names = covered.map((c) => c.resource).join(', ');
  if (item === names) return item;
  return `"${item}" (which includes ${names})`;
}

/** "get, list" — or `"*" (get, list)` when a wildcard verb grants them. */
const verbText = (rule: Obj, verbs: readonly string[]): string =>
  listOf(rule.verbs).includes('*') ? `"*" (${verbs.join(', ')})` : verbs.join(', ');

/**
 * One finding per `resources` item of a Role's rules that grants `targets` with some verb:
 * `verbsOf(rule)` gives the verbs of interest a rule grants (none: the rule is skipped).
 */
export function grantsOn(
  object: KubeObject,
  targets: readonly ApiResource[],
  verbsOf: (rule: Obj) => string[],
): CheckResult[] {
  const rules = policyRules(object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = verbsOf(rule);
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, targets)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
}

/** `ClusterRole admin` — a binding's roleRef for messages. */
export function roleRefText(object: KubeObject): string {
  const ref = objAt(object, 'roleRef');
  const kind = ref?.kind;
  const name = ref?.name;
  return `${typeof kind === 'string' ? kind : 'role'} ${typeof name === 'string' ? name : '(unnamed)'}`;
}

// ---------------------------------------------------------------------------------------------
// Escalation verbs

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

/** The targets a rule covers (userextras/<scope> counts for userextras). */
function coversAny(rule: Obj, targets: readonly ApiResource[]): string[] {
  const hit: string[] = [];
  for (const t of targets) {
    if (!groupGranted(rule, t.group)) continue;
    for (const item of listOf(rule.resources)) {
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

/** One escalation verb of a rule: where it is written, what it grants and what that lets subjects do. */
export interface EscalationGrant {
  verbIndex: number;
  verb: string;
  /** `bind on clusterroles`, or `"*", which includes …` for a wildcard verb. */
  grants: string;
  effect: string;
}

/**
 * The escalate / bind / impersonate grants of one policy rule, one per verb item ("*" included).
 * `bind` narrowed by resourceNames (the pattern the Kubernetes docs recommend) is not one.
 */
export function escalationGrants(rule: Obj): EscalationGrant[] {
  const verbs = listOf(rule.verbs);
  const out: EscalationGrant[] = [];
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
    out.push({ verbIndex: j, verb, grants, effect: effects.join('; ') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Exec and attach

export const EXEC_ATTACH: readonly ApiResource[] = [
  { group: '', resource: 'pods/exec' },
  { group: '', resource: 'pods/attach' },
];

/** kubectl exec/attach use create; WebSocket clients were authorized with get. */
export const execVerbs = (rule: Obj): string[] => grantedVerbs(rule, ['create', 'get']);

/** `create, get on pods/exec, pods/attach` when the rule grants exec or attach, else undefined. */
export function execGrant(rule: Obj): string | undefined {
  const verbs = execVerbs(rule);
  if (verbs.length === 0) return undefined;
  const on = coveringItems(rule, EXEC_ATTACH).flatMap((h) => h.covered.map((c) => c.resource));
  if (on.length === 0) return undefined;
  return `${verbText(rule, verbs)} on ${[...new Set(on)].join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Everything: the grant of cluster-admin

/** Does the rule allow every verb on every resource of every API group, as cluster-admin does? */
export const grantsEverything = (rule: Obj): boolean =>
  listOf(rule.verbs).includes('*') &&
  listOf(rule.resources).includes('*') &&
  listOf(rule.apiGroups).includes('*') &&
  !hasNames(rule);

// ---------------------------------------------------------------------------------------------
// Bindings → roles, through the run's resources

/** One policy rule a binding grants, with the role it is written in. */
export interface BoundRule {
  rule: Obj;
  /** Index in the carrying role's `rules`. */
  index: number;
  /** The Role or ClusterRole that lists the rule (an aggregated role's source). */
  carrier: KubeObject;
}

interface RoleIndex {
  /** `Kind\0namespace\0name` (namespace '' for ClusterRoles) → the role. */
  roles: Map<string, KubeObject>;
  clusterRoles: KubeObject[];
  /** `key\0value` → ClusterRoles with that label (for aggregation selectors). */
  byLabel: Map<string, KubeObject[]>;
  /** Effective rules per role, computed on first use. */
  effective: Map<KubeObject, readonly BoundRule[]>;
}

const ROLE_INDEX_KEY = 'rbac:role-index';

const roleKey = (kind: string, namespace: string, name: string): string =>
  `${kind}\0${kind === 'ClusterRole' ? '' : namespace}\0${name}`;

function buildRoleIndex(resources: readonly Resource[]): RoleIndex {
  const index: RoleIndex = { roles: new Map(), clusterRoles: [], byLabel: new Map(), effective: new Map() };
  for (const { object } of resources) {
    const kind = object.kind;
    if (kind !== 'Role' && kind !== 'ClusterRole') continue;
    const name = nameOf(object);
    if (!name) continue;
    const k = roleKey(kind, namespaceOf(object) || 'default', name);
    if (!index.roles.has(k)) index.roles.set(k, object);
    if (kind !== 'ClusterRole') continue;
    index.clusterRoles.push(object);
    const labels = objAt(object.metadata, 'labels');
    for (const lk in labels) {
      const pk = `${lk}\0${labelText(labels[lk])}`;
      const posting = index.byLabel.get(pk);
      if (posting) posting.push(object);
      else index.byLabel.set(pk, [object]);
    }
  }
  return index;
}

function roleIndexOf(env: Pick<EvalEnv, 'memo' | 'resources'>): RoleIndex {
  let index = env.memo.get(ROLE_INDEX_KEY) as RoleIndex | undefined;
  if (!index) {
    index = buildRoleIndex(env.resources);
    env.memo.set(ROLE_INDEX_KEY, index);
  }
  return index;
}

/** The ClusterRoles of the set an aggregation selector picks (narrowed through an equality label). */
function selectedClusterRoles(index: RoleIndex, selector: Obj): KubeObject[] {
  const s = labelSelector(selector);
  if (s.invalid) return [];
  let candidates: readonly KubeObject[] = index.clusterRoles;
  for (const [k, v] of s.equal) {
    const posting = index.byLabel.get(`${k}\0${v}`);
    if (!posting) return [];
    if (posting.length < candidates.length) candidates = posting;
  }
  return candidates.filter((c) => matches(s, objAt(c.metadata, 'labels')));
}

/**
 * The rules a role grants: its own, or — for an aggregated ClusterRole — those of every ClusterRole
 * of the set its clusterRoleSelectors pick (transitively; each source once).
 */
function effectiveRules(index: RoleIndex, role: KubeObject, visiting: Set<KubeObject>): readonly BoundRule[] {
  const done = index.effective.get(role);
  if (done) return done;
  const out: BoundRule[] = [];
  const aggregation = role.kind === 'ClusterRole' ? objAt(role, 'aggregationRule') : undefined;
  if (aggregation) {
    visiting.add(role);
    const seen = new Set<KubeObject>();
    for (const sel of listOf(aggregation.clusterRoleSelectors)) {
      if (!isObj(sel)) continue;
      for (const source of selectedClusterRoles(index, sel)) {
        if (source === role || seen.has(source) || visiting.has(source)) continue;
        seen.add(source);
        out.push(...effectiveRules(index, source, visiting));
      }
    }
    visiting.delete(role);
  } else {
    const rules = listOf(role.rules);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (isObj(rule)) out.push({ rule, index: i, carrier: role });
    }
  }
  // Results computed while a cycle was open may be partial: only the outermost call is cached.
  if (visiting.size === 0) index.effective.set(role, out);
  return out;
}

/** The role a binding refers to, when it is among the run's resources. */
export function boundRole(
  env: Pick<EvalEnv, 'memo' | 'resources'>,
  binding: KubeObject,
): KubeObject | undefined {
  const ref = objAt(binding, 'roleRef');
  const kind = ref?.kind;
  const name = ref?.name;
  if (typeof name !== 'string' || (kind !== 'Role' && kind !== 'ClusterRole')) return undefined;
  if (binding.kind === 'ClusterRoleBinding' && kind === 'Role') return undefined;
  return roleIndexOf(env).roles.get(roleKey(kind, namespaceOf(binding) || 'default', name));
}

/** The policy rules a binding grants through the run's roles (empty when its role is not in the run). */
export function boundRules(
  env: Pick<EvalEnv, 'memo' | 'resources'>,
  binding: KubeObject,
): readonly BoundRule[] {
  const role = boundRole(env, binding);
  return role ? effectiveRules(roleIndexOf(env), role, new Set()) : [];
}

const roleText = (role: KubeObject): string => `${String(role.kind)} ${nameOf(role) ?? '(unnamed)'}`;

/** `Role debugger rule 0`, or `ClusterRole ops (aggregating ClusterRole ops-exec) rule 1`. */
export function carrierText(bound: KubeObject, r: BoundRule): string {
  if (r.carrier === bound) return `${roleText(bound)} rule ${r.index}`;
  return `${roleText(bound)} (aggregating ${roleText(r.carrier)}) rule ${r.index}`;
}
