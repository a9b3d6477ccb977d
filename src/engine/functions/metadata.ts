/**
 * Check functions for the metadata area: labels and annotations (syntax, required and recommended
 * keys), selector ↔ pod template matching, namespaces, secret hygiene (literal credentials, Secret
 * manifests, Secrets as environment variables, service account token automount) and network
 * exposure (Service types, Ingress TLS, NetworkPolicy coverage).
 *
 * Findings of the secret rules never contain a secret value: messages name the variable or key only.
 */
import { POD_SPEC_POINTER, escapeSegment } from '../kinds.js';
import { compilePattern, type Pattern } from '../regex.js';
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';
import type { KubeObject } from '../types.js';

type Obj = Record<string, unknown>;

const NONE: CheckResult[] = [];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objAt = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);

/** Walk pre-split pointer segments (no allocation per call). */
function dig(root: unknown, segs: readonly string[]): unknown {
  let cur = root;
  for (const s of segs) {
    if (!isObj(cur)) return undefined;
    cur = cur[s];
  }
  return cur;
}

/** Pointer of the deepest existing object along `segs` (the closest existing parent of a missing field). */
function closest(root: unknown, segs: readonly string[]): string {
  let cur = root;
  let out = '';
  for (const s of segs) {
    if (!isObj(cur) || !(s in cur) || cur[s] === null || cur[s] === undefined) return out;
    cur = cur[s];
    out += '/' + escapeSegment(s);
  }
  return out;
}

const ptr = (segs: readonly string[]): string =>
  segs.length === 0 ? '' : '/' + segs.map(escapeSegment).join('/');
/** `spec.template.metadata.labels` for messages. */
const dotted = (segs: readonly string[]): string => {
  let out = '';
  for (const s of segs) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out;
};

/** Print a key in a message: quoted, shortened when absurdly long. */
const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

// ---------------------------------------------------------------------------------------------
// Where metadata, pod templates and selectors live in each kind.

/** Segments of the pod template's metadata (Pod: its own metadata). */
const POD_META: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(POD_SPEC_POINTER).map(([kind, p]) => [
    kind,
    kind === 'Pod' ? ['metadata'] : [...p.slice(1).split('/').slice(0, -1), 'metadata'],
  ]),
);

/** Nested object metadata that becomes the metadata of other objects (besides the top level). */
const NESTED_META: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Deployment: [['spec', 'template', 'metadata']],
  StatefulSet: [['spec', 'template', 'metadata']],
  DaemonSet: [['spec', 'template', 'metadata']],
  ReplicaSet: [['spec', 'template', 'metadata']],
  ReplicationController: [['spec', 'template', 'metadata']],
  Job: [['spec', 'template', 'metadata']],
  CronJob: [
    ['spec', 'jobTemplate', 'metadata'],
    ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  ],
  PodTemplate: [['template', 'metadata']],
};

/** Visit every metadata object of a resource: its own, its templates', StatefulSet claim templates'. */
function forEachMetadata(object: KubeObject, visit: (segs: readonly string[], meta: Obj) => void): void {
  const own = objAt(object.metadata);
  if (own) visit(['metadata'], own);
  const kind = object.kind as string;
  const nested = NESTED_META[kind];
  if (nested) {
    for (const segs of nested) {
      const m = objAt(dig(object, segs));
      if (m) visit(segs, m);
    }
  }
  if (kind === 'StatefulSet') {
    const vcts = dig(object, ['spec', 'volumeClaimTemplates']);
    if (Array.isArray(vcts)) {
      vcts.forEach((t, i) => {
        const m = objAt(objAt(t)?.metadata);
        if (m) visit(['spec', 'volumeClaimTemplates', String(i), 'metadata'], m);
      });
    }
  }
}

/** LabelSelector fields (matchLabels/matchExpressions) of each kind. */
const LABEL_SELECTORS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Deployment: [['spec', 'selector']],
  StatefulSet: [['spec', 'selector']],
  DaemonSet: [['spec', 'selector']],
  ReplicaSet: [['spec', 'selector']],
  Job: [['spec', 'selector']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'selector']],
  PodDisruptionBudget: [['spec', 'selector']],
  NetworkPolicy: [['spec', 'podSelector']],
};

/** Plain map selectors (`key: value`). */
const MAP_SELECTORS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Service: [['spec', 'selector']],
  ReplicationController: [['spec', 'selector']],
};

