// x-kubernetes-validations (CEL) rules of CRDs, evaluated on custom resources at create as the
// API server does. Every verdict here was confirmed against kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`, the CRDs created for real); the oracle's
// messages are quoted, with our path display ("(root)" where it prints "<nil>").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/index.js';

async function findings(text: string): Promise<string[]> {
  const r = await lintText('t.yaml', text, { presets: ['schema'] });
  return r.findings.map(
    (f) => `${f.resource.kind} ${f.location?.start.line}:${f.location?.start.column} ${f.message}`,
  );
}

/** A CRD of group probe.cel.example.com with one served version and the given schema lines. */
function crd(kind: string, schema: string, extra = ''): string {
  const plural = kind.toLowerCase() + 's';
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.probe.cel.example.com
spec:
  group: probe.cel.example.com
  names: {kind: ${kind}, plural: ${plural}}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
${extra}    schema:
      openAPIV3Schema:
${schema}---
`;
}

const GADGET_SCHEMA = `        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.minReplicas <= self.maxReplicas"
              message: "minReplicas must not exceed maxReplicas"
            - rule: "!has(self.mode) || self.mode != 'bad'"
            - rule: "self.name.matches('^[a-z]+$')"
              messageExpression: "'name ' + self.name + ' is not lowercase'"
            - rule: "!has(self.ratio) || self.ratio < 1.0"
              fieldPath: ".ratio"
              reason: FieldValueForbidden
              message: "ratio too big"
            - rule: "oldSelf.minReplicas == self.minReplicas"
              message: "immutable"
            properties:
              minReplicas: {type: integer}
              maxReplicas: {type: integer}
              mode: {type: string}
              name: {type: string}
              ratio: {type: number}
              tags:
                type: array
                items: {type: string, x-kubernetes-validations: [{rule: "self.size() <= 3", message: "short"}]}
          status:
            type: object
            properties:
              phase: {type: string, x-kubernetes-validations: [{rule: "self == 'Ok'"}]}
`;

const GADGET = `apiVersion: probe.cel.example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  minReplicas: 5
  maxReplicas: 2
  mode: bad
  name: Abc
  ratio: 2
  tags: [a, toolong]
status:
  phase: Bad
`;

const GIZMO_SCHEMA = `        type: object
        x-kubernetes-validations:
        - rule: "self.metadata.name.startsWith('g')"
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.num == 2.0"
              message: "n is 2"
            - rule: "self.count > 1"
              reason: FieldValueRequired
              message: count
            properties:
              num: {type: number}
              count: {type: integer}
              port: {x-kubernetes-int-or-string: true, x-kubernetes-validations: [{rule: "type(self) == int || self.matches('^[a-z]+$')", message: "port"}]}
              items:
                type: array
                x-kubernetes-list-type: set
                items: {type: integer}
                x-kubernetes-validations: [{rule: "self.isSorted()", message: "sorted"}, {rule: "self.all(x, x >= 0)"}]
              dup: {type: string, x-kubernetes-validations: [{rule: "self != 'x'", reason: FieldValueDuplicate, message: dupmsg}]}
              big: {type: integer, x-kubernetes-validations: [{rule: "self < 10"}]}
              obj:
                type: object
                x-kubernetes-validations: [{rule: "self.a.size() > 3", fieldPath: ".a", message: "a short"}, {rule: "self.a == 'q'", reason: FieldValueRequired}]
                properties: {a: {type: string}}
          status:
            type: object
            properties:
              phase: {type: string, x-kubernetes-validations: [{rule: "self == 'Ok'"}]}
`;

const gizmo = (spec: string) => `apiVersion: probe.cel.example.com/v1
kind: Gizmo
metadata: {name: h}
spec:
${spec}status:
  phase: Bad
`;

const LIB_SCHEMA = `        type: object
        properties:
          spec:
            type: object
            properties:
              word: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "self.matches('^[[:alpha:]]+$')", message: "alpha"}, {rule: "self.lowerAscii() == self", message: "lower"}]}
              slow: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "!self.matches('^(a+)+$')", message: "slow"}]}
              endpoint: {type: string, maxLength: 256, x-kubernetes-validations: [{rule: "isURL(self) && url(self).getScheme() == 'https'", message: "https"}, {rule: "url(self).getHostname() != 'localhost'", message: "host"}]}
              address: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "isIP(self) && ip(self).family() == 4", message: "ipv4"}]}
              network: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "isCIDR(self) && cidr(self).containsIP('10.0.0.1')", message: "contains"}]}
              memory: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "isQuantity(self) && quantity(self).compareTo(quantity('1Gi')) <= 0", message: "max 1Gi"}, {rule: "quantity(self).isGreaterThan(quantity('100M'))", message: "min 100M"}]}
              csv: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "self.split(',').size() <= 2", message: "two"}, {rule: "self.replace(',', '-') != 'a-b-x'", message: "replaced"}, {rule: "self.indexOf('x') < 0", message: "no x"}]}
              ids: {type: array, maxItems: 10, items: {type: integer}, x-kubernetes-validations: [{rule: "self.isSorted() && self.indexOf(0) == -1", message: "sorted, no 0"}]}
