// API-server-grade checks of the apps group (src/schema/api/apps.ts) through the schema preset.
// Every fixture under test/fixtures/api/apps was sent to a real kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`): it rejects exactly the documents that
// get findings here, with the same field paths and wording, and accepts the others.
import { describe, expect, it } from 'vitest';
import { fixtureFindings } from '../helpers/schema-findings.js';

const DIR = new URL('../fixtures/api/apps/', import.meta.url);

const findings = fixtureFindings(DIR);

describe('apps: API-server validation', () => {
  it('StatefulSet: mounts may name a claim template; a name that is neither volume nor claim is not found', async () => {
    expect(await findings('statefulset-claim-mounts.yaml')).toEqual([
      '19:21 spec.template.spec.containers[0].volumeMounts[1].name: Not found: "scratch"',
    ]);
  });

  it('accepts a realistic Deployment, and strategy types and podManagementPolicy left empty (the API server defaults them)', async () => {
    expect(await findings('deployment-valid.yaml')).toEqual([]);
  });

  it('Deployment: negative counts, Recreate with rollingUpdate, template labels, restartPolicy, activeDeadlineSeconds', async () => {
    expect(await findings('deployment-spec.yaml')).toEqual([
      '6:13 spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      '7:20 spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0',
      '8:25 spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      "14:5 spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
      '18:7 spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
      '21:22 spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      '22:30 spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });

  it('Deployment: progressDeadlineSeconds must exceed minReadySeconds, also when defaulted to 600; empty selector', async () => {
    expect(await findings('deployment-deadline.yaml')).toEqual([
      '7:28 spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
      '8:3 spec.selector: Invalid value: {}: empty selector is invalid for deployment',
      '10:11 spec.strategy: Unsupported value: {"Type":"Blue","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"',
      '24:1 spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]);
  });

  it('Deployment: maxSurge and maxUnavailable are int-or-percent, not both 0, non-negative, at most 100 %', async () => {
    expect(await findings('deployment-rolling.yaml')).toEqual([
      '12:23 spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
      '32:17 spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
      '33:23 spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
      "53:17 spec.strategy.rollingUpdate.maxSurge: Invalid value: \"one\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });

  it('Deployment: a missing selector selects nothing; an invalid one is reported twice as the API server does', async () => {
    expect(await findings('deployment-selector.yaml')).toEqual([
      '5:1 spec.selector: missing required field "selector"',
      '8:7 spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      '20:3 spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tie\u2026: invalid label selector',
      "26:9 spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      '45:3 spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
    ]);
  });

  it('ReplicaSet: counts, empty selector, restartPolicy Always, no activeDeadlineSeconds; a valid one passes', async () => {
    expect(await findings('replicaset.yaml')).toEqual([
      '6:13 spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      '7:20 spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      '8:3 spec.selector: Invalid value: {}: empty selector is invalid for deployment',
      '14:22 spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      '15:30 spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });

  it('StatefulSet: serviceName, OnDelete with rollingUpdate, ordinals, retention policy, template, claim templates', async () => {
    expect(await findings('statefulset.yaml')).toEqual([
      "6:16 spec.serviceName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      '7:13 spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      '8:20 spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      '11:5 spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":2,"MaxUnavailable":null}: only allowed for updateStrategy \'RollingUpdate\'',
      '14:12 spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
      '16:18 spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      '26:22 spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      '27:30 spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
      '35:9 spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required',
      '36:9 spec.volumeClaimTemplates[0].spec.resources[storage]: Required value',
    ]);
  });

  it('StatefulSet: podManagementPolicy, update strategy type, partition, maxUnavailable not 0, empty selector; a valid one passes', async () => {
    expect(await findings('statefulset-strategy.yaml')).toEqual([
      "6:24 spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'",
      '8:11 spec.updateStrategy: Invalid value: {"Type":"Canary","RollingUpdate":null}: must be \'RollingUpdate\' or \'OnDelete\'',
      '9:3 spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
      '29:18 spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
      '30:23 spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "0%": cannot be 0',
      '36:7 spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it('DaemonSet: counts, selector, template, exactly one of maxSurge and maxUnavailable non-zero', async () => {
    expect(await findings('daemonset.yaml')).toEqual([
      '5:1 spec.selector: missing required field "selector"',
      '6:20 spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      '7:25 spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      '10:7 spec.template.metadata.labels: Invalid value: {"app":"agent"}: `selector` does not match template `labels`',
      '13:22 spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      '14:30 spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
      '27:23 spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      '47:23 spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "200%": must not be greater than 100%',
      '48:17 spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 5: may not be set when maxUnavailable is non-zero',
      '67:11 spec.updateStrategy: Unsupported value: {"Type":"Sometimes","RollingUpdate":null}: supported values: "RollingUpdate", "OnDelete"',
      '68:3 spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    ]);
  });

  it('ControllerRevision: data required, revision non-negative', async () => {
    expect(await findings('controllerrevision.yaml')).toEqual([
      '1:1 data: missing required field "data"',
      '5:11 revision: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});
