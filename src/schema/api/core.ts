/**
 * The core ("" group) API: Pods and pod templates, Services, ConfigMaps, Secrets, volumes claims, …
 * `validatePodSpec` and `validatePodTemplateSpec` are shared with the workload groups. Rules and
 * messages follow kube-apiserver v1.37 (pkg/apis/core/validation), checked against a running one.
 */
import { compareMinor } from '../removed-apis.js';
import { Issues, arr, isObj, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import {
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  invalidIn,
  isConfigMapKey,
  addNamed,
  configMapKeyProblems,
  decodedQuantity,
  isPortNum,
  labelValueProblems,
  parseQuantity,
  portNameProblems,
  qualifiedNameProblems,
  validateLabelSelector,
  validateAnnotations,
  validateLabels,
} from './formats.js';
import { IP_MSG, legacyCIDRProblems, legacyIPProblems, reportAddress, strictAddresses } from './netaddr.js';

export interface PodSpecOptions {
  /** restartPolicy values the owning kind allows (Deployments: Always only). */
  restartPolicies?: readonly string[];
  /** Volume names mounts may also name (a StatefulSet's volumeClaimTemplates). */
  claimVolumes?: readonly string[];
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'] as const;
const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const OS_NAMES = ['linux', 'windows'] as const;
const NODE_SELECTOR_OPS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const INT32_MAX = 2147483647;

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const ENV_SOURCES = [
  'fieldRef',
  'resourceFieldRef',
  'configMapKeyRef',
  'secretKeyRef',
  'fileKeyRef',
] as const;

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);

const isHugePages = (n: string): boolean => n.startsWith('hugepages-');
const isNativeResource = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
const isExtendedResource = (n: string): boolean =>
  !isNativeResource(n) && !n.startsWith('requests.') && qualifiedNameProblems('requests.' + n).length === 0;
const isStandardResource = (n: string): boolean =>
  STANDARD_RESOURCES.has(n) ||
  isHugePages(n) ||
  n.startsWith('requests.hugepages-') ||
  n.startsWith('limits.hugepages-');

/** `fld[key]`: how the API server names a map entry in a message. */
const keyed = (path: Path, key: string): string => `${displayPathOf(path)}[${key}]`;
function displayPathOf(path: Path): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : '.' + s;
  return out;
}

const ENV_NAME_MSG =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";
const OLD_ENV_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

/** Env var names: printable ASCII but '=' from 1.32 (RelaxedEnvironmentVariableValidation), before that C-like. */
function envNameProblem(name: string, minor: string): string | undefined {
  if (compareMinor(minor, '1.32') < 0)
    return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) ? undefined : OLD_ENV_NAME_MSG;
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name) ? undefined : ENV_NAME_MSG;
}

function validateNonNegativeInt(value: unknown, path: Path, v: Issues): void {
  const n = num(value);
  if (n !== undefined && n < 0) v.invalid(path, n, 'must be greater than or equal to 0');
}

function validatePort(value: unknown, path: Path, v: Issues): void {
  if (typeof value === 'number' && !isPortNum(value))
    v.invalid(path, value, 'must be between 1 and 65535, inclusive');
  else if (typeof value === 'string') for (const p of portNameProblems(value)) v.invalid(path, value, p);
}

/** Exactly one of `handlers` set; `what` is the field that may hold them. */
function validateHandlers(h: Obj, path: Path, v: Issues, handlers: readonly string[]): void {
  const set = handlers.filter((k) => h[k] !== undefined && h[k] !== null);
  if (set.length === 0) v.required(path, 'must specify a handler type');
  for (const k of set.slice(1)) v.forbidden([...path, k], 'may not specify more than 1 handler type');
  const http = obj(h.httpGet);
  if (http) validatePort(http.port, [...path, 'httpGet', 'port'], v);
  const tcp = obj(h.tcpSocket);
  if (tcp) validatePort(tcp.port, [...path, 'tcpSocket', 'port'], v);
  const grpc = obj(h.grpc);
  if (grpc) validatePort(grpc.port, [...path, 'grpc', 'port'], v);
}

function validateProbe(probe: unknown, path: Path, v: Issues, mustSucceedOnce: boolean): void {
  const p = obj(probe);
  if (p === undefined) return;
  validateHandlers(p, path, v, PROBE_HANDLERS);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    validateNonNegativeInt(p[f], [...path, f], v);
  const st = num(p.successThreshold);
  if (mustSucceedOnce && st !== undefined && st !== 1)
    v.invalid([...path, 'successThreshold'], st, 'must be 1');
}

function validateResources(res: unknown, path: Path, v: Issues): void {
  const r = obj(res);
  if (r === undefined) return;
  const limits = obj(r.limits) ?? {};
  const requests = obj(r.requests) ?? {};
  for (const [which, m] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    const at = [...path, which];
    for (const [name, q] of Object.entries(m)) {
      const shown = keyed(at, name);
      for (const p of qualifiedNameProblems(name)) invalidIn(v, [...at, name], shown, name, p, 'key');
      if (!name.includes('/')) {
        if (!isStandardResource(name))
          invalidIn(
            v,
            [...at, name],
            shown,
            name,
            'must be a standard resource type or fully qualified',
            'key',
          );
        if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name))
          invalidIn(v, [...at, name], shown, name, 'must be a standard resource for containers', 'key');
      } else if (!isNativeResource(name) && !isExtendedResource(name))
        invalidIn(v, [...at, name], shown, name, "doesn't follow extended resource name standard", 'key');
      const n = parseQuantity(q);
      if (n !== undefined && n < 0)
        invalidIn(v, [...at, name], shown, String(q), 'must be greater than or equal to 0');
    }
  }
  const names = [...Object.keys(limits), ...Object.keys(requests)];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory'))
    v.forbidden(path, 'HugePages require cpu or memory');
  const reqShown = displayPathOf([...path, 'requests']);
  for (const [name, q] of Object.entries(requests)) {
    const req = decodedQuantity(q)?.value;
    const hasLimit = Object.prototype.hasOwnProperty.call(limits, name);
    const lim = hasLimit ? decodedQuantity(limits[name]) : undefined;
    const overcommit = isNativeResource(name) && !isHugePages(name);
    if (req !== undefined && lim !== undefined) {
      if (!overcommit && req !== lim.value)
        invalidIn(
          v,
          [...path, 'requests', name],
          reqShown,
          String(q),
          `must be equal to ${name} limit of ${lim.shown}`,
        );
      else if (req > lim.value)
        invalidIn(
          v,
          [...path, 'requests', name],
          reqShown,
          String(q),
          `must be less than or equal to ${name} limit of ${lim.shown}`,
        );
    } else if (!hasLimit && !overcommit && isExtendedResource(name))
      v.required([...path, 'limits'], 'Limit must be set for non overcommitable resources');
  }
}

