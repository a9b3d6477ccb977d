/**
 * flowcontrol.apiserver.k8s.io: FlowSchemas and PriorityLevelConfigurations
 * (pkg/apis/flowcontrol/validation), the basics a create is checked for.
 */
import { Issues, arr, isObj, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';

const G = 'flowcontrol.apiserver.k8s.io';
const DISTINGUISHERS = ['ByNamespace', 'ByUser'] as const;
const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'] as const;
const PL_TYPES = ['Exempt', 'Limited'] as const;
const LIMIT_RESPONSES = ['Queue', 'Reject'] as const;
const MAX_PRECEDENCE = 10000;

const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

/** Required list, and '*' must stand alone in it. */
const SUPPORTED_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'proxy',
  'update',
  'watch',
];

/** A policy rule's verbs: at least one, `*` alone, or only the verbs the API server knows. */
function verbList(list: unknown, path: Path, v: Issues): void {
  const items = wildcardList(list, path, v, 'verbs must contain at least one value', 'verbs');
  if (items.length > 0 && !items.includes('*') && items.some((x) => !SUPPORTED_VERBS.includes(x)))
    v.notSupported(path, items, SUPPORTED_VERBS);
}

function wildcardList(list: unknown, path: Path, v: Issues, required: string, what: string): string[] {
  const items = strings(list);
  if (arr(list).length === 0) v.required(path, required);
  else if (items.includes('*') && items.length > 1)
    v.invalid(path, items, `if '*' is present, must not specify other ${what}`);
  return items;
}

function validateSubject(s: Obj, path: Path, v: Issues): void {
  const kind = str(s.kind) ?? '';
  const members: Record<string, string> = { User: 'user', Group: 'group', ServiceAccount: 'serviceAccount' };
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) {
    v.notSupported([...path, 'kind'], kind, SUBJECT_KINDS);
    return;
  }
  for (const [k, field] of Object.entries(members)) {
    const value = obj(s[field]);
    if (k === kind) {
      if (value === undefined)
        v.required([...path, field], `${field} is required when subject kind is '${k}'`);
    } else if (value !== undefined)
      v.forbidden([...path, field], `${field} is forbidden when subject kind is not '${k}'`);
  }
  const member = obj(s[members[kind]!]);
  if (member === undefined) return;
  if ((str(member.name) ?? '') === '') v.required([...path, members[kind]!, 'name']);
  if (kind === 'ServiceAccount' && (str(member.namespace) ?? '') === '')
    v.required([...path, 'serviceAccount', 'namespace'], 'must specify namespace for service account');
}

function validateFlowSchema(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const precedence = num(spec.matchingPrecedence);
  if (precedence !== undefined) {
    if (precedence <= 0) v.invalid(['spec', 'matchingPrecedence'], precedence, 'must be a positive value');
    else if (precedence > MAX_PRECEDENCE)
      v.invalid(['spec', 'matchingPrecedence'], precedence, `must not be greater than ${MAX_PRECEDENCE}`);
  }
  const dm = obj(spec.distinguisherMethod);
  const dmType = str(dm?.type);
  if (dmType !== undefined && !(DISTINGUISHERS as readonly string[]).includes(dmType))
    v.notSupported(['spec', 'distinguisherMethod', 'type'], dmType, DISTINGUISHERS);
  const pl = obj(spec.priorityLevelConfiguration);
  if (pl !== undefined && (str(pl.name) ?? '') === '')
    v.required(['spec', 'priorityLevelConfiguration', 'name'], 'must reference a priority level');
  arr(spec.rules).forEach((rule, i) => {
    if (!isObj(rule)) return;
    const at = ['spec', 'rules', i];
    const subjects = arr(rule.subjects);
    if (subjects.length === 0) v.required([...at, 'subjects'], 'subjects must contain at least one value');
    subjects.forEach((s, j) => {
      if (isObj(s)) validateSubject(s, [...at, 'subjects', j], v);
    });
    const resourceRules = arr(rule.resourceRules);
    const nonResourceRules = arr(rule.nonResourceRules);
    if (resourceRules.length === 0 && nonResourceRules.length === 0)
      v.required(at, 'at least one of resourceRules and nonResourceRules has to be non-empty');
    resourceRules.forEach((r, j) => {
      if (!isObj(r)) return;
      const rp = [...at, 'resourceRules', j];
      verbList(r.verbs, [...rp, 'verbs'], v);
      wildcardList(
        r.apiGroups,
        [...rp, 'apiGroups'],
        v,
        'resource rules must supply at least one api group',
        'api groups',
      );
      wildcardList(
        r.resources,
        [...rp, 'resources'],
        v,
        'resource rules must supply at least one resource',
        'resources',
      );
      const namespaces = strings(r.namespaces);
      if (namespaces.length === 0) {
        if (r.clusterScope !== true)
          v.required(
            [...rp, 'namespaces'],
            'resource rules that are not cluster scoped must supply at least one namespace',
          );
      } else if (namespaces.includes('*') && namespaces.length > 1)
        v.invalid([...rp, 'namespaces'], namespaces, "if '*' is present, must not specify other namespaces");
    });
    nonResourceRules.forEach((r, j) => {
      if (!isObj(r)) return;
      const rp = [...at, 'nonResourceRules', j];
      verbList(r.verbs, [...rp, 'verbs'], v);
      const urls = wildcardList(
        r.nonResourceURLs,
        [...rp, 'nonResourceURLs'],
        v,
        'nonResourceURLs must contain at least one value',
        'non-resource URLs',
      );
      urls.forEach((u, k) => {
        if (u !== '*' && !u.startsWith('/'))
          v.invalid([...rp, 'nonResourceURLs', k], u, 'must start with slash');
      });
    });
  });
}

