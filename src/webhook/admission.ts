/**
 * The admission mapping (pure): an admission.k8s.io/v1 AdmissionReview request in, the engine's
 * findings mapped to an AdmissionReview response out — deny, warnings, audit, JSONPatch mutation.
 * No http, no fs, no clock: the caller (app.ts) times, logs and counts.
 */
import jsonpatch from 'fast-json-patch';
import type { WebhookAction, WebhookConfig, LabelSelectorConfig } from '../config/config.js';
import type { CompiledRule } from '../engine/rule.js';
import { isObj } from '../engine/k8s/object.js';
import { decodeToken } from '../engine/k8s/pointer.js';
import { selectorMatches } from '../engine/k8s/selectors.js';
import { compilePattern } from '../engine/regex.js';
import type { PlannedOp } from '../engine/mutate.js';
import { jsonEqual, patchedCopy } from '../engine/patch.js';
import type { Finding, JsonPatchOp, KubeObject, Severity } from '../engine/types.js';

/** `admission.k8s.io/v1` AdmissionRequest (the fields we read). */
export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** Who sent the request, as the API server authenticated it (not forgeable by the requester). */
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
}

/** `metav1.Status` as carried in `response.status`. */
export interface AdmissionStatus {
  code: number;
  reason?: string;
  message: string;
  details?: { causes: { reason: string; message: string; field?: string }[] };
}

/** `admission.k8s.io/v1` AdmissionResponse. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  warnings?: string[];
  /** base64 of a JSON array of RFC 6902 operations. */
  patch?: string;
  patchType?: 'JSONPatch';
  auditAnnotations?: Record<string, string>;
}

/** The review envelope, request or response. */
export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** A request that is not a well-formed AdmissionReview; the HTTP layer answers 400 with its message. */
export class BadReviewError extends Error {}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/**
 * Check that a parsed body is an `admission.k8s.io/v1` AdmissionReview with a usable request and
 * return the request. Throws BadReviewError naming what is wrong.
 */
export function parseReview(body: unknown): AdmissionRequest {
  if (!isObj(body)) throw new BadReviewError('expected a JSON object (an AdmissionReview)');
  if (body.kind !== 'AdmissionReview')
    throw new BadReviewError(`expected kind AdmissionReview, got ${JSON.stringify(body.kind ?? null)}`);
  if (body.apiVersion !== 'admission.k8s.io/v1')
    throw new BadReviewError(
      `expected apiVersion admission.k8s.io/v1, got ${JSON.stringify(body.apiVersion ?? null)} (set admissionReviewVersions: [v1])`,
    );
  const req = body.request;
  if (!isObj(req)) throw new BadReviewError('the AdmissionReview has no request');
  if (typeof req.uid !== 'string' || req.uid === '') throw new BadReviewError('request.uid is missing');
  if (typeof req.operation !== 'string' || !OPERATIONS.has(req.operation))
    throw new BadReviewError(`request.operation must be one of CREATE, UPDATE, DELETE, CONNECT`);
  if (!isObj(req.kind) || typeof req.kind.kind !== 'string')
    throw new BadReviewError('request.kind is missing');
  if (!isObj(req.resource)) throw new BadReviewError('request.resource is missing');
  for (const key of ['object', 'oldObject'] as const)
    if (req[key] !== undefined && req[key] !== null && !isObj(req[key]))
      throw new BadReviewError(`request.${key} must be an object`);
  if ((req.operation === 'CREATE' || req.operation === 'UPDATE') && !isObj(req.object))
    throw new BadReviewError(`request.object is required for ${req.operation}`);
  return req as unknown as AdmissionRequest;
}

/** The `webhook:` config with every default applied (see resolveSettings). */
export interface WebhookSettings {
  actions: Record<Severity, WebhookAction>;
  ruleActions: ReadonlyMap<string, WebhookAction>;
  exemptNamespaces: readonly string[];
  namespaces?: readonly string[];
  objectSelector?: LabelSelectorConfig;
  inlineConfig: boolean;
  onlyNewFindingsOnUpdate: boolean;
  skipControllerPods: boolean;
  subresources: ReadonlySet<string>;
  onError: 'allow' | 'deny';
  mutation: { onError: 'allow' | 'deny'; operations: ReadonlySet<string> };
  maxWarnings: number;
  maxWarningLength: number;
  deadlineMs: number;
  maxBodyBytes: number;
  schemaValidation: boolean;
}