`;

const lib = (spec: string) => `apiVersion: probe.cel.example.com/v1
kind: Lib
metadata: {name: l}
spec:
${spec}`;

const BAD_SCHEMA = `        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.a =="
            - rule: "self.a + 'x' == 'y'"
            - rule: "self.nope == 1"
            - rule: "self.a"
            - rule: "self.a > 1"
              messageExpression: "self.a"
            - rule: "self.num == 2"
            properties:
              a: {type: integer}
              num: {type: number}
`;

const FMT_SCHEMA = `        type: object
        properties:
          spec:
            type: object
            properties:
              name: {type: string, maxLength: 16, x-kubernetes-validations: [{rule: "'x-%s'.format([self]) != 'x-bad'", message: "formatted"}, {rule: "self.size() > 3", message: "short"}]}
              ports:
                type: array
                maxItems: 1100
                items: {type: integer}
                x-kubernetes-validations: [{rule: "self.all(x, self.exists_one(y, y == x))", message: "unique"}]
`;
const fmt = (ports: string) =>
  `apiVersion: probe.cel.example.com/v1\nkind: Fmt\nmetadata: {name: f}\nspec:\n  name: bad\n  ports: ${ports}\n`;

const GIZMO_CRD = crd('Gizmo', GIZMO_SCHEMA);

describe('x-kubernetes-validations on custom resources', () => {
  it('reports failed rules at the field: message, failed rule, messageExpression, fieldPath and reason', async () => {
    expect(await findings(crd('Gadget', GADGET_SCHEMA) + GADGET)).toEqual([
      "Gadget 48:1 spec: Invalid value: failed rule: !has(self.mode) || self.mode != 'bad'",
      'Gadget 48:1 spec: Invalid value: minReplicas must not exceed maxReplicas',
      'Gadget 48:1 spec: Invalid value: name Abc is not lowercase',
      'Gadget 53:10 spec.ratio: Forbidden: ratio too big',
      'Gadget 54:13 spec.tags[1]: Invalid value: "toolong": short',
      // No status subresource: status is kept, and validated.
      'Gadget 56:10 status.phase: Invalid value: "Bad": failed rule: self == \'Ok\'',
    ]);
  });

  it('does not validate status when the version has a status subresource (dropped at create)', async () => {
    const wrongType = GADGET.replace('phase: Bad', 'phase: 5');
    const spec = [
      "Gadget 49:1 spec: Invalid value: failed rule: !has(self.mode) || self.mode != 'bad'",
      'Gadget 49:1 spec: Invalid value: minReplicas must not exceed maxReplicas',
      'Gadget 49:1 spec: Invalid value: name Abc is not lowercase',
      'Gadget 54:10 spec.ratio: Forbidden: ratio too big',
      'Gadget 55:13 spec.tags[1]: Invalid value: "toolong": short',
    ];
    const withStatus = crd('Gadget', GADGET_SCHEMA, '    subresources: {status: {}}\n');
    expect(await findings(withStatus + wrongType)).toEqual(spec);
    // Strict decoding comes first: an unknown field under status is still refused.
    expect(await findings(withStatus + wrongType + '  extra: x\n')).toEqual([
      ...spec,
      'Gadget 58:3 status.extra: unknown field',
    ]);
    // Without the subresource the wrong type is an error, and it keeps the rules from running.
    expect(await findings(crd('Gadget', GADGET_SCHEMA) + wrongType)).toEqual([
      'Gadget 45:1 (root): some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      'Gadget 56:10 status.phase: expected string, got integer 5',
    ]);
  });

  it('applies root rules (metadata.name), Required/Duplicate reasons, int-or-string, list rules', async () => {
    const spec =
      '  num: 2\n  count: 1\n  port: ABC\n  items: [3, 1, -1]\n  dup: x\n  big: 12\n  obj: {a: b}\n';
    expect(await findings(GIZMO_CRD + gizmo(spec))).toEqual([
      "Gizmo 47:1 (root): Invalid value: failed rule: self.metadata.name.startsWith('g')",
      'Gizmo 50:1 spec: Required value: count',
      'Gizmo 53:9 spec.port: Invalid value: "ABC": port',
      'Gizmo 54:3 spec.items: Invalid value: failed rule: self.all(x, x >= 0)',
      'Gizmo 54:3 spec.items: Invalid value: sorted',
      'Gizmo 55:8 spec.dup: Duplicate value: "x"',
      'Gizmo 56:8 spec.big: Invalid value: 12: failed rule: self < 10',
      "Gizmo 57:3 spec.obj: Required value: failed rule: self.a == 'q'",
      'Gizmo 57:12 spec.obj.a: Invalid value: a short',
      'Gizmo 59:10 status.phase: Invalid value: "Bad": failed rule: self == \'Ok\'',
    ]);
  });

  it('passes a resource that satisfies every rule (a JSON integer in a number field is a double)', async () => {
    const ok = gizmo('  num: 3\n  count: 5\n  port: 80\n  items: [1, 3]\n')
      .replace('name: h', 'name: gh')
      .replace('phase: Bad', 'phase: Ok');
    expect(await findings(GIZMO_CRD + ok)).toEqual(['Gizmo 50:1 spec: Invalid value: n is 2']);
    expect(await findings(GIZMO_CRD + ok.replace('num: 3', 'num: 2'))).toEqual([]);
  });

  it('reports a rule that fails to evaluate (absent field) with the API server words', async () => {
    expect(await findings(GIZMO_CRD + gizmo('  num: 2\n  port: ABC\n  obj: {}\n'))).toEqual([
      "Gizmo 47:1 (root): Invalid value: failed rule: self.metadata.name.startsWith('g')",
      'Gizmo 50:1 spec: Invalid value: "object": no such key: count evaluating rule: count',
      'Gizmo 52:9 spec.port: Invalid value: "ABC": port',
      'Gizmo 53:3 spec.obj: Invalid value: "object": no such key: a evaluating rule: a short',
      'Gizmo 53:3 spec.obj: Invalid value: "object": no such key: a evaluating rule: self.a == \'q\'',
      'Gizmo 55:10 status.phase: Invalid value: "Bad": failed rule: self == \'Ok\'',
    ]);
  });

  it('runs no rule when the object has type errors, and says so', async () => {
    expect(await findings(GIZMO_CRD + gizmo('  num: 2\n  count: five\n'))).toEqual([
      'Gizmo 47:1 (root): some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      'Gizmo 52:10 spec.count: expected integer, got string "five"',
    ]);
  });
});

describe('the Kubernetes CEL library', () => {
  it('matches on RE2, url, ip, cidr, quantity, string and list functions', async () => {
    const bad = lib(
      '  word: Ab1\n  slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n  endpoint: http://localhost:8080/x\n' +
        '  address: "::1"\n  network: 192.168.0.0/16\n  memory: 2Gi\n  csv: a,b,x\n  ids: [3, 1, 0]\n',
    );
    expect(await findings(crd('Lib', LIB_SCHEMA) + bad)).toEqual([
      'Lib 33:9 spec.word: Invalid value: "Ab1": alpha',
      'Lib 33:9 spec.word: Invalid value: "Ab1": lower',
      'Lib 35:13 spec.endpoint: Invalid value: "http://localhost:8080/x": host',
      'Lib 35:13 spec.endpoint: Invalid value: "http://localhost:8080/x": https',
      'Lib 36:12 spec.address: Invalid value: "::1": ipv4',
      'Lib 37:12 spec.network: Invalid value: "192.168.0.0/16": contains',
      'Lib 38:11 spec.memory: Invalid value: "2Gi": max 1Gi',
      'Lib 39:8 spec.csv: Invalid value: "a,b,x": no x',
      'Lib 39:8 spec.csv: Invalid value: "a,b,x": replaced',
      'Lib 39:8 spec.csv: Invalid value: "a,b,x": two',
      'Lib 40:3 spec.ids: Invalid value: sorted, no 0',
    ]);
  });

  it('passes values the functions accept ([[:alpha:]] is an RE2 class, (a+)+ runs in linear time)', async () => {
    const ok = lib(
      '  word: abc\n  slow: aaaa\n  endpoint: https://example.com/x\n  address: 10.1.2.3\n' +
        '  network: 10.0.0.0/8\n  memory: 512Mi\n  csv: a,b\n  ids: [1, 2, 5]\n',
    );
    expect(await findings(crd('Lib', LIB_SCHEMA) + ok)).toEqual([
      'Lib 34:9 spec.slow: Invalid value: "aaaa": slow',
    ]);
  });
});

describe('rules at the CRD', () => {
  it('reports rules that do not compile at the rule, and the CRD validates nothing', async () => {
    const text =
      crd('Bad', BAD_SCHEMA) +
      'apiVersion: probe.cel.example.com/v1\nkind: Bad\nmetadata: {name: b}\nspec: {a: 1}\n';
    const R = 'spec.versions[0].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations';
    expect(await findings(text)).toEqual([
      `CustomResourceDefinition 20:21 ${R}[0].rule: Invalid value: "self.a ==": compilation failed: Unexpected token: EOF`,
      `CustomResourceDefinition 21:21 ${R}[1].rule: Invalid value: "self.a + 'x' == 'y'": compilation failed: no such overload: int + string`,
      `CustomResourceDefinition 22:21 ${R}[2].rule: Invalid value: "self.nope == 1": compilation failed: undefined field 'nope'`,
      `CustomResourceDefinition 23:21 ${R}[3].rule: Invalid value: "self.a": cel expression must evaluate to a bool`,
      `CustomResourceDefinition 25:34 ${R}[4].messageExpression: Invalid value: "self.a": messageExpression must evaluate to a string`,
      `CustomResourceDefinition 26:21 ${R}[5].rule: Invalid value: "self.num == 2": compilation failed: no such overload: double == int`,
      `Bad 31:13 probe.cel.example.com/v1 Bad cannot be validated: its CustomResourceDefinition bads.probe.cel.example.com is not usable: ${R}[0].rule: Invalid value: "self.a ==": compilation failed: Unexpected token: EOF (and 5 more)`,
    ]);
  });

  it('names a Kubernetes function shipshape does not implement, and still runs the other rules', async () => {
    expect(await findings(crd('Fmt', FMT_SCHEMA) + fmt('[1, 1]'))).toEqual([
      `CustomResourceDefinition 20:85 spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.name.x-kubernetes-validations[0].rule: rule "'x-%s'.format([self]) != 'x-bad'" uses format(), which shipshape does not implement: the rule is not checked`,
      'Fmt 31:9 spec.name: Invalid value: "bad": short',
      'Fmt 32:3 spec.ports: Invalid value: unique',
    ]);
  });

  it('bounds the cost of nested comprehensions deterministically, as the API server limits it', async () => {
    const ports = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;
    const within = await findings(crd('Fmt', FMT_SCHEMA) + fmt(ports(300)));
    expect(within.filter((f) => f.startsWith('Fmt'))).toEqual([
      'Fmt 31:9 spec.name: Invalid value: "bad": short',
    ]);
    const over = await findings(crd('Fmt', FMT_SCHEMA) + fmt(ports(1100)));
    expect(over.filter((f) => f.startsWith('Fmt'))).toEqual([
      'Fmt 31:9 spec.name: Invalid value: "bad": short',
      `Fmt 32:3 spec.ports: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: unique`,
    ]);
  });
});

const VAULT_SCHEMA = `        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.password.size() >= 20"
              message: "password too short"
              messageExpression: "'password ' + self.password + ' is too short'"
            properties:
              user: {type: string, maxLength: 64}
              password: {type: string, maxLength: 64, x-kubernetes-validations: [{rule: "self.startsWith('s')"}]}