const ENV_FIELD_PATHS = new Set([
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.labels',
  'metadata.annotations',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const ENV_RESOURCES = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
] as const;

/** Field paths the pod field-label conversion knows (labels and annotations may take a subscript). */
const isEnvFieldPath = (p: string): boolean =>
  ENV_FIELD_PATHS.has(p) || /^metadata\.(labels|annotations)\['[^']*'\]$/.test(p);

function validateEnv(env: unknown, path: Path, v: Issues): void {
  arr(env).forEach((e, i) => {
    if (!isObj(e)) return;
    const at = [...path, i];
    const name = str(e.name) ?? '';
    if (name === '') v.required([...at, 'name']);
    else {
      const p = envNameProblem(name, v.ctx.minor);
      if (p) v.invalid([...at, 'name'], name, p);
    }
    const from = obj(e.valueFrom);
    if (from === undefined) return;
    const fromAt = [...at, 'valueFrom'];
    const set = ENV_SOURCES.filter((k) => from[k] !== undefined && from[k] !== null);
    if (set.length === 0)
      v.invalid(
        fromAt,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`',
      );
    else if (set.length > 1) v.invalid(fromAt, '', 'may not have more than one field specified at a time');
    else if ((str(e.value) ?? '') !== '')
      v.invalid(fromAt, '', 'may not be specified when `value` is not empty');
    const fieldPath = str(obj(from.fieldRef)?.fieldPath);
    if (fieldPath !== undefined && !isEnvFieldPath(fieldPath))
      v.invalid(
        [...fromAt, 'fieldRef', 'fieldPath'],
        fieldPath,
        `error converting fieldPath: field label not supported: ${fieldPath}`,
      );
    const resource = str(obj(from.resourceFieldRef)?.resource);
    if (resource !== undefined && resource !== '' && !(ENV_RESOURCES as readonly string[]).includes(resource))
      v.notSupported([...fromAt, 'resourceFieldRef', 'resource'], resource, ENV_RESOURCES);
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const r = obj(from[ref]);
      if (r === undefined) continue;
      const n = str(r.name) ?? '';
      for (const p of dns1123SubdomainProblems(n)) v.invalid([...fromAt, ref, 'name'], n, p);
      const key = str(r.key);
      if (key === undefined || key === '') v.required([...fromAt, ref, 'key']);
      else if (!isConfigMapKey(key))
        v.invalid(
          [...fromAt, ref, 'key'],
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        );
    }
  });
}

function validateEnvFrom(envFrom: unknown, path: Path, v: Issues): void {
  arr(envFrom).forEach((e, i) => {
    if (!isObj(e)) return;
    const prefix = str(e.prefix);
    if (prefix !== undefined && prefix !== '') {
      const p = envNameProblem(prefix, v.ctx.minor);
      if (p) v.invalid([...path, i, 'prefix'], prefix, p);
    }
  });
}

interface ContainerContext {
  volumes: ReadonlySet<string>;
  hostNetwork: boolean;
  names: Set<string>;
}

function validateContainer(
  c: Obj,
  at: Path,
  v: Issues,
  ctx: ContainerContext,
  kind: 'container' | 'init' | 'ephemeral',
): void {
  const name = str(c.name) ?? '';
  if (name === '') v.required([...at, 'name']);
  else {
    for (const p of dns1123LabelProblems(name)) v.invalid([...at, 'name'], name, p);
    if (ctx.names.has(name)) v.duplicate([...at, 'name'], name);
    ctx.names.add(name);
  }
  if ((str(c.image) ?? '') === '') v.required([...at, 'image']);
  const ipp = str(c.imagePullPolicy);
  if (ipp !== undefined && ipp !== '' && !(PULL_POLICIES as readonly string[]).includes(ipp))
    v.notSupported([...at, 'imagePullPolicy'], ipp, PULL_POLICIES);
  const tmp = str(c.terminationMessagePolicy);
  if (tmp !== undefined && tmp !== '' && !(TERMINATION_MESSAGE_POLICIES as readonly string[]).includes(tmp))
    v.notSupported([...at, 'terminationMessagePolicy'], tmp, TERMINATION_MESSAGE_POLICIES);

  const portNames = new Set<string>();
  arr(c.ports).forEach((p, i) => {
    if (!isObj(p)) return;
    const pa = [...at, 'ports', i];
    const pn = str(p.name);
    if (pn !== undefined && pn !== '') {
      for (const prob of portNameProblems(pn)) v.invalid([...pa, 'name'], pn, prob);
      if (portNames.has(pn)) v.duplicate([...pa, 'name'], pn);
      portNames.add(pn);
    }
    const cp = p.containerPort;
    if (cp === undefined || cp === 0) v.required([...pa, 'containerPort']);
    else if (typeof cp === 'number' && !isPortNum(cp))
      v.invalid([...pa, 'containerPort'], cp, 'must be between 1 and 65535, inclusive');
    const hp = p.hostPort;
    if (typeof hp === 'number' && hp !== 0) {
      if (!isPortNum(hp)) v.invalid([...pa, 'hostPort'], hp, 'must be between 1 and 65535, inclusive');
      else if (ctx.hostNetwork && typeof cp === 'number' && hp !== cp)
        v.invalid([...pa, 'hostPort'], hp, 'must match `containerPort` when `hostNetwork` is true');
    }
    const proto = str(p.protocol);
    if (proto !== undefined && proto !== '' && !(PROTOCOLS as readonly string[]).includes(proto))
      v.notSupported([...pa, 'protocol'], proto, PROTOCOLS);
  });

  validateEnv(c.env, [...at, 'env'], v);
  validateEnvFrom(c.envFrom, [...at, 'envFrom'], v);
  validateResources(c.resources, [...at, 'resources'], v);

  const mountPaths = new Set<string>();
  arr(c.volumeMounts).forEach((m, i) => {
    if (!isObj(m)) return;
    const ma = [...at, 'volumeMounts', i];
    const mn = str(m.name) ?? '';
    if (mn === '') v.required([...ma, 'name']);
    else if (!ctx.volumes.has(mn)) {
      const shown = v.show(mn, [...ma, 'name']);
      v.add([...ma, 'name'], shown === '' ? 'Not found' : `Not found: ${shown}`);
    }
    const mp = str(m.mountPath) ?? '';
    if (mp === '') v.required([...ma, 'mountPath']);
    else if (mountPaths.has(mp)) v.invalid([...ma, 'mountPath'], mp, 'must be unique');
    else mountPaths.add(mp);
    const sp = str(m.subPath);
    if (sp !== undefined && sp !== '') {
      const shown = `${displayPathOf([...at, 'volumeMounts'])}.subPath`;
      if (sp.startsWith('/')) invalidIn(v, [...ma, 'subPath'], shown, sp, 'must be a relative path');
      if (sp.split('/').includes('..')) invalidIn(v, [...ma, 'subPath'], shown, sp, "must not contain '..'");
    }
  });

  if (kind === 'init' && c.restartPolicy !== 'Always')
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
      if (c[f] !== undefined && c[f] !== null)
        v.forbidden([...at, f], 'may not be set for init containers without restartPolicy=Always');
  if (kind !== 'ephemeral') {
    validateProbe(c.livenessProbe, [...at, 'livenessProbe'], v, true);
    validateProbe(c.readinessProbe, [...at, 'readinessProbe'], v, false);
    validateProbe(c.startupProbe, [...at, 'startupProbe'], v, true);
  }
  const lc = obj(c.lifecycle);
  if (lc)
    for (const hook of ['postStart', 'preStop']) {
      const h = obj(lc[hook]);
      if (h) validateHandlers(h, [...at, 'lifecycle', hook], v, LIFECYCLE_HANDLERS);
    }
  validateSecurityContext(c.securityContext, [...at, 'securityContext'], v, true);
}

function validateIdRange(value: unknown, path: Path, v: Issues): void {
  const n = num(value);
  if (n !== undefined && (n < 0 || n > INT32_MAX))
    v.invalid(path, n, `must be between 0 and ${INT32_MAX}, inclusive`);
}

function validateSecurityContext(sc: unknown, path: Path, v: Issues, container: boolean): void {
  const s = obj(sc);
  if (s === undefined) return;
  validateIdRange(s.runAsUser, [...path, 'runAsUser'], v);
  validateIdRange(s.runAsGroup, [...path, 'runAsGroup'], v);
  if (!container) {
    validateIdRange(s.fsGroup, [...path, 'fsGroup'], v);
    arr(s.supplementalGroups).forEach((g, i) => validateIdRange(g, [...path, 'supplementalGroups', i], v));
  } else if (s.privileged === true && s.allowPrivilegeEscalation === false)
    v.invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true');
}

function validateVolumes(volumes: unknown, path: Path, v: Issues): Set<string> {
  const names = new Set<string>();
  arr(volumes).forEach((vol, i) => {
    if (!isObj(vol)) return;
    const at = [...path, i];
    const name = str(vol.name) ?? '';
    if (name === '') v.required([...at, 'name']);
    else {
      for (const p of dns1123LabelProblems(name)) v.invalid([...at, 'name'], name, p);
      if (names.has(name)) v.duplicate([...at, 'name'], name);
      names.add(name);
    }
    const sources = VOLUME_SOURCES.filter((k) => vol[k] !== undefined && vol[k] !== null);
    for (const k of sources.slice(1)) v.forbidden([...at, k], 'may not specify more than 1 volume type');
    const cm = obj(vol.configMap);
    if (cm && (str(cm.name) ?? '') === '') v.required([...at, 'configMap', 'name']);
    const sec = obj(vol.secret);
    if (sec && (str(sec.secretName) ?? '') === '') v.required([...at, 'secret', 'secretName']);
    const pvc = obj(vol.persistentVolumeClaim);
    if (pvc && (str(pvc.claimName) ?? '') === '') v.required([...at, 'persistentVolumeClaim', 'claimName']);
    const hp = obj(vol.hostPath);
    if (hp && (str(hp.path) ?? '') === '') v.required([...at, 'hostPath', 'path']);
    validateVolumeSourceDetails(vol, at, v);
    const proj = obj(vol.projected);
    if (proj)
      arr(proj.sources).forEach((src, j) => {
        if (!isObj(src)) return;
        const kinds = [
          'secret',
          'downwardAPI',
          'configMap',
          'serviceAccountToken',
          'clusterTrustBundle',
          'podCertificate',
        ];
        if (kinds.filter((k) => src[k] !== undefined && src[k] !== null).length > 1)
          v.forbidden(
            [...at, 'projected', 'sources', j],
            'may not specify more than 1 volume type per source',
          );
      });
  });
  return names;
}

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
] as const;
const MAX_MODE = 0o777;

/** A file path inside a volume: relative, no '..' element. */
function validateVolumePath(p: unknown, at: Path, v: Issues): void {
  if (typeof p !== 'string' || p === '') return;
  if (p.startsWith('/')) v.invalid(at, p, 'must be a relative path');
  if (p.split('/').includes('..')) v.invalid(at, p, "must not contain '..'");
}

function validateMode(m: unknown, at: Path, v: Issues): void {
  const n = num(m);
  if (n !== undefined && (n < 0 || n > MAX_MODE))
    v.invalid(at, n, 'must be a number between 0 and 0777 (octal), both inclusive');
}

/** Key-to-path items of configMap and secret volumes. */
function validateKeyToPaths(items: unknown, at: Path, v: Issues): void {
  arr(items).forEach((it, i) => {
    if (!isObj(it)) return;
    if ((str(it.key) ?? '') === '') v.required([...at, i, 'key']);
    if ((str(it.path) ?? '') === '') v.required([...at, i, 'path']);
    else validateVolumePath(it.path, [...at, i, 'path'], v);
    validateMode(it.mode, [...at, i, 'mode'], v);
  });
}

/** The fields of single volume sources that ValidateVolumes checks and the OpenAPI document does not. */
function validateVolumeSourceDetails(vol: Obj, at: Path, v: Issues): void {
  for (const k of ['configMap', 'secret'] as const) {
    const src = obj(vol[k]);
    if (src === undefined) continue;
    validateKeyToPaths(src.items, [...at, k, 'items'], v);
    validateMode(src.defaultMode, [...at, k, 'defaultMode'], v);
  }
  const ed = obj(vol.emptyDir);
  if (ed) {
    const n = parseQuantity(ed.sizeLimit);
    if (n !== undefined && n < 0)
      v.forbidden([...at, 'emptyDir', 'sizeLimit'], 'SizeLimit field must be a valid resource quantity');
  }
  const hp = obj(vol.hostPath);
  const hpt = hp ? str(hp.type) : undefined;
  if (hpt !== undefined && !(HOST_PATH_TYPES as readonly string[]).includes(hpt))
    v.notSupported([...at, 'hostPath', 'type'], hpt, HOST_PATH_TYPES);
  const nfs = obj(vol.nfs);
  if (nfs) {
    if ((str(nfs.server) ?? '') === '') v.required([...at, 'nfs', 'server']);
    const path = str(nfs.path) ?? '';
    if (path === '') v.required([...at, 'nfs', 'path']);
    if (!path.startsWith('/')) v.invalid([...at, 'nfs', 'path'], path, 'must be an absolute path');
  }
  const csi = obj(vol.csi);
  if (csi && (str(csi.driver) ?? '') === '') v.required([...at, 'csi', 'driver']);
  const dapi = obj(vol.downwardAPI);
  if (dapi) {
    validateMode(dapi.defaultMode, [...at, 'downwardAPI', 'defaultMode'], v);
    arr(dapi.items).forEach((it, i) => {
      if (!isObj(it)) return;
      const hasField = isObj(it.fieldRef);
      const hasResource = isObj(it.resourceFieldRef);
      if ((str(it.path) ?? '') === '') v.required([...at, 'downwardAPI', 'items', i, 'path']);
      else validateVolumePath(it.path, [...at, 'downwardAPI', 'items', i, 'path'], v);
      if (!hasField && !hasResource)
        v.required([...at, 'downwardAPI'], 'one of fieldRef and resourceFieldRef is required');
      else if (hasField && hasResource)
        v.invalid(
          [...at, 'downwardAPI'],
          'resource',
          'fieldRef and resourceFieldRef can not be specified simultaneously',
        );
    });
  }
}

const TOPOLOGY_WHEN = ['DoNotSchedule', 'ScheduleAnyway'] as const;

function validateTopologySpread(constraints: unknown, path: Path, v: Issues): void {
  arr(constraints).forEach((c, i) => {
    if (!isObj(c)) return;
    const at = [...path, i];
    const skew = num(c.maxSkew);
    if (skew !== undefined && skew <= 0) v.invalid([...at, 'maxSkew'], skew, 'must be greater than zero');
    if ((str(c.topologyKey) ?? '') === '') v.required([...at, 'topologyKey'], 'can not be empty');
    const w = str(c.whenUnsatisfiable) ?? '';
    if (w === '') v.required([...at, 'whenUnsatisfiable']);
    else if (!(TOPOLOGY_WHEN as readonly string[]).includes(w))
      v.notSupported([...at, 'whenUnsatisfiable'], w, TOPOLOGY_WHEN);
    validateLabelSelector(c.labelSelector, [...at, 'labelSelector'], v);
  });
}

function validateHostAliases(aliases: unknown, path: Path, v: Issues): void {
  arr(aliases).forEach((a, i) => {
    if (!isObj(a)) return;
    const ip = str(a.ip);
    if (ip !== undefined) reportAddress(v, [...path, i, 'ip'], ip, legacyIPProblems(ip, strictAddresses(v)));
    arr(a.hostnames).forEach((h, j) => {
      if (typeof h === 'string')
        for (const p of dns1123SubdomainProblems(h)) v.invalid([...path, i, 'hostnames', j], h, p);
    });
  });
}

function validateTolerations(tolerations: unknown, path: Path, v: Issues): void {
  arr(tolerations).forEach((t, i) => {
    if (!isObj(t)) return;
    const at = [...path, i];
    const key = str(t.key) ?? '';
    const op = str(t.operator) ?? '';
    const value = str(t.value) ?? '';
    if (key !== '') for (const p of qualifiedNameProblems(key)) v.invalid([...at, 'key'], key, p);
    if (key === '' && op !== 'Exists')
      v.invalid(
        [...at, 'operator'],
        op,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      );
    const effect = str(t.effect) ?? '';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute')
      v.invalid([...at, 'effect'], effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
    if (op === '' || op === 'Equal') {
      for (const p of labelValueProblems(value)) v.invalid([...at, 'operator'], value, p);
    } else if (op === 'Exists') {
      if (value !== '')
        v.invalid([...at, 'operator'], value, "value must be empty when `operator` is 'Exists'");
    } else v.notSupported([...at, 'operator'], op, TOLERATION_OPERATORS);
    if (effect !== '' && !(TAINT_EFFECTS as readonly string[]).includes(effect))
      v.notSupported([...at, 'effect'], effect, TAINT_EFFECTS);
  });
}

function validateNodeSelectorRequirements(reqs: unknown, path: Path, v: Issues): void {
  arr(reqs).forEach((e, i) => {
    if (!isObj(e)) return;
    const at = [...path, i];
    const op = str(e.operator) ?? '';
    const values = arr(e.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0)
        v.required([...at, 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        v.forbidden([...at, 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (!NODE_SELECTOR_OPS.has(op))
      v.invalid([...at, 'operator'], op, 'not a valid selector operator');
    const key = str(e.key);
    if (key !== undefined) for (const p of qualifiedNameProblems(key)) v.invalid([...at, 'key'], key, p);
  });
}

function validateAffinity(affinity: unknown, path: Path, v: Issues): void {
  const a = obj(affinity);
  if (a === undefined) return;
  const na = obj(a.nodeAffinity);
  if (na) {
    const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const rp = [
        ...path,
        'nodeAffinity',
        'requiredDuringSchedulingIgnoredDuringExecution',
        'nodeSelectorTerms',
      ];
      const terms = arr(req.nodeSelectorTerms);
      if (terms.length === 0) v.required(rp, 'must have at least one node selector term');
      terms.forEach((t, i) => {
        if (isObj(t)) validateNodeSelectorRequirements(t.matchExpressions, [...rp, i, 'matchExpressions'], v);
      });
    }
    arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
      const pref = obj(obj(p)?.preference);
      if (pref)
        validateNodeSelectorRequirements(
          pref.matchExpressions,
          [
            ...path,
            'nodeAffinity',
            'preferredDuringSchedulingIgnoredDuringExecution',
            i,
            'preference',
            'matchExpressions',
          ],
          v,
        );
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = obj(a[kind]);
    if (pa === undefined) continue;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const term = obj(t);
      if (term === undefined) return;
      const at = [...path, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i];
      validateLabelSelector(term.labelSelector, [...at, 'labelSelector'], v);
      if ((str(term.topologyKey) ?? '') === '') v.required([...at, 'topologyKey'], 'can not be empty');
    });
  }
}

function validateDnsConfig(s: Obj, path: Path, v: Issues): void {
  const policy = str(s.dnsPolicy);
  if (policy !== undefined && policy !== '' && !(DNS_POLICIES as readonly string[]).includes(policy))
    v.notSupported([...path, 'dnsPolicy'], policy, DNS_POLICIES);
  const cfg = obj(s.dnsConfig);
  if (policy === 'None' && cfg === undefined)
    v.required([...path, 'dnsConfig'], 'must provide `dnsConfig` when `dnsPolicy` is None');
  if (cfg === undefined) return;
  const ns = arr(cfg.nameservers);
  if (policy === 'None' && ns.length === 0)
    v.required(
      [...path, 'dnsConfig', 'nameservers'],
      'must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  if (ns.length > 3)
    v.invalid([...path, 'dnsConfig', 'nameservers'], ns, 'must not have more than 3 nameservers');
  ns.forEach((n, i) => {
    if (typeof n === 'string')
      reportAddress(v, [...path, 'dnsConfig', 'nameservers', i], n, legacyIPProblems(n, strictAddresses(v)));
  });
}

/** A PodSpec at `path` (ValidatePodSpec). */
export function validatePodSpec(spec: unknown, path: Path, v: Issues, opts: PodSpecOptions = {}): void {
  const s = obj(spec);
  if (s === undefined) return;
  const volumes = validateVolumes(s.volumes, [...path, 'volumes'], v);
  for (const name of opts.claimVolumes ?? []) volumes.add(name);
  const ctx: ContainerContext = { volumes, hostNetwork: s.hostNetwork === true, names: new Set() };
  const containers = arr(s.containers);
  if (containers.length === 0) v.required([...path, 'containers']);
  containers.forEach((c, i) => {
    if (isObj(c)) validateContainer(c, [...path, 'containers', i], v, ctx, 'container');
  });
  arr(s.initContainers).forEach((c, i) => {
    if (isObj(c)) validateContainer(c, [...path, 'initContainers', i], v, ctx, 'init');
  });
  arr(s.ephemeralContainers).forEach((c, i) => {
    if (isObj(c)) validateContainer(c, [...path, 'ephemeralContainers', i], v, ctx, 'ephemeral');
  });

  const rp = str(s.restartPolicy);
  if (rp !== undefined && rp !== '' && !(RESTART_POLICIES as readonly string[]).includes(rp))
    v.notSupported([...path, 'restartPolicy'], rp, RESTART_POLICIES);
  else if (opts.restartPolicies) {
    const effective = rp === undefined || rp === '' ? 'Always' : rp;
    if (!opts.restartPolicies.includes(effective)) {
      if (rp === undefined || rp === '')
        v.required(
          [...path, 'restartPolicy'],
          `valid values: ${opts.restartPolicies.map((x) => JSON.stringify(x)).join(', ')}`,
        );
      else v.notSupported([...path, 'restartPolicy'], rp, opts.restartPolicies);
    }
  }
  validateDnsConfig(s, path, v);
  const os = obj(s.os);
  const osName = os ? str(os.name) : undefined;
  if (osName !== undefined && !(OS_NAMES as readonly string[]).includes(osName))
    v.notSupported([...path, 'os'], osName, OS_NAMES);
  validateTolerations(s.tolerations, [...path, 'tolerations'], v);
  validateTopologySpread(s.topologySpreadConstraints, [...path, 'topologySpreadConstraints'], v);
  validateHostAliases(s.hostAliases, [...path, 'hostAliases'], v);
  validateLabels(s.nodeSelector, [...path, 'nodeSelector'], v);
  validateAffinity(s.affinity, [...path, 'affinity'], v);
  validateSecurityContext(s.securityContext, [...path, 'securityContext'], v, false);
  validateNonNegativeInt(s.terminationGracePeriodSeconds, [...path, 'terminationGracePeriodSeconds'], v);
  const ads = num(s.activeDeadlineSeconds);
  if (ads !== undefined && ads < 1)
    v.invalid([...path, 'activeDeadlineSeconds'], ads, 'must be between 1 and 2147483647, inclusive');
  const san = str(s.serviceAccountName);
  if (san !== undefined && san !== '')
    for (const p of dns1123SubdomainProblems(san)) v.invalid([...path, 'serviceAccountName'], san, p);
  const hn = str(s.hostname);
  if (hn !== undefined && hn !== '')
    for (const p of dns1123LabelProblems(hn)) v.invalid([...path, 'hostname'], hn, p);
  const sd = str(s.subdomain);
  if (sd !== undefined && sd !== '')
    for (const p of dns1123LabelProblems(sd)) v.invalid([...path, 'subdomain'], sd, p);
}

/** A PodTemplateSpec at `path` (its metadata labels and annotations, and its spec). */
export function validatePodTemplateSpec(
  template: unknown,
  path: Path,
  v: Issues,
  opts: PodSpecOptions = {},
): void {
  const t = obj(template);
  if (t === undefined) return;
  const meta = obj(t.metadata);
  // The API server names these fields `<template>.labels` and `<template>.annotations`.
  if (meta) {
    validateLabels(meta.labels, [...path, 'metadata', 'labels'], v, [...path, 'labels']);
    validateAnnotations(meta.annotations, [...path, 'metadata', 'annotations'], v, [...path, 'annotations']);
  }
  // An absent or null spec decodes as an empty PodSpec, which has no containers.
  validatePodSpec(t.spec ?? {}, [...path, 'spec'], v, opts);
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const SESSION_AFFINITIES = ['ClientIP', 'None'] as const;
const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;

const oneOf = (value: string | undefined, allowed: readonly string[]): boolean =>
  value === undefined || value === '' || allowed.includes(value);

/** A Service (ValidateService): ports, names, types, IPs, traffic policies, selector. */
function validateService(o: Obj, v: Issues): void {
  const s = obj(o.spec);
  if (s === undefined) {
    v.required(['spec', 'ports']);
    return;
  }
  const type = str(s.type) ?? 'ClusterIP';
  if (!oneOf(type, SERVICE_TYPES)) v.notSupported(['spec', 'type'], type, SERVICE_TYPES);
  const ports = arr(s.ports);
  if (type === 'ExternalName') {
    const en = str(s.externalName) ?? '';
    if (en === '') v.required(['spec', 'externalName']);
    else {
      const host = en.endsWith('.') ? en.slice(0, -1) : en;
      for (const p of dns1123SubdomainProblems(host)) v.invalid(['spec', 'externalName'], en, p);
    }
  } else if (ports.length === 0) v.required(['spec', 'ports']);

  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const at = ['spec', 'ports', i];
    const name = str(p.name) ?? '';
    if (name === '') {
      if (ports.length > 1) v.required([...at, 'name']);
    } else {
      for (const prob of dns1123LabelProblems(name)) v.invalid([...at, 'name'], name, prob);
      if (names.has(name)) v.duplicate([...at, 'name'], name);
      names.add(name);
    }
    if (typeof p.port === 'number' && !isPortNum(p.port))
      v.invalid([...at, 'port'], p.port, 'must be between 1 and 65535, inclusive');
    const proto = str(p.protocol);
    if (!oneOf(proto, PROTOCOLS)) v.notSupported([...at, 'protocol'], proto, PROTOCOLS);
    const tp = p.targetPort;
    if (typeof tp === 'number' && tp !== 0 && !isPortNum(tp))
      v.invalid([...at, 'targetPort'], tp, 'must be between 1 and 65535, inclusive');
    else if (typeof tp === 'string')
      for (const prob of portNameProblems(tp)) v.invalid([...at, 'targetPort'], tp, prob);
    const ap = str(p.appProtocol);
    if (ap !== undefined && ap !== '')
      for (const prob of qualifiedNameProblems(ap)) v.invalid([...at, 'appProtocol'], ap, prob);
    if (type === 'ClusterIP' && typeof p.nodePort === 'number' && p.nodePort !== 0)
      v.forbidden([...at, 'nodePort'], "may not be used when `type` is 'ClusterIP'");
  });

  const clusterIP = str(s.clusterIP);
  if (clusterIP !== undefined && clusterIP !== '') {
    if (clusterIP === 'None') {
      if (type === 'LoadBalancer')
        invalidIn(
          v,
          ['spec', 'clusterIP'],
          'spec.clusterIPs[0]',
          clusterIP,
          "may not be set to 'None' for LoadBalancer services",
        );
    } else
      reportAddress(
        v,
        ['spec', 'clusterIP'],
        clusterIP,
        legacyIPProblems(clusterIP, strictAddresses(v)),
        'spec.clusterIPs[0]',
      );
  }
  validateLabels(s.selector, ['spec', 'selector'], v);
  const sa = str(s.sessionAffinity);
  if (!oneOf(sa, SESSION_AFFINITIES)) v.notSupported(['spec', 'sessionAffinity'], sa, SESSION_AFFINITIES);
  const timeout = num(obj(obj(s.sessionAffinityConfig)?.clientIP)?.timeoutSeconds);
  if (sa === 'ClientIP' && timeout !== undefined && (timeout <= 0 || timeout > 86400))
    v.invalid(
      ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'],
      timeout,
      'must be greater than 0 and less than 86400',
    );
  arr(s.externalIPs).forEach((ip, i) => {
    if (typeof ip === 'string')
      reportAddress(v, ['spec', 'externalIPs', i], ip, legacyIPProblems(ip, strictAddresses(v)));
  });
  if (arr(s.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer')
    addNamed(
      v,
      ['spec', 'loadBalancerSourceRanges'],
      'spec.LoadBalancerSourceRanges',
      "Forbidden: may only be used when `type` is 'LoadBalancer'",
      'key',
    );
  arr(s.loadBalancerSourceRanges).forEach((r, i) => {
    if (typeof r === 'string')
      reportAddress(
        v,
        ['spec', 'loadBalancerSourceRanges', i],
        r.trim(),
        legacyCIDRProblems(r.trim(), strictAddresses(v)),
        `spec.LoadBalancerSourceRanges[${i}]`,
      );
  });
  // ExternallyAccessible: node ports, load balancers, and cluster IPs with external IPs.
  const external =
    type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && arr(s.externalIPs).length > 0);
  const etp = str(s.externalTrafficPolicy);
  if (etp !== undefined && etp !== '') {
    if (!external)
      v.invalid(['spec', 'externalTrafficPolicy'], etp, 'may only be set for externally-accessible services');
    else if (!oneOf(etp, TRAFFIC_POLICIES))
      v.notSupported(['spec', 'externalTrafficPolicy'], etp, TRAFFIC_POLICIES);
  }
  const hc = num(s.healthCheckNodePort);
  if (hc !== undefined && hc !== 0 && !(type === 'LoadBalancer' && etp === 'Local'))
    v.invalid(
      ['spec', 'healthCheckNodePort'],
      hc,
      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    );
  const itp = str(s.internalTrafficPolicy);
  if (!oneOf(itp, TRAFFIC_POLICIES)) v.notSupported(['spec', 'internalTrafficPolicy'], itp, TRAFFIC_POLICIES);
  const ifp = str(s.ipFamilyPolicy);
  if (!oneOf(ifp, IP_FAMILY_POLICIES)) v.notSupported(['spec', 'ipFamilyPolicy'], ifp, IP_FAMILY_POLICIES);
}

/** Largest ConfigMap or Secret payload (MaxSecretSize, the ConfigMap limit). */
const MAX_DATA_SIZE = 1024 * 1024;

/** Decoded size of base64 text (what the API server stores), without decoding it. */
function base64Size(b64: string): number {
  const t = b64.replace(/\s+/g, '');
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((t.length * 3) / 4) - pad);
}

function validateDataKeys(m: Obj | undefined, at: Path, shownAs: string, v: Issues): void {
  if (m === undefined) return;
  for (const k of Object.keys(m))
    for (const p of configMapKeyProblems(k)) invalidIn(v, [...at, k], `${shownAs}[${k}]`, k, p, 'key');
}

function validateConfigMap(o: Obj, v: Issues): void {
  const data = obj(o.data);
  const binary = obj(o.binaryData);
  validateDataKeys(data, ['data'], 'data', v);
  validateDataKeys(binary, ['binaryData'], 'binaryData', v);
  let size = 0;
  for (const [k, val] of Object.entries(data ?? {})) {
    if (typeof val === 'string') size += Buffer.byteLength(val);
    if (binary && Object.prototype.hasOwnProperty.call(binary, k))
      invalidIn(v, ['data', k], `data[${k}]`, k, 'duplicate of key present in binaryData', 'key');
  }
  for (const val of Object.values(binary ?? {})) if (typeof val === 'string') size += base64Size(val);
  if (size > MAX_DATA_SIZE)
    addNamed(
      v,
      data ? ['data'] : ['binaryData'],
      '[]',
      `Too long: may not be more than ${MAX_DATA_SIZE} bytes`,
      'key',
    );
}

const SECRET_REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/** A Secret (ValidateSecret): keys, typed-secret keys, total size. Values never appear in messages. */
function validateSecret(o: Obj, v: Issues): void {
  const data = obj(o.data) ?? {};
  const stringData = obj(o.stringData) ?? {};
  validateDataKeys(obj(o.data), ['data'], 'data', v);
  validateDataKeys(obj(o.stringData), ['stringData'], 'data', v);
  const has = (k: string) =>
    (Object.prototype.hasOwnProperty.call(data, k) && data[k] !== '') ||
    (Object.prototype.hasOwnProperty.call(stringData, k) && stringData[k] !== '');
  const raw = (k: string): string | undefined => {
    const sv = stringData[k];
    if (typeof sv === 'string') return sv;
    const dv = data[k];
    return typeof dv === 'string' ? Buffer.from(dv, 'base64').toString('utf8') : undefined;
  };
  let size = 0;
  for (const [k, val] of Object.entries(data))
    if (typeof val === 'string' && !Object.prototype.hasOwnProperty.call(stringData, k))
      size += base64Size(val);
  for (const val of Object.values(stringData)) if (typeof val === 'string') size += Buffer.byteLength(val);
  if (size > MAX_DATA_SIZE)
    addNamed(
      v,
      obj(o.data) ? ['data'] : ['stringData'],
      'data',
      `Too long: may not be more than ${MAX_DATA_SIZE} bytes`,
      'key',
    );

  const type = str(o.type) ?? '';
  for (const k of SECRET_REQUIRED_KEYS[type] ?? [])
    if (!has(k)) addNamed(v, obj(o.data) ? ['data'] : ['type'], `data[${k}]`, 'Required value', 'key');
  if (type === 'kubernetes.io/dockercfg' || type === 'kubernetes.io/dockerconfigjson') {
    const k = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
    const text = raw(k);
    if (text !== undefined && text !== '') {
      try {
        JSON.parse(text);
      } catch {
        const at = Object.prototype.hasOwnProperty.call(stringData, k) ? ['stringData', k] : ['data', k];
        addNamed(v, at, `data[${k}]`, 'Invalid value: "<secret contents redacted>": not valid JSON');
      }
    }
  }
  if (type === 'kubernetes.io/basic-auth' && !has('username') && !has('password')) {
    addNamed(v, obj(o.data) ? ['data'] : ['type'], 'data[username]', 'Required value', 'key');
    addNamed(v, obj(o.data) ? ['data'] : ['type'], 'data[password]', 'Required value', 'key');
  }
  if (type === 'kubernetes.io/service-account-token') {
    const ann = obj(obj(o.metadata)?.annotations) ?? {};
    if ((str(ann['kubernetes.io/service-account.name']) ?? '') === '')
      addNamed(
        v,
        ['metadata'],
        'metadata.annotations[kubernetes.io/service-account.name]',
        'Required value',
        'key',
      );
  }
}

const VOLUME_MODES = ['Block', 'Filesystem'] as const;
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: Path, v: Issues, detail?: string): void {
  const list = arr(modes);
  if (list.length === 0) {
    v.required(path, detail);
    return;
  }
  // An unknown mode (a null item decodes to ""); at the item, so that the OpenAPI enum's finding,
  // where the schema has one, takes its place.
  list.forEach((m, i) => {
    if ((typeof m === 'string' || m === null) && !ACCESS_MODES.includes(m ?? ''))
      addNamed(
        v,
        [...path, i],
        path,
        `Unsupported value: ${JSON.stringify(m ?? '')}: supported values: ${ACCESS_MODES.map((a) => JSON.stringify(a)).join(', ')}`,
      );
  });
  if (list.includes('ReadWriteOncePod') && list.length > 1)
    v.forbidden(path, 'may not use ReadWriteOncePod with other access modes');
}

function validatePVC(o: Obj, v: Issues): void {
  const s = obj(o.spec) ?? {};
  validateAccessModes(s.accessModes, ['spec', 'accessModes'], v, 'at least 1 access mode is required');
  validateLabelSelector(s.selector, ['spec', 'selector'], v);
  const requests = obj(obj(s.resources)?.requests);
  const storage = requests?.storage;
  if (storage === undefined || storage === null)
    addNamed(
      v,
      requests ? ['spec', 'resources', 'requests'] : ['spec'],
      'spec.resources[storage]',
      'Required value',
      'key',
    );
  else {
    const n = parseQuantity(storage);
    if (n !== undefined && n <= 0)
      invalidIn(
        v,
        ['spec', 'resources', 'requests', 'storage'],
        'spec.resources[storage]',
        typeof storage === 'string' ? storage : JSON.stringify(storage),
        'must be greater than zero',
      );
  }
  const vm = str(s.volumeMode);
  if (!oneOf(vm, VOLUME_MODES)) v.notSupported(['spec', 'volumeMode'], vm, VOLUME_MODES);
  const sc = str(s.storageClassName);
  if (sc !== undefined && sc !== '')
    for (const p of dns1123SubdomainProblems(sc)) v.invalid(['spec', 'storageClassName'], sc, p);
}

const PV_SOURCES = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'quobyte',
  'cinder',
  'cephfs',
  'iscsi',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

function validatePV(o: Obj, v: Issues): void {
  const s = obj(o.spec) ?? {};
  validateAccessModes(s.accessModes, ['spec', 'accessModes'], v);
  const cap = obj(s.capacity);
  if (cap === undefined || Object.keys(cap).length === 0) v.required(['spec', 'capacity']);
  else if (Object.keys(cap).some((k) => k !== 'storage'))
    v.notSupported(['spec', 'capacity'], cap, ['storage']);
  else {
    // The stored quantity: null and digit-less strings ("m") decode as 0.
    const size = decodedQuantity(cap.storage);
    if (size !== undefined && size.value <= 0)
      v.invalid(['spec', 'capacity', 'storage'], size.shown, 'must be greater than zero');
  }
  const sources = PV_SOURCES.filter((k) => s[k] !== undefined && s[k] !== null);
  if (sources.length === 0) v.required(['spec'], 'must specify a volume type');
  for (const k of sources.slice(1)) v.forbidden(['spec', k], 'may not specify more than 1 volume type');
  const hp = str(obj(s.hostPath)?.path);
  if (hp !== undefined && hp.split('/').includes('..'))
    v.invalid(['spec', 'hostPath', 'path'], hp, "must not contain '..'");
  const rp = str(s.persistentVolumeReclaimPolicy);
  if (!oneOf(rp, RECLAIM_POLICIES))
    v.notSupported(['spec', 'persistentVolumeReclaimPolicy'], rp, RECLAIM_POLICIES);
  const vm = str(s.volumeMode);
  if (!oneOf(vm, VOLUME_MODES)) v.notSupported(['spec', 'volumeMode'], vm, VOLUME_MODES);
  const sc = str(s.storageClassName);
  if (sc !== undefined && sc !== '')
    for (const p of dns1123SubdomainProblems(sc)) v.invalid(['spec', 'storageClassName'], sc, p);
}

/** A ReplicationController: its map selector must select its template, whose pods always restart. */
function validateReplicationController(o: Obj, v: Issues): void {
  const s = obj(o.spec);
  if (s === undefined) return;
  const replicas = num(s.replicas);
  if (replicas !== undefined && replicas < 0)
    v.invalid(['spec', 'replicas'], replicas, 'must be greater than or equal to 0');
  const template = obj(s.template);
  if (template === undefined) {
    v.required(['spec', 'template']);
    return;
  }
  const labels = obj(obj(template.metadata)?.labels) ?? {};
  const selector = obj(s.selector);
  if (selector !== undefined && Object.keys(selector).length > 0) {
    validateLabels(selector, ['spec', 'selector'], v);
    if (!Object.entries(selector).every(([k, val]) => labels[k] === val))
      v.invalid(
        ['spec', 'template', 'metadata', 'labels'],
        labels,
        '`selector` does not match template `labels`',
      );
  } else if (Object.keys(labels).length === 0) v.required(['spec', 'selector']);
  validatePodTemplateSpec(template, ['spec', 'template'], v, { restartPolicies: ['Always'] });
}

/** A resource-list's names outside a container (quota `hard`, LimitRange bounds) and their signs. */
function validateResourceList(m: unknown, at: Path, v: Issues, forWhat: 'quota' | 'containers'): void {
  const list = obj(m);
  if (list === undefined) return;
  for (const [name, q] of Object.entries(list)) {
    const shown = keyed(at, name);
    for (const p of qualifiedNameProblems(name)) invalidIn(v, [...at, name], shown, name, p, 'key');
    if (!name.includes('/') && !isStandardResource(name)) {
      invalidIn(v, [...at, name], shown, name, 'must be a standard resource type or fully qualified', 'key');
      invalidIn(v, [...at, name], shown, name, `must be a standard resource for ${forWhat}`, 'key');
    }
    const n = parseQuantity(q);
    if (n !== undefined && n < 0)
      invalidIn(
        v,
        [...at, name],
        shown,
        typeof q === 'string' ? q : String(n),
        'must be greater than or equal to 0',
      );
  }
}

function validateNamespace(o: Obj, v: Issues): void {
  arr(obj(o.spec)?.finalizers).forEach((f, i) => {
    if (typeof f !== 'string') return;
    for (const p of qualifiedNameProblems(f))
      invalidIn(v, ['spec', 'finalizers', i], 'spec.finalizers', f, p);
    if (!f.includes('/') && f !== 'kubernetes')
      invalidIn(
        v,
        ['spec', 'finalizers', i],
        'spec.finalizers',
        f,
        'name is neither a standard finalizer name nor is it fully qualified',
      );
  });
}

function validateEndpoints(o: Obj, v: Issues): void {
  arr(o.subsets).forEach((sub, i) => {
    if (!isObj(sub)) return;
    const at = ['subsets', i];
    if (arr(sub.addresses).length === 0 && arr(sub.notReadyAddresses).length === 0)
      v.required(at, 'must specify `addresses` or `notReadyAddresses`');
    for (const field of ['addresses', 'notReadyAddresses'])
      arr(sub[field]).forEach((a, j) => {
        if (!isObj(a)) return;
        const ip = str(a.ip);
        if (ip !== undefined) {
          const problems = legacyIPProblems(ip, strictAddresses(v));
          reportAddress(v, [...at, field, j, 'ip'], ip, problems);
          if (problems.some((p) => p.message === IP_MSG))
            v.invalid([...at, field, j, 'ip'], ip, 'must be a valid IP address');
          else if (/^127\./.test(ip) || ip === '::1')
            v.invalid([...at, field, j, 'ip'], ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)');
        }
        const hn = str(a.hostname);
        if (hn !== undefined && hn !== '')
          for (const p of dns1123LabelProblems(hn)) v.invalid([...at, field, j, 'hostname'], hn, p);
      });
    const ports = arr(sub.ports);
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const pa = [...at, 'ports', j];
      const name = str(p.name) ?? '';
      if (name === '') {
        if (ports.length > 1) v.required([...pa, 'name']);
      } else for (const prob of dns1123LabelProblems(name)) v.invalid([...pa, 'name'], name, prob);
      if (typeof p.port === 'number' && !isPortNum(p.port))
        v.invalid([...pa, 'port'], p.port, 'must be between 1 and 65535, inclusive');
    });
  });
}

const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

function validateLimitRange(o: Obj, v: Issues): void {
  arr(obj(o.spec)?.limits).forEach((l, i) => {
    if (!isObj(l)) return;
    const at = ['spec', 'limits', i];
    const type = str(l.type) ?? '';
    if (!LIMIT_TYPES.has(type) && qualifiedNameProblems(type).length === 0 && !type.includes('/'))
      v.invalid([...at, 'type'], type, 'must be a standard limit type or fully qualified');
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
      validateResourceList(l[f], [...at, f], v, 'containers');
    if (type === 'Pod')
      for (const f of ['default', 'defaultRequest'])
        if (l[f] !== undefined && l[f] !== null)
          v.forbidden([...at, f], "may not be specified when `type` is 'Pod'");
    validateLimitBounds(l, at, v);
  });
}

/** ValidateLimitRange's comparisons of min, max, default, defaultRequest and the ratio, per resource. */
function validateLimitBounds(l: Obj, at: Path, v: Issues): void {
  const lists = {
    max: obj(l.max) ?? {},
    min: obj(l.min) ?? {},
    default: obj(l.default) ?? {},
    defaultRequest: obj(l.defaultRequest) ?? {},
    maxLimitRequestRatio: obj(l.maxLimitRequestRatio) ?? {},
  };
  const names = new Set(Object.values(lists).flatMap((x) => Object.keys(x)));
  for (const name of names) {
    const q = (f: keyof typeof lists) => {
      const raw = lists[f][name];
      const n = parseQuantity(raw);
      return n === undefined ? undefined : { n, s: String(raw) };
    };
    const [max, min, def, req, ratio] = [
      q('max'),
      q('min'),
      q('default'),
      q('defaultRequest'),
      q('maxLimitRequestRatio'),
    ];
    const report = (f: keyof typeof lists, value: string, message: string) =>
      invalidIn(v, [...at, f, name], keyed([...at, f], name), value, message);
    if (min && max && min.n > max.n)
      report('min', min.s, `min value ${min.s} is greater than max value ${max.s}`);
    if (req && min && min.n > req.n)
      report('defaultRequest', req.s, `min value ${min.s} is greater than default request value ${req.s}`);
    if (req && max && req.n > max.n)
      report('defaultRequest', req.s, `default request value ${req.s} is greater than max value ${max.s}`);
    if (req && def && req.n > def.n)
      report(
        'defaultRequest',
        req.s,
        `default request value ${req.s} is greater than default limit value ${def.s}`,
      );
    if (def && min && min.n > def.n)
      report('default', min.s, `min value ${min.s} is greater than default value ${def.s}`);
    if (def && max && def.n > max.n)
      report('default', max.s, `default value ${def.s} is greater than max value ${max.s}`);
    if (ratio && ratio.n < 1) report('maxLimitRequestRatio', ratio.s, `ratio ${ratio.s} is less than 1`);
  }
}

function validateResourceQuota(o: Obj, v: Issues): void {
  validateResourceList(obj(o.spec)?.hard, ['spec', 'hard'], v, 'quota');
}

export const CORE_VALIDATORS: ValidatorTable = {
  '/Service': validateService,
  '/ConfigMap': validateConfigMap,
  '/Secret': validateSecret,
  '/PersistentVolumeClaim': validatePVC,
  '/PersistentVolume': validatePV,
  '/ReplicationController': validateReplicationController,
  '/Namespace': validateNamespace,
  '/Endpoints': validateEndpoints,
  '/LimitRange': validateLimitRange,
  '/ResourceQuota': validateResourceQuota,
  '/PodTemplate': (o: Obj, v) => validatePodTemplateSpec(o.template, ['template'], v),
  // A Pod with ephemeralContainers is refused on create ("cannot be set on create"), but such pods
  // are what `kubectl get -o yaml` shows after a debug session: that check is left out.
  '/Pod': (o: Obj, v) => validatePodSpec(o.spec, ['spec'], v),
};
