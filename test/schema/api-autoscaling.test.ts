// API-server-grade checks of the autoscaling group (src/schema/api/autoscaling.ts) through the schema preset.
// Every fixture under test/fixtures/api/autoscaling was sent to a real kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`): it rejects exactly the documents that
// get findings here, with the same field paths and wording, and accepts the others.
import { describe, expect, it } from 'vitest';
import { fixtureFindings } from '../helpers/schema-findings.js';

const DIR = new URL('../fixtures/api/autoscaling/', import.meta.url);

const findings = fixtureFindings(DIR);

describe('autoscaling: API-server validation', () => {
  it('HorizontalPodAutoscaler v2: replicas, scale to zero, target reference, each metric source, behavior policies', async () => {
    expect(await findings('hpa.yaml', 1, 55)).toEqual([
      '5:1 spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
      '8:16 spec.maxReplicas: Required value',
      '15:3 spec.scaleTargetRef.apiVersion: Invalid value: "": apiVersion must specify API group',
      '15:26 spec.scaleTargetRef.kind: Required value',
      '15:36 spec.scaleTargetRef.name: Required value',
      '17:16 spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      '19:5 spec.metrics[0].resource: Required value: must populate information for the given metric source',
      '23:11 spec.metrics[1].type: must be one of ContainerResource, External, Object, Pods, Resource, got string "Foo"',
      '27:7 spec.metrics[2].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
      '30:22 spec.metrics[3].pods.metric.name: Required value: must specify a metric name',
      '31:7 spec.metrics[3].pods.target.averageValue: Required value: must specify a positive target averageValue',
      '36:7 spec.metrics[4].object.target.averageValue: Required value: must set either a target value or averageValue',
      '40:50 spec.metrics[5].external.target.averageValue: Invalid value: "-1": must be positive',
      '44:18 spec.metrics[6].containerResource.container: Required value: must specify a container',
      '45:55 spec.metrics[6].containerResource.target.averageUtilization: Invalid value: 0: must be greater than 0',
      '48:21 spec.behavior.scaleUp.selectPolicy: must be one of Max, Min, Disabled, got string "Foo"',
      '49:35 spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero',
      '51:16 spec.behavior.scaleUp.policies[0].type: Unsupported value: "Foo": supported values: "Percent", "Pods"',
      '51:28 spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      '51:46 spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
      '52:51 spec.behavior.scaleUp.policies[1].periodSeconds: Invalid value: 4000: must be less than or equal to 1800',
      '54:7 spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
    ]);
  });

  it('HorizontalPodAutoscaler v1: replicas, target reference and the CPU target reported where the API server puts it', async () => {
    expect(await findings('hpa.yaml', 56, 999)).toEqual([
      '61:3 spec.scaleTargetRef.apiVersion: Invalid value: "": apiVersion must specify API group',
      '63:16 spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      '64:35 spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('HorizontalPodAutoscaler: path segments, metric sources given twice, target types and signs, windows, tolerance; a valid one passes', async () => {
    expect(await findings('hpa-more.yaml')).toEqual([
      '6:71 spec.scaleTargetRef.name: Invalid value: "a/b": may not contain \'/\'',
      '7:16 spec.minReplicas: Invalid value: -1: must be greater than or equal to 0',
      '8:16 spec.maxReplicas: Invalid value: -1: must be greater than or equal to 1',
      '15:47 spec.scaleTargetRef.kind: Invalid value: "..": may not be \'..\'',
      '21:62 spec.metrics[0].object.describedObject.name: Required value',
      '22:22 spec.metrics[0].object.metric.name: Invalid value: "a%b": may not contain \'%\'',
      '23:22 spec.metrics[0].object.target.type: Invalid value: "Foo": must be either Utilization, Value, or AverageValue',
      '23:34 spec.metrics[0].object.target.value: Invalid value: "0": must be positive',
      '27:36 spec.metrics[1].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target',
      '32:5 spec.metrics[2].resource: Forbidden: must populate the given metric source only',
      '35:11 spec.metrics[3].type: must be one of ContainerResource, External, Object, Pods, Resource, got string ""',
      '38:13 spec.metrics[4].resource.name: Required value: must specify a resource name',
      '39:22 spec.metrics[4].resource.target.type: Invalid value: "": must be either Utilization, Value, or AverageValue',
      '39:22 spec.metrics[4].resource.target.type: Required value: must specify a metric target type',
      '39:64 spec.metrics[4].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
      '42:35 spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
      '44:29 spec.behavior.scaleDown.policies[0].value: Invalid value: -1: must be greater than zero',
      '55:18 spec.behavior.scaleUp.tolerance: Invalid value: "-100m": must be greater than or equal to 0',
      '61:1 spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
      '73:35 spec.metrics[0].resource.target.averageUtilization: Invalid value: -5: must be greater than 0',
      '80:32 spec.scaleTargetRef.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      "86:18 spec.metrics[0].containerResource.container: Invalid value: \"Bad_C\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});
