/** deprecated-api: the apiVersion/kind is still served by the target Kubernetes version but deprecated. */
import { defineCheck, type CheckContext, type CheckResult } from '../../engine/rule.js';

/**
 * APIs that the Kubernetes project deprecated while still serving them, restated from the
 * Deprecated API Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
 * and the API server's deprecation warnings. Entries: apiVersion, kinds, deprecated since,
 * removed in (undefined: no removal scheduled), what to use instead.
 * APIs that are no longer served at all belong to `removed-api` (src/schema/removed-apis.ts).
 */
const DEPRECATED_TABLE: Array<[string, string[], string, string | undefined, string | undefined]> = [
  // Flow control v1beta3 was superseded by v1 (GA in 1.29) and stopped being served in 1.32.
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.29',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
  ],
  // ComponentStatus has been deprecated since 1.19, with no replacement API.
  ['v1', ['ComponentStatus'], '1.19', undefined, undefined],
  // Endpoints is deprecated since 1.33 in favour of EndpointSlice (no removal planned):
  // https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/
  ['v1', ['Endpoints'], '1.33', undefined, 'discovery.k8s.io/v1 EndpointSlice'],
];

interface Deprecation {
  since?: string;
  removedIn?: string;
  /** apiVersion (same kind) or "apiVersion Kind" to use instead. */
  replacement?: string;
}

const DEPRECATED: ReadonlyMap<string, Deprecation> = new Map(
  DEPRECATED_TABLE.flatMap(([apiVersion, kinds, since, removedIn, replacement]) =>
    kinds.map((kind): [string, Deprecation] => [`${apiVersion}/${kind}`, { since, removedIn, replacement }]),
  ),
);

/**
 * When pre-release versions that were served next to their GA version stopped being served,
 * read off the bundled schemas (schemas/kubernetes/v1.30 … v1.37): the first minor without them.
 */
const PRERELEASE_REMOVED_IN: ReadonlyMap<string, string> = new Map([
  ['admissionregistration.k8s.io/v1alpha1/ValidatingAdmissionPolicy', '1.32'],
  ['admissionregistration.k8s.io/v1alpha1/ValidatingAdmissionPolicyBinding', '1.32'],
  ['admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicy', '1.34'],
  ['admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicyBinding', '1.34'],
  ['authentication.k8s.io/v1alpha1/SelfSubjectReview', '1.32'],
  ['authentication.k8s.io/v1beta1/SelfSubjectReview', '1.33'],
  ['networking.k8s.io/v1beta1/IPAddress', '1.37'],
  ['networking.k8s.io/v1beta1/ServiceCIDR', '1.37'],
  ['storage.k8s.io/v1alpha1/VolumeAttributesClass', '1.35'],
  ['storage.k8s.io/v1beta1/VolumeAttributesClass', '1.37'],
]);

const PRERELEASE = /^v\d+(alpha|beta)\d+$/;

function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

interface DeprecationVerdict {
  data: Record<string, string>;
  fix?: CheckResult['fix'];
}

function judgeApi(
  ctx: Pick<CheckContext, 'env'>,
  apiVersion: string,
  kind: string,
): DeprecationVerdict | null {
  const schemas = ctx.env.schemas!;
  const hit = schemas.lookup(apiVersion, kind);
  // Unserved APIs are removed-api's or missing-schema's business; custom resources are not ours.
  if (hit.status !== 'found' || hit.origin !== 'builtin') return null;
  const target = schemas.minor;
  const key = `${apiVersion}/${kind}`;
  const known = DEPRECATED.get(key);
  if (known && (known.since === undefined || compareMinor(known.since, target) <= 0)) {
    const replacement = known.replacement;
    const status = [
      `deprecated since ${known.since}`,
      known.removedIn ? `no longer served from ${known.removedIn}` : 'no removal scheduled',
    ].join(', ');
    return {
      data: {
        api: `${apiVersion} ${kind}`,
        status,
        advice: replacement ? `move to ${replacement}` : 'it has no replacement API, so stop depending on it',
      },
      fix:
        replacement && !replacement.includes(' ')
          ? { safety: 'unsafe', patch: [{ op: 'replace', path: '/apiVersion', value: replacement }] }
          : undefined,
    };
  }
  // A pre-release version served next to a GA version of the same kind in the target release.
  const slash = apiVersion.indexOf('/');
  if (slash < 0 || !PRERELEASE.test(apiVersion.slice(slash + 1))) return null;
  const group = apiVersion.slice(0, slash);
  let ga: string | undefined;
  for (let n = 1; n <= 9; n++) {
    const candidate = `${group}/v${n}`;
    if (!schemas.has(candidate, kind)) continue;
    const h = schemas.lookup(candidate, kind);
    if (h.status === 'found' && h.origin === 'builtin') ga = candidate; // keep the highest
  }
  if (!ga) return null;
  const removedIn = PRERELEASE_REMOVED_IN.get(key);
  return {
    data: {
      api: `${apiVersion} ${kind}`,
      status: `pre-release, while Kubernetes ${target} serves the stable ${ga}${removedIn ? `; no longer served from ${removedIn}` : ''}`,
      advice: `move to ${ga}`,
    },
    fix: { safety: 'unsafe', patch: [{ op: 'replace', path: '/apiVersion', value: ga }] },
  };
}

export const deprecatedApi = defineCheck('resource', (ctx) => {
  const schemas = ctx.env.schemas;
  const { apiVersion, kind } = ctx.object;
  if (!schemas || typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  let cache = ctx.env.memo.get('deprecated-api') as Map<string, DeprecationVerdict | null> | undefined;
  if (!cache) ctx.env.memo.set('deprecated-api', (cache = new Map()));
  const key = `${apiVersion}/${kind}`;
  let verdict = cache.get(key);
  if (verdict === undefined) {
    verdict = judgeApi(ctx, apiVersion, kind);
    cache.set(key, verdict);
  }
  if (!verdict) return [];
  return [{ path: '/apiVersion', data: verdict.data, ...(verdict.fix ? { fix: verdict.fix } : {}) }];
});