function validateLimited(limited: Obj, path: Path, v: Issues): void {
  const shares = num(limited.nominalConcurrencyShares);
  if (shares !== undefined && shares < 0)
    v.invalid([...path, 'nominalConcurrencyShares'], shares, 'must be a non-negative integer');
  const lendable = num(limited.lendablePercent);
  if (lendable !== undefined && (lendable < 0 || lendable > 100))
    v.invalid([...path, 'lendablePercent'], lendable, 'must be between 0 and 100, inclusive');
  const borrowing = num(limited.borrowingLimitPercent);
  if (borrowing !== undefined && borrowing < 0)
    v.invalid([...path, 'borrowingLimitPercent'], borrowing, 'if specified, must be a non-negative integer');
  const lr = obj(limited.limitResponse) ?? {};
  const lrPath = [...path, 'limitResponse'];
  const type = str(lr.type) ?? '';
  if (type === '') v.required([...lrPath, 'type']);
  else if (!(LIMIT_RESPONSES as readonly string[]).includes(type))
    v.notSupported([...lrPath, 'type'], type, LIMIT_RESPONSES);
  const queuing = obj(lr.queuing);
  if (type === 'Queue' && queuing === undefined) v.required([...lrPath, 'queuing']);
  if (queuing === undefined) return;
  for (const key of ['queues', 'handSize', 'queueLengthLimit']) {
    const n = num(queuing[key]);
    // v1 defaults a zero to its default (64, 8, 50): only a negative value is refused.
    if (n !== undefined && n < 0) v.invalid([...lrPath, 'queuing', key], n, 'must be positive');
  }
}

function validatePriorityLevel(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const type = str(spec.type) ?? '';
  const name = str(obj(o.metadata)?.name) ?? '';
  if (type === '') v.required(['spec', 'type']);
  else if (!(PL_TYPES as readonly string[]).includes(type)) {
    v.notSupported(['spec', 'type'], type, PL_TYPES);
    return;
  } else if ((type === 'Exempt') !== (name === 'exempt'))
    v.invalid(['spec', 'type'], type, "must be 'Exempt' if and only if `name` is 'exempt'");
  const limited = obj(spec.limited);
  if (type === 'Limited' && limited === undefined) v.required(['spec', 'limited']);
  if (type === 'Exempt' && limited !== undefined) v.add(['spec', 'limited'], 'Forbidden');
  if (limited !== undefined) validateLimited(limited, ['spec', 'limited'], v);
}

export const FLOWCONTROL_VALIDATORS: ValidatorTable = {
  [`${G}/FlowSchema`]: validateFlowSchema,
  [`${G}/PriorityLevelConfiguration`]: validatePriorityLevel,
};
