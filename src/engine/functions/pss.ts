/**
 * Check functions for the Pod Security Standards rules (rule files in rules/security/, docs in
 * docs/rules). Each function implements one PSS control the way the Pod Security admission
 * controller evaluates it (k8s.io/pod-security-admission/policy, policy version 1.37), so a
 * manifest that shipshape passes is one the API server admits under that level:
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * Functions run once per pod-bearing resource (target podSpec or resource) or once per container
 * (target container); they read fields directly and allocate only when they report.
 */
import { escapeSegment, podSpecOf, CONTAINER_LISTS } from '../kinds.js';
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';
import type { JsonPatchOp } from '../types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NONE: CheckResult[] = [];
const POD_LEVEL = 'The pod-level securityContext';

/** The container's name as the messages show it. */
const nameOf = (c: Obj, index: number): string => (typeof c.name === 'string' ? c.name : `#${index}`);

/** A value as messages show it (scalars plainly, anything else as JSON). */
const show = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : (JSON.stringify(v) ?? 'undefined');

/** `securityContext` of a pod spec or container, when it is an object. */
const secCtx = (o: Obj): Obj | undefined => (isObj(o.securityContext) ? o.securityContext : undefined);

/** Visit every container of a pod spec (init, regular, ephemeral), as the admission controller does. */
function eachContainer(spec: Obj, visit: (c: Obj, pointer: string, name: string) => void): void {
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (let i = 0; i < cs.length; i++) {
      const c: unknown = cs[i];
      if (isObj(c)) visit(c, `/${list}/${i}`, nameOf(c, i));
    }
  }
}

/** The pod spec around a container target (for pod-wide facts such as spec.os.name). */
const podSpecFor = (ctx: CheckContext): Obj | undefined => podSpecOf(ctx.object)?.spec;

/**
 * PSS exempts Windows pods from the Linux-only Restricted controls (Privilege Escalation,
 * Seccomp, Capabilities) from policy v1.25: "OS-specific policy controls".
 */
const isWindowsPod = (spec: Obj | undefined): boolean => isObj(spec?.os) && spec.os.name === 'windows';

/**
 * A pod with `hostUsers: false` runs in a user namespace; from policy v1.35 the admission
 * controller does not check runAsNonRoot and runAsUser for it (root in the pod is not root on the
 * node). https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/#integration-with-pod-security-admission-checks
 */
const usesUserNamespace = (spec: Obj): boolean => spec.hostUsers === false;

/** Pointer to the deepest existing step of `base` + `steps` (for findings about absent fields). */
function closest(root: Obj, base: string, steps: readonly string[]): string {
  let cur: unknown = root;
  let out = base;
  for (const s of steps) {
    if (!isObj(cur) || cur[s] === undefined || cur[s] === null) break;
    cur = cur[s];
    out += '/' + s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Baseline

/** Baseline: HostProcess — windowsOptions.hostProcess must be unset or false, pod and containers. */
const noHostProcess: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  let out: CheckResult[] | undefined;
  const check = (sc: Obj | undefined, base: string, where: string): void => {
    const wo = sc?.windowsOptions;
    if (isObj(wo) && wo.hostProcess === true)
      (out ??= []).push({ path: `${base}/securityContext/windowsOptions/hostProcess`, data: { where } });
  };
  check(secCtx(spec), '', POD_LEVEL);
  eachContainer(spec, (c, p, name) => check(secCtx(c), p, `Container ${name}`));
  return out ?? NONE;
};

/** Baseline capabilities: the default set of container runtimes (PSS "Capabilities"). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The `capabilities.add` list of a container, when it is one. */
function addedCapabilities(c: Obj): unknown[] | undefined {
  const caps = secCtx(c)?.capabilities;
  return isObj(caps) && Array.isArray(caps.add) ? caps.add : undefined;
}

/** Baseline: Capabilities — capabilities.add only from the baseline set (names compared exactly). */
const noNonDefaultCapabilities: RuleFunction = (ctx) => {
  const add = addedCapabilities(ctx.target as Obj);
  if (!add) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < add.length; i++) {
    const cap = add[i];
    if (typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)) continue;
    (out ??= []).push({ path: `/securityContext/capabilities/add/${i}`, data: { capability: show(cap) } });
  }
  return out ?? NONE;
};

