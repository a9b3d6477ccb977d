/**
 * API-server-grade validation: the checks the Kubernetes API server runs in Go code (its
 * `validation` packages) on top of the OpenAPI schema, organised by API group. Each group module
 * exports a table `Kind → validator`; a validator reads the decoded object and writes field errors
 * to an `Issues` collector, tolerating wrongly-typed fields (the OpenAPI walk reports those).
 *
 * See docs/adr/0014-api-server-validation.md for what is in and out of scope.
 */
import type { SchemaError } from '../validate.js';
import { compareMinor } from '../removed-apis.js';
import { Issues, isObj, type ApiContext, type KindValidator } from './issues.js';
import { CORE_VALIDATORS } from './core.js';
import { APPS_VALIDATORS } from './apps.js';
import { BATCH_VALIDATORS } from './batch.js';
import { POLICY_VALIDATORS } from './policy.js';
import { AUTOSCALING_VALIDATORS } from './autoscaling.js';
import { NETWORKING_VALIDATORS } from './networking.js';
import type { ValidatorTable } from './issues.js';
import { META_VALIDATORS, validateObjectMeta } from './meta.js';
import { RBAC_VALIDATORS } from './rbac.js';
import { APIEXTENSIONS_VALIDATORS } from './apiextensions.js';
import { ADMISSION_VALIDATORS } from './admission.js';
import { DISCOVERY_VALIDATORS } from './discovery.js';
import { CERTIFICATES_VALIDATORS } from './certificates.js';
import { FLOWCONTROL_VALIDATORS } from './flowcontrol.js';
import { STORAGE_VALIDATORS } from './storage.js';
import { SCHEDULING_VALIDATORS } from './scheduling.js';
import { COORDINATION_VALIDATORS } from './coordination.js';
import { NODE_VALIDATORS } from './node.js';
import { APIREGISTRATION_VALIDATORS } from './apiregistration.js';
import { CORE_CLUSTER_VALIDATORS } from './core-cluster.js';
import { RESOURCE_VALIDATORS } from './resource.js';

export type { ApiContext, KindValidator, ValidatorTable } from './issues.js';

// One table per API group module; a kind may appear in several (their checks all run).
const TABLES: readonly ValidatorTable[] = [
  META_VALIDATORS,
  CORE_VALIDATORS,
  APPS_VALIDATORS,
  BATCH_VALIDATORS,
  POLICY_VALIDATORS,
  AUTOSCALING_VALIDATORS,
  NETWORKING_VALIDATORS,
  RBAC_VALIDATORS,
  APIEXTENSIONS_VALIDATORS,
  ADMISSION_VALIDATORS,
  DISCOVERY_VALIDATORS,
  CERTIFICATES_VALIDATORS,
  FLOWCONTROL_VALIDATORS,
  STORAGE_VALIDATORS,
  SCHEDULING_VALIDATORS,
  COORDINATION_VALIDATORS,
  NODE_VALIDATORS,
  APIREGISTRATION_VALIDATORS,
  CORE_CLUSTER_VALIDATORS,
  RESOURCE_VALIDATORS,
];

const BY_KIND = new Map<string, KindValidator[]>();
for (const table of TABLES)
  for (const [key, fn] of Object.entries(table)) {
    const list = BY_KIND.get(key) ?? [];
    list.push(fn);
    BY_KIND.set(key, list);
  }

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Run metadata and kind checks for a built-in object. */
export function validateApi(object: unknown, ctx: ApiContext): SchemaError[] {
  if (!isObj(object)) return [];
  const v = new Issues(ctx, object);
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const key = `${groupOf(apiVersion)}/${kind}`;
  validateObjectMeta(object, key, v);
  for (const fn of BY_KIND.get(key) ?? []) fn(object, v);
  return v.errors;
}

/**
 * Subtrees the API server of older minors did not validate (measured by the differential against
 * the kube-apiservers of 1.30–1.37): before `until`, only decoding applies there — wrong types and
 * unknown fields are still refused (`decodeOnly`), or, for a RawExtension, nothing at all.
 */
const UNVALIDATED_BEFORE: ReadonlyArray<{
  key: string;
  path: string;
  until: string;
  decodeOnly: boolean;
  /** Paths under `path` that were validated all along. */
  keep?: readonly string[];
}> = [
  // StatefulSet pod templates: ValidatePodTemplateSpecForStatefulSet checked only their metadata
  // until 1.34 (a container without an image, or two with one name, was stored);
  // ValidateStatefulSetSpec itself checked the restart policy and activeDeadlineSeconds.
  {
    key: 'apps/StatefulSet',
    path: '/spec/template/spec',
    until: '1.34',
    decodeOnly: true,
    keep: ['/spec/template/spec/restartPolicy', '/spec/template/spec/activeDeadlineSeconds'],
  },
  // StatefulSet claim templates: validateVolumeClaimTemplates came in 1.34; before, only decoded.
  { key: 'apps/StatefulSet', path: '/spec/volumeClaimTemplates', until: '1.34', decodeOnly: true },
  // ControllerRevision data: any JSON value decoded until 1.31.
  { key: 'apps/ControllerRevision', path: '/data', until: '1.31', decodeOnly: false },
];

/** What the walk reports that only Go validation enforces (the decoder does not). */
const VALIDATION_ONLY = /: (?:missing required field|must be one of )/;

/** Drop the findings an older API server would not have made (UNVALIDATED_BEFORE). */
export function withoutUnvalidated(
  errors: SchemaError[],
  object: unknown,
  minor: string,
  from: 'walk' | 'api',
): SchemaError[] {
  if (errors.length === 0 || !isObj(object)) return errors;
  const key = `${groupOf(typeof object.apiVersion === 'string' ? object.apiVersion : '')}/${String(object.kind)}`;
  const gaps = UNVALIDATED_BEFORE.filter((g) => g.key === key && compareMinor(minor, g.until) < 0);
  if (gaps.length === 0) return errors;
  return errors.filter(
    (e) =>
      !gaps.some(
        (g) =>
          (e.path === g.path || e.path.startsWith(g.path + '/')) &&
          !(g.keep?.includes(e.path) ?? false) &&
          (!g.decodeOnly || from === 'api' || VALIDATION_ONLY.test(e.message)),
      ),
  );
}

/**
 * Drop API findings at or below a path the OpenAPI walk already reported (one finding per fault),
 * and the walk's warnings at or above a path the Go checks reject (their error says it better).
 */
export function mergeErrors(schema: SchemaError[], api: SchemaError[]): SchemaError[] {
  if (api.length === 0) return schema;
  if (schema.length === 0) return api;
  const under = (p: string, root: string) => p === root || p.startsWith(root + '/');
  const covered = schema.filter((e) => e.severity === undefined).map((e) => e.path);
  const out = schema.filter((e) => e.severity === undefined || !api.some((a) => under(a.path, e.path)));
  for (const e of api) if (!covered.some((p) => under(e.path, p))) out.push(e);
  return out;
}