/** Namespace the webhook runs in when nothing says otherwise (webhook/ manifests). */
export const DEFAULT_NAMESPACE = 'shipshape-system';
/** The API server cuts each warning at 256 runes and all warnings at 4096 (k8s.io/apiserver filters/warning.go). */
export const API_WARNING_ITEM_LIMIT = 256;
export const API_WARNING_TOTAL_LIMIT = 4096;
/** Violations listed in a denial message before "and N more". */
export const MAX_DENIAL_VIOLATIONS = 25;

/** Apply defaults to the `webhook:` config section. `ownNamespace` is exempt unless the list is given. */
export function resolveSettings(c: WebhookConfig = {}, ownNamespace = DEFAULT_NAMESPACE): WebhookSettings {
  return {
    actions: {
      error: c.actions?.error ?? 'deny',
      warn: c.actions?.warn ?? 'warn',
      info: c.actions?.info ?? 'audit',
    },
    ruleActions: new Map(Object.entries(c.actions?.rules ?? {})),
    exemptNamespaces: c.exemptNamespaces ?? ['kube-system', ownNamespace],
    namespaces: c.namespaces,
    objectSelector: c.objectSelector,
    inlineConfig: c.inlineConfig ?? false,
    onlyNewFindingsOnUpdate: c.onlyNewFindingsOnUpdate ?? false,
    skipControllerPods: c.skipControllerPods ?? true,
    subresources: new Set(c.subresources ?? []),
    onError: c.onError ?? 'deny',
    mutation: {
      onError: c.mutation?.onError ?? 'allow',
      operations: new Set(c.mutation?.operations ?? ['CREATE']),
    },
    maxWarnings: c.maxWarnings ?? 20,
    maxWarningLength: Math.min(c.maxWarningLength ?? API_WARNING_ITEM_LIMIT, API_WARNING_ITEM_LIMIT),
    deadlineMs: c.deadlineMs ?? 2500,
    maxBodyBytes: c.maxBodyBytes ?? 8 * 1024 * 1024,
    schemaValidation: c.schemaValidation ?? false,
  };
}

/** What the webhook evaluates with: compiled once at startup. */
export interface AdmissionEngine {
  /** The rules it evaluates (the readiness probe reports their count). */
  rules: readonly CompiledRule[];
  /** The schema registry: which kinds are known (metrics label only those). */
  schemas?: { has(apiVersion: string, kind: string): boolean };
  /**
   * Lint an object as admitted: no positions, no set-scoped rules, suppressed findings dropped
   * (config exemptions, and annotations when `inlineConfig` is on). Each call returns findings of
   * its own: the caller sets their `action` on them.
   */
  lint(object: KubeObject): Finding[];
  /** A copy of `object` with the safe fixes of `findings` applied, re-linted with `relint` until stable. */
  fix(object: KubeObject, findings: Finding[], relint: (o: KubeObject) => Finding[]): KubeObject;
  /** The config's declarative mutations of an object (absent: none configured). */
  mutations?(object: KubeObject): PlannedOp[];
}

/** A finding with the action the webhook took on it. */
export interface ActedFinding extends Finding {
  action: WebhookAction;
}

/** Why a request was allowed without evaluation. */
export type SkipReason =
  | 'operation'
  | 'subresource'
  | 'exempt-namespace'
  | 'namespace-not-selected'
  | 'object-selector'
  | 'controller-owned'
  | 'mutation-operation';

/** The outcome of one review: the response plus what logs and metrics need. */
export interface Decision {
  response: AdmissionResponse;
  decision: 'allowed' | 'denied' | 'warned' | 'skipped' | 'mutated' | 'error';
  skipped?: SkipReason;
  /** Active (unsuppressed, new) findings with their action. */
  findings: ActedFinding[];
  /** Operations of the returned patch (mutate). */
  patch?: JsonPatchOp[];
  /** Names of the declarative mutations that changed the object (mutate). */
  mutations?: string[];
  error?: Error;
}

/** Simple glob: `*` any run of characters, `?` one character. */
function globMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  // RE2 (compiled once per glob): a native RegExp of many `.*` backtracks polynomially.
  const re = compilePattern(
    pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join(''),
  );
  return re.testFull(value);
}

const labelsOf = (o: KubeObject | null | undefined): Record<string, unknown> => {
  const l = (o?.metadata as { labels?: unknown } | undefined)?.labels;
  return isObj(l) ? l : {};
};

/**
 * The built-in controllers whose objects may be admitted without evaluation, by the username the
 * API server authenticated for the request: kube-controller-manager runs each controller as its
 * own service account in kube-system (`--use-service-account-credentials`, on in kubeadm and the
 * managed clusters). Each may skip only the kind it creates, owned by the kind it controls, whose
 * template the webhook checked when that owner was admitted. The object's ownerReferences alone
 * prove nothing: whoever creates an object writes them (ADR 0010).
 */