`;

// The oracle fails both rules and prints the password in both messages; shipshape hides it.
describe('redaction', () => {
  it('never prints a credential through the value or a message expression', async () => {
    const text =
      crd('Vault', VAULT_SCHEMA) +
      'apiVersion: probe.cel.example.com/v1\nkind: Vault\nmetadata: {name: v}\nspec:\n  user: app\n  password: hunter2-literal\n';
    const out = await findings(text);
    expect(out).toEqual([
      'Vault 30:1 spec: Invalid value: password too short',
      "Vault 32:13 spec.password: Invalid value: failed rule: self.startsWith('s')",
    ]);
    expect(out.join('\n')).not.toContain('hunter2');
  });
});

describe('bad input', () => {
  const fragments = [
    'self.a',
    'self.b',
    'self.list',
    '1',
    '2.5',
    "'x'",
    'size(self.list)',
    'self.a > 1',
    'self.b.matches("(")',
    'self.b.matches("^[a-z]+$")',
    'self.list.all(x, x > 0)',
    'self.list.exists(x, self.list.all(y, y >= x))',
    'quantity(self.b)',
    'url(self.b).getHost()',
    'ip(self.b).family()',
    'cidr(self.b).prefixLength()',
    'self.a / 0',
    'has(self.c)',
    'oldSelf',
    'self.?a.orValue(0)',
    'format',
    '(',
    ')',
    '&&',
    '||',
    '==',
    '!',
    '.',
    '[',
    ']',
  ];
  const rule = fc
    .array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 6 })
    .map((p) => p.join(' '));
  const scalar = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
  );
  const spec = fc.record(
    {
      a: scalar,
      b: fc.oneof(scalar, fc.constantFrom('10.0.0.1', '10.0.0.0/8', 'https://x.example', '1Gi')),
      list: fc.array(scalar, { maxLength: 5 }),
    },
    { requiredKeys: [] },
  );
  const validations = fc.oneof(
    fc.array(
      fc.record(
        {
          rule,
          message: fc.string({ maxLength: 5 }),
          messageExpression: rule,
          fieldPath: fc.constantFrom('.a', '.zz', 'a', ''),
          reason: fc.constantFrom('FieldValueForbidden', 'Nope'),
        },
        { requiredKeys: ['rule'] },
      ),
      { maxLength: 3 },
    ),
    scalar,
  );

  it('random rules and values never throw, and every finding has a location', async () => {
    await fc.assert(
      fc.asyncProperty(validations, spec, async (v, s) => {
        const schema = {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              'x-kubernetes-validations': v,
              properties: {
                a: { type: 'integer' },
                b: { type: 'string' },
                list: { type: 'array', items: { type: 'integer' } },
              },
            },
          },
        };
        const objects = [
          {
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: { name: 'fuzzes.probe.cel.example.com' },
            spec: {
              group: 'probe.cel.example.com',
              names: { kind: 'Fuzz', plural: 'fuzzes' },
              scope: 'Namespaced',
              versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
            },
          },
          { apiVersion: 'probe.cel.example.com/v1', kind: 'Fuzz', metadata: { name: 'f' }, spec: s },
        ];
        const r = await lintText('f.yaml', objects.map((o) => JSON.stringify(o)).join('\n---\n') + '\n', {
          presets: ['schema'],
        });
        for (const f of r.findings) {
          expect(f.location?.start.line).toBeGreaterThan(0);
          // The evaluator's safety net (an exception inside cel-js or the library) is never hit.
          expect(f.message).not.toContain('could not be evaluated');
        }
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
