// The core API's Go validation (src/schema/api/core.ts). Every fixture here was sent to
// kube-apiserver v1.37.2 (kubectl create --dry-run=server --validate=strict): it gave the same
// verdict and the same messages (it also appends examples and regexes, left out here, and repeats
// a limit's faults on the requests it defaults from it: one finding per fault here).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUB =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** A Pod whose spec is `spec` (indented two spaces); its first spec line is line 5. */
const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const one = (container: string) => pod(`  containers:\n  - name: c\n    image: nginx\n${container}`);

describe('Pod containers', () => {
  it('accepts a plain pod', async () => {
    expect(await schemaErrors(one('    ports: [{containerPort: 80, name: http}]\n'))).toEqual([]);
  });

  it('requires a name, an image, and label names unique across init and regular containers', async () => {
    const yaml = pod(
      '  initContainers:\n  - {name: web, image: i}\n  containers:\n  - {name: web, image: ""}\n  - {name: Web_2, image: i}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '7:12 spec.initContainers[0].name: Duplicate value: "web"',
      '9:24 spec.containers[0].image: Required value',
      `10:12 spec.containers[1].name: Invalid value: "Web_2": ${LABEL}`,
    ]);
  });

  it('checks port numbers and names', async () => {
    const yaml = one(
      '    ports:\n    - {containerPort: 0}\n    - {containerPort: 70000, name: http}\n    - {containerPort: 80, name: http}\n    - {containerPort: 81, name: Bad_Name}\n    - {containerPort: 82, name: "12"}\n    - {containerPort: 83, protocol: XTP}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:23 spec.containers[0].ports[0].containerPort: Required value',
      '11:23 spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '12:33 spec.containers[0].ports[2].name: Duplicate value: "http"',
      '13:33 spec.containers[0].ports[3].name: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '14:33 spec.containers[0].ports[4].name: Invalid value: "12": must contain at least one letter (a-z)',
      '15:37 spec.containers[0].ports[5].protocol: must be one of TCP, UDP, SCTP, got string "XTP"',
    ]);
  });

  it('wants hostPort equal to containerPort on the host network', async () => {
    const yaml = pod(
      '  hostNetwork: true\n  containers:\n  - name: c\n    image: i\n    ports: [{containerPort: 80, hostPort: 81}]\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:43 spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
    ]);
  });

  it('allows any printable env var name but "=" (1.37 relaxed the C identifier rule)', async () => {
    const yaml = one(
      '    env:\n    - {name: "1BAD"}\n    - {name: "my.var"}\n    - {name: ""}\n    - {name: "a=b"}\n    envFrom:\n    - {prefix: "a=b", configMapRef: {name: c}}\n',
    );
    const msg =
      "a valid environment variable name must consist only of printable ASCII characters other than '='";
    expect(await schemaErrors(yaml)).toEqual([
      '12:14 spec.containers[0].env[2].name: Required value',
      `13:14 spec.containers[0].env[3].name: Invalid value: "a=b": ${msg}`,
      `15:16 spec.containers[0].envFrom[0].prefix: Invalid value: "a=b": ${msg}`,
    ]);
  });

  it('checks env valueFrom sources', async () => {
    const yaml = one(
      '    env:\n    - name: A\n      value: x\n      valueFrom: {fieldRef: {fieldPath: metadata.name}}\n    - name: B\n      valueFrom: {}\n    - name: C\n      valueFrom: {configMapKeyRef: {name: "", key: "bad key"}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '12:7 spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      '14:7 spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`',
      `16:43 spec.containers[0].env[2].valueFrom.configMapKeyRef.name: Invalid value: "": ${SUB}`,
      `16:52 spec.containers[0].env[2].valueFrom.configMapKeyRef.key: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
    ]);
  });

  it('checks resource names, signs, and requests against limits', async () => {
    const yaml = one(
      '    resources:\n      limits: {cpu: "-1", gpu: "1", "nvidia.com/gpu": "1", memory: 1Gi, "example.com/a": "1"}\n      requests: {memory: 2Gi, "example.com/a": "2", "example.com/foo": "2"}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:7 spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
      '10:21 spec.containers[0].resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      '10:27 spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      '10:27 spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      '11:26 spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
      '11:48 spec.containers[0].resources.requests: Invalid value: "2": must be equal to example.com/a limit of 1',
    ]);
  });

  it('finds volume mounts of missing volumes and repeated mount paths', async () => {
    const yaml = one(
      '    volumeMounts:\n    - {name: missing, mountPath: /x}\n    - {name: v, mountPath: ""}\n    - {name: v, mountPath: /y, subPath: ../x}\n  volumes:\n  - {name: v, emptyDir: {}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:14 spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      '11:28 spec.containers[0].volumeMounts[1].mountPath: Required value',
      '12:41 spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain \'..\'',
    ]);
  });

  it('checks probes: one handler, non-negative numbers, success threshold 1 for liveness', async () => {
    const yaml = one(
      '    livenessProbe:\n      httpGet: {port: 80}\n      exec: {command: [x]}\n      periodSeconds: -1\n      successThreshold: 2\n    readinessProbe:\n      initialDelaySeconds: 1\n    startupProbe:\n      tcpSocket: {port: 0}\n    lifecycle:\n      postStart: {}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:7 spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      '12:22 spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      '13:25 spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      '14:5 spec.containers[0].readinessProbe: Required value: must specify a handler type',
      '17:25 spec.containers[0].startupProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      '19:7 spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
    ]);
  });

  it('checks the security context', async () => {
    const yaml = one(
      '    securityContext: {runAsUser: -1, privileged: true, allowPrivilegeEscalation: false}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '9:5 spec.containers[0].securityContext: Invalid value: {"runAsUser":-1,"privileged":true,"allowPrivilegeEscalation"…: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
      '9:34 spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    ]);
  });
});

describe('Pod spec', () => {
  it('checks volumes: label names, one source, required source fields', async () => {
    const yaml = one(
      '  volumes:\n  - {name: a, emptyDir: {}, configMap: {name: c}}\n  - {name: V_4, emptyDir: {}}\n  - {name: b, secret: {}}\n  - {name: c, persistentVolumeClaim: {claimName: ""}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '10:29 spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
      `11:12 spec.volumes[1].name: Invalid value: "V_4": ${LABEL}`,
      '12:15 spec.volumes[2].secret.secretName: Required value',
      '13:50 spec.volumes[3].persistentVolumeClaim.claimName: Required value',
    ]);
  });

  it('checks os, dnsPolicy None without dnsConfig, and the nameservers', async () => {
    expect(await schemaErrors(one('  os: {name: macos}\n  dnsPolicy: None\n'))).toEqual([
      '5:1 spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      '9:3 spec.os: Unsupported value: "macos": supported values: "linux", "windows"',
    ]);
    const ns = one('  dnsConfig:\n    nameservers: [1.2.3.4, 1.2.3.5, 1.2.3.6, 1.2.3.7]\n');
    expect(await schemaErrors(ns)).toEqual([
      '10:5 spec.dnsConfig.nameservers: Invalid value: ["1.2.3.4","1.2.3.5","1.2.3.6","1.2.3.7"]: must not have more than 3 nameservers',
    ]);
  });

  it('checks tolerations', async () => {
    const yaml = one(
      '  tolerations:\n  - {key: a, operator: Exists, value: x}\n  - {key: "", operator: Equal, value: x}\n  - {key: "bad key!", value: v}\n  - {key: d, value: "bad value!"}\n  - {key: e, effect: NoSchedule, tolerationSeconds: 5}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      `10:24 spec.tolerations[0].operator: Invalid value: "x": value must be empty when \`operator\` is 'Exists'`,
      '11:25 spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "12:11 spec.tolerations[2].key: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      "13:5 spec.tolerations[3].operator: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      '14:22 spec.tolerations[4].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ]);
  });

  it('checks nodeSelector keys and node affinity requirements', async () => {
    const yaml = one(
      '  nodeSelector: {"bad key!": x}\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: a, operator: In}\n          - {key: b, operator: Exists, values: [x]}\n',
    );
    const at =
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions';
    expect(await schemaErrors(yaml)).toEqual([
      "9:18 spec.nodeSelector: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      `15:13 ${at}[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `16:40 ${at}[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    ]);
  });

  it('checks volume source details: item paths, modes, sizes, required fields', async () => {
    const yaml = one(
      '  volumes:\n  - name: a\n    configMap:\n      name: c\n      items: [{key: "", path: "../x"}, {key: k, path: "/abs"}]\n  - {name: b, emptyDir: {sizeLimit: "-1"}}\n  - {name: e, nfs: {server: "", path: ""}}\n  - {name: f, csi: {driver: ""}}\n  - name: g\n    downwardAPI:\n      items: [{path: x}]\n  - {name: h, secret: {secretName: s, defaultMode: 999}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '13:21 spec.volumes[0].configMap.items[0].key: Required value',
      '13:31 spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not contain \'..\'',
      '13:55 spec.volumes[0].configMap.items[1].path: Invalid value: "/abs": must be a relative path',
      '14:37 spec.volumes[1].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity',
      '15:29 spec.volumes[2].nfs.server: Required value',
      '15:39 spec.volumes[2].nfs.path: Invalid value: "": must be an absolute path',
      '15:39 spec.volumes[2].nfs.path: Required value',
      '16:29 spec.volumes[3].csi.driver: Required value',
      '18:5 spec.volumes[4].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required',
      // Under a `secret` field the redaction rule hides every value, the mode too.
      '20:52 spec.volumes[5].secret.defaultMode: Invalid value: must be a number between 0 and 0777 (octal), both inclusive',
    ]);
  });

  it('checks topology spread constraints, host aliases and env field references', async () => {
    const yaml = pod(
      '  hostAliases: [{ip: "bad", hostnames: ["Bad_Host"]}]\n  topologySpreadConstraints:\n  - {maxSkew: 0, topologyKey: "", whenUnsatisfiable: DoNotSchedule}\n  containers:\n  - name: c\n    image: i\n    env:\n    - name: A\n      valueFrom: {fieldRef: {fieldPath: spec.bogus}}\n    - name: B\n      valueFrom: {resourceFieldRef: {resource: limits.bogus}}\n    - name: C\n      valueFrom: {fieldRef: {fieldPath: "metadata.labels[\'app\']"}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '6:22 spec.hostAliases[0].ip: Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `6:41 spec.hostAliases[0].hostnames[0]: Invalid value: "Bad_Host": ${SUB}`,
      '8:15 spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      '8:31 spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty',
      '14:41 spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus',
      '16:48 spec.containers[0].env[1].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.bogus": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    ]);
  });

  it('keeps probes and lifecycle hooks to sidecar init containers, and hugepages with cpu or memory', async () => {
    const yaml = pod(
      '  initContainers:\n  - name: init\n    image: i\n    livenessProbe: {exec: {command: [x]}}\n    lifecycle: {postStart: {exec: {command: [x]}}}\n  - name: side\n    image: i\n    restartPolicy: Always\n    readinessProbe: {exec: {command: [x]}}\n  containers:\n  - name: c\n    image: i\n    resources: {limits: {hugepages-2Mi: 1Gi}}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '9:5 spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      '10:5 spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
      '18:5 spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ]);
  });

  // The API server also says `spec.ephemeralContainers: Forbidden: cannot be set on create` here,
  // a check left out on purpose (see CORE_VALIDATORS).
  it('checks pod-level ids and ephemeral container names', async () => {
    const yaml = one(
      '  securityContext: {runAsUser: -5, fsGroup: -1}\n  ephemeralContainers:\n  - {name: c, image: busybox}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '9:32 spec.securityContext.runAsUser: Invalid value: -5: must be between 0 and 2147483647, inclusive',
      '9:45 spec.securityContext.fsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      '11:12 spec.ephemeralContainers[0].name: Duplicate value: "c"',
    ]);
  });
});

