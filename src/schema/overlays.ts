/**
 * What the API server enforces in code rather than in its published OpenAPI: enumerations
 * (from the API reference's "One of …" / "Possible values" notes) and the quantity syntax; and
 * what it does not enforce although the OpenAPI says so: required fields its Go validation accepts
 * absent (measured against the API server, src/schema/go-optional.generated.ts).
 * Merged into the bundled definitions when the registry resolves them.
 */
import { GO_OPTIONAL } from './go-optional.generated.js';
import type { SchemaNode } from './validate.js';

type Values = readonly string[];
const CORE = 'io.k8s.api.core.v1.';

const protocol: Values = ['TCP', 'UDP', 'SCTP'];
const pullPolicy: Values = ['Always', 'Never', 'IfNotPresent'];
const terminationMessagePolicy: Values = ['File', 'FallbackToLogsOnError'];
const profileType: Values = ['RuntimeDefault', 'Unconfined', 'Localhost'];
const trafficPolicy: Values = ['Cluster', 'Local'];
const selectorOp: Values = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const taintEffect: Values = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** definition → property → allowed values (`items` for arrays of enumerated strings). */
const ENUMS: Record<string, Record<string, Values | { items: Values }>> = {
  [`${CORE}Container`]: { imagePullPolicy: pullPolicy, terminationMessagePolicy },
  [`${CORE}EphemeralContainer`]: { imagePullPolicy: pullPolicy, terminationMessagePolicy },
  [`${CORE}ContainerPort`]: { protocol },
  [`${CORE}ServicePort`]: { protocol },
  [`${CORE}EndpointPort`]: { protocol },
  ['io.k8s.api.discovery.v1.EndpointPort']: { protocol },
  ['io.k8s.api.networking.v1.NetworkPolicyPort']: { protocol },
  [`${CORE}PodSpec`]: {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['Never', 'PreemptLowerPriority'],
  },
  [`${CORE}ServiceSpec`]: {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    externalTrafficPolicy: trafficPolicy,
    internalTrafficPolicy: trafficPolicy,
    sessionAffinity: ['ClientIP', 'None'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: { items: ['IPv4', 'IPv6'] },
  },
  [`${CORE}SeccompProfile`]: { type: profileType },
  [`${CORE}AppArmorProfile`]: { type: profileType },
  [`${CORE}PodSecurityContext`]: { fsGroupChangePolicy: ['OnRootMismatch', 'Always'] },
  [`${CORE}Toleration`]: { operator: ['Exists', 'Equal'], effect: taintEffect },
  [`${CORE}Taint`]: { effect: taintEffect },
  [`${CORE}NodeSelectorRequirement`]: { operator: [...selectorOp, 'Gt', 'Lt'] },
  ['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement']: { operator: selectorOp },
  [`${CORE}HTTPGetAction`]: { scheme: ['HTTP', 'HTTPS'] },
  [`${CORE}TopologySpreadConstraint`]: { whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'] },
  [`${CORE}VolumeMount`]: { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'] },
  [`${CORE}HostPathVolumeSource`]: {
    type: [
      '',
      'DirectoryOrCreate',
      'Directory',
      'FileOrCreate',
      'File',
      'Socket',
      'CharDevice',
      'BlockDevice',
    ],
  },
  [`${CORE}PersistentVolumeClaimSpec`]: {
    volumeMode: ['Block', 'Filesystem'],
    accessModes: { items: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
  },
  // Deployment/StatefulSet/DaemonSet strategy types, podManagementPolicy and concurrencyPolicy are
  // checked in src/schema/api (apps.ts, batch.ts): the API server defaults "" there, an enum cannot.
  ['io.k8s.api.batch.v1.JobSpec']: { completionMode: ['NonIndexed', 'Indexed'] },
  ['io.k8s.api.networking.v1.HTTPIngressPath']: { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  ['io.k8s.api.networking.v1.NetworkPolicySpec']: { policyTypes: { items: ['Ingress', 'Egress'] } },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']: {
    unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'],
  },
  ['io.k8s.api.scheduling.v1.PriorityClass']: { preemptionPolicy: ['Never', 'PreemptLowerPriority'] },
  ['io.k8s.api.autoscaling.v2.HPAScalingRules']: { selectPolicy: ['Max', 'Min', 'Disabled'] },
  ['io.k8s.api.autoscaling.v2.MetricSpec']: {
    type: ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
  },
};

/** Definitions replaced outright. */
const REPLACED: Record<string, SchemaNode> = {
  // Published as oneOf string|number; the API server parses the string with the quantity grammar.
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', format: 'quantity' },
};

/** Apply the overlay for `name` to its bundled schema (returns the input when there is none). */
export function applyOverlay(name: string, raw: SchemaNode): SchemaNode {
  const replaced = REPLACED[name];
  if (replaced) return replaced;
  const optional = GO_OPTIONAL[name];
  const schema =
    optional && raw.required ? { ...raw, required: raw.required.filter((r) => !optional.includes(r)) } : raw;
  const enums = ENUMS[name];
  if (!enums || !schema.properties) return schema;
  const properties = { ...schema.properties };
  for (const [prop, values] of Object.entries(enums)) {
    const p = properties[prop];
    if (!p) continue;
    properties[prop] =
      'items' in values && p.items
        ? { ...p, items: { ...p.items, enum: [...values.items] } }
        : { ...p, enum: [...(values as Values)] };
  }
  return { ...schema, properties };
}
