/**
 * apiextensions.k8s.io: CustomResourceDefinitions (apiextensions-apiserver's validation package):
 * the name, group, names, scope, versions, conversion, printer columns, scale subresource and the
 * structural-schema basics.
 *
 * Paths are the v1 object's own (`spec.versions[0].schema.openAPIV3Schema…`,
 * `spec.conversion.webhook.clientConfig`), where the API server names its internal version's fields
 * (`spec.validation…`, `spec.conversion.webhookClientConfig`): the words after the path are its own.
 */
import { Issues, arr, isObj, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { DNS1035_LABEL_MSG, DNS1123_SUBDOMAIN_MSG, isDns1035Label, isDns1123Subdomain } from './formats.js';
import { validateClientConfig } from './webhook.js';

const SCOPES = ['Cluster', 'Namespaced'] as const;
const STRATEGIES = ['None', 'Webhook'] as const;
const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'] as const;
const COLUMN_TYPES = 'boolean,date,integer,number,string';
const COLUMN_FORMATS = 'byte,date,date-time,double,float,int32,int64,password';
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const MAX_SCHEMA_DEPTH = 64;

/** DNS-1035 label problems (length, pattern): Go joins them with ',' in most CRD messages. */
function dns1035Problems(s: string): string[] {
  if (isDns1035Label(s)) return [];
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s)) out.push(DNS1035_LABEL_MSG);
  return out;
}

function dns1035(s: string): string | undefined {
  const p = dns1035Problems(s);
  return p.length === 0 ? undefined : p.join(',');
}

function validateNames(names: Obj, path: Path, v: Issues): void {
  const label = (key: string, value: string, prefix = ''): void => {
    const p = dns1035(prefix === '' ? value : value.toLowerCase());
    if (p !== undefined) v.invalid([...path, key], value, prefix + p);
  };
  const plural = str(names.plural) ?? '';
  const kind = str(names.kind) ?? '';
  const singular = str(names.singular) ?? kind.toLowerCase();
  const listKind = str(names.listKind) ?? (kind === '' ? '' : kind + 'List');
  if (plural === '') v.required([...path, 'plural']);
  else label('plural', plural);
  if (singular !== '') label('singular', singular);
  const mixed = 'may have mixed case, but should otherwise match: ';
  if (kind === '') v.required([...path, 'kind']);
  else {
    const p = dns1035(kind.toLowerCase());
    if (p !== undefined) v.invalid([...path, 'kind'], kind, mixed + p);
  }
  if (listKind !== '') {
    const p = dns1035(listKind.toLowerCase());
    if (p !== undefined) v.invalid([...path, 'listKind'], listKind, mixed + p);
  }
  arr(names.shortNames).forEach((s, i) => {
    if (typeof s !== 'string') return;
    const p = dns1035(s);
    if (p !== undefined) v.invalid([...path, 'shortNames', i], s, p);
  });
  if (kind !== '' && kind === listKind)
    v.invalid([...path, 'listKind'], listKind, 'kind and listKind may not be the same');
  arr(names.categories).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const p = dns1035(c);
    if (p !== undefined) v.invalid([...path, 'categories', i], c, p);
  });
}

type Level = 'root' | 'field' | 'item';

const EMPTY_TYPE: Record<Level, string> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

