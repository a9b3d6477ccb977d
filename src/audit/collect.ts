/**
 * Which objects an audit reads, and reading them: API discovery (each group's preferred version),
 * the kinds selected by --kinds / --exclude-kinds, and paginated list calls (`limit` / `continue`),
 * so that memory holds one page of raw JSON at a time plus the cleaned objects. A kind whose list is
 * forbidden is reported and skipped; the others are still read.
 */
import type { KubeObject } from '../engine/types.js';
import { cleanLiveObject } from './clean.js';
import { ClusterError, HttpError, type Cluster } from './kube.js';

/** One listable resource type of the cluster. */
export interface ApiKind {
  /** `apps/v1`, `v1`. */
  apiVersion: string;
  /** '' for the core group. */
  group: string;
  kind: string;
  /** Plural resource name: `deployments`. */
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

interface DiscoveryList {
  groupVersion?: string;
  resources?: Array<{
    name: string;
    singularName?: string;
    kind: string;
    namespaced: boolean;
    verbs?: string[];
    shortNames?: string[];
  }>;
}

interface GroupList {
  groups?: Array<{
    name: string;
    preferredVersion?: { groupVersion: string };
    versions?: Array<{ groupVersion: string }>;
  }>;
}

/**
 * Kinds left out unless named with --kinds: records of what happened rather than what was declared
 * (events, leases, endpoints), and policy reports (an audit's own output).
 */
export const DEFAULT_EXCLUDED = new Set([
  'events',
  'events.events.k8s.io',
  'leases.coordination.k8s.io',
  'endpoints',
  'endpointslices.discovery.k8s.io',
  'componentstatuses',
  'policyreports.wgpolicyk8s.io',
  'clusterpolicyreports.wgpolicyk8s.io',
]);

/** `resource.group` (`deployments.apps`), or the bare resource for the core group. */
export const qualified = (k: ApiKind): string => (k.group ? `${k.resource}.${k.group}` : k.resource);

/** The listable kinds of the cluster, one version per group (the preferred one). */
export async function discover(cluster: Cluster): Promise<ApiKind[]> {
  const out: ApiKind[] = [];
  const add = (gv: string, list: DiscoveryList) => {
    const group = gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '';
    for (const r of list.resources ?? []) {
      if (r.name.includes('/') || !(r.verbs ?? []).includes('list')) continue;
      out.push({
        apiVersion: gv,
        group,
        kind: r.kind,
        resource: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        shortNames: r.shortNames ?? [],
        namespaced: r.namespaced,
      });
    }
  };
  add('v1', await cluster.get<DiscoveryList>('/api/v1'));
  const groups = await cluster.get<GroupList>('/apis');
  const versions = (groups.groups ?? [])
    .map((g) => g.preferredVersion?.groupVersion ?? g.versions?.[0]?.groupVersion)
    .filter((v): v is string => typeof v === 'string');
  const lists = await Promise.all(
    versions.map((gv) =>
      cluster.get<DiscoveryList>(`/apis/${gv}`).then(
        (l) => ({ gv, l }),
        // A group whose aggregated API server is down (metrics.k8s.io without metrics-server) is skipped.
        (err: unknown) => {
          if (err instanceof HttpError && err.status === 503) return undefined;
          throw err;
        },
      ),
    ),
  );
  for (const item of lists) if (item) add(item.gv, item.l);
  return out;
}

/** Whether a user's word (`Deployment`, `deploy`, `deployments.apps`, `Deployment.apps`) names the kind. */
export function matchesKind(k: ApiKind, word: string): boolean {
  const w = word.toLowerCase();
  const dot = w.indexOf('.');
  const name = dot === -1 ? w : w.slice(0, dot);
  const group = dot === -1 ? undefined : w.slice(dot + 1);
  if (group !== undefined && group !== k.group.toLowerCase()) return false;
  return (
    name === k.kind.toLowerCase() ||
    name === k.resource ||
    name === k.singular ||
    k.shortNames.some((s) => s.toLowerCase() === name)
  );
}

export interface KindSelection {
  /** --kinds: only these (words as {@link matchesKind} reads them). */
  include?: readonly string[];
  /** --exclude-kinds. */
  exclude?: readonly string[];
  includeSecrets: boolean;
  /** All namespaces (cluster-scoped kinds too), else only namespaced kinds of `namespace`. */
  allNamespaces: boolean;
}

/** The kinds to audit; a word of --kinds that names nothing, or Secrets without --include-secrets, is an error. */
export function selectKinds(kinds: readonly ApiKind[], sel: KindSelection): ApiKind[] {
  const isSecret = (k: ApiKind) => k.group === '' && k.resource === 'secrets';
  for (const word of sel.include ?? []) {
    const hits = kinds.filter((k) => matchesKind(k, word));
    if (hits.length === 0) throw new ClusterError(`--kinds: the cluster serves no kind "${word}"`);
    if (hits.some(isSecret) && !sel.includeSecrets)
      throw new ClusterError('--kinds names Secrets: add --include-secrets to read them');
  }
  for (const word of sel.exclude ?? [])
    if (!kinds.some((k) => matchesKind(k, word)))
      throw new ClusterError(`--exclude-kinds: the cluster serves no kind "${word}"`);
  return kinds.filter((k) => {
    if (isSecret(k) && !sel.includeSecrets) return false;
    if (sel.exclude?.some((w) => matchesKind(k, w))) return false;
    if (sel.include) return sel.include.some((w) => matchesKind(k, w));
    if (DEFAULT_EXCLUDED.has(qualified(k))) return false;
    return sel.allNamespaces || k.namespaced;
  });
}

/** A kind that could not be listed, and why (RBAC, most often). */
export interface ListProblem {
  kind: ApiKind;
  status: number;
  message: string;
}

export interface ListOptions {
  /** Namespace to list in; undefined lists across all namespaces. */
  namespace?: string;
  /** Objects per page (`limit`). */
  pageSize: number;
  /** Called after each page. */
  onPage?: (kind: ApiKind, objects: number) => void;
}

/** The list path of a kind, in a namespace or across all. */
export function listPath(k: ApiKind, namespace: string | undefined): string {
  const base = k.group ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return k.namespaced && namespace !== undefined
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.resource}`
    : `${base}/${k.resource}`;
}

interface ListPage {
  metadata?: { continue?: string };
  items?: KubeObject[];
}

/**
 * Every object of one kind, page by page, each cleaned (see cleanLiveObject) as its page arrives.
 * A 403 becomes a {@link ListProblem}; a 410 (the continue token expired mid-list) and other
 * failures are errors.
 */
export async function listKind(
  cluster: Cluster,
  k: ApiKind,
  opts: ListOptions,
): Promise<{ objects: KubeObject[]; problem?: ListProblem }> {
  const objects: KubeObject[] = [];
  const type = { apiVersion: k.apiVersion, kind: k.kind };
  let token: string | undefined;
  do {
    const query = `?limit=${opts.pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    let page: ListPage;
    try {
      page = await cluster.get<ListPage>(listPath(k, opts.namespace) + query);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 403 || err.status === 404))
        return { objects, problem: { kind: k, status: err.status, message: err.reason } };
      if (err instanceof HttpError && err.status === 410)
        throw new ClusterError(
          `listing ${qualified(k)}: the list changed too much while it was read (HTTP 410); run the audit again`,
        );
      throw err;
    }
    for (const item of page.items ?? []) objects.push(cleanLiveObject(item, type));
    opts.onPage?.(k, objects.length);
    token = page.metadata?.continue || undefined;
  } while (token);
  return { objects };
}

/** Whether an object is managed by a controller (a ReplicaSet's Pods, a Deployment's ReplicaSets). */
export function isControlled(o: KubeObject): boolean {
  const meta = o.metadata as { ownerReferences?: unknown } | undefined;
  const refs = meta?.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => (r as { controller?: unknown } | null)?.controller === true);
}
