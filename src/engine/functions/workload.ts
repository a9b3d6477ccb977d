/**
 * Check functions for the workload rules: images, resources, probes and the root filesystem
 * (rule files in rules/{security,reliability,efficiency}/, docs in docs/rules).
 *
 * Every function here runs with `target: container`, once per container of every pod-bearing
 * resource, so they read fields directly and allocate only when they report.
 */
import { escapeSegment, podSpecOf } from '../kinds.js';
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';
import type { KubeObject, Resource } from '../types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NONE: CheckResult[] = [];

// ---------------------------------------------------------------------------------------------
// Quantities

const BINARY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i)|([numkMGTPE]?)|[eE]([+-]?\d+))$/;

/**
 * Parse a Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1G`, `1e3`, or a YAML number)
 * into a plain number (cores, bytes, units). Returns undefined for anything the API server would
 * reject. Decimal forms go through `Number("<digits>e<exp>")`, which rounds correctly, so two
 * spellings of the same amount (`100m` and `0.1`) yield the very same double and compare equal.
 */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v);
  if (!m) return undefined;
  const digits = m[1]!;
  if (m[2] !== undefined) return Number(digits) * BINARY_SUFFIX[m[2]]!;
  const exp = m[4] !== undefined ? Number(m[4]) : DECIMAL_EXPONENT[m[3] ?? '']!;
  const n = Number(`${digits}e${exp}`);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Image references

/** A parsed image reference; `name` is the fully-qualified repository (`docker.io/library/nginx`). */
export interface ImageRef {
  /** Registry host (with port), lower case; `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry (`library/nginx` for `nginx`). */
  repository: string;
  /** `registry/repository`. */
  name: string;
  /** The tag, when one is written (an empty tag after `:` counts as none). */
  tag?: string;
  /** The digest after `@` (`sha256:…`), when one is written. */
  digest?: string;
}

/** Whether the first path segment of a reference names a registry host (the distribution rule). */
function isHost(segment: string): boolean {
  return (
    segment.includes('.') ||
    segment.includes(':') ||
    segment === 'localhost' ||
    segment !== segment.toLowerCase()
  );
}

function normalizeHost(host: string): string {
  const h = host.toLowerCase();
  return h === 'index.docker.io' ? 'docker.io' : h;
}

/**
 * Parse an image reference the way container runtimes do: `[host[:port]/]path[:tag][@digest]`.
 * The first segment is a host only when it contains `.` or `:`, is `localhost`, or has upper-case
 * letters; otherwise the image is on Docker Hub, and single-segment names are `library/` images.
 * A `:` before the last `/` belongs to a host port (`registry:5000/app` has no tag).
 */
