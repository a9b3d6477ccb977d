/**
 * admissionregistration.k8s.io: Validating/MutatingWebhookConfigurations and
 * ValidatingAdmissionPolicies with their bindings (pkg/apis/admissionregistration/validation),
 * as the v1 API validates a create.
 */
import { Issues, arr, isObj, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import {
  DNS1123_SUBDOMAIN_MSG,
  dns1123SubdomainProblems,
  isDns1123Subdomain,
  validateLabelSelector,
} from './formats.js';
import { validateClientConfig } from './webhook.js';

const G = 'admissionregistration.k8s.io';
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'] as const;
const SCOPES = ['*', 'Cluster', 'Namespaced'] as const;
const FAILURE_POLICIES = ['Fail', 'Ignore'] as const;
const MATCH_POLICIES = ['Equivalent', 'Exact'] as const;
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'] as const;
const REINVOCATION = ['IfNeeded', 'Never'] as const;
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

/** A string list as Go decodes it: a null item is "" (and then fails the check an empty one fails). */
const strings = (v: unknown): string[] =>
  arr(v)
    .map((x) => (x === null ? '' : x))
    .filter((x): x is string => typeof x === 'string');

/** A fully qualified name (IsFullyQualifiedName): a DNS subdomain of at least three segments. */
function validateFullyQualifiedName(name: string, path: Path, v: Issues): boolean {
  if (name === '') {
    v.required(path);
    return false;
  }
  if (!isDns1123Subdomain(name)) {
    const problems: string[] = [];
    if (name.length > 253) problems.push('must be no more than 253 characters');
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name))
      problems.push(DNS1123_SUBDOMAIN_MSG);
    v.invalid(path, name, problems.join(','));
    return false;
  }
  if (name.split('.').length < 3) {
    v.invalid(path, name, 'should be a domain with at least three segments separated by dots');
    return false;
  }
  return true;
}

/** A list where '*' must stand alone (apiGroups, apiVersions, operations). */
function validateWildcardList(
  list: unknown,
  path: Path,
  v: Issues,
  what: string,
  itemsRequired: boolean,
): string[] {
  const items = strings(list);
  if (arr(list).length === 0) v.required(path);
  if (items.includes('*') && items.length > 1)
    v.invalid(path, items, `if '*' is present, must not specify other ${what}`);
  if (itemsRequired) items.forEach((s, i) => s === '' && v.required([...path, i]));
  return items;
}