const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n${spec}`;

describe('Service', () => {
  it('accepts a plain service and an ExternalName one without ports', async () => {
    expect(
      await schemaErrors(svc('  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n')),
    ).toEqual([]);
    expect(await schemaErrors(svc('  type: ExternalName\n  externalName: db.example.com.\n'))).toEqual([]);
  });

  it('requires ports, and an externalName for ExternalName', async () => {
    expect(await schemaErrors(svc('  selector: {app: web}\n'))).toEqual(['5:1 spec.ports: Required value']);
    expect(await schemaErrors(svc('  type: ExternalName\n'))).toEqual([
      '5:1 spec.externalName: Required value',
    ]);
  });

  it('wants named, unique, label port names when there are several, and valid port numbers', async () => {
    const yaml = svc(
      '  ports:\n  - {port: 80}\n  - {port: 70000, name: http}\n  - {port: 81, name: http, targetPort: 70000}\n  - {port: 82, name: Bad_N, targetPort: Bad_T}\n  - {port: 83, name: u, nodePort: 30000}\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '7:5 spec.ports[0].name: Required value',
      '8:12 spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '9:22 spec.ports[2].name: Duplicate value: "http"',
      '9:40 spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      `10:22 spec.ports[3].name: Invalid value: "Bad_N": ${LABEL}`,
      '10:41 spec.ports[3].targetPort: Invalid value: "Bad_T": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      "11:35 spec.ports[4].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
  });

  it('checks the selector, IPs, CIDRs and the traffic policies (external IPs make it external)', async () => {
    const yaml = svc(
      '  selector: {"bad key!": web}\n  ports: [{port: 80}]\n  externalIPs: [bad]\n  loadBalancerSourceRanges: [bad]\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30001\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      "6:14 spec.selector: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      '8:17 spec.externalIPs[0]: Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "9:3 spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      '9:30 spec.LoadBalancerSourceRanges[0]: Invalid value: "bad": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      "11:24 spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]);
  });

  it('checks clusterIP (an address, not None for a LoadBalancer), traffic policy on an internal service, affinity timeout', async () => {
    expect(await schemaErrors(svc('  clusterIP: not-an-ip\n  ports: [{port: 80}]\n'))).toEqual([
      '6:14 spec.clusterIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    const affinity = svc(
      '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}\n  ports: [{port: 80}]\n',
    );
    expect(await schemaErrors(affinity)).toEqual([
      '7:54 spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
    expect(
      await schemaErrors(svc('  clusterIP: None\n  type: LoadBalancer\n  ports: [{port: 80}]\n')),
    ).toEqual([
      '6:14 spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services',
    ]);
  });
});

describe('ConfigMap and Secret', () => {
  it('checks ConfigMap keys and keys present in data and binaryData', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {"bad key": x, "..x": "v", ".": b, dup: a}\nbinaryData: {dup: YQ==}\n`;
    expect(await schemaErrors(yaml)).toEqual([
      `5:8 data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      `5:22 data[..x]: Invalid value: "..x": must not start with '..'`,
      `5:34 data[.]: Invalid value: ".": must not be '.'`,
      '5:42 data[dup]: Invalid value: "dup": duplicate of key present in binaryData',
    ]);
  });

  it('limits a ConfigMap to 1 MiB', async () => {
    const cm = (n: number) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "${'a'.repeat(n)}"\n`;
    expect(await schemaErrors(cm(1048576))).toEqual([]);
    expect(await schemaErrors(cm(1048577))).toEqual(['5:1 []: Too long: may not be more than 1048576 bytes']);
  });

  const secret = (rest: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${rest}`;

  it('requires the keys of typed Secrets', async () => {
    expect(await schemaErrors(secret('type: kubernetes.io/tls\ndata: {tls.crt: YQ==}\n'))).toEqual([
      '6:1 data[tls.key]: Required value',
    ]);
    expect(await schemaErrors(secret('type: kubernetes.io/dockerconfigjson\ndata: {x: YQ==}\n'))).toEqual([
      '6:1 data[.dockerconfigjson]: Required value',
    ]);
    expect(await schemaErrors(secret('type: kubernetes.io/ssh-auth\ndata: {x: YQ==}\n'))).toEqual([
      '6:1 data[ssh-privatekey]: Required value',
    ]);
    expect(await schemaErrors(secret('type: kubernetes.io/basic-auth\ndata: {x: YQ==}\n'))).toEqual([
      '6:1 data[password]: Required value',
      '6:1 data[username]: Required value',
    ]);
    expect(await schemaErrors(secret('type: kubernetes.io/basic-auth\ndata: {username: YQ==}\n'))).toEqual(
      [],
    );
    expect(await schemaErrors(secret('type: kubernetes.io/service-account-token\n'))).toEqual([
      '3:1 metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('wants JSON in a dockerconfigjson Secret and never prints the value', async () => {
    const errors = await schemaErrors(
      secret('type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: bm90IGpzb24=}\n'),
    );
    expect(errors).toEqual([
      '6:27 data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": not valid JSON',
    ]);
    expect(errors.join('')).not.toContain('bm90IGpzb24');
  });

  it('checks Secret keys in data and stringData without printing them as values', async () => {
    const errors = await schemaErrors(secret('data: {"bad key": YQ==}\nstringData: {"bad key2": hunter2}\n'));
    expect(errors).toEqual([
      "5:8 data[bad key]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      "6:14 data[bad key2]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
    ]);
    expect(errors.join('')).not.toContain('hunter2');
  });

  it('limits a Secret to 1 MiB, stringData included', async () => {
    const yaml = secret(`stringData:\n  a: "${'a'.repeat(1048577)}"\n`);
    expect(await schemaErrors(yaml)).toEqual(['5:1 data: Too long: may not be more than 1048576 bytes']);
  });
});

describe('volumes', () => {
  const pvc = (spec: string) =>
    `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n${spec}`;

  it('requires access modes and a positive storage request on a claim', async () => {
    expect(await schemaErrors(pvc('  storageClassName: standard\n'))).toEqual([
      '5:1 spec.resources[storage]: Required value',
      '5:1 spec.accessModes: Required value: at least 1 access mode is required',
    ]);
    const bad = pvc(
      '  accessModes: [ReadWriteOnce, ReadWriteOncePod]\n  resources: {requests: {storage: "0"}}\n  selector: {matchLabels: {"bad key!": x}}\n',
    );
    expect(await schemaErrors(bad)).toEqual([
      '6:3 spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      '7:35 spec.resources[storage]: Invalid value: "0": must be greater than zero',
      "8:28 spec.selector.matchLabels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  it('requires capacity, access modes and one source on a volume', async () => {
    const pv = (spec: string) =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: v\nspec:\n${spec}`;
    expect(await schemaErrors(pv('  storageClassName: standard\n'))).toEqual([
      '5:1 spec: Required value: must specify a volume type',
      '5:1 spec.accessModes: Required value',
      '5:1 spec.capacity: Required value',
    ]);
    const two = pv(
      '  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: "x/../y"}\n  nfs: {server: s, path: /y}\n',
    );
    expect(await schemaErrors(two)).toEqual([
      '8:20 spec.hostPath.path: Invalid value: "x/../y": must not contain \'..\'',
      '9:3 spec.nfs: Forbidden: may not specify more than 1 volume type',
    ]);
  });
});