/** Baseline: HostPath Volumes — no volume may have a hostPath source. */
const noHostPath: RuleFunction = (ctx) => {
  const volumes = (ctx.target as Obj).volumes;
  if (!Array.isArray(volumes)) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const v: unknown = volumes[i];
    if (!isObj(v) || v.hostPath === undefined || v.hostPath === null) continue;
    const hostPath = isObj(v.hostPath) && typeof v.hostPath.path === 'string' ? v.hostPath.path : '(unknown)';
    (out ??= []).push({
      path: `/volumes/${i}/hostPath`,
      target: 'key',
      data: { volume: typeof v.name === 'string' ? v.name : `#${i}`, hostPath },
    });
  }
  return out ?? NONE;
};

/** Baseline: Host Ports — hostPort must be unset or 0 (or on the configured known list). */
const noHostPort: RuleFunction = (ctx) => {
  const ports = (ctx.target as Obj).ports;
  if (!Array.isArray(ports)) return NONE;
  const allowed = ctx.options.allowedHostPorts;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const p: unknown = ports[i];
    if (!isObj(p) || typeof p.hostPort !== 'number' || p.hostPort === 0) continue;
    if (Array.isArray(allowed) && allowed.includes(p.hostPort)) continue;
    (out ??= []).push({ path: `/ports/${i}/hostPort`, data: { hostPort: p.hostPort } });
  }
  return out ?? NONE;
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** Baseline: Host Probes / Lifecycle Hooks (v1.34+) — httpGet.host and tcpSocket.host must be unset or "". */
const noProbeHost: RuleFunction = (ctx) => {
  const c = ctx.target as Obj;
  let out: CheckResult[] | undefined;
  const check = (handler: unknown, base: string, field: string): void => {
    if (!isObj(handler)) return;
    for (const h of HANDLERS) {
      const action = handler[h];
      if (isObj(action) && typeof action.host === 'string' && action.host !== '') {
        (out ??= []).push({
          path: `${base}/${h}/host`,
          data: { field: `${field}.${h}.host`, host: action.host },
        });
      }
    }
  };
  for (const p of PROBES) check(c[p], `/${p}`, p);
  const lifecycle = c.lifecycle;
  if (isObj(lifecycle)) for (const h of HOOKS) check(lifecycle[h], `/lifecycle/${h}`, `lifecycle.${h}`);
  return out ?? NONE;
};

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Baseline: AppArmor — profile type RuntimeDefault/Localhost (fields) or runtime/default, localhost/* (annotations). */
const noUnconfinedApparmor: RuleFunction = (ctx) => {
  const pod = podSpecOf(ctx.object);
  if (!pod) return NONE;
  let out: CheckResult[] | undefined;
  const check = (sc: Obj | undefined, base: string, where: string): void => {
    const profile = sc?.appArmorProfile;
    if (!isObj(profile)) return;
    const type = profile.type;
    if (type === 'RuntimeDefault' || type === 'Localhost') return;
    const hasType = type !== undefined && type !== null;
    (out ??= []).push({
      path: `${base}/securityContext/appArmorProfile${hasType ? '/type' : ''}`,
      data: { where, state: `sets appArmorProfile.type: ${hasType ? show(type) : '(empty)'}` },
    });
  };
  check(secCtx(pod.spec), pod.pointer, POD_LEVEL);
  eachContainer(pod.spec, (c, p, name) => check(secCtx(c), pod.pointer + p, `Container ${name}`));

  // The deprecated per-container annotations live in the pod (template) metadata next to the spec.
  const metaPointer = pod.pointer.slice(0, -'/spec'.length) + '/metadata';
  const meta = podMetadataOf(ctx.object, metaPointer);
  const annotations = meta?.annotations;
  if (isObj(annotations)) {
    for (const key of Object.keys(annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
      const v = annotations[key];
      if (v === null || v === undefined || v === '' || v === 'runtime/default') continue;
      if (typeof v === 'string' && v.startsWith('localhost/')) continue;
      (out ??= []).push({
        path: `${metaPointer}/annotations/${escapeSegment(key)}`,
        data: { where: `Annotation ${key}`, state: `requests the AppArmor profile ${show(v)}` },
      });
    }
  }
  return out ?? NONE;
};

/** The metadata object of the pod (template) whose spec is at `pointer`/../spec. */
function podMetadataOf(object: Obj, metaPointer: string): Obj | undefined {
  let cur: unknown = object;
  for (const seg of metaPointer.slice(1).split('/')) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return isObj(cur) ? cur : undefined;
}

/** SELinux types the baseline admits (container_engine_t from policy v1.31). */
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

/** Baseline: SELinux — type from the allowed set, user and role unset or empty. */
const noCustomSelinuxOptions: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  let out: CheckResult[] | undefined;
  const check = (sc: Obj | undefined, base: string, where: string): void => {
    const o = sc?.seLinuxOptions;
    if (!isObj(o)) return;
    const p = `${base}/securityContext/seLinuxOptions`;
    if (typeof o.type === 'string' && !SELINUX_TYPES.has(o.type))
      (out ??= []).push({ path: `${p}/type`, data: { where, setting: `type ${o.type}` } });
    for (const f of ['user', 'role'] as const) {
      const v = o[f];
      if (typeof v === 'string' && v !== '')
        (out ??= []).push({ path: `${p}/${f}`, data: { where, setting: `${f} ${v}` } });
    }
  };
  check(secCtx(spec), '', POD_LEVEL);
  eachContainer(spec, (c, p, name) => check(secCtx(c), p, `Container ${name}`));
  return out ?? NONE;
};