export function parseImageRef(image: string): ImageRef | undefined {
  if (image === '' || image.trim() !== image) return undefined;
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  let tag: string | undefined;
  let path = named;
  if (colon > slash) {
    tag = named.slice(colon + 1);
    path = named.slice(0, colon);
  }
  if (path === '') return undefined;
  const first = path.indexOf('/');
  let registry = 'docker.io';
  let repository = path;
  if (first >= 0 && isHost(path.slice(0, first))) {
    registry = normalizeHost(path.slice(0, first));
    repository = path.slice(first + 1);
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const ref: ImageRef = { registry, repository, name: `${registry}/${repository}` };
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

/** An image whose content may change under the same reference: `:latest`, or no tag and no digest. */
const isMutable = (ref: ImageRef): boolean =>
  ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest');

/**
 * Normalise an allowed-registry prefix for comparison with {@link ImageRef.name}: lower-case host,
 * `index.docker.io` → `docker.io`, no trailing `/`; a prefix whose first segment is not a host is a
 * Docker Hub path (`bitnami` → `docker.io/bitnami`).
 */
export function normalizeRegistryPrefix(prefix: string): string {
  let p = prefix.trim();
  while (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') return '';
  const slash = p.indexOf('/');
  const head = slash >= 0 ? p.slice(0, slash) : p;
  if (isHost(head)) return normalizeHost(head) + (slash >= 0 ? p.slice(slash) : '');
  return `docker.io/${p}`;
}

/** Whether a fully-qualified image name lies under a normalised prefix (segment-wise, not by characters). */
export function underPrefix(name: string, prefix: string): boolean {
  return name === prefix || (name.startsWith(prefix) && name.charCodeAt(prefix.length) === 47); /* / */
}

/** Parsed references by image string: manifests repeat a handful of images, and five rules read them. */
const refCache = new Map<string, ImageRef | null>();
const REF_CACHE_MAX = 4096;

/** The container's image as a parsed reference, or undefined when absent or unparsable. */
function imageOf(ctx: CheckContext): { image: string; ref: ImageRef } | undefined {
  const image = (ctx.target as Obj).image;
  if (typeof image !== 'string') return undefined;
  let ref = refCache.get(image);
  if (ref === undefined) {
    if (refCache.size >= REF_CACHE_MAX) refCache.clear();
    ref = parseImageRef(image) ?? null;
    refCache.set(image, ref);
  }
  return ref ? { image, ref } : undefined;
}

const noLatestImageTag: RuleFunction = (ctx) => {
  const img = imageOf(ctx);
  if (!img || img.ref.tag !== 'latest' || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
};

const requireImageTag: RuleFunction = (ctx) => {
  const img = imageOf(ctx);
  if (!img || img.ref.tag !== undefined || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
};

const requireImageDigest: RuleFunction = (ctx) => {
  const img = imageOf(ctx);
  if (!img || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
};

const noStaleImagePullPolicy: RuleFunction = (ctx) => {
  const c = ctx.target as Obj;
  const policy = c.imagePullPolicy;
  if (policy !== 'IfNotPresent' && policy !== 'Never') return NONE;
  const img = imageOf(ctx);
  if (!img) return NONE;
  if (isMutable(img.ref)) {
    return [
      {
        path: '/imagePullPolicy',
        data: {
          image: img.image,
          policy,
          reason:
            policy === 'Never'
              ? 'nodes run whatever copy of this mutable reference was loaded on them, and pods fail where there is none'
              : 'nodes keep running whatever image they pulled first under this mutable reference',
        },
      },
    ];
  }
  if (policy === 'Never' && ctx.options.allowNever !== true) {
    return [
      {
        path: '/imagePullPolicy',
        data: {
          image: img.image,
          policy,
          reason: 'the pod starts only on nodes where the image was loaded beforehand',
        },
        fix: {
          safety: 'unsafe',
          patch: [{ op: 'replace', path: '/imagePullPolicy', value: 'IfNotPresent' }],
        },
      },
    ];
  }
  return NONE;
};

const prefixCache = new WeakMap<object, string[]>();

const requireAllowedImageRegistry: RuleFunction = (ctx) => {
  const img = imageOf(ctx);
  if (!img) return NONE;
  let prefixes = prefixCache.get(ctx.options);
  if (!prefixes) {
    const raw = Array.isArray(ctx.options.registries) ? ctx.options.registries : [];
    prefixes = raw
      .filter((p): p is string => typeof p === 'string')
      .map(normalizeRegistryPrefix)
      .filter((p) => p !== '');
    prefixCache.set(ctx.options, prefixes);
  }
  for (const p of prefixes) if (underPrefix(img.ref.name, p)) return NONE;
  return [
    {
      path: '/image',
      data: {
        image: img.image,
        registry: img.ref.registry,
        allowed: prefixes.length ? prefixes.join(', ') : '(none configured)',
      },
    },
  ];
};

// ---------------------------------------------------------------------------------------------
// Resources

/** Containers that may carry `resources`, probes and ports (ephemeral containers may not). */
const mayHaveResources = (ctx: CheckContext): boolean => ctx.container?.list !== 'ephemeralContainers';

interface LimitRangeDefaults {
  /** Resource names a LimitRange defaults the request of, per namespace. */
  requests: Set<string>;
  /** Resource names a LimitRange defaults the limit of, per namespace. */
  limits: Set<string>;
}

const LIMIT_RANGE_MEMO = 'workload:limit-range-defaults';

const namespaceOf = (o: KubeObject): string => {
  const ns = (o.metadata as { namespace?: unknown } | undefined)?.namespace;
  return typeof ns === 'string' ? ns : '';
};

/**
 * Per namespace, the container resources that LimitRanges in the run give defaults for, after the
 * API server's own defaulting of LimitRange items of type Container: a missing `default` comes
 * from `max`, a missing `defaultRequest` from `default` (hence also `max`) or else `min`.
 */
export function limitRangeDefaults(resources: readonly Resource[]): Map<string, LimitRangeDefaults> {
  const out = new Map<string, LimitRangeDefaults>();
  for (const r of resources) {
    const o = r.object;
    if (o.kind !== 'LimitRange') continue;
    const items = (o.spec as { limits?: unknown } | undefined)?.limits;
    if (!Array.isArray(items)) continue;
    const ns = namespaceOf(o);
    let entry = out.get(ns);
    if (!entry) out.set(ns, (entry = { requests: new Set(), limits: new Set() }));
    for (const item of items) {
      if (!isObj(item) || item.type !== 'Container') continue;
      for (const key of ['default', 'max'] as const) {
        const m = item[key];
        if (isObj(m)) for (const res of Object.keys(m)) entry.limits.add(res);
      }
      for (const key of ['defaultRequest', 'default', 'max', 'min'] as const) {
        const m = item[key];
        if (isObj(m)) for (const res of Object.keys(m)) entry.requests.add(res);
      }
    }
  }
  return out;
}

function limitRangeCovers(ctx: CheckContext, section: 'requests' | 'limits', resource: string): boolean {
  let index = ctx.env.memo.get(LIMIT_RANGE_MEMO) as Map<string, LimitRangeDefaults> | undefined;
  if (!index) {
    index = limitRangeDefaults(ctx.env.resources);
    ctx.env.memo.set(LIMIT_RANGE_MEMO, index);
  }
  return index.get(namespaceOf(ctx.object))?.[section].has(resource) ?? false;
}

const has = (m: unknown, key: string): boolean => isObj(m) && m[key] !== undefined && m[key] !== null;

/**
 * Require `resources.<section>.<resource>` on every container and init container. A request is
 * also satisfied by a limit (the API server copies a lone limit into the request), and either by
 * pod-level `spec.resources`; with `skipWhenLimitRangePresent`, by a LimitRange default in the
 * same namespace among the linted resources.
 */
function requireResource(section: 'requests' | 'limits', resource: string): RuleFunction {
  return (ctx) => {
    if (!mayHaveResources(ctx)) return NONE;
    const res = (ctx.target as Obj).resources;
    if (isObj(res) && (has(res[section], resource) || (section === 'requests' && has(res.limits, resource))))
      return NONE;
    const podRes = podSpecOf(ctx.object)?.spec.resources;
    if (
      isObj(podRes) &&
      (has(podRes[section], resource) || (section === 'requests' && has(podRes.limits, resource)))
    )
      return NONE;
    if (ctx.options.skipWhenLimitRangePresent === true && limitRangeCovers(ctx, section, resource))
      return NONE;
    const path = !isObj(res) ? '' : isObj(res[section]) ? `/resources/${section}` : '/resources';
    return [{ path, data: { resource } }];
  };
}

/** A quantity as written (only strings and numbers parse as quantities). */
const showQuantity = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

const noRequestAboveLimit: RuleFunction = (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const res = (ctx.target as Obj).resources;
  if (!isObj(res)) return NONE;
  const requests = res.requests;
  const limits = res.limits;
  if (!isObj(requests) || !isObj(limits)) return NONE;
  let out: CheckResult[] | undefined;
  for (const key of Object.keys(requests)) {
    const limit = limits[key];
    if (limit === undefined || limit === null) continue;
    const request = requests[key];
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r === undefined || l === undefined || r <= l) continue;
    (out ??= []).push({
      path: `/resources/requests/${escapeSegment(key)}`,
      data: { resource: key, request: showQuantity(request), limit: showQuantity(limit) },
    });
  }
  return out ?? NONE;
};

// ---------------------------------------------------------------------------------------------
// Probes

type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
const PROBES: readonly ProbeField[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * Whether the pod runs to completion (restartPolicy Never or OnFailure, as in Jobs): probes that
 * gate traffic or restart a hung process have no consumer there.
 */
function runsToCompletion(ctx: CheckContext): boolean {
  const policy = podSpecOf(ctx.object)?.spec.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

/**
 * Require a probe on each regular container of long-running pods. Init containers (including
 * restartable sidecars, where probes are optional) and ephemeral containers are skipped, and so
 * are run-to-completion pods (Jobs and CronJobs are excluded by the rules' `match` as well).
 */
function requireProbe(field: ProbeField): RuleFunction {
  return (ctx) => {
    if (ctx.container?.list !== 'containers') return NONE;
    const probe = (ctx.target as Obj)[field];
    if (probe !== undefined && probe !== null) return NONE;
    if (runsToCompletion(ctx)) return NONE;
    return [{ path: '' }];
  };
}

const PROBE_WORDS: Readonly<Record<ProbeField, string>> = {
  livenessProbe: 'liveness',
  readinessProbe: 'readiness',
  startupProbe: 'startup',
};

const noUndeclaredProbePort: RuleFunction = (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const c = ctx.target as Obj;
  let out: CheckResult[] | undefined;
  const ports = Array.isArray(c.ports) ? c.ports : undefined;
  for (const field of PROBES) {
    const probe = c[field];
    if (!isObj(probe)) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = probe[handler];
      if (!isObj(h)) continue;
      const port = h.port;
      let declared: boolean;
      if (typeof port === 'string') {
        // A named port resolves only through the container's own ports[].name.
        declared = ports?.some((p) => isObj(p) && p.name === port) ?? false;
      } else if (typeof port === 'number') {
        // Declaring ports is optional: numbers are checked only against a declared list.
        if (!ports || ports.length === 0) continue;
        declared = ports.some((p) => isObj(p) && p.containerPort === port);
      } else continue;
      if (declared) continue;
      (out ??= []).push({
        path: `/${field}/${handler}/port`,
        data: { probe: PROBE_WORDS[field], port: typeof port === 'string' ? `"${port}"` : port },
      });
    }
  }
  return out ?? NONE;
};

const PROBE_DEFAULTS: Readonly<Record<string, number>> = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

/** JSON with sorted keys, for comparing normalised probes. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined && v[k] !== null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A probe with the API server's defaults filled in (timing, httpGet path `/` and scheme HTTP),
 * named ports resolved to numbers where the container declares them, and the liveness-only
 * `terminationGracePeriodSeconds` left out.
 */
function normalizeProbe(probe: Obj, ports: unknown): string {
  const out: Obj = { ...PROBE_DEFAULTS };
  for (const k of Object.keys(probe)) if (k !== 'terminationGracePeriodSeconds') out[k] = probe[k];
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const h = probe[handler];
    if (!isObj(h)) continue;
    const n: Obj = { ...h };
    if (typeof n.port === 'string' && Array.isArray(ports)) {
      const named = ports.find((p) => isObj(p) && p.name === n.port) as Obj | undefined;
      if (named && typeof named.containerPort === 'number') n.port = named.containerPort;
    }
    if (handler === 'httpGet') {
      if (n.path === undefined || n.path === null || n.path === '') n.path = '/';
      if (n.scheme === undefined || n.scheme === null || n.scheme === '') n.scheme = 'HTTP';
    }
    out[handler] = n;
  }
  return canonical(out);
}

const noIdenticalLivenessReadinessProbes: RuleFunction = (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const c = ctx.target as Obj;
  const liveness = c.livenessProbe;
  const readiness = c.readinessProbe;
  if (!isObj(liveness) || !isObj(readiness)) return NONE;
  // Cheap exit first: most probe pairs already differ in their timing.
  for (const k in PROBE_DEFAULTS) {
    const d = PROBE_DEFAULTS[k];
    if ((liveness[k] ?? d) !== (readiness[k] ?? d)) return NONE;
  }
  return normalizeProbe(liveness, c.ports) === normalizeProbe(readiness, c.ports)
    ? [{ path: '/readinessProbe' }]
    : NONE;
};

// ---------------------------------------------------------------------------------------------
// Root filesystem

/** Require securityContext.readOnlyRootFilesystem: true (not settable on Windows pods, which are skipped). */
const requireReadOnlyRootFilesystem: RuleFunction = (ctx) => {
  const sc = (ctx.target as Obj).securityContext;
  if (isObj(sc) && sc.readOnlyRootFilesystem === true) return NONE;
  const os = podSpecOf(ctx.object)?.spec.os;
  if (isObj(os) && os.name === 'windows') return NONE;
  if (!isObj(sc)) return [{ path: '' }];
  return [
    {
      path:
        sc.readOnlyRootFilesystem === undefined || sc.readOnlyRootFilesystem === null
          ? '/securityContext'
          : '/securityContext/readOnlyRootFilesystem',
    },
  ];
};

export const functions: Record<string, RuleFunction> = {
  'no-latest-image-tag': noLatestImageTag,
  'require-image-tag': requireImageTag,
  'require-image-digest': requireImageDigest,
  'no-stale-image-pull-policy': noStaleImagePullPolicy,
  'require-allowed-image-registry': requireAllowedImageRegistry,
  'require-cpu-request': requireResource('requests', 'cpu'),
  'require-memory-request': requireResource('requests', 'memory'),
  'require-cpu-limit': requireResource('limits', 'cpu'),
  'require-memory-limit': requireResource('limits', 'memory'),
  'require-ephemeral-storage-request': requireResource('requests', 'ephemeral-storage'),
  'require-ephemeral-storage-limit': requireResource('limits', 'ephemeral-storage'),
  'no-request-above-limit': noRequestAboveLimit,
  'require-liveness-probe': requireProbe('livenessProbe'),
  'require-readiness-probe': requireProbe('readinessProbe'),
  'require-startup-probe': requireProbe('startupProbe'),
  'no-undeclared-probe-port': noUndeclaredProbePort,
  'no-identical-liveness-readiness-probes': noIdenticalLivenessReadinessProbes,
  'require-read-only-root-filesystem': requireReadOnlyRootFilesystem,
};
