// ObjectMeta as the API server validates it (src/schema/api/meta.ts). Every case was sent to
// kube-apiserver v1.37.2 (kubectl create --dry-run=server --validate=strict), which gave the same
// verdict and the same message text (the API server also appends examples and the regex).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const SUB =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const cm = (meta: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${meta}`;
const svc = (meta: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n${meta}spec:\n  ports: [{port: 80}]\n`;

describe('metadata.name and generateName', () => {
  it('requires a name unless generateName is set', async () => {
    expect(await schemaErrors(cm('  labels: {a: b}\n'))).toEqual([
      '3:1 metadata.name: Required value: name or generateName is required',
    ]);
    expect(await schemaErrors(cm('  generateName: web-\n'))).toEqual([]);
  });

  it('checks generateName as a prefix: a trailing dash is fine, capitals are not', async () => {
    expect(await schemaErrors(cm('  generateName: Web-\n'))).toEqual([
      `4:17 metadata.generateName: Invalid value: "Web-": ${SUB}`,
    ]);
  });

  it('gives Services and Namespaces DNS-1123 label names (no dots, at most 63)', async () => {
    expect(await schemaErrors(svc('  name: a.b\n'))).toEqual([
      '4:9 metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    expect(await schemaErrors(svc('  name: Abc\n'))).toEqual([
      `4:9 metadata.name: Invalid value: "Abc": ${LABEL}`,
    ]);
    expect(await schemaErrors(svc('  name: 1abc\n'))).toEqual([]);
    expect(
      await schemaErrors(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${'x'.repeat(64)}\n`),
    ).toEqual([`4:9 metadata.name: Invalid value: "${'x'.repeat(59)}…": must be no more than 63 characters`]);
    expect(await schemaErrors(svc('  generateName: a.b\n'))).toEqual([
      '4:17 metadata.generateName: Invalid value: "a.b": must not contain dots',
    ]);
  });

  it('gives StatefulSets label names', async () => {
    const sts = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db.main\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: i}]\n`;
    expect(await schemaErrors(sts)).toEqual([
      '4:9 metadata.name: Invalid value: "db.main": must not contain dots',
    ]);
  });

  it('lets RBAC objects, PDBs and Events use any path segment', async () => {
    const role = (name: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: "${name}"\nrules: []\n`;
    expect(await schemaErrors(role('system:Controller_x'))).toEqual([]);
    expect(await schemaErrors(role('a%b'))).toEqual([
      `4:9 metadata.name: Invalid value: "a%b": may not contain '%'`,
    ]);
    expect(await schemaErrors(role('..'))).toEqual([
      `4:9 metadata.name: Invalid value: "..": may not be '..'`,
    ]);
    const pdb = `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: Web_PDB\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {a: b}}\n`;
    expect(await schemaErrors(pdb)).toEqual([]);
  });

  it('keeps CronJob names to 52 characters, also for the name generateName makes', async () => {
    const cj = (meta: string) =>
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n${meta}spec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: i}]\n`;
    expect(await schemaErrors(cj(`  name: ${'a'.repeat(53)}\n`))).toEqual([
      `4:9 metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
    ]);
    expect(await schemaErrors(cj(`  name: ${'a'.repeat(52)}\n`))).toEqual([]);
    expect(await schemaErrors(cj(`  generateName: ${'a'.repeat(48)}\n`))).toEqual([
      `4:17 metadata.generateName: Invalid value: "${'a'.repeat(48)}": must be no more than 52 characters`,
    ]);
  });

  it('says "bytes" for the length of a ReplicationController name, as its declarative validation does', async () => {
    const rc = `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: ${'a'.repeat(254)}\nspec:\n  selector: {a: b}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: i}]\n`;
    expect(await schemaErrors(rc)).toEqual([
      `4:9 metadata.name: Invalid value: "${'a'.repeat(59)}…": must be no more than 253 bytes`,
    ]);
  });

  it('names an IPAddress by its address in canonical form', async () => {
    const ip = (name: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: "${name}"\nspec:\n  parentRef: {resource: services, name: s, namespace: default}\n`;
    expect(await schemaErrors(ip('10.0.0.1'))).toEqual([]);
    expect(await schemaErrors(ip('10.0.0.01'))).toEqual([
      '4:9 metadata.name: Invalid value: "10.0.0.01": must not have leading 0s',
    ]);
    expect(await schemaErrors(ip('2001:db8::0001'))).toEqual([
      '4:9 metadata.name: Invalid value: "2001:db8::0001": must be in canonical form ("2001:db8::1")',
    ]);
    expect(await schemaErrors(ip('web'))).toEqual([
      '4:9 metadata.name: Invalid value: "web": must be a valid IP address',
    ]);
  });
});

describe('labels, annotations, finalizers, ownerReferences', () => {
  it('checks label keys and values, naming the map as the API server does', async () => {
    const yaml = cm(
      '  name: c\n  labels:\n    "a/b/c": x\n    "Ex.com/k": v\n    ok: "bad value!"\n    "a/": x\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      `6:5 metadata.labels: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'`,
      `7:5 metadata.labels: Invalid value: "Ex.com/k": prefix part ${SUB}`,
      `8:9 metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      '9:5 metadata.labels: Invalid value: "a/": name part must be non-empty',
      `9:5 metadata.labels: Invalid value: "a/": ${NAME_PART}`,
    ]);
  });

  it('says "bytes" for label lengths', async () => {
    const long = 'v'.repeat(64);
    expect(await schemaErrors(cm(`  name: c\n  labels:\n    v: ${long}\n`))).toEqual([
      `6:8 metadata.labels: Invalid value: "${'v'.repeat(59)}…": must be no more than 63 bytes`,
    ]);
  });

  it('checks annotation keys case-insensitively and their total size', async () => {
    expect(
      await schemaErrors(cm('  name: c\n  annotations:\n    "EXAMPLE.com/x": v\n    "Bad Key": v\n')),
    ).toEqual([`7:5 metadata.annotations: Invalid value: "Bad Key": ${NAME_PART}`]);
    const fits = cm(`  name: c\n  annotations:\n    a: "${'a'.repeat(262143)}"\n`);
    expect(await schemaErrors(fits)).toEqual([]);
    const big = cm(`  name: c\n  annotations:\n    a: "${'a'.repeat(262144)}"\n`);
    expect(await schemaErrors(big)).toEqual([
      '5:3 metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('checks finalizer names', async () => {
    const yaml = cm(
      '  name: c\n  finalizers: [orphan, foregroundDeletion, kubernetes.io/x, /a, Kubernetes]\n',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '5:3 metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","kubernetes.io/x","/a","Kuber…: finalizer orphan and foregroundDeletion cannot be both set',
      '5:61 metadata.finalizers: Invalid value: "/a": prefix part must be non-empty',
      '5:65 metadata.finalizers[4]: Invalid value: "Kubernetes": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('takes a plain finalizer name where the API server checks only qualified names (PDBs, Leases, webhooks, CRDs)', async () => {
    // Confirmed with kube-apiserver v1.37.2: `cleanup` is refused on a ConfigMap, Deployment, Job,
    // Role, StorageClass, … and accepted on these.
    const yaml = [
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n  finalizers: [cleanup]\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {a: b}}\n',
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: l\n  finalizers: [cleanup]\nspec: {holderIdentity: x}\n',
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  finalizers: [cleanup]\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: a, image: nginx:1.2}]}\n',
    ].join('---\n');
    expect(await schemaErrors(yaml)).toEqual([
      '21:16 metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('lets the API server name a LimitRange that has no name', async () => {
    const yaml =
      'apiVersion: v1\nkind: LimitRange\nmetadata:\n  namespace: team-a\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m}\n';
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('requires the owner reference fields and one controller at most', async () => {
    const yaml = cm(
      '  name: c\n  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: x, uid: ""}\n  - {apiVersion: v1, kind: ConfigMap, name: a, uid: u1, controller: true}\n  - {apiVersion: v1, kind: ConfigMap, name: b, uid: u2, controller: true}\n',
    );
    const errors = await schemaErrors(yaml);
    expect(errors[1]).toBe('6:53 metadata.ownerReferences[0].uid: Required value: must not be empty');
    expect(errors[0]).toMatch(
      /^5:3 metadata.ownerReferences: Invalid value: .*: Only one reference can have Controller set to true. Found "true" in references for ConfigMap\/a and ConfigMap\/b$/,
    );
    expect(errors).toHaveLength(2);
  });

  // The API server answers NotFound here (no such namespace can exist); the Go check is ValidateNamespaceName.
  it('checks the namespace name', async () => {
    expect(await schemaErrors(cm('  name: c\n  namespace: Team_A\n'))).toEqual([
      `5:14 metadata.namespace: Invalid value: "Team_A": ${LABEL}`,
    ]);
  });
});