/** Baseline: Seccomp — seccompProfile.type must not be Unconfined, pod and containers. */
const noUnconfinedSeccomp: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  let out: CheckResult[] | undefined;
  const check = (sc: Obj | undefined, base: string, where: string): void => {
    const profile = sc?.seccompProfile;
    if (!isObj(profile) || profile.type !== 'Unconfined') return;
    const path = `${base}/securityContext/seccompProfile/type`;
    (out ??= []).push({
      path,
      data: { where },
      fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: 'RuntimeDefault' }] },
    });
  };
  check(secCtx(spec), '', POD_LEVEL);
  eachContainer(spec, (c, p, name) => check(secCtx(c), p, `Container ${name}`));
  return out ?? NONE;
};

/**
 * The sysctls the admission controller accepts (check_sysctls.go): namespaced and isolated from
 * other pods. Additions by policy version: 1.27 ip_local_reserved_ports; 1.29 tcp_keepalive_time,
 * tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes; 1.32 tcp_rmem, tcp_wmem;
 * 1.37 tcp_slow_start_after_idle, tcp_notsent_lowat.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

/** Baseline: Sysctls — only the safe set (plus names the configuration allows). */
const noUnsafeSysctls: RuleFunction = (ctx) => {
  const sysctls = secCtx(ctx.target as Obj)?.sysctls;
  if (!Array.isArray(sysctls)) return NONE;
  const extra = ctx.options.allowedSysctls;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < sysctls.length; i++) {
    const s: unknown = sysctls[i];
    if (!isObj(s)) continue;
    const name = s.name;
    if (
      typeof name === 'string' &&
      (SAFE_SYSCTLS.has(name) || (Array.isArray(extra) && extra.includes(name)))
    )
      continue;
    (out ??= []).push({ path: `/securityContext/sysctls/${i}/name`, data: { sysctl: show(name) } });
  }
  return out ?? NONE;
};

// ---------------------------------------------------------------------------------------------
// Restricted

/** Volume sources the Restricted level admits (check_restrictedVolumes.go); `image` from v1.33. */
const CORE_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

/** Restricted: Volume Types — every volume must use one of the core sources. */
const noRestrictedVolumeTypes: RuleFunction = (ctx) => {
  const volumes = (ctx.target as Obj).volumes;
  if (!Array.isArray(volumes)) return NONE;
  const allowImage = ctx.options.allowImageVolumes !== false;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const v: unknown = volumes[i];
    if (!isObj(v)) continue;
    if (CORE_VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) continue;
    if (allowImage && v.image !== undefined && v.image !== null) continue;
    // The volume source is the one key beside `name`; a volume with none defaults to emptyDir.
    const source = Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (source === undefined) continue;
    (out ??= []).push({
      path: `/volumes/${i}/${escapeSegment(source)}`,
      target: 'key',
      data: { volume: typeof v.name === 'string' ? v.name : `#${i}`, volumeType: source },
    });
  }
  return out ?? NONE;
};