/** Visit every label selector of a resource, including NetworkPolicy peers. */
function forEachLabelSelector(object: KubeObject, visit: (segs: readonly string[], sel: Obj) => void): void {
  const kind = object.kind as string;
  for (const segs of LABEL_SELECTORS[kind] ?? []) {
    const s = objAt(dig(object, segs));
    if (s) visit(segs, s);
  }
  if (kind !== 'NetworkPolicy') return;
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = dig(object, ['spec', dir]);
    if (!Array.isArray(rules)) continue;
    rules.forEach((r, i) => {
      const list = objAt(r)?.[peers];
      if (!Array.isArray(list)) return;
      list.forEach((p, j) => {
        const peer = objAt(p);
        if (!peer) return;
        for (const f of ['podSelector', 'namespaceSelector']) {
          const s = objAt(peer[f]);
          if (s) visit(['spec', dir, String(i), peers, String(j), f], s);
        }
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Label and annotation syntax, as the API server validates it
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set).

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why `key` is not a valid label/annotation key (optional DNS-subdomain prefix, "/", name), or undefined. */
export function keyProblem(key: string): string | undefined {
  let name = key;
  const slash = key.indexOf('/');
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) return 'a key may contain at most one "/"';
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix === '') return 'the prefix before "/" is empty';
    if (prefix.length > 253) return `the prefix is ${prefix.length} characters long (at most 253)`;
    if (!DNS_SUBDOMAIN.test(prefix))
      return 'the prefix must be a DNS subdomain (lowercase alphanumerics, "-" and ".", starting and ending with an alphanumeric)';
  }
  if (name === '') return slash >= 0 ? 'the name after "/" is empty' : 'the key is empty';
  if (name.length > 63) return `the name part is ${name.length} characters long (at most 63)`;
  if (!QUALIFIED_NAME.test(name))
    return 'the name part must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

/** Why `value` is not a valid label value (empty, or ≤ 63 of [A-Za-z0-9-_.] with alphanumeric ends), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `the value is ${value.length} characters long (at most 63)`;
  if (!QUALIFIED_NAME.test(value))
    return 'the value must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

function checkLabelMap(map: Obj, segs: readonly string[], what: string, out: CheckResult[]): void {
  for (const key in map) {
    const kp = keyProblem(key);
    if (kp)
      out.push({
        path: ptr(segs) + '/' + escapeSegment(key),
        target: 'key',
        data: { detail: `${what} key ${quote(key)} in ${dotted(segs)}: ${kp}` },
      });
    const v = map[key];
    const vp = typeof v === 'string' ? labelValueProblem(v) : undefined;
    if (vp)
      out.push({
        path: ptr(segs) + '/' + escapeSegment(key),
        data: { detail: `value of ${what} ${quote(key)} in ${dotted(segs)}: ${vp}` },
      });
  }
}

function checkLabelSelector(sel: Obj, segs: readonly string[], out: CheckResult[]): void {
  const ml = objAt(sel.matchLabels);
  if (ml) checkLabelMap(ml, [...segs, 'matchLabels'], 'selector', out);
  const me = sel.matchExpressions;
  if (!Array.isArray(me)) return;
  me.forEach((e, i) => {
    const expr = objAt(e);
    if (!expr) return;
    const eSegs = [...segs, 'matchExpressions', String(i)];
    if (typeof expr.key === 'string') {
      const kp = keyProblem(expr.key);
      if (kp)
        out.push({
          path: ptr([...eSegs, 'key']),
          data: { detail: `selector key ${quote(expr.key)} in ${dotted(eSegs)}: ${kp}` },
        });
    }
    if (Array.isArray(expr.values)) {
      expr.values.forEach((v, j) => {
        if (typeof v !== 'string') return;
        const vp = labelValueProblem(v);
        if (vp)
          out.push({
            path: ptr([...eSegs, 'values', String(j)]),
            data: { detail: `selector value in ${dotted(eSegs)}: ${vp}` },
          });
      });
    }
  });
}

/** no-invalid-labels: label keys/values of metadata, templates and selectors. */
const noInvalidLabels: RuleFunction = (ctx) => {
  const out: CheckResult[] = [];
  forEachMetadata(ctx.object, (segs, meta) => {
    const labels = objAt(meta.labels);
    if (labels) checkLabelMap(labels, [...segs, 'labels'], 'label', out);
  });
  forEachLabelSelector(ctx.object, (segs, sel) => checkLabelSelector(sel, segs, out));
  for (const segs of MAP_SELECTORS[ctx.object.kind as string] ?? []) {
    const m = objAt(dig(ctx.object, segs));
    if (m) checkLabelMap(m, segs, 'selector', out);
  }
  return out.length ? out : NONE;
};

/** The API server's cap on the total size of an object's annotations (keys plus values, bytes). */
const ANNOTATIONS_LIMIT = 256 * 1024;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** no-invalid-annotations: annotation keys (validated lower-cased, as the API server does) and total size. */
const noInvalidAnnotations: RuleFunction = (ctx) => {
  const out: CheckResult[] = [];
  forEachMetadata(ctx.object, (segs, meta) => {
    const ann = objAt(meta.annotations);
    if (!ann) return;
    const aSegs = [...segs, 'annotations'];
    let chars = 0;
    for (const key in ann) {
      const kp = keyProblem(key.toLowerCase());
      if (kp)
        out.push({
          path: ptr(aSegs) + '/' + escapeSegment(key),
          target: 'key',
          data: { detail: `an invalid annotation key ${quote(key)} in ${dotted(aSegs)}: ${kp}` },
        });
      const v = ann[key];
      chars += key.length + (typeof v === 'string' ? v.length : 0);
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes: only count bytes when the cap may be reached.
    if (chars * 3 > ANNOTATIONS_LIMIT) {
      let bytes = 0;
      for (const key in ann) {
        const v = ann[key];
        bytes += utf8Length(key) + (typeof v === 'string' ? utf8Length(v) : 0);
      }
      if (bytes > ANNOTATIONS_LIMIT)
        out.push({
          path: ptr(aSegs),
          target: 'key',
          data: {
            detail: `annotations in ${dotted(aSegs)} that take ${bytes} bytes, more than the 262144 (256 KiB) the API server accepts`,
          },
        });
    }
  });
  return out.length ? out : NONE;
};

// ---------------------------------------------------------------------------------------------
// Label selectors

/** Does one matchExpressions requirement select `labels`? Unknown operators select nothing. */
function expressionMatches(expr: Obj, labels: Obj | undefined): boolean {
  const key = expr.key;
  if (typeof key !== 'string') return false;
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);
  const values = Array.isArray(expr.values) ? expr.values : [];
  switch (expr.operator) {
    case 'In':
      return has && values.includes(labels[key]);
    case 'NotIn':
      return !has || !values.includes(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** Does a LabelSelector select `labels`? An empty selector selects everything. */
export function selectorMatches(sel: Obj, labels: Obj | undefined): boolean {
  const ml = objAt(sel.matchLabels);
  if (ml) for (const k in ml) if (labels?.[k] !== ml[k]) return false;
  const me = sel.matchExpressions;
  if (Array.isArray(me)) for (const e of me) if (isObj(e) && !expressionMatches(e, labels)) return false;
  return true;
}

/** Kinds whose selector the API server requires to select the pod template's labels. */
const SELECTOR_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);
/** apps/v1 kinds reject an empty selector. */
const NON_EMPTY_SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const LABELS_SEGS = ['spec', 'template', 'metadata', 'labels'];

/** no-selector-mismatch: each selector requirement must select the pod template's labels. */
const noSelectorMismatch: RuleFunction = (ctx) => {
  const object = ctx.object;
  const kind = object.kind as string;
  if (!SELECTOR_KINDS.has(kind)) return NONE;
  const spec = objAt(object.spec);
  const sel = objAt(spec?.selector);
  if (!spec || !sel) return NONE; // absent: required by the schema (apps/v1) or generated (Job, RC)
  const labels = objAt(dig(object, LABELS_SEGS));
  const out: CheckResult[] = [];
  const labelsPtr = ptr(LABELS_SEGS);

  const mismatch = (what: string): Record<string, string> => ({
    problem: `has selector ${what}, which the pod template's labels do not satisfy`,
  });
  const missing = (key: string, value: unknown, path: string, what: string): void => {
    const r: CheckResult = { path, data: mismatch(what) };
    // Adding the label to the template is the likely intent, but it also changes every pod.
    if (typeof value === 'string')
      r.fix = { safety: 'unsafe', patch: [{ op: 'add', path: `${labelsPtr}/${escapeSegment(key)}`, value }] };
    out.push(r);
  };

  if (kind === 'ReplicationController') {
    // A plain map; when empty or absent it defaults to the template's labels.
    for (const k in sel) {
      if (labels?.[k] === sel[k]) continue;
      const what = `${k}=${String(sel[k])}`;
      if (labels && k in labels)
        out.push({ path: `/spec/selector/${escapeSegment(k)}`, data: mismatch(what) });
      else missing(k, sel[k], `/spec/selector/${escapeSegment(k)}`, what);
    }
    return out.length ? out : NONE;
  }

  const ml = objAt(sel.matchLabels);
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : undefined;
  let requirements = 0;
  if (ml) {
    for (const k in ml) {
      requirements++;
      if (labels?.[k] === ml[k]) continue;
      const path = `/spec/selector/matchLabels/${escapeSegment(k)}`;
      const what = `matchLabels ${k}=${String(ml[k])}`;
      if (labels && k in labels) out.push({ path, data: mismatch(what) });
      else missing(k, ml[k], path, what);
    }
  }
  if (me) {
    me.forEach((e, i) => {
      if (!isObj(e)) return;
      requirements++;
      if (expressionMatches(e, labels)) return;
      const values = Array.isArray(e.values) ? ` (${e.values.map(String).join(', ')})` : '';
      out.push({
        path: `/spec/selector/matchExpressions/${i}`,
        data: mismatch(`matchExpressions ${String(e.key)} ${String(e.operator)}${values}`),
      });
    });
  }
  if (requirements === 0 && NON_EMPTY_SELECTOR_KINDS.has(kind))
    out.push({
      path: '/spec/selector',
      target: 'key',
      data: {
        problem:
          'has an empty selector, which would select every pod of the namespace and which the API server rejects',
      },
    });
  return out.length ? out : NONE;
};

// ---------------------------------------------------------------------------------------------
// Required and recommended labels / annotations

interface KeyRequirement {
  key: string;
  pattern?: Pattern;
  source?: string;
}

interface CompiledRequirements {
  keys: KeyRequirement[];
  kinds?: Set<string>;
  podTemplates: boolean;
}

const compiledOptions = new WeakMap<object, CompiledRequirements>();

function compileRequirements(
  options: Record<string, unknown>,
  field: 'labels' | 'annotations',
  ruleId: string,
): CompiledRequirements {
  let c = compiledOptions.get(options);
  if (c) return c;
  const raw = Array.isArray(options[field]) ? (options[field] as unknown[]) : [];
  const keys: KeyRequirement[] = raw.map((item, i) => {
    if (typeof item === 'string') return { key: item };
    const o = objAt(item) ?? {};
    const key = typeof o.key === 'string' ? o.key : '';
    if (typeof o.pattern !== 'string') return { key };
    try {
      // The pattern must match the whole value (RE2: linear time, as OPA and the API server).
      return { key, pattern: compilePattern(o.pattern), source: o.pattern };
    } catch (e) {
      throw new Error(
        `rule "${ruleId}": option ${field}[${i}].pattern is not a valid regular expression: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  });
  const kinds =
    Array.isArray(options.kinds) && options.kinds.length ? new Set(options.kinds.map(String)) : undefined;
  c = { keys, kinds, podTemplates: options.podTemplates === true };
  compiledOptions.set(options, c);
  return c;
}

/** Sites checked by the required/recommended key rules: the object's metadata and (optionally) its pod template's. */
function requirementSites(
  object: KubeObject,
  podTemplates: boolean,
): Array<{ segs: readonly string[]; template: boolean }> {
  const sites: Array<{ segs: readonly string[]; template: boolean }> = [
    { segs: ['metadata'], template: false },
  ];
  const kind = object.kind as string;
  if (podTemplates && kind !== 'Pod' && POD_META[kind]) sites.push({ segs: POD_META[kind], template: true });
  return sites;
}

function requireKeys(
  ctx: CheckContext,
  field: 'labels' | 'annotations',
  ruleId: string,
  noun: string,
  adjective: string,
): CheckResult[] {
  const req = compileRequirements(ctx.options, field, ruleId);
  if (req.keys.length === 0) return NONE;
  if (req.kinds && !req.kinds.has(ctx.object.kind as string)) return NONE;
  let out: CheckResult[] | undefined;
  for (const { segs, template } of requirementSites(ctx.object, req.podTemplates)) {
    const mapSegs = [...segs, field];
    const map = objAt(dig(ctx.object, mapSegs));
    for (const r of req.keys) {
      const v = map?.[r.key];
      if (v === undefined || v === null) {
        (out ??= []).push({
          path: map ? ptr(mapSegs) : closest(ctx.object, mapSegs),
          target: 'key',
          data: {
            problem: `${template ? 'has a pod template that lacks' : 'lacks'} the ${adjective} ${noun} ${quote(r.key)}`,
          },
        });
      } else if (r.pattern && !r.pattern.testFull(typeof v === 'string' ? v : JSON.stringify(v))) {
        (out ??= []).push({
          path: ptr(mapSegs) + '/' + escapeSegment(r.key),
          data: {
            problem: `${template ? 'has a pod template whose' : 'has'} ${noun} ${quote(r.key)} ${template ? 'does not match' : 'with a value that does not match'} /${r.source}/`,
          },
        });
      } else if (!r.pattern && v === '' && field === 'labels' && adjective === 'recommended') {
        (out ??= []).push({
          path: ptr(mapSegs) + '/' + escapeSegment(r.key),
          data: {
            problem: `${template ? 'has a pod template that sets' : 'sets'} the ${adjective} ${noun} ${quote(r.key)} to an empty value`,
          },
        });
      }
    }
  }
  return out ?? NONE;
}

const requireLabels: RuleFunction = (ctx) =>
  requireKeys(ctx, 'labels', 'require-labels', 'label', 'required');
const requireAnnotations: RuleFunction = (ctx) =>
  requireKeys(ctx, 'annotations', 'require-annotations', 'annotation', 'required');
const requireRecommendedLabels: RuleFunction = (ctx) =>
  requireKeys(ctx, 'labels', 'require-recommended-labels', 'label', 'recommended');

// ---------------------------------------------------------------------------------------------
// Namespaces

/** Built-in cluster-scoped kinds: they have no namespace. */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** no-default-namespace: explicit `namespace: default`; optionally also no namespace at all. Target: metadata. */
const noDefaultNamespace: RuleFunction = (ctx) => {
  const kind = ctx.object.kind as string;
  if (CLUSTER_SCOPED.has(kind)) return NONE;
  const extra = ctx.options.clusterScopedKinds;
  if (Array.isArray(extra) && extra.includes(kind)) return NONE;
  const ns = objAt(ctx.target)?.namespace;
  if (ns === 'default')
    return [{ path: '/namespace', data: { problem: 'is placed in the default namespace' } }];
  if ((ns === undefined || ns === null || ns === '') && ctx.options.requireNamespace === true)
    return [
      {
        path: '',
        target: 'key',
        data: {
          problem:
            'sets no namespace, so it lands in whatever namespace the deploying tool defaults to (often default)',
        },
      },
    ];
  return NONE;
};

// ---------------------------------------------------------------------------------------------
// Secret-looking values. Heuristics (documented in the rules' `why`):
//  - by format, anywhere in a value: PEM private keys, AWS access key ids (AKIA/ASIA…), GitHub tokens
//    (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack tokens (xox?-), JWTs (eyJ….eyJ….), Google API keys
//    (AIza…), Stripe live keys (sk_live_/rk_live_) and URLs with an embedded password (scheme://user:pass@);
//  - by name: a single-line literal whose variable/key name contains a secret word (password, passwd,
//    passphrase, pass, secret, token, credential(s), creds, api key, private key, secret key, signing /
//    encryption / master / license / client key …) not followed by a qualifier that makes it metadata about
//    the secret (…_FILE, _PATH, _NAME, _REF, _URL, _TTL, _LENGTH, _ENABLED, _TYPE, _HEADER, _ID …), and
//    whose value is not harmless (empty, boolean, number or duration, absolute path, $(VAR) / ${VAR} /
//    {{ }} reference, <placeholder>, URL without credentials, masked *** value, or prose with spaces).

interface CredentialFormat {
  re: RegExp;
  label: string;
}

const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/, label: 'a PEM private key' },
  { re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, label: 'an AWS access key id' },
  { re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, label: 'a GitHub token' },
  { re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/, label: 'a GitHub token' },
  { re: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/, label: 'a Slack token' },
  {
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/,
    label: 'a JSON Web Token',
  },
  { re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, label: 'a Google API key' },
  { re: /(?<![A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,}/, label: 'a Stripe live key' },
];

const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/gi;

const isReference = (s: string): boolean => s.includes('$(') || s.includes('${') || s.includes('{{');

/** What credential format `value` contains, if any (never returns the value itself). */
export function credentialFormatIn(value: string): string | undefined {
  for (const f of CREDENTIAL_FORMATS) if (f.re.test(value)) return f.label;
  if (value.includes('://')) {
    URL_WITH_PASSWORD.lastIndex = 0;
    for (let m = URL_WITH_PASSWORD.exec(value); m; m = URL_WITH_PASSWORD.exec(value)) {
      const pw = m[1]!;
      if (!isReference(pw) && !/^([*xX.#])\1*$/.test(pw)) return 'a URL with an embedded password';
    }
  }
  return undefined;
}

/** Words that make a name secret-like. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pass',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'apikeys',
  'privatekey',
  'secretkey',
]);
/** Suffixes that make a compound word secret-like (dbpassword, clientsecret, accesstoken). */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'secret',
  'token',
  'credentials',
  'apikey',
  'privatekey',
  'secretkey',
];
/** `<word> key` pairs that name a secret key. */
const KEY_PREFIXES = new Set([
  'api',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'license',
  'licence',
  'client',
  'hmac',
  'jwt',
]);
/** Words after a secret word that make the name metadata about the secret, not the secret. */
const QUALIFIERS = new Set([
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'directory',
  'name',
  'names',
  'ref',
  'reference',
  'url',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'ttl',
  'expiry',
  'expiration',
  'expires',
  'expire',
  'lifetime',
  'timeout',
  'duration',
  'seconds',
  'secs',
  'minutes',
  'mins',
  'hours',
  'days',
  'age',
  'interval',
  'length',
  'len',
  'size',
  'min',
  'minimum',
  'max',
  'maximum',
  'count',
  'limit',
  'bits',
  'rounds',
  'enabled',
  'disabled',
  'enable',
  'disable',
  'required',
  'type',
  'mode',
  'format',
  'header',
  'policy',
  'version',
  'algorithm',
  'alg',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'prefix',
  'suffix',
  'field',
  'param',
  'parameter',
  'id',
  'provider',
  'store',
  'manager',
  'region',
  'location',
  'mount',
  'volume',
  'hint',
  'reset',
  'rule',
  'rules',
  'strength',
  'complexity',
  'prompt',
  'label',
  'message',
  'text',
  'subject',
  'template',
  'help',
  'source',
  'namespace',
]);

/** Split an identifier into lower-case words: DB_PASSWORD, dbPassword, db.password, APIKey → […]. */
function words(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const isUpper = c >= 'A' && c <= 'Z';
    const isAlnum = isUpper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!isAlnum) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    if (isUpper && cur) {
      const prev = name[i - 1]!;
      const next = name[i + 1];
      const prevLower = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
      const nextLower = next !== undefined && next >= 'a' && next <= 'z';
      const prevUpper = prev >= 'A' && prev <= 'Z';
      if (prevLower || (prevUpper && nextLower)) {
        out.push(cur);
        cur = '';
      }
    }
    cur += c.toLowerCase();
  }
  if (cur) out.push(cur);
  return out;
}

/** Does a variable or key name suggest that its value is a secret? */
export function nameSuggestsSecret(name: string): boolean {
  const ws = words(name);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const secret =
      SECRET_WORDS.has(w) ||
      SECRET_SUFFIXES.some((s) => w.endsWith(s)) ||
      (w === 'key' && i > 0 && KEY_PREFIXES.has(ws[i - 1]!));
    if (!secret) continue;
    let qualified = false;
    for (let j = i + 1; j < ws.length; j++) if (QUALIFIERS.has(ws[j]!)) qualified = true;
    if (!qualified) return true;
  }
  return false;
}

/** Values that are not secrets whatever the name says (see the heuristics above). */
export function harmlessValue(value: string): boolean {
  const t = value.trim();
  if (t === '') return true;
  // Prose (three words or more) or a multi-line file: left to the format heuristics.
  if (t.includes('\n') || t.split(/\s+/).length >= 3) return true;
  if (/^(true|false|yes|no|on|off|enabled|disabled|none|null|nil|required|optional)$/i.test(t)) return true;
  if (/^-?\d+(\.\d+)?(ns|us|ms|s|m|h|d|w|k|ki|mi|gi|ti|g|t|kb|mb|gb|%)?$/i.test(t)) return true; // 3600, 30s, 256Mi
  if (t.startsWith('/') || t.startsWith('./') || t.startsWith('~/')) return true;
  if (isReference(t)) return true;
  if (/^<[^<>]*>$/.test(t)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(t)) return true;
  if (/^([*xX.#-])\1*$/.test(t)) return true;
  return false;
}

/** Why a literal `value` under `name` looks like a secret, or undefined. Never includes the value. */
export function secretReason(name: string, value: string): string | undefined {
  const format = credentialFormatIn(value);
  if (format) return `the value looks like ${format}`;
  if (nameSuggestsSecret(name) && !harmlessValue(value)) return 'the name suggests a credential';
  return undefined;
}

/** no-secret-literals-in-env: literal secret-looking env values. Target: container. */
const noSecretLiteralsInEnv: RuleFunction = (ctx) => {
  const env = objAt(ctx.target)?.env;
  if (!Array.isArray(env)) return NONE;
  const ignore = Array.isArray(ctx.options.ignoreNames) ? (ctx.options.ignoreNames as unknown[]) : undefined;
  let out: CheckResult[] | undefined;
  env.forEach((e, i) => {
    const v = objAt(e);
    if (!v || typeof v.name !== 'string' || typeof v.value !== 'string' || v.value === '') return;
    if (ignore?.includes(v.name)) return;
    const reason = secretReason(v.name, v.value);
    if (reason) (out ??= []).push({ path: `/env/${i}/value`, data: { variable: v.name, reason } });
  });
  return out ?? NONE;
};

/** no-secret-literals-in-configmap: secret-looking ConfigMap data. Target: resource. */
const noSecretLiteralsInConfigMap: RuleFunction = (ctx) => {
  let out: CheckResult[] | undefined;
  const ignore = Array.isArray(ctx.options.ignoreKeys) ? (ctx.options.ignoreKeys as unknown[]) : undefined;
  const data = objAt(ctx.object.data);
  if (data) {
    for (const key in data) {
      const v = data[key];
      if (typeof v !== 'string' || v === '' || ignore?.includes(key)) continue;
      const reason = secretReason(key, v);
      if (reason)
        (out ??= []).push({ path: `/data/${escapeSegment(key)}`, target: 'key', data: { key, reason } });
    }
  }
  const bin = objAt(ctx.object.binaryData);
  if (bin) {
    for (const key in bin) {
      const v = bin[key];
      if (typeof v !== 'string' || v === '' || ignore?.includes(key)) continue;
      if (nameSuggestsSecret(key))
        (out ??= []).push({
          path: `/binaryData/${escapeSegment(key)}`,
          target: 'key',
          data: { key, reason: 'the name suggests a credential' },
        });
    }
  }
  return out ?? NONE;
};

/** no-secret-data-in-manifests: Secrets that carry data or stringData (opt-in). Target: resource. */
const noSecretDataInManifests: RuleFunction = (ctx) => {
  const o = ctx.options;
  const secret = ctx.object;
  if ('sops' in secret) return NONE; // encrypted with SOPS: values are ciphertext
  const type = typeof secret.type === 'string' ? secret.type : 'Opaque';
  if (Array.isArray(o.ignoreTypes) && o.ignoreTypes.includes(type)) return NONE;
  let out: CheckResult[] | undefined;
  for (const field of ['data', 'stringData'] as const) {
    if (o[field] === false) continue;
    const m = objAt(secret[field]);
    if (!m) continue;
    const keys: string[] = [];
    for (const k in m) {
      const v = m[k];
      if (typeof v === 'string' && v !== '' && !v.startsWith('ENC[')) keys.push(k);
    }
    if (keys.length === 0) continue;
    const shown =
      keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more` : keys.join(', ');
    (out ??= []).push({ path: `/${field}`, target: 'key', data: { field, keys: shown } });
  }
  return out ?? NONE;
};

/** no-secrets-as-env: Secrets consumed as environment variables (opt-in). Target: container. */
const noSecretsAsEnv: RuleFunction = (ctx) => {
  const c = objAt(ctx.target);
  if (!c) return NONE;
  let out: CheckResult[] | undefined;
  if (Array.isArray(c.env)) {
    c.env.forEach((e, i) => {
      const ref = objAt(objAt(objAt(e)?.valueFrom)?.secretKeyRef);
      if (!ref) return;
      const name = objAt(e)?.name;
      const variable = typeof name === 'string' ? name : `#${i}`;
      (out ??= []).push({
        path: `/env/${i}/valueFrom/secretKeyRef`,
        target: 'key',
        data: {
          secret: typeof ref.name === 'string' ? ref.name : '(unnamed)',
          via: `environment variable ${variable}`,
        },
      });
    });
  }
  if (Array.isArray(c.envFrom)) {
    c.envFrom.forEach((e, i) => {
      const ref = objAt(objAt(e)?.secretRef);
      if (!ref) return;
      (out ??= []).push({
        path: `/envFrom/${i}/secretRef`,
        target: 'key',
        data: {
          secret: typeof ref.name === 'string' ? ref.name : '(unnamed)',
          via: 'envFrom (every key becomes a variable)',
        },
      });
    });
  }
  return out ?? NONE;
};

// ---------------------------------------------------------------------------------------------
// Service account token automount

/** `namespace/name` → the ServiceAccount's automountServiceAccountToken (undefined when unset). */
type SaIndex = Map<string, boolean | undefined>;

/** The object's namespace; one without `metadata.namespace` counts as `default` (as in the other set rules). */
const nsOf = (object: KubeObject): string => {
  const ns = objAt(object.metadata)?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
};

function serviceAccounts(ctx: CheckContext): SaIndex {
  const key = 'no-automount-service-account-token';
  let idx = ctx.env.memo.get(key) as SaIndex | undefined;
  if (idx) return idx;
  idx = new Map();
  for (const r of ctx.env.resources) {
    const o = r.object;
    if (o.kind !== 'ServiceAccount') continue;
    const name = objAt(o.metadata)?.name;
    if (typeof name !== 'string') continue;
    const a = o.automountServiceAccountToken;
    idx.set(`${nsOf(o)}/${name}`, typeof a === 'boolean' ? a : undefined);
  }
  ctx.env.memo.set(key, idx);
  return idx;
}

/** no-automount-service-account-token: the token is mounted only because nobody opted out. Target: podSpec. */
const noAutomountServiceAccountToken: RuleFunction = (ctx) => {
  const spec = objAt(ctx.target);
  if (!spec) return NONE;
  if (typeof spec.automountServiceAccountToken === 'boolean') return NONE; // an explicit choice either way
  const sa =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
      ? spec.serviceAccountName
      : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== ''
        ? spec.serviceAccount
        : 'default';
  const idx = serviceAccounts(ctx);
  const ns = nsOf(ctx.object);
  const k = `${ns}/${sa}`;
  if (idx.has(k) && typeof idx.get(k) === 'boolean') return NONE; // the ServiceAccount decides
  const reason = idx.has(k)
    ? 'neither the pod spec nor the ServiceAccount sets automountServiceAccountToken'
    : `the pod spec does not set automountServiceAccountToken and the ServiceAccount is not among the linted resources of namespace ${ns}`;
  return [{ path: '', target: 'key', data: { serviceAccount: sa, reason } }];
};

// ---------------------------------------------------------------------------------------------
// Network exposure

/** Annotations that make a cloud load balancer internal (not reachable from the internet). */
const INTERNAL_LB: ReadonlyArray<readonly [string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', /^intranet$/i],
];

/** require-load-balancer-source-ranges. Target: resource (Service). */
const requireLoadBalancerSourceRanges: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object.spec);
  if (spec?.type !== 'LoadBalancer') return NONE;
  const ranges = spec.loadBalancerSourceRanges;
  if (Array.isArray(ranges) && ranges.length > 0) return NONE;
  const ann = objAt(objAt(ctx.object.metadata)?.annotations);
  if (ann) {
    const a = ann['service.beta.kubernetes.io/load-balancer-source-ranges'];
    if (typeof a === 'string' && a.trim() !== '') return NONE;
    for (const [k, re] of INTERNAL_LB) {
      const v = ann[k];
      if (typeof v === 'string' && re.test(v)) return NONE;
    }
  }
  return [{ path: Array.isArray(ranges) ? '/spec/loadBalancerSourceRanges' : '/spec/type' }];
};

/** Does TLS host `tls` cover rule host `host`? `*.example.com` covers exactly one extra label. */
function tlsCovers(tls: string, host: string): boolean {
  if (tls === host) return true;
  if (!tls.startsWith('*.')) return false;
  const suffix = tls.slice(1);
  if (!host.endsWith(suffix) || host.length <= suffix.length) return false;
  return !host.slice(0, host.length - suffix.length).includes('.');
}

/** require-ingress-tls: TLS present and covering every rule host. Target: resource (Ingress). */
const requireIngressTls: RuleFunction = (ctx) => {
  const spec = objAt(ctx.object.spec);
  if (!spec) return [{ path: '', data: { problem: 'has no spec.tls, so it serves plain HTTP' } }];
  const tls = Array.isArray(spec.tls) ? spec.tls.filter(isObj) : [];
  if (tls.length === 0)
    return [{ path: '/spec', target: 'key', data: { problem: 'has no spec.tls, so it serves plain HTTP' } }];
  let catchAll = false;
  const hosts: string[] = [];
  for (const t of tls) {
    if (!Array.isArray(t.hosts) || t.hosts.length === 0) catchAll = true;
    else for (const h of t.hosts) if (typeof h === 'string') hosts.push(h.toLowerCase());
  }
  if (catchAll) return NONE; // a tls entry without hosts applies to every host the controller serves
  const rules = spec.rules;
  if (!Array.isArray(rules)) return NONE;
  let out: CheckResult[] | undefined;
  rules.forEach((r, i) => {
    const rule = objAt(r);
    if (!rule) return;
    const host = typeof rule.host === 'string' && rule.host !== '' ? rule.host.toLowerCase() : undefined;
    if (host === undefined) {
      (out ??= []).push({
        path: `/spec/rules/${i}`,
        data: { problem: `has a rule without host (rules[${i}]) that no tls entry covers` },
      });
    } else if (!hosts.some((t) => tlsCovers(t, host))) {
      (out ??= []).push({
        path: `/spec/rules/${i}/host`,
        data: { problem: `serves host ${quote(host)} without TLS: no spec.tls entry lists it` },
      });
    }
  });
  return out ?? NONE;
};

interface PolicyIndex {
  /** namespace → pod selectors of the NetworkPolicies there. */
  byNamespace: Map<string, Obj[]>;
  any: boolean;
}

function networkPolicies(ctx: CheckContext): PolicyIndex {
  const key = 'require-network-policy';
  let idx = ctx.env.memo.get(key) as PolicyIndex | undefined;
  if (idx) return idx;
  idx = { byNamespace: new Map(), any: false };
  for (const r of ctx.env.resources) {
    const o = r.object;
    if (o.kind !== 'NetworkPolicy') continue;
    idx.any = true;
    const ns = nsOf(o);
    // A missing podSelector is invalid, but {} (select all) is the closest reading.
    const sel = objAt(objAt(o.spec)?.podSelector) ?? {};
    const list = idx.byNamespace.get(ns);
    if (list) list.push(sel);
    else idx.byNamespace.set(ns, [sel]);
  }
  ctx.env.memo.set(key, idx);
  return idx;
}

/** require-network-policy: some NetworkPolicy of the namespace must select the pods (scope: set). */
const requireNetworkPolicy: RuleFunction = (ctx) => {
  const idx = networkPolicies(ctx);
  if (!idx.any) return NONE;
  const selectors = idx.byNamespace.get(nsOf(ctx.object));
  if (!selectors && ctx.options.onlyNamespacesWithPolicies === true) return NONE;
  const metaSegs = POD_META[ctx.object.kind as string];
  if (!metaSegs) return NONE;
  const labelSegs = [...metaSegs, 'labels'];
  const labels = objAt(dig(ctx.object, labelSegs));
  if (selectors) for (const s of selectors) if (selectorMatches(s, labels)) return NONE;
  const what = ctx.object.kind === 'Pod' ? 'is a pod that' : 'runs pods that';
  return [{ path: labels ? ptr(labelSegs) : closest(ctx.object, labelSegs), target: 'key', data: { what } }];
};

export const functions: Record<string, RuleFunction> = {
  'no-invalid-labels': noInvalidLabels,
  'no-invalid-annotations': noInvalidAnnotations,
  'no-selector-mismatch': noSelectorMismatch,
  'require-labels': requireLabels,
  'require-annotations': requireAnnotations,
  'require-recommended-labels': requireRecommendedLabels,
  'no-default-namespace': noDefaultNamespace,
  'no-secret-literals-in-env': noSecretLiteralsInEnv,
  'no-secret-literals-in-configmap': noSecretLiteralsInConfigMap,
  'no-secret-data-in-manifests': noSecretDataInManifests,
  'no-secrets-as-env': noSecretsAsEnv,
  'no-automount-service-account-token': noAutomountServiceAccountToken,
  'require-load-balancer-source-ranges': requireLoadBalancerSourceRanges,
  'require-ingress-tls': requireIngressTls,
  'require-network-policy': requireNetworkPolicy,
};