/** Resources (validateResources): subresource wildcards and their conflicts. */
function validateResources(list: unknown, path: Path, v: Issues): void {
  const resources = strings(list);
  if (arr(list).length === 0) v.required(path);
  const resWildSub = new Set<string>();
  const subWildRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSub = false;
  resources.forEach((rs, i) => {
    if (rs === '') {
      v.required([...path, i]);
      return;
    }
    if (rs === '*/*') doubleWildcard = true;
    if (rs === '*') singleWildcard = true;
    const slash = rs.indexOf('/');
    if (slash < 0) {
      // As in Go, the last resource without a subresource decides.
      withoutSub = rs !== '*';
      return;
    }
    const res = rs.slice(0, slash);
    const sub = rs.slice(slash + 1);
    if (resWildSub.has(res)) v.invalid([...path, i], rs, `if '${res}/*' is present, must not specify ${rs}`);
    if (subWildRes.has(sub)) v.invalid([...path, i], rs, `if '*/${sub}' is present, must not specify ${rs}`);
    if (sub === '*') resWildSub.add(res);
    if (res === '*') subWildRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard)
    v.invalid(path, resources, "if '*/*' is present, must not specify other resources");
  if (singleWildcard && withoutSub)
    v.invalid(path, resources, "if '*' is present, must not specify other resources without subresources");
}

/** A RuleWithOperations: operations, apiGroups, apiVersions, resources, scope. */
function validateRule(rule: Obj, path: Path, v: Issues, withOperations: boolean): void {
  if (withOperations) {
    const ops = validateWildcardList(rule.operations, [...path, 'operations'], v, 'operations', false);
    ops.forEach((op, i) => {
      if (!(OPERATIONS as readonly string[]).includes(op))
        v.notSupported([...path, 'operations', i], op, OPERATIONS);
    });
  }
  validateWildcardList(rule.apiGroups, [...path, 'apiGroups'], v, 'API groups', false);
  validateWildcardList(rule.apiVersions, [...path, 'apiVersions'], v, 'API versions', true);
  validateResources(rule.resources, [...path, 'resources'], v);
  const scope = str(rule.scope);
  if (scope !== undefined && !(SCOPES as readonly string[]).includes(scope))
    v.notSupported([...path, 'scope'], scope, SCOPES);
}

function enumField(o: Obj, key: string, allowed: readonly string[], path: Path, v: Issues): void {
  const value = str(o[key]);
  if (value !== undefined && !allowed.includes(value)) v.notSupported([...path, key], value, allowed);
}

function validateReviewVersions(list: unknown, path: Path, v: Issues): void {
  const versions = arr(list);
  if (versions.length === 0) {
    v.required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`);
    return;
  }
  const seen = new Set<unknown>();
  let known = false;
  versions.forEach((ver, i) => {
    if (seen.has(ver)) {
      v.invalid([...path, i], ver, 'duplicate version');
      return;
    }
    seen.add(ver);
    if (typeof ver === 'string' && REVIEW_VERSIONS.includes(ver)) known = true;
  });
  if (!known) v.invalid(path, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`);
}

function validateWebhook(hook: Obj, path: Path, v: Issues, mutating: boolean): void {
  validateFullyQualifiedName(str(hook.name) ?? '', [...path, 'name'], v);
  arr(hook.rules).forEach((r, i) => {
    if (isObj(r)) validateRule(r, [...path, 'rules', i], v, true);
  });
  enumField(hook, 'failurePolicy', FAILURE_POLICIES, path, v);
  enumField(hook, 'matchPolicy', MATCH_POLICIES, path, v);
  const sideEffects = str(hook.sideEffects);
  if (sideEffects === undefined || sideEffects === '')
    v.required([...path, 'sideEffects'], `must specify one of ${SIDE_EFFECTS.join(', ')}`);
  else enumField(hook, 'sideEffects', SIDE_EFFECTS, path, v);
  const timeout = hook.timeoutSeconds;
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 30))
    v.invalid([...path, 'timeoutSeconds'], timeout, 'the timeout value must be between 1 and 30 seconds');
  validateLabelSelector(hook.namespaceSelector, [...path, 'namespaceSelector'], v);
  validateLabelSelector(hook.objectSelector, [...path, 'objectSelector'], v);
  if (mutating) enumField(hook, 'reinvocationPolicy', REINVOCATION, path, v);
  validateClientConfig(hook.clientConfig, [...path, 'clientConfig'], v);
  validateReviewVersions(hook.admissionReviewVersions, [...path, 'admissionReviewVersions'], v);
}

function validateWebhookConfiguration(o: Obj, v: Issues, mutating: boolean): void {
  const seen = new Set<string>();
  arr(o.webhooks).forEach((hook, i) => {
    if (!isObj(hook)) return;
    validateWebhook(hook, ['webhooks', i], v, mutating);
    const name = str(hook.name);
    if (name === undefined || name === '') return;
    if (seen.has(name)) v.duplicate(['webhooks', i, 'name'], name);
    seen.add(name);
  });
}

const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'] as const;
const ACTIONS = ['Audit', 'Deny', 'Warn'] as const;
const NOT_FOUND_ACTIONS = ['Allow', 'Deny'] as const;

/** What both admission policy kinds share: failurePolicy and matchConstraints. */
function validatePolicyMatch(spec: Obj, v: Issues): void {
  enumField(spec, 'failurePolicy', FAILURE_POLICIES, ['spec'], v);
  const match = obj(spec.matchConstraints);
  if (match === undefined) v.required(['spec', 'matchConstraints']);
  else {
    enumField(match, 'matchPolicy', MATCH_POLICIES, ['spec', 'matchConstraints'], v);
    // At least one resource rule: it gives the policy's expressions their type information.
    if (arr(match.resourceRules).length === 0) v.required(['spec', 'matchConstraints', 'resourceRules']);
    arr(match.resourceRules).forEach((r, i) => {
      if (isObj(r)) validateRule(r, ['spec', 'matchConstraints', 'resourceRules', i], v, true);
    });
    validateLabelSelector(match.namespaceSelector, ['spec', 'matchConstraints', 'namespaceSelector'], v);
    validateLabelSelector(match.objectSelector, ['spec', 'matchConstraints', 'objectSelector'], v);
  }
}

/** A ValidatingAdmissionPolicy's spec; CEL expressions are not compiled here. */
function validatePolicy(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  validatePolicyMatch(spec, v);
  if (arr(spec.validations).length === 0 && arr(spec.auditAnnotations).length === 0) {
    const both = 'validations or auditAnnotations must contain at least one item';
    v.required(['spec', 'validations'], both);
    v.required(['spec', 'auditAnnotations'], both);
  }
  arr(spec.validations).forEach((val, i) => {
    if (!isObj(val)) return;
    const at = ['spec', 'validations', i];
    if ((str(val.expression) ?? '').trim() === '')
      v.required([...at, 'expression'], 'expression is not specified');
    const message = str(val.message);
    if (message !== undefined && /[\r\n]/.test(message))
      v.invalid([...at, 'message'], message, 'must not contain line breaks');
    enumField(val, 'reason', REASONS, at, v);
  });
}

