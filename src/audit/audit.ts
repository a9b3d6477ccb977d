/**
 * `shipshape audit` without the CLI: read the live objects of a cluster and lint them with an opened
 * linter (the same rules, config, exemptions, schemas and cross-resource rules as `lint`). Objects
 * have no source text, so findings carry the resource (`kind/namespace/name`) and the JSON pointer,
 * and no `location`.
 */
import { lint } from '../engine/run.js';
import type { Finding, KubeObject, Resource } from '../engine/types.js';
import { isCrd, type Linter } from '../linter/linter.js';
import {
  discover,
  isControlled,
  listKind,
  qualified,
  selectKinds,
  type ApiKind,
  type KindSelection,
  type ListProblem,
} from './collect.js';
import type { Cluster } from './kube.js';

export interface AuditOptions extends Omit<KindSelection, 'allNamespaces'> {
  /** Namespace to audit (default: the context's); ignored with allNamespaces. */
  namespace?: string;
  allNamespaces: boolean;
  /** Also lint objects a controller manages (by default they are context only). */
  includeOwned?: boolean;
  /** Also lint the objects the API server creates and reconciles itself (see {@link isBootstrap}). */
  includeBootstrap?: boolean;
  /** Objects per list call (default 500). */
  pageSize?: number;
  /** Progress: the kind being listed, kinds done of the total, objects read so far. */
  onProgress?: (p: AuditProgress) => void;
}

export interface AuditProgress {
  phase: 'list' | 'lint';
  kind?: string;
  kindsDone: number;
  kinds: number;
  objects: number;
}

export interface AuditOutcome {
  findings: Finding[];
  /** Objects linted. */
  resources: number;
  /** Kinds listed. */
  kinds: ApiKind[];
  /** Kinds that could not be listed (forbidden), reported to the user; the others were audited. */
  problems: ListProblem[];
  /** The namespace audited, or undefined for all. */
  namespace: string | undefined;
  /** Namespaces the linted objects are in ('' for cluster-scoped objects). */
  namespaces: Set<string>;
  /** Objects left out because the API server owns them ({@link isBootstrap}); read as context. */
  bootstrap: number;
}

/**
 * Objects the API server itself creates at start-up and puts back on every restart, so that a
 * finding on them cannot be fixed by editing them: the bootstrap RBAC policy (label
 * `kubernetes.io/bootstrapping: rbac-defaults`: cluster-admin, system:* roles and bindings) and the
 * API Priority and Fairness defaults (annotation `apf.kubernetes.io/autoupdate-spec: "true"`).
 * See https://kubernetes.io/docs/reference/access-authn-authz/rbac/#auto-reconciliation and
 * https://kubernetes.io/docs/concepts/cluster-administration/flow-control/#defaults.
 */
export function isBootstrap(o: KubeObject): boolean {
  const meta = o.metadata as
    { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } | undefined;
  return (
    meta?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults' ||
    meta?.annotations?.['apf.kubernetes.io/autoupdate-spec'] === 'true'
  );
}

const labelOf = (f: Finding): string =>
  `${f.resource.kind}\u0000${f.resource.namespace ?? ''}\u0000${f.resource.name ?? ''}`;

/** Findings of a cluster in a stable order: resource, then pointer, then rule. */
export function compareAuditFindings(a: Finding, b: Finding): number {
  const la = labelOf(a);
  const lb = labelOf(b);
  if (la !== lb) return la < lb ? -1 : 1;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Read the selected kinds of the cluster and lint them. */
export async function auditCluster(
  linter: Linter,
  cluster: Cluster,
  opts: AuditOptions,
): Promise<AuditOutcome> {
  const namespace = opts.allNamespaces ? undefined : (opts.namespace ?? cluster.namespace);
  const all = await discover(cluster);
  const kinds = selectKinds(all, { ...opts, allNamespaces: opts.allNamespaces });
  const pageSize = opts.pageSize ?? 500;
  const linted: Resource[] = [];
  const context: Resource[] = [];
  const problems: ListProblem[] = [];
  const namespaces = new Set<string>();
  let bootstrap = 0;
  let done = 0;
  const progress = (kind?: string) =>
    opts.onProgress?.({ phase: 'list', kind, kindsDone: done, kinds: kinds.length, objects: linted.length });

  for (const k of kinds) {
    progress(qualified(k));
    const { objects, problem } = await listKind(cluster, k, {
      namespace,
      pageSize,
      onPage: () => progress(qualified(k)),
    });
    if (problem) problems.push(problem);
    for (const object of objects) {
      if (!opts.includeOwned && isControlled(object)) context.push({ object });
      else if (!opts.includeBootstrap && isBootstrap(object)) {
        context.push({ object });
        bootstrap++;
      } else {
        linted.push({ object });
        const meta = object.metadata as { namespace?: unknown } | undefined;
        namespaces.add(k.namespaced && typeof meta?.namespace === 'string' ? meta.namespace : '');
      }
    }
    done++;
  }

  // Not audited, but needed to judge what is: the cluster's CRDs (the schemas of its custom
  // resources) and, when bindings are audited without the roles they name (one namespace, or
  // --kinds), those roles. Read when the user may; without them, references are judged against
  // what was read.
  const listed = new Set(kinds.map(qualified));
  const rbac = (k: ApiKind, resource: string) =>
    k.group === 'rbac.authorization.k8s.io' && k.resource === resource;
  const auditsBindings = kinds.some((k) => rbac(k, 'rolebindings') || rbac(k, 'clusterrolebindings'));
  const extra = all.filter(
    (k) =>
      !listed.has(qualified(k)) &&
      ((k.resource === 'customresourcedefinitions' && k.group === 'apiextensions.k8s.io') ||
        (auditsBindings && rbac(k, 'clusterroles')) ||
        (kinds.some((b) => rbac(b, 'rolebindings')) && rbac(k, 'roles'))),
  );
  for (const k of extra) {
    const { objects } = await listKind(cluster, k, { namespace, pageSize });
    for (const object of objects) context.push({ object });
  }

  opts.onProgress?.({ phase: 'lint', kindsDone: done, kinds: kinds.length, objects: linted.length });
  linter.registerCrds([...linted, ...context].filter(isCrd));
  await linter.loadSchemas(linted);
  const findings = lint(linted, {
    rules: linter.rules,
    schemas: linter.registry,
    strict: linter.config.strict,
    ignoreMissingSchemas: linter.config.ignoreMissingSchemas,
    context,
    // Config exemptions and the objects' own suppression annotations (no comments: there is no text).
    suppress: linter.suppressor().hook,
  }).sort(compareAuditFindings);
  return { findings, resources: linted.length, kinds, problems, namespace, namespaces, bootstrap };
}