/**
 * Restricted: Privilege Escalation — allowPrivilegeEscalation must be false on every container.
 * Unset gets the rule's safe fix; the API server rejects `false` beside `privileged: true` or an
 * added CAP_SYS_ADMIN, so there the (unsafe) fix also takes those away.
 */
const noPrivilegeEscalation: RuleFunction = (ctx) => {
  if (isWindowsPod(podSpecFor(ctx))) return NONE;
  const c = ctx.target as Obj;
  const sc = secCtx(c);
  const ape = sc?.allowPrivilegeEscalation;
  if (ape === false) return NONE;
  const path = '/securityContext/allowPrivilegeEscalation';
  const also: JsonPatchOp[] = [];
  if (sc?.privileged === true)
    also.push({ op: 'replace', path: '/securityContext/privileged', value: false });
  const add = addedCapabilities(c);
  if (add)
    for (let i = add.length - 1; i >= 0; i--)
      if (add[i] === 'CAP_SYS_ADMIN')
        also.push({ op: 'remove', path: `/securityContext/capabilities/add/${i}` });
  if (ape !== undefined && ape !== null)
    return [
      {
        path,
        data: { state: `sets allowPrivilegeEscalation: ${show(ape)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: false }, ...also] },
      },
    ];
  return [
    {
      path: sc ? '/securityContext' : '',
      target: 'key',
      data: { state: 'does not set allowPrivilegeEscalation: false' },
      // Without a per-result fix the rule's own (safe) fix applies.
      fix:
        also.length > 0
          ? { safety: 'unsafe', patch: [{ op: 'add', path, value: false }, ...also] }
          : undefined,
    },
  ];
};

/**
 * Restricted: Running as Non-root — runAsNonRoot must be true on the pod or on every container.
 * A container's own value overrides the pod's; an explicit false anywhere (pod included) fails.
 */
const requireRunAsNonRoot: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  if (usesUserNamespace(spec)) return NONE;
  const podSc = secCtx(spec);
  const podValue = podSc?.runAsNonRoot;
  const podSet = podValue !== undefined && podValue !== null;
  let out: CheckResult[] | undefined;
  if (podSet && podValue !== true) {
    const path = '/securityContext/runAsNonRoot';
    out = [
      {
        path,
        data: { where: POD_LEVEL, state: `sets runAsNonRoot: ${show(podValue)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: true }] },
      },
    ];
  }
  eachContainer(spec, (c, p, name) => {
    const sc = secCtx(c);
    const v = sc?.runAsNonRoot;
    if (v === true) return;
    const where = `Container ${name}`;
    if (v !== undefined && v !== null) {
      const path = `${p}/securityContext/runAsNonRoot`;
      (out ??= []).push({
        path,
        data: { where, state: `sets runAsNonRoot: ${show(v)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: true }] },
      });
    } else if (podValue !== true) {
      (out ??= []).push({
        path: sc ? `${p}/securityContext` : p,
        target: 'key',
        data: { where, state: 'does not set runAsNonRoot: true, and neither does the pod' },
        // The rule's fix: one pod-level runAsNonRoot: true covers every container that sets nothing.
      });
    }
  });
  return out ?? NONE;
};

/** Restricted: Running as Non-root user — runAsUser must not be 0, pod or container. */
const noRunAsRootUser: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  if (usesUserNamespace(spec)) return NONE;
  let out: CheckResult[] | undefined;
  const check = (sc: Obj | undefined, base: string, where: string): void => {
    if (sc?.runAsUser === 0)
      (out ??= []).push({ path: `${base}/securityContext/runAsUser`, data: { where } });
  };
  check(secCtx(spec), '', POD_LEVEL);
  eachContainer(spec, (c, p, name) => check(secCtx(c), p, `Container ${name}`));
  return out ?? NONE;
};

const validRestrictedSeccomp = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost';

/**
 * Restricted: Seccomp — seccompProfile.type RuntimeDefault or Localhost on the pod, or on every
 * container that does not inherit it; an explicit other value anywhere fails.
 */
const requireSeccompProfile: RuleFunction = (ctx) => {
  const spec = ctx.target as Obj;
  if (isWindowsPod(spec)) return NONE;
  let out: CheckResult[] | undefined;
  // An explicit bad profile is replaced only by the (unsafe) per-result fix: someone chose it.
  const explicit = (profile: Obj, base: string, where: string): void => {
    const hasType = profile.type !== undefined && profile.type !== null;
    const at = `${base}/securityContext/seccompProfile`;
    (out ??= []).push({
      path: hasType ? `${at}/type` : at,
      data: { where, state: `sets seccompProfile.type to ${hasType ? show(profile.type) : '(empty)'}` },
      fix: { safety: 'unsafe', patch: [{ op: 'replace', path: at, value: { type: 'RuntimeDefault' } }] },
    });
  };
  const podProfile = secCtx(spec)?.seccompProfile;
  const podHasProfile = isObj(podProfile);
  const podOk = podHasProfile && validRestrictedSeccomp(podProfile.type);
  if (podHasProfile && !podOk) explicit(podProfile, '', POD_LEVEL);
  eachContainer(spec, (c, p, name) => {
    const sc = secCtx(c);
    const profile = sc?.seccompProfile;
    const where = `Container ${name}`;
    if (isObj(profile)) {
      if (!validRestrictedSeccomp(profile.type)) explicit(profile, p, where);
    } else if (!podOk) {
      (out ??= []).push({
        path: sc ? `${p}/securityContext` : p,
        target: 'key',
        data: { where, state: 'sets no seccompProfile, and the pod sets no allowed one' },
        // The pod-level profile is bad: its own finding carries the (unsafe) fix. Otherwise the
        // rule's safe fix adds a pod-level RuntimeDefault, which only containers without a
        // profile of their own inherit.
        fix: podHasProfile
          ? {
              safety: 'unsafe',
              patch: [
                { op: 'replace', path: '/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } },
              ],
            }
          : undefined,
      });
    }
  });
  return out ?? NONE;
};

/** Restricted: Capabilities — every container must drop ALL. */
const requireDropAllCapabilities: RuleFunction = (ctx) => {
  if (isWindowsPod(podSpecFor(ctx))) return NONE;
  const c = ctx.target as Obj;
  const sc = secCtx(c);
  const caps = sc?.capabilities;
  const drop = isObj(caps) ? caps.drop : undefined;
  if (Array.isArray(drop) && drop.includes('ALL')) return NONE;
  const patch: JsonPatchOp[] = Array.isArray(drop)
    ? [{ op: 'add', path: '/securityContext/capabilities/drop/-', value: 'ALL' }]
    : [{ op: 'add', path: '/securityContext/capabilities/drop', value: ['ALL'] }];
  return [
    {
      path: closest(c, '', ['securityContext', 'capabilities', 'drop']),
      target: Array.isArray(drop) ? 'value' : 'key',
      fix: { safety: 'unsafe', patch },
    },
  ];
};

/** Restricted: Capabilities — a container may add back only NET_BIND_SERVICE. */
const noAddedCapabilities: RuleFunction = (ctx) => {
  const add = addedCapabilities(ctx.target as Obj);
  if (!add || isWindowsPod(podSpecFor(ctx))) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < add.length; i++) {
    if (add[i] === 'NET_BIND_SERVICE') continue;
    (out ??= []).push({ path: `/securityContext/capabilities/add/${i}`, data: { capability: show(add[i]) } });
  }
  return out ?? NONE;
};

export const functions: Record<string, RuleFunction> = {
  'no-host-process': noHostProcess,
  'no-non-default-capabilities': noNonDefaultCapabilities,
  'no-host-path': noHostPath,
  'no-host-port': noHostPort,
  'no-probe-host': noProbeHost,
  'no-unconfined-apparmor': noUnconfinedApparmor,
  'no-custom-selinux-options': noCustomSelinuxOptions,
  'no-unconfined-seccomp': noUnconfinedSeccomp,
  'no-unsafe-sysctls': noUnsafeSysctls,
  'no-restricted-volume-types': noRestrictedVolumeTypes,
  'no-privilege-escalation': noPrivilegeEscalation,
  'require-run-as-non-root': requireRunAsNonRoot,
  'no-run-as-root-user': noRunAsRootUser,
  'require-seccomp-profile': requireSeccompProfile,
  'require-drop-all-capabilities': requireDropAllCapabilities,
  'no-added-capabilities': noAddedCapabilities,
};