/** A binding's policyName: required, and the name of a policy (a DNS subdomain). */
function policyNameOf(spec: Obj, v: Issues): void {
  const name = str(spec.policyName) ?? '';
  if (name === '') v.required(['spec', 'policyName']);
  else for (const p of dns1123SubdomainProblems(name)) v.invalid(['spec', 'policyName'], name, p);
}

function validatePolicyBinding(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  policyNameOf(spec, v);
  validateParamRef(spec, v);
  const actions = arr(spec.validationActions);
  const at = ['spec', 'validationActions'];
  if (actions.length === 0) v.required(at);
  const seen = new Set<unknown>();
  actions.forEach((a, i) => {
    if (seen.has(a)) v.duplicate([...at, i], a);
    else if (typeof a === 'string' && !(ACTIONS as readonly string[]).includes(a))
      v.notSupported([...at, i], a, ACTIONS);
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn'))
    v.invalid(
      at,
      actions,
      'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
    );
}

const PATCH_TYPES = ['ApplyConfiguration', 'JSONPatch'] as const;

/** A MutatingAdmissionPolicy's spec; CEL expressions are not compiled here. */
function validateMutatingPolicy(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  validatePolicyMatch(spec, v);
  const mutations = arr(spec.mutations);
  if (mutations.length === 0) v.required(['spec', 'mutations'], 'mutations must contain at least one item');
  mutations.forEach((m, i) => {
    const at = ['spec', 'mutations', i];
    const mut = obj(m) ?? {};
    const type = str(mut.patchType) ?? '';
    const given = (k: string) => mut[k] !== undefined && mut[k] !== null;
    if (type === '') v.required([...at, 'patchType']);
    else if (!(PATCH_TYPES as readonly string[]).includes(type))
      v.notSupported([...at, 'patchType'], type, PATCH_TYPES);
    const field =
      type === 'JSONPatch' ? 'jsonPatch' : type === 'ApplyConfiguration' ? 'applyConfiguration' : '';
    if (field === '') return;
    const other = field === 'jsonPatch' ? 'applyConfiguration' : 'jsonPatch';
    if (!given(field)) v.required([...at, field], `must be specified when patchType is ${type}`);
    else if ((str(obj(mut[field])?.expression) ?? '') === '') v.required([...at, field, 'expression']);
    if (given(other))
      v.add([...at, other], `Invalid value: "{${other}}": must not be specified when patchType is ${type}`);
  });
  const reinvocation = str(spec.reinvocationPolicy) ?? '';
  if (reinvocation === '') v.required(['spec', 'reinvocationPolicy']);
  else enumField(spec, 'reinvocationPolicy', REINVOCATION, ['spec'], v);
}

/** The binding's paramRef (shared by both binding kinds). */
function validateParamRef(spec: Obj, v: Issues): void {
  const ref = obj(spec.paramRef);
  if (ref === undefined) return;
  const at = ['spec', 'paramRef'];
  if ((str(ref.name) ?? '') !== '' && ref.selector !== undefined && ref.selector !== null) {
    v.forbidden([...at, 'name'], 'name and selector are mutually exclusive');
    v.forbidden([...at, 'selector'], 'name and selector are mutually exclusive');
  }
  validateLabelSelector(ref.selector, [...at, 'selector'], v);
  const action = str(ref.parameterNotFoundAction);
  if (action === undefined || action === '') v.required([...at, 'parameterNotFoundAction']);
  else enumField(ref, 'parameterNotFoundAction', NOT_FOUND_ACTIONS, at, v);
}

function validateMutatingPolicyBinding(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  policyNameOf(spec, v);
  validateParamRef(spec, v);
}

export const ADMISSION_VALIDATORS: ValidatorTable = {
  [`${G}/MutatingAdmissionPolicy`]: validateMutatingPolicy,
  [`${G}/MutatingAdmissionPolicyBinding`]: validateMutatingPolicyBinding,
  [`${G}/ValidatingWebhookConfiguration`]: (o, v) => validateWebhookConfiguration(o, v, false),
  [`${G}/MutatingWebhookConfiguration`]: (o, v) => validateWebhookConfiguration(o, v, true),
  [`${G}/ValidatingAdmissionPolicy`]: validatePolicy,
  [`${G}/ValidatingAdmissionPolicyBinding`]: validatePolicyBinding,
};