/** Structural-schema basics of one schema node and what is under it. */
function validateSchemaNode(
  node: unknown,
  path: Path,
  level: Level,
  v: Issues,
  depth: number,
  structural: boolean,
): void {
  const s = obj(node);
  if (s === undefined || depth > MAX_SCHEMA_DEPTH) return;
  const type = str(s.type) ?? '';
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (type === '') {
    if (structural && !intOrString && preserve !== true) v.required([...path, 'type'], EMPTY_TYPE[level]);
  } else if (!(SCHEMA_TYPES as readonly string[]).includes(type))
    v.notSupported([...path, 'type'], type, SCHEMA_TYPES);
  else if (structural && level === 'root' && type !== 'object')
    v.invalid([...path, 'type'], type, 'must be object at the root');
  if (structural && type === 'array' && s.items === undefined)
    v.required([...path, 'items'], 'must be specified');
  if (preserve === false)
    v.invalid([...path, 'x-kubernetes-preserve-unknown-fields'], false, 'must be true or undefined');
  if (s.uniqueItems === true)
    v.forbidden(
      [...path, 'uniqueItems'],
      'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    );
  if (s.patternProperties !== undefined)
    v.forbidden([...path, 'patternProperties'], 'patternProperties is not supported');
  if (s.$ref !== undefined) v.forbidden([...path, '$ref'], '$ref is not supported');
  const props = obj(s.properties);
  if (props !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false)
    v.forbidden(
      [...path, 'additionalProperties'],
      'additionalProperties and properties are mutual exclusive',
    );
  if (props !== undefined) {
    if (structural && level === 'root') {
      const meta = obj(props.metadata);
      const metaProps = obj(meta?.properties);
      if (metaProps && Object.keys(metaProps).some((k) => k !== 'name' && k !== 'generateName'))
        v.forbidden(
          [...path, 'properties', 'metadata'],
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        );
    }
    for (const [k, child] of Object.entries(props))
      validateSchemaNode(child, [...path, 'properties', k], 'field', v, depth + 1, structural);
  }
  if (isObj(s.additionalProperties))
    validateSchemaNode(
      s.additionalProperties,
      [...path, 'additionalProperties'],
      'field',
      v,
      depth + 1,
      structural,
    );
  if (isObj(s.items)) validateSchemaNode(s.items, [...path, 'items'], 'item', v, depth + 1, structural);
}

function validateJsonPathUnder(
  value: unknown,
  path: Path,
  v: Issues,
  under: readonly string[],
  detail: string,
  required: boolean,
): void {
  const p = str(value) ?? '';
  if (p === '') {
    if (required) v.required(path);
    return;
  }
  if (!p.startsWith('.')) v.invalid(path, p, 'must be a simple json path starting with .');
  else if (!under.some((u) => p.startsWith(u))) v.invalid(path, p, detail);
}

/**
 * Is there an `x-kubernetes-preserve-unknown-fields: false` in the schema? The API server cannot
 * build the structural schema then and reports only the schema errors it found before.
 */
function hasPreserveFalse(node: unknown, depth = 0): boolean {
  const s = obj(node);
  if (s === undefined || depth > MAX_SCHEMA_DEPTH) return false;
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return true;
  const children = [...Object.values(obj(s.properties) ?? {}), s.additionalProperties, s.items];
  return children.some((c) => hasPreserveFalse(c, depth + 1));
}

function validateVersion(ver: Obj, path: Path, v: Issues, structural: boolean): void {
  const name = str(ver.name) ?? '';
  if (name !== '') {
    const p = dns1035(name);
    if (p !== undefined) v.invalid([...path, 'name'], name, p);
  }
  const schema = obj(obj(ver.schema)?.openAPIV3Schema);
  if (schema === undefined) v.required([...path, 'schema', 'openAPIV3Schema']);
  else {
    const ok = structural && !hasPreserveFalse(schema);
    validateSchemaNode(schema, [...path, 'schema', 'openAPIV3Schema'], 'root', v, 0, ok);
  }
  arr(ver.additionalPrinterColumns).forEach((c, i) => {
    if (!isObj(c)) return;
    const at = [...path, 'additionalPrinterColumns', i];
    if ((str(c.name) ?? '') === '') v.required([...at, 'name']);
    const type = str(c.type) ?? '';
    if (!COLUMN_TYPES.split(',').includes(type))
      v.invalid([...at, 'type'], type, `must be one of ${COLUMN_TYPES}`);
    const format = str(c.format) ?? '';
    if (format !== '' && !COLUMN_FORMATS.split(',').includes(format))
      v.invalid([...at, 'format'], format, `must be one of ${COLUMN_FORMATS}`);
    const jp = str(c.jsonPath) ?? '';
    if (jp === '') v.required([...at, 'jsonPath']);
  });
  const scale = obj(obj(ver.subresources)?.scale);
  if (scale !== undefined) {
    const at = [...path, 'subresources', 'scale'];
    validateJsonPathUnder(
      scale.specReplicasPath,
      [...at, 'specReplicasPath'],
      v,
      ['.spec.'],
      'should be a json path under .spec',
      true,
    );
    validateJsonPathUnder(
      scale.statusReplicasPath,
      [...at, 'statusReplicasPath'],
      v,
      ['.status.'],
      'should be a json path under .status',
      true,
    );
    validateJsonPathUnder(
      scale.labelSelectorPath,
      [...at, 'labelSelectorPath'],
      v,
      ['.spec.', '.status.'],
      'should be a json path under either .spec or .status',
      false,
    );
  }
}

function validateReviewVersions(versions: unknown, path: Path, v: Issues): void {
  const list = arr(versions);
  if (list.length === 0) {
    v.required(path);
    return;
  }
  const seen = new Set<unknown>();
  let known = false;
  list.forEach((ver, i) => {
    if (seen.has(ver)) {
      v.invalid([...path, i], ver, 'duplicate version');
      return;
    }
    seen.add(ver);
    if (typeof ver !== 'string') return;
    for (const p of dns1035Problems(ver)) v.invalid([...path, i], ver, p);
    if (REVIEW_VERSIONS.includes(ver)) known = true;
  });
  if (!known) v.invalid(path, list, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`);
}

function validateConversion(spec: Obj, v: Issues): void {
  const conv = obj(spec.conversion);
  if (conv === undefined) return;
  const strategy = str(conv.strategy) ?? '';
  const webhook = obj(conv.webhook);
  const at = ['spec', 'conversion'];
  if (strategy === 'Webhook') {
    if (obj(webhook?.clientConfig) === undefined)
      v.required([...at, 'webhook', 'clientConfig'], 'required when strategy is set to Webhook');
    else validateClientConfig(webhook?.clientConfig, [...at, 'webhook', 'clientConfig'], v);
    validateReviewVersions(
      webhook?.conversionReviewVersions,
      [...at, 'webhook', 'conversionReviewVersions'],
      v,
    );
  } else if (strategy === 'None' || strategy === '') {
    const not = 'should not be set when strategy is not set to Webhook';
    if (webhook?.clientConfig !== undefined) v.forbidden([...at, 'webhook', 'clientConfig'], not);
    if (arr(webhook?.conversionReviewVersions).length > 0)
      v.forbidden([...at, 'webhook', 'conversionReviewVersions'], not);
  } else v.notSupported([...at, 'strategy'], strategy, STRATEGIES);
}

function validateCrd(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const group = str(spec.group) ?? '';
  const names = obj(spec.names) ?? {};
  const plural = str(names.plural) ?? '';
  const name = str(obj(o.metadata)?.name);
  if (name !== undefined && name !== '' && name !== `${plural}.${group}`)
    v.invalid(['metadata', 'name'], name, 'must be spec.names.plural+"."+spec.group');
  if (group === '') v.required(['spec', 'group']);
  else if (!isDns1123Subdomain(group)) v.invalid(['spec', 'group'], group, DNS1123_SUBDOMAIN_MSG);
  else if (!group.includes('.'))
    v.invalid(['spec', 'group'], group, 'should be a domain with at least one dot');
  const scope = str(spec.scope) ?? '';
  if (scope === '') v.required(['spec', 'scope']);
  else if (!(SCOPES as readonly string[]).includes(scope)) v.notSupported(['spec', 'scope'], scope, SCOPES);
  const versions = arr(spec.versions).filter(isObj);
  // preserveUnknownFields: true (refused below) lifts the structural-schema requirement.
  const structural = spec.preserveUnknownFields !== true;
  versions.forEach((ver, i) => validateVersion(ver, ['spec', 'versions', i], v, structural));
  const versionNames = versions.map((ver) => ver.name);
  if (new Set(versionNames).size !== versionNames.length)
    v.invalid(['spec', 'versions'], versionNames, 'must contain unique version names');
  if (versions.filter((ver) => ver.storage === true).length !== 1)
    v.invalid(['spec', 'versions'], versionNames, 'must have exactly one version marked as storage version');
  validateNames(names, ['spec', 'names'], v);
  if (spec.preserveUnknownFields === true)
    v.invalid(
      ['spec', 'preserveUnknownFields'],
      true,
      'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    );
  validateConversion(spec, v);
}

export const APIEXTENSIONS_VALIDATORS: ValidatorTable = {
  'apiextensions.k8s.io/CustomResourceDefinition': validateCrd,
};
