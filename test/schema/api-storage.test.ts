// storage.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

describe('storage.k8s.io validation', () => {
  it('accepts objects the API server accepts', async () => {
    const yaml = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowedTopologies:
- matchLabelExpressions:
  - {key: topology.kubernetes.io/zone, values: [eu-west-1a]}
---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: va
spec:
  attacher: ebs.csi.aws.com
  nodeName: node-1
  source: {persistentVolumeName: pv1}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: ebs.csi.aws.com
spec:
  attachRequired: true
  fsGroupPolicy: File
  volumeLifecycleModes: [Persistent, Ephemeral]
  tokenRequests: [{audience: a}, {audience: b}]
---
apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: node-1
spec:
  drivers:
  - {name: ebs.csi.aws.com, nodeID: i-123, topologyKeys: [topology.ebs.csi.aws.com/zone], allocatable: {count: 25}}
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks a StorageClass: provisioner, reclaimPolicy, volumeBindingMode, topologies', async () => {
    const yaml = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: sc1
provisioner: "Bad Prov!"
reclaimPolicy: Recycle
volumeBindingMode: Later
allowedTopologies:
- matchLabelExpressions:
  - key: topology.kubernetes.io/zone
    values: []
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: sc2
provisioner: ""
`;
    expect(await schemaErrors(yaml)).toEqual([
      `5:14 provisioner: Invalid value: "bad prov!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      '6:16 reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      '7:20 volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      '11:5 allowedTopologies[0].matchLabelExpressions[0].values: Required value',
      '17:14 provisioner: Required value',
    ]);
  });

  it('checks a VolumeAttachment: attacher, nodeName, exactly one source', async () => {
    const yaml = `apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: va1
spec:
  attacher: ""
  nodeName: ""
  source: {}
---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: va2
spec:
  attacher: "Bad Attacher"
  nodeName: "Node_1"
  source: {persistentVolumeName: "pv1", inlineVolumeSpec: {csi: {driver: d, volumeHandle: h}}}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:13 spec.attacher: Required value',
      `7:13 spec.nodeName: Invalid value: "": ${SUBDOMAIN}`,
      '8:3 spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      `15:13 spec.attacher: Invalid value: "Bad Attacher": an RFC 1123 subdomain must consist of alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      `16:13 spec.nodeName: Invalid value: "Node_1": ${SUBDOMAIN}`,
      '17:3 spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
    ]);
  });

  it('checks a CSIDriver and a CSINode', async () => {
    const yaml = `apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: d.example.com
spec:
  volumeLifecycleModes: [Persistent, Forever]
  fsGroupPolicy: Sometimes
  tokenRequests: [{audience: a}, {audience: a}]
---
apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: n1
spec:
  drivers:
  - {name: "Bad Driver", nodeID: "", allocatable: {count: -1}}
  - {name: d.example.com, nodeID: node1}
  - {name: d.example.com, nodeID: node1}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:3 spec.volumeLifecycleModes: Unsupported value: "Forever": supported values: "Persistent", "Ephemeral"',
      '7:18 spec.fsGroupPolicy: Unsupported value: "Sometimes": supported values: "File", "None", "ReadWriteOnceWithFSType"',
      // Under a `token…` field the redaction rule hides the value.
      '8:45 spec.tokenRequests[1].audience: Duplicate value',
      `16:12 spec.drivers[0].name: Invalid value: "Bad Driver": ${SUBDOMAIN}`,
      '16:34 spec.drivers[0].nodeID: Required value',
      '16:59 spec.drivers[0].allocatable.count: Invalid value: -1: must be greater than or equal to 0',
      '18:12 spec.drivers[2].name: Duplicate value: "d.example.com"',
    ]);
  });
});