const CONTROLLERS: ReadonlyMap<string, { kind: string; owner: string }> = new Map(
  Object.entries({
    'replicaset-controller': { kind: 'Pod', owner: 'apps/v1/ReplicaSet' },
    'statefulset-controller': { kind: 'Pod', owner: 'apps/v1/StatefulSet' },
    'daemon-set-controller': { kind: 'Pod', owner: 'apps/v1/DaemonSet' },
    'job-controller': { kind: 'Pod', owner: 'batch/v1/Job' },
    'replication-controller': { kind: 'Pod', owner: 'v1/ReplicationController' },
    'deployment-controller': { kind: 'ReplicaSet', owner: 'apps/v1/Deployment' },
    'cronjob-controller': { kind: 'Job', owner: 'batch/v1/CronJob' },
  }),
);
const CONTROLLER_USER_PREFIX = 'system:serviceaccount:kube-system:';

/**
 * True when a built-in controller sent this request (by the authenticated username, which the
 * requester cannot choose) for an object of the kind it creates, whose controller reference names
 * the kind that controller manages.
 */
function madeByBuiltInController(req: AdmissionRequest): boolean {
  const user = req.userInfo?.username;
  if (typeof user !== 'string' || !user.startsWith(CONTROLLER_USER_PREFIX)) return false;
  const controller = CONTROLLERS.get(user.slice(CONTROLLER_USER_PREFIX.length));
  const object = req.object;
  if (!controller || object?.kind !== controller.kind) return false;
  const refs = (object.metadata as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return false;
  return refs.some(
    (r) =>
      isObj(r) && r.controller === true && `${String(r.apiVersion)}/${String(r.kind)}` === controller.owner,
  );
}

/**
 * Subresources evaluated whatever `subresources` lists: an UPDATE of `pods/ephemeralcontainers`
 * (kubectl debug) adds containers to a running Pod, with any securityContext, and carries the
 * whole Pod; Pod Security Admission checks it too. The others that reach a webhook change no
 * container's security (docs/webhook.md, Subresources).
 */
const ALWAYS_EVALUATED: ReadonlySet<string> = new Set(['ephemeralcontainers']);

/** Whether (and why) a request is allowed without evaluation. */
export function skipReason(
  req: AdmissionRequest,
  s: WebhookSettings,
  mode: 'validate' | 'mutate',
): SkipReason | undefined {
  if (req.operation === 'DELETE' || req.operation === 'CONNECT') return 'operation';
  if (req.subResource && !ALWAYS_EVALUATED.has(req.subResource) && !s.subresources.has(req.subResource))
    return 'subresource';
  if (mode === 'mutate' && !s.mutation.operations.has(req.operation)) return 'mutation-operation';
  const ns = req.namespace ?? '';
  if (ns !== '' && s.exemptNamespaces.some((p) => globMatch(p, ns))) return 'exempt-namespace';
  if (s.namespaces && !(ns !== '' && s.namespaces.some((p) => globMatch(p, ns))))
    return 'namespace-not-selected';
  if (s.objectSelector) {
    // As the API server does for objectSelector: a match on either the new or the old object.
    const sel = s.objectSelector;
    if (
      !selectorMatches(sel, labelsOf(req.object)) &&
      !(req.oldObject && selectorMatches(sel, labelsOf(req.oldObject)))
    )
      return 'object-selector';
  }
  if (s.skipControllerPods && madeByBuiltInController(req)) return 'controller-owned';
  return undefined;
}

/** The object as the engine sees it: the request's namespace filled in (objects often omit it). */
function lintView(object: KubeObject, namespace: string | undefined): KubeObject {
  const meta = isObj(object.metadata) ? object.metadata : {};
  if (!namespace || typeof meta.namespace === 'string') return object;
  return { ...object, metadata: { ...meta, namespace } };
}

function evaluate(object: KubeObject, req: AdmissionRequest, engine: AdmissionEngine): Finding[] {
  return engine.lint(lintView(object, req.namespace));
}

const findingKey = (f: Finding) => `${f.ruleId}\u0000${f.path}`;

/** The action for a finding: per rule first, else per severity. */
export function actionFor(f: Finding, s: WebhookSettings): WebhookAction {
  return s.ruleActions.get(f.ruleId) ?? s.actions[f.severity];
}

/** `/spec/containers/0/image` → `spec.containers[0].image` (the API server's field notation). */
export function fieldPath(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const seg = decodeToken(raw);
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Cut to `max` characters (code points), marking the cut; control characters become spaces. */
export function clip(text: string, max: number): string {
  // The API server drops a warning that holds control characters (apimachinery NewWarningHeader).
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  const chars = [...clean];
  return chars.length <= max ? clean : chars.slice(0, max - 1).join('') + '…';
}

/** Length in code points (what the API server counts): UTF-16 units minus surrogate pairs. */
const runes = (s: string) => s.length - (s.match(/[\uD800-\uDBFF]/g)?.length ?? 0);

const violation = (f: Finding) => `[${f.ruleId}] ${f.message}${f.path ? ` (${fieldPath(f.path)})` : ''}`;

/**
 * Admission warnings for `warn` findings: one per finding, `[rule-id] message (field) — docs`
 * (the link only when it fits), each within `maxWarningLength`, at most `maxWarnings` of them and
 * 4096 characters in all (the API server's limits); the rest are counted in a last warning.
 */
export function warningsFor(findings: readonly Finding[], s: WebhookSettings): string[] {
  const out: string[] = [];
  let total = 0;
  const budget = API_WARNING_TOTAL_LIMIT - 80; // room for the "and N more" line
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const base = violation(f);
    const withLink = f.helpUri ? `${base} — ${f.helpUri}` : base;
    const text = runes(withLink) <= s.maxWarningLength ? withLink : clip(base, s.maxWarningLength);
    const len = runes(text);
    if (out.length >= s.maxWarnings || total + len > budget) {
      const rest = findings.length - i;
      out.push(
        `… and ${rest} more warning${rest === 1 ? '' : 's'} from shipshape (run shipshape lint for the full list)`,
      );
      break;
    }
    out.push(text);
    total += len;
  }
  return out;
}

/** The denial message: one `[rule-id] message (field) — docs` line per violation, bounded. */
export function denialMessage(findings: readonly Finding[], req: AdmissionRequest): string {
  const obj = req.object
    ? (req.object.metadata as { name?: unknown; generateName?: unknown } | undefined)
    : undefined;
  const name =
    req.name ||
    (typeof obj?.name === 'string'
      ? obj.name
      : typeof obj?.generateName === 'string'
        ? obj.generateName
        : '');
  const what = `${req.kind.kind}${name ? ` ${name}` : ''}`;
  const shown = findings.slice(0, MAX_DENIAL_VIOLATIONS);
  const lines = shown.map((f) => `- ${violation(f)}${f.helpUri ? ` — ${f.helpUri}` : ''}`);
  if (findings.length > shown.length) lines.push(`- … and ${findings.length - shown.length} more`);
  return `shipshape: ${what} violates ${findings.length} polic${findings.length === 1 ? 'y' : 'ies'}:\n${lines.join('\n')}`;
}

/** The response for a failure inside the webhook, per `onError`. */
export function errorResponse(uid: string, onError: 'allow' | 'deny', err: Error): AdmissionResponse {
  if (onError === 'allow')
    return {
      uid,
      allowed: true,
      warnings: [
        clip(
          `shipshape could not evaluate this request and allowed it: ${err.message}`,
          API_WARNING_ITEM_LIMIT,
        ),
      ],
    };
  return {
    uid,
    allowed: false,
    status: {
      code: 500,
      reason: 'InternalError',
      message: `shipshape could not evaluate this request (onError: deny): ${err.message}`,
    },
  };
}

/** Findings the webhook acts on: evaluated, unsuppressed, and (optionally) new in this UPDATE. */
function activeFindings(req: AdmissionRequest, engine: AdmissionEngine, s: WebhookSettings): ActedFinding[] {
  let found = evaluate(req.object!, req, engine);
  if (req.operation === 'UPDATE' && s.onlyNewFindingsOnUpdate && req.oldObject && found.length > 0) {
    const before = new Set(evaluate(req.oldObject, req, engine).map(findingKey));
    found = found.filter((f) => !before.has(findingKey(f)));
  }
  return withActions(found, s);
}

/**
 * The findings with their actions. Each lint returns findings of its own, so the action is set on
 * them rather than on a copy of each.
 */
function withActions(found: Finding[], s: WebhookSettings): ActedFinding[] {
  for (const f of found) (f as ActedFinding).action = actionFor(f, s);
  return found as ActedFinding[];
}

/** Audit annotations for `audit` findings (the API server prefixes keys with the webhook name). */
function auditAnnotations(audited: readonly Finding[]): Record<string, string> | undefined {
  if (audited.length === 0) return undefined;
  const ids = [...new Set(audited.map((f) => f.ruleId))].join(',');
  return { findings: clip(ids, 1024) };
}

/**
 * Validate: allowed unless a finding's action is `deny`; `warn` findings become warnings, `audit`
 * ones audit annotations. DELETE, CONNECT, subresources other than ephemeralcontainers (unless
 * configured), exempt namespaces, unselected objects and what a built-in controller made from a
 * checked template are allowed without evaluation. Engine errors follow `onError`.
 */
export function validate(req: AdmissionRequest, engine: AdmissionEngine, s: WebhookSettings): Decision {
  const skipped = skipReason(req, s, 'validate');
  if (skipped)
    return { response: { uid: req.uid, allowed: true }, decision: 'skipped', skipped, findings: [] };
  let findings: ActedFinding[];
  try {
    findings = activeFindings(req, engine, s);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { response: errorResponse(req.uid, s.onError, e), decision: 'error', findings: [], error: e };
  }
  const denied = findings.filter((f) => f.action === 'deny');
  const warned = findings.filter((f) => f.action === 'warn');
  const response: AdmissionResponse = { uid: req.uid, allowed: denied.length === 0 };
  if (denied.length > 0)
    response.status = {
      code: 403,
      reason: 'Forbidden',
      message: denialMessage(denied, req),
      details: {
        causes: denied.slice(0, MAX_DENIAL_VIOLATIONS).map((f) => ({
          reason: 'FieldValueForbidden',
          message: `[${f.ruleId}] ${f.message}`,
          field: fieldPath(f.path),
        })),
      },
    };
  if (warned.length > 0) response.warnings = warningsFor(warned, s);
  const audit = auditAnnotations(findings.filter((f) => f.action === 'audit'));
  if (audit) response.auditAnnotations = audit;
  return {
    response,
    decision: denied.length > 0 ? 'denied' : warned.length > 0 ? 'warned' : 'allowed',
    findings,
  };
}

/**
 * Mutate: apply the config's declarative mutations, then the rules' safe fixes (the patches
 * `shipshape fix` applies) judged on the mutated object, to a copy of the object (copy-on-write:
 * the request's object is never changed), and answer the
 * difference as a base64 JSONPatch. Always allowed (validation is /validate's job); no patch when
 * nothing changes, so a second call on the result returns none (reinvocation); errors follow
 * `mutation.onError`.
 */
export function mutate(req: AdmissionRequest, engine: AdmissionEngine, s: WebhookSettings): Decision {
  const skipped = skipReason(req, s, 'mutate');
  if (skipped)
    return { response: { uid: req.uid, allowed: true }, decision: 'skipped', skipped, findings: [] };
  try {
    const object = req.object!;
    // Mutations match on the object as the engine sees it (the request's namespace filled in) and
    // apply to a copy of the object as sent: the view differs only in a field they never touch.
    const planned = engine.mutations?.(lintView(object, req.namespace)) ?? [];
    // Copy-on-write: the mutated and fixed objects share what they do not change with the object
    // as sent, so the diff below skips those parts (it returns at identical subtrees) and nothing
    // is copied whole.
    const owned = new Set<object>();
    let mutated = object;
    for (const p of planned) mutated = patchedCopy(mutated, [p.op], owned).value;
    const findings = withActions(evaluate(mutated, req, engine), s);
    const fixable = findings.filter((f) => f.fix?.safety === 'safe');
    const fixed =
      fixable.length > 0 ? engine.fix(mutated, fixable, (o) => evaluate(o, req, engine)) : mutated;
    const patch = fixed === object ? [] : (jsonpatch.compare(object, fixed) as JsonPatchOp[]);
    if (patch.length === 0)
      return { response: { uid: req.uid, allowed: true }, decision: 'allowed', findings };
    // Verify: the diff applied to the original must give exactly the fixed object.
    const check = patchedCopy(object, patch);
    if (!check.applied || !jsonEqual(check.value, fixed))
      throw new Error('internal: the computed patch does not reproduce the fixes');
    const names = [...new Set(planned.map((p) => p.mutation))];
    return {
      response: {
        uid: req.uid,
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
      },
      decision: 'mutated',
      findings,
      patch,
      ...(names.length > 0 ? { mutations: names } : {}),
    };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      response: errorResponse(req.uid, s.mutation.onError, e),
      decision: 'error',
      findings: [],
      error: e,
    };
  }
}

/** Wrap a response in its AdmissionReview envelope. */
export function reviewResponse(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
