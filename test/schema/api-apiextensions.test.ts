// CustomResourceDefinition checks the API server runs in Go; each verdict and message was
// confirmed with kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict). Paths
// are the v1 object's where the API server names its internal fields (spec.validation…).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

describe('CustomResourceDefinition validation', () => {
  it('accepts a CRD the API server accepts', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget, shortNames: [wd], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          metadata:
            type: object
            properties:
              name: {type: string, maxLength: 20}
          spec:
            type: object
            properties:
              replicas: {type: integer}
              port: {x-kubernetes-int-or-string: true}
              raw: {type: object, x-kubernetes-preserve-unknown-fields: true}
              tags: {type: array, items: {type: string}}
              labels: {type: object, additionalProperties: {type: string}}
          status:
            type: object
            properties:
              replicas: {type: integer}
  - name: v1beta1
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks the name, group, scope, names and versions', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.org
spec:
  group: Example_com
  scope: Global
  names: {plural: Widgets, singular: w_x, kind: Wid_get, listKind: Wid_get, shortNames: [A], categories: [b_c]}
  versions:
  - name: V1
    served: true
    storage: false
    schema:
      openAPIV3Schema: {type: object}
  - name: V1
    served: true
    storage: false
    schema:
      openAPIV3Schema: {type: object}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '4:9 metadata.name: Invalid value: "gadgets.example.org": must be spec.names.plural+"."+spec.group',
      `6:10 spec.group: Invalid value: "Example_com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      '7:10 spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
      `8:19 spec.names.plural: Invalid value: "Widgets": ${DNS1035}`,
      `8:38 spec.names.singular: Invalid value: "w_x": ${DNS1035}`,
      `8:49 spec.names.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: ${DNS1035}`,
      '8:68 spec.names.listKind: Invalid value: "Wid_get": kind and listKind may not be the same',
      `8:68 spec.names.listKind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: ${DNS1035}`,
      `8:90 spec.names.shortNames[0]: Invalid value: "A": ${DNS1035}`,
      `8:107 spec.names.categories[0]: Invalid value: "b_c": ${DNS1035}`,
      '9:3 spec.versions: Invalid value: ["V1","V1"]: must contain unique version names',
      '9:3 spec.versions: Invalid value: ["V1","V1"]: must have exactly one version marked as storage version',
      `10:11 spec.versions[0].name: Invalid value: "V1": ${DNS1035}`,
      `15:11 spec.versions[1].name: Invalid value: "V1": ${DNS1035}`,
    ]);
  });

  it('wants a group with a dot and a schema per version', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.local
spec:
  group: local
  scope: Cluster
  names: {plural: things, kind: Thing}
  versions:
  - name: v1
    served: true
    storage: true
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:10 spec.group: Invalid value: "local": should be a domain with at least one dot',
      '10:5 spec.versions[0].schema.openAPIV3Schema: Required value',
    ]);
  });

  it('checks the structural-schema basics', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: as.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: as, kind: A}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
              a: {}
              b: {type: array}
              c: {type: array, items: {}}
              d: {x-kubernetes-int-or-string: true}
              e: {x-kubernetes-preserve-unknown-fields: true}
              g: {type: object, additionalProperties: {}}
              i: {type: object, properties: {x: {type: string}}, additionalProperties: {type: string}}
          metadata:
            type: object
            properties:
              labels: {type: object}
`;
    const S = 'spec.versions[0].schema.openAPIV3Schema';
    expect(await schemaErrors(yaml)).toEqual([
      `14:7 ${S}.type: Required value: must not be empty at the root`,
      `16:11 ${S}.properties.spec.type: Required value: must not be empty for specified object fields`,
      `18:15 ${S}.properties.spec.properties.a.type: Required value: must not be empty for specified object fields`,
      `19:15 ${S}.properties.spec.properties.b.items: Required value: must be specified`,
      `20:32 ${S}.properties.spec.properties.c.items.type: Required value: must not be empty for specified array items`,
      `23:33 ${S}.properties.spec.properties.g.additionalProperties.type: Required value: must not be empty for specified object fields`,
      `24:66 ${S}.properties.spec.properties.i.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `25:11 ${S}.properties.metadata: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
  });

  it('reports only the schema errors when x-kubernetes-preserve-unknown-fields is false', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: as.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: as, kind: A}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
              a: {}
              f: {type: object, x-kubernetes-preserve-unknown-fields: false}
              i: {type: object, properties: {x: {type: string}}, additionalProperties: {type: string}}
`;
    const S = 'spec.versions[0].schema.openAPIV3Schema';
    expect(await schemaErrors(yaml)).toEqual([
      `19:71 ${S}.properties.spec.properties.f.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
      `20:66 ${S}.properties.spec.properties.i.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
  });

  it('refuses schema features the API server does not support, and preserveUnknownFields', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: bs.example.com
spec:
  group: example.com
  scope: Namespaced
  preserveUnknownFields: true
  names: {plural: bs, kind: B}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: string
        properties:
          a: {type: array, items: {type: string}, uniqueItems: true}
          c: {type: object, patternProperties: {"^a": {type: string}}}
          e: {type: strange}
`;
    const S = 'spec.versions[0].schema.openAPIV3Schema';
    expect(await schemaErrors(yaml)).toEqual([
      '8:26 spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      `18:64 ${S}.properties.a.uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      `19:29 ${S}.properties.c.patternProperties: Forbidden: patternProperties is not supported`,
      `20:21 ${S}.properties.e.type: Unsupported value: "strange": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ]);
  });

  it('checks printer columns and the scale subresource paths', async () => {
    const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: cs.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: cs, kind: C}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: "", type: strange, jsonPath: ""}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp, format: weird}
    subresources:
      scale: {specReplicasPath: spec.replicas, statusReplicasPath: .spec.replicas}
    schema:
      openAPIV3Schema: {type: object}
`;
    const V = 'spec.versions[0]';
    expect(await schemaErrors(yaml)).toEqual([
      `14:14 ${V}.additionalPrinterColumns[0].name: Required value`,
      `14:24 ${V}.additionalPrinterColumns[0].type: Invalid value: "strange": must be one of boolean,date,integer,number,string`,
      `14:43 ${V}.additionalPrinterColumns[0].jsonPath: Required value`,
      `15:78 ${V}.additionalPrinterColumns[1].format: Invalid value: "weird": must be one of byte,date,date-time,double,float,int32,int64,password`,
      `17:33 ${V}.subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .`,
      `17:68 ${V}.subresources.scale.statusReplicasPath: Invalid value: ".spec.replicas": should be a json path under .status`,
    ]);
  });

  it('checks the conversion strategy and its webhook', async () => {
    const crd = (name: string, conversion: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: ${name}, kind: K${name}}
  conversion:
${conversion}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object}
`;
    const missing = crd('cs', '    strategy: Webhook');
    const both = crd(
      'ds',
      '    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v9, v9, V2]\n      clientConfig:\n        url: https://x.example.com/convert\n        service: {name: s, namespace: ns}',
    );
    const none = crd(
      'es',
      '    strategy: None\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n        url: https://x.example.com/convert',
    );
    const url = crd(
      'fs',
      '    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n        url: "https://user@x.example.com/convert?a=b#frag"',
    );
    const svc = crd(
      'gs',
      '    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1beta1]\n      clientConfig:\n        service: {name: s, namespace: ns, path: "x/y", port: 0}',
    );
    const magic = crd('hs', '    strategy: Magic');
    const W = 'spec.conversion.webhook';
    expect(await schemaErrors(missing)).toEqual([
      `9:3 ${W}.clientConfig: Required value: required when strategy is set to Webhook`,
      `9:3 ${W}.conversionReviewVersions: Required value`,
    ]);
    expect(await schemaErrors(both)).toEqual([
      `12:7 ${W}.conversionReviewVersions: Invalid value: ["v9","v9","V2"]: must include at least one of v1, v1beta1`,
      `12:38 ${W}.conversionReviewVersions[1]: Invalid value: "v9": duplicate version`,
      `12:42 ${W}.conversionReviewVersions[2]: Invalid value: "V2": ${DNS1035}`,
      `13:7 ${W}.clientConfig: Required value: exactly one of url or service is required`,
    ]);
    expect(await schemaErrors(none)).toEqual([
      `12:7 ${W}.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook`,
      `13:7 ${W}.clientConfig: Forbidden: should not be set when strategy is not set to Webhook`,
    ]);
    expect(await schemaErrors(url)).toEqual([
      `14:14 ${W}.clientConfig.url: Invalid value: "a=b": query parameters are not permitted in the URL`,
      `14:14 ${W}.clientConfig.url: Invalid value: "frag": fragments are not permitted in the URL`,
      `14:14 ${W}.clientConfig.url: Invalid value: "user": user information is not permitted in the URL`,
    ]);
    expect(await schemaErrors(svc)).toEqual([
      `14:49 ${W}.clientConfig.service.path: Invalid value: "x/y": must start with a '/'`,
      `14:49 ${W}.clientConfig.service.path: Invalid value: "x/y": segment[0] may not be empty`,
      `14:62 ${W}.clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive`,
    ]);
    expect(await schemaErrors(magic)).toEqual([
      '10:15 spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"',
    ]);
  });
});