describe('other core kinds', () => {
  it('wants a ReplicationController selector to match its template, whose pods always restart', async () => {
    const yaml = `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  replicas: -1\n  selector: {app: a}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:13 spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      '9:16 spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`',
      '11:22 spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('checks a PodTemplate like a pod', async () => {
    const yaml = `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\ntemplate:\n  spec:\n    restartPolicy: Never\n    containers: []\n`;
    expect(await schemaErrors(yaml)).toEqual(['8:5 template.spec.containers: Required value']);
  });

  it('checks pod template labels and annotations, naming them as the API server does', async () => {
    const yaml = `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\ntemplate:\n  metadata:\n    labels: {app: "bad value!"}\n    annotations: {"Bad Key": x}\n  spec:\n    containers: [{name: c, image: i}]\n`;
    expect(await schemaErrors(yaml)).toEqual([
      "7:19 template.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      "8:19 template.annotations: Invalid value: \"Bad Key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  it('checks Namespace finalizers', async () => {
    const yaml = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\nspec:\n  finalizers: [bad, example.com/x, kubernetes]\n`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:16 spec.finalizers: Invalid value: "bad": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('checks Endpoints addresses and ports', async () => {
    const yaml = `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: e\nsubsets:\n- addresses: [{ip: bad}, {ip: 127.0.0.1}, {ip: 10.0.0.1, hostname: Bad_H}]\n  ports: [{port: 0}, {port: 80, name: Bad_N}]\n`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:20 subsets[0].addresses[0].ip: Invalid value: "bad": must be a valid IP address',
      '6:20 subsets[0].addresses[0].ip: Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      '6:31 subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      `6:68 subsets[0].addresses[2].hostname: Invalid value: "Bad_H": ${LABEL}`,
      '7:11 subsets[0].ports[0].name: Required value',
      '7:18 subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      `7:39 subsets[0].ports[1].name: Invalid value: "Bad_N": ${LABEL}`,
    ]);
  });

  it('checks LimitRange types, bounds and resource names', async () => {
    const yaml = `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: l\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "1"}\n    min: {cpu: "2"}\n  - type: Bogus\n  - type: Pod\n    default: {cpu: 1}\n`;
    expect(await schemaErrors(yaml)).toEqual([
      '9:16 spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      '10:11 spec.limits[1].type: Invalid value: "Bogus": must be a standard limit type or fully qualified',
      "12:5 spec.limits[2].default: Forbidden: may not be specified when `type` is 'Pod'",
    ]);
  });

  it('checks ResourceQuota resource names and signs', async () => {
    const yaml = `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: {cpu: "-1", requests.nvidia.com/gpu: 1, bogus: 1}\n`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:15 spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      '6:49 spec.hard[bogus]: Invalid value: "bogus": must be a standard resource for quota',
      '6:49 spec.hard[bogus]: Invalid value: "bogus": must be a standard resource type or fully qualified',
    ]);
  });
});
