// Pure mapping tests: AdmissionReview request + engine + settings → response (src/webhook/admission.ts).
import v8 from 'node:v8';
import vm from 'node:vm';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import {
  denialMessage,
  API_WARNING_ITEM_LIMIT,
  API_WARNING_TOTAL_LIMIT,
  BadReviewError,
  clip,
  fieldPath,
  mutate,
  parseReview,
  resolveSettings,
  validate,
  warningsFor,
  type AdmissionEngine,
  type AdmissionRequest,
} from '../../src/webhook/admission.js';
import type { WebhookConfig } from '../../src/config/config.js';
import type { Finding, KubeObject } from '../../src/engine/types.js';
import { cleanPod, engineFor, pod, request, review } from './helpers.js';

const RECOMMENDED = { presets: ['recommended'] };
const RESTRICTED = { presets: ['recommended', 'pss-restricted'] };
const settings = (w: WebhookConfig = {}) => resolveSettings(w);
const privileged = () => {
  const p = cleanPod();
  (
    p.spec as { containers: { securityContext: Record<string, unknown> }[] }
  ).containers[0]!.securityContext.privileged = true;
  return p;
};

describe('validate: the decision', () => {
  it('echoes the uid and allows a clean object', async () => {
    const e = await engineFor(RECOMMENDED);
    const req = request(cleanPod());
    const d = validate(req, e, settings());
    expect(d.response).toEqual({ uid: req.uid, allowed: true });
    expect(d.decision).toBe('allowed');
  });

  it('denies an error finding with [rule-id] message (field) and the docs link', async () => {
    const e = await engineFor(RECOMMENDED);
    const req = request(privileged());
    const d = validate(req, e, settings());
    expect(d.response.uid).toBe(req.uid);
    expect(d.response.allowed).toBe(false);
    expect(d.response.status?.code).toBe(403);
    expect(d.response.status?.message).toBe(
      'shipshape: Pod web violates 1 policy:\n' +
        '- [no-privileged-container] Container app of Pod web runs privileged. ' +
        '(spec.containers[0].securityContext.privileged) — https://shipshape.dev/rules/no-privileged-container',
    );
    expect(d.response.status?.details?.causes).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: '[no-privileged-container] Container app of Pod web runs privileged.',
        field: 'spec.containers[0].securityContext.privileged',
      },
    ]);
  });

  it('turns warn findings into admission warnings and keeps the object allowed', async () => {
    const e = await engineFor(RECOMMENDED);
    const p = cleanPod();
    Object.assign((p.spec as { containers: object[] }).containers[0]!, {
      image: 'nginx:latest',
      imagePullPolicy: 'Always',
    });
    const d = validate(request(p), e, settings());
    expect(d.response.allowed).toBe(true);
    expect(d.decision).toBe('warned');
    expect(d.response.warnings).toEqual([
      '[no-latest-image-tag] Container app of Pod web uses the mutable image tag nginx:latest. (spec.containers[0].image) — https://shipshape.dev/rules/no-latest-image-tag',
    ]);
  });

  it('sends audit findings to audit annotations only (info severity by default)', async () => {
    const e = await engineFor({ presets: ['recommended'], rules: { 'require-startup-probe': 'info' } });
    const d = validate(request(cleanPod()), e, settings());
    expect(d.response.allowed).toBe(true);
    expect(d.response.warnings).toBeUndefined();
    expect(d.response.auditAnnotations).toEqual({ findings: 'require-startup-probe' });
    expect(d.findings.map((f) => [f.ruleId, f.action])).toEqual([['require-startup-probe', 'audit']]);
  });

  it('maps actions per severity and per rule (rule wins)', async () => {
    const e = await engineFor(RECOMMENDED);
    const p = privileged();
    Object.assign((p.spec as { containers: object[] }).containers[0]!, {
      image: 'nginx:latest',
      imagePullPolicy: 'Always',
    });
    // errors only warn: admitted with both as warnings
    const soft = validate(request(p), e, settings({ actions: { error: 'warn' } }));
    expect(soft.response.allowed).toBe(true);
    expect(soft.response.warnings?.map((w) => w.slice(0, w.indexOf(']') + 1))).toEqual([
      '[no-latest-image-tag]',
      '[no-privileged-container]',
    ]);
    // a warn-severity rule promoted to deny, the error rule demoted to audit
    const per = validate(
      request(p),
      e,
      settings({ actions: { rules: { 'no-latest-image-tag': 'deny', 'no-privileged-container': 'audit' } } }),
    );
    expect(per.response.allowed).toBe(false);
    expect(per.response.status?.message).toContain('[no-latest-image-tag]');
    expect(per.response.status?.message).not.toContain('[no-privileged-container]');
    expect(per.response.auditAnnotations).toEqual({ findings: 'no-privileged-container' });
  });

  it('skips set-scoped (cross-resource) rules at admission', async () => {
    const e = await engineFor({ rules: { 'no-dangling-configmap-ref': 'error' } });
    const p = cleanPod();
    (p.spec as Record<string, unknown>).volumes = [{ name: 'v', configMap: { name: 'missing' } }];
    const d = validate(request(p), e, settings());
    expect(d.findings.map((f) => f.ruleId)).not.toContain('no-dangling-configmap-ref');
  });

  it('leaves schema validation to the API server unless schemaValidation is on', async () => {
    const p = cleanPod();
    (p.spec as Record<string, unknown>).restartPolicy = 42;
    const off = settings();
    expect(validate(request(p), await engineFor(RECOMMENDED, off), off).response.allowed).toBe(true);
    const on = settings({ schemaValidation: true });
    const d = validate(request(p), await engineFor(RECOMMENDED, on), on);
    expect(d.response.allowed).toBe(false);
    expect(d.response.status?.message).toContain('[k8s-schema]');
  });

  it('does not refuse custom resources it has no schema for', async () => {
    const e = await engineFor(RECOMMENDED);
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } };
    expect(validate(request(cr), e, settings()).response.allowed).toBe(true);
  });
});

describe('validate: what is not evaluated', () => {
  it('allows DELETE and CONNECT without evaluation, even with no object', async () => {
    const e = await engineFor(RECOMMENDED);
    for (const operation of ['DELETE', 'CONNECT'] as const) {
      const d = validate(request(null, { operation, oldObject: privileged() }), e, settings());
      expect(d.response.allowed).toBe(true);
      expect(d.skipped).toBe('operation');
    }
  });

  it('evaluates pods/ephemeralcontainers by default (as Pod Security Admission), other subresources when listed', async () => {
    const e = await engineFor(RECOMMENDED);
    // kubectl debug --profile=sysadmin: an UPDATE of the subresource carrying the whole Pod
    const debugged = cleanPod();
    (debugged.spec as Record<string, unknown>).ephemeralContainers = [
      { name: 'dbg', image: 'registry.example/debug:1.0.0', securityContext: { privileged: true } },
    ];
    const req = request(debugged, {
      operation: 'UPDATE',
      subResource: 'ephemeralcontainers',
      oldObject: cleanPod(),
    });
    const d = validate(req, e, settings());
    expect(d.skipped).toBeUndefined();
    expect(d.response.allowed).toBe(false);
    expect(d.response.status?.message).toContain('(spec.ephemeralContainers[0].securityContext.privileged)');
    // listing other subresources does not turn it off
    expect(validate(req, e, settings({ subresources: ['resize'] })).response.allowed).toBe(false);
    // status and the like change no security: allowed unless listed
    const status = { ...req, subResource: 'status' };
    expect(validate(status, e, settings()).skipped).toBe('subresource');
    const resize = request(privileged(), {
      operation: 'UPDATE',
      subResource: 'resize',
      oldObject: cleanPod(),
    });
    expect(validate(resize, e, settings()).skipped).toBe('subresource');
    expect(validate(resize, e, settings({ subresources: ['resize'] })).response.allowed).toBe(false);
    // mutation stays off for it (UPDATE is not in mutation.operations by default)
    expect(mutate(req, e, settings()).skipped).toBe('mutation-operation');
  });

  it('exempts kube-system and its own namespace by default, and configured globs', async () => {
    const e = await engineFor(RECOMMENDED);
    const s = resolveSettings({}, 'policy-system');
    expect(validate(request(privileged(), { namespace: 'kube-system' }), e, s).skipped).toBe(
      'exempt-namespace',
    );
    expect(validate(request(privileged(), { namespace: 'policy-system' }), e, s).skipped).toBe(
      'exempt-namespace',
    );
    expect(validate(request(privileged(), { namespace: 'team-a' }), e, s).response.allowed).toBe(false);
    const globbed = settings({ exemptNamespaces: ['sandbox-*'] });
    expect(validate(request(privileged(), { namespace: 'sandbox-7' }), e, globbed).skipped).toBe(
      'exempt-namespace',
    );
    // an explicit list replaces the defaults
    expect(validate(request(privileged(), { namespace: 'kube-system' }), e, globbed).response.allowed).toBe(
      false,
    );
  });

  it('evaluates only selected namespaces and objects when selectors are set', async () => {
    const e = await engineFor(RECOMMENDED);
    const ns = settings({ namespaces: ['prod-*'] });
    expect(validate(request(privileged(), { namespace: 'dev' }), e, ns).skipped).toBe(
      'namespace-not-selected',
    );
    expect(validate(request(privileged(), { namespace: 'prod-eu' }), e, ns).response.allowed).toBe(false);

    const sel = settings({
      objectSelector: {
        matchExpressions: [{ key: 'shipshape.dev/enforce', operator: 'NotIn', values: ['false'] }],
      },
    });
    const optedOut = privileged();
    (optedOut.metadata as Record<string, unknown>).labels = { 'shipshape.dev/enforce': 'false' };
    expect(validate(request(optedOut), e, sel).skipped).toBe('object-selector');
    expect(validate(request(privileged()), e, sel).response.allowed).toBe(false);
    const ml = settings({ objectSelector: { matchLabels: { team: 'a' } } });
    expect(validate(request(privileged()), e, ml).skipped).toBe('object-selector');
  });

  it('skips a controller-owned object only when the built-in controller itself sent it', async () => {
    const e = await engineFor(RECOMMENDED);
    const sa = (name: string, ns = 'kube-system') => ({ username: `system:serviceaccount:${ns}:${name}` });
    const owned = (object: KubeObject, kind: string, apiVersion: string): KubeObject => ({
      ...object,
      metadata: {
        name: 'web-abc',
        ownerReferences: [{ apiVersion, kind, name: 'web', uid: 'x', controller: true }],
      },
    });
    const podSpec = privileged().spec as Record<string, unknown>;
    const privilegedTemplate = { metadata: { labels: { app: 'web' } }, spec: podSpec };
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: privilegedTemplate },
    };
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'web' },
      spec: {
        template: { ...privilegedTemplate, spec: { ...podSpec, restartPolicy: 'Never' } },
      },
    };
    const cases: Array<[string, KubeObject, string, string]> = [
      ['Pod', privileged(), 'apps/v1/ReplicaSet', 'replicaset-controller'],
      ['Pod', privileged(), 'apps/v1/StatefulSet', 'statefulset-controller'],
      ['Pod', privileged(), 'apps/v1/DaemonSet', 'daemon-set-controller'],
      ['Pod', privileged(), 'batch/v1/Job', 'job-controller'],
      ['Pod', privileged(), 'v1/ReplicationController', 'replication-controller'],
      ['ReplicaSet', replicaSet, 'apps/v1/Deployment', 'deployment-controller'],
      ['Job', job, 'batch/v1/CronJob', 'cronjob-controller'],
    ];
    for (const [what, object, owner, controller] of cases) {
      const slash = owner.lastIndexOf('/');
      const obj = owned(object, owner.slice(slash + 1), owner.slice(0, slash));
      const as = (userInfo: AdmissionRequest['userInfo']) =>
        validate(request(obj, { userInfo }), e, settings());
      const label = `${what} owned by ${owner}`;
      // forged: anyone who may create the object can write its ownerReferences
      expect(as(undefined).response.allowed, `${label}, no userInfo`).toBe(false);
      expect(as({ username: 'alice' }).response.allowed, `${label}, by alice`).toBe(false);
      // a service account of the same name in the requester's own namespace is not the controller
      expect(as(sa(controller, 'team-a')).response.allowed, `${label}, by team-a/${controller}`).toBe(false);
      // the controller of another kind is not trusted for this owner
      const other = controller === 'job-controller' ? 'replicaset-controller' : 'job-controller';
      expect(as(sa(other)).response.allowed, `${label}, by ${other}`).toBe(false);
      // genuine: the built-in controller's own service account made it from a checked template
      expect(as(sa(controller)).skipped, `${label}, by kube-system/${controller}`).toBe('controller-owned');
      // and off when configured
      expect(
        validate(request(obj, { userInfo: sa(controller) }), e, settings({ skipControllerPods: false }))
          .response.allowed,
        `${label}, skipControllerPods: false`,
      ).toBe(false);
    }
    // a custom controller's pods are evaluated: nobody checked their template
    const rollout = owned(privileged(), 'Rollout', 'argoproj.io/v1alpha1');
    expect(
      validate(request(rollout, { userInfo: sa('argo-rollouts', 'argo-rollouts') }), e, settings()).response
        .allowed,
    ).toBe(false);
    // an owner reference that is not the controller does not count
    const notController = owned(privileged(), 'ReplicaSet', 'apps/v1');
    (
      notController.metadata as { ownerReferences: Record<string, unknown>[] }
    ).ownerReferences[0]!.controller = false;
    expect(
      validate(request(notController, { userInfo: sa('replicaset-controller') }), e, settings()).response
        .allowed,
    ).toBe(false);
  });
});

describe('validate: UPDATE, suppressions, dry run, errors', () => {
  it('evaluates UPDATE on the new object; optionally only findings the update introduced', async () => {
    const e = await engineFor(RECOMMENDED);
    const upd = request(privileged(), { operation: 'UPDATE', oldObject: privileged() });
    expect(validate(upd, e, settings()).response.allowed).toBe(false);
    const onlyNew = settings({ onlyNewFindingsOnUpdate: true });
    expect(validate(upd, e, onlyNew).response.allowed).toBe(true);
    const introduced = request(privileged(), { operation: 'UPDATE', oldObject: cleanPod() });
    expect(validate(introduced, e, onlyNew).response.allowed).toBe(false);
    // the old object is not what is judged
    expect(
      validate(request(cleanPod(), { operation: 'UPDATE', oldObject: privileged() }), e, settings()).response
        .allowed,
    ).toBe(true);
  });

  it('ignores suppression annotations at admission unless inlineConfig is on', async () => {
    const p = privileged();
    (p.metadata as Record<string, unknown>).annotations = {
      'shipshape.dev/ignore': 'no-privileged-container -- trust me',
    };
    const off = settings();
    expect(validate(request(p), await engineFor(RECOMMENDED, off), off).response.allowed).toBe(false);
    const on = settings({ inlineConfig: true });
    expect(validate(request(p), await engineFor(RECOMMENDED, on), on).response.allowed).toBe(true);
  });

  it('honours config exemptions (administrators decide)', async () => {
    const config = {
      ...RECOMMENDED,
      exemptions: [{ rules: ['no-privileged-container'], namespaces: ['infra'], reason: 'CNI agents' }],
    };
    const e = await engineFor(config);
    expect(validate(request(privileged(), { namespace: 'infra' }), e, settings()).response.allowed).toBe(
      true,
    );
    expect(validate(request(privileged(), { namespace: 'team-a' }), e, settings()).response.allowed).toBe(
      false,
    );
  });

  it('answers a dry run exactly like the real request (there is nothing to undo)', async () => {
    const e = await engineFor(RECOMMENDED);
    const real = request(privileged(), { uid: 'same' });
    expect(validate({ ...real, dryRun: true }, e, settings()).response).toEqual(
      validate(real, e, settings()).response,
    );
  });

  it('follows onError when evaluation throws', () => {
    const kaput = () => {
      throw new Error('kaput');
    };
    const broken: AdmissionEngine = { rules: [], lint: kaput, fix: kaput };
    const req = request(cleanPod());
    const deny = validate(req, broken, settings());
    expect(deny.decision).toBe('error');
    expect(deny.response).toMatchObject({ uid: req.uid, allowed: false, status: { code: 500 } });
    expect(deny.response.status?.message).toContain('kaput');
    const allow = validate(req, broken, settings({ onError: 'allow' }));
    expect(allow.response.allowed).toBe(true);
    expect(allow.response.warnings?.[0]).toContain('kaput');
    // mutation errors default to allow (its failurePolicy is Ignore)
    expect(mutate(req, broken, settings()).response).toMatchObject({ allowed: true });
    expect(mutate(req, broken, settings({ mutation: { onError: 'deny' } })).response.allowed).toBe(false);
  });
});

describe('memory under endless distinct kinds (what a hostile client sends)', () => {
  it('evaluating 20,000 objects of made-up apiVersions and kinds leaves the heap where it was', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const e = await engineFor({ presets: ['recommended', 'pss-restricted'] });
    const s = settings();
    const burst = (n: number) => {
      for (let i = 0; i < n; i++) {
        const w = `${Math.random().toString(36).slice(2)}${i}`;
        const object = { apiVersion: `${w}.example/v1`, kind: `K${w}`, metadata: { name: w }, spec: {} };
        validate(request(object, { kind: { group: `${w}.example`, version: 'v1', kind: `K${w}` } }), e, s);
      }
    };
    burst(5000); // caches of the kinds that exist fill up here
    gc();
    const before = process.memoryUsage().heapUsed;
    burst(20_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // about 13 MB when the rule index and the schema lookups cached every kind; a generous bound
    expect(grown).toBeLessThan(4 * 2 ** 20);
  });
});

describe('warnings stay within the API server limits', () => {
  const finding = (i: number, message: string): Finding => ({
    ruleId: `rule-${i}`,
    severity: 'warn',
    category: 'hygiene',
    message,
    resource: { apiVersion: 'v1', kind: 'Pod' },
    path: `/spec/containers/${i}`,
    helpUri: `https://shipshape.dev/rules/rule-${i}`,
  });

  it('links to the docs when the rule has a page, and adds no dangling link when not', () => {
    const [linked, unlinked] = warningsFor(
      [finding(1, 'has a page'), { ...finding(2, 'a policy without docs'), helpUri: '' }],
      settings(),
    );
    expect(linked).toBe('[rule-1] has a page (spec.containers[1]) — https://shipshape.dev/rules/rule-1');
    expect(unlinked).toBe('[rule-2] a policy without docs (spec.containers[2])');
    const req = request(pod());
    const message = denialMessage([{ ...finding(3, 'denied by policy'), helpUri: '' }], req);
    expect(message).toMatch(/\n- \[rule-3\] denied by policy \(spec\.containers\[3\]\)$/);
  });

  it('caps the count and says how many more there are', () => {
    const many = Array.from({ length: 50 }, (_, i) => finding(i, `problem ${i}`));
    const w = warningsFor(many, settings());
    expect(w).toHaveLength(21);
    expect(w[20]).toBe('… and 30 more warnings from shipshape (run shipshape lint for the full list)');
  });

  it('cuts long warnings (dropping the link first) and keeps the total under 4096', () => {
    const long = Array.from({ length: 40 }, (_, i) => finding(i, 'x'.repeat(400) + '\nnext line'));
    const w = warningsFor(long, settings({ maxWarnings: 100 }));
    for (const line of w) {
      expect([...line].length).toBeLessThanOrEqual(API_WARNING_ITEM_LIMIT);
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u001f]/);
    }
    expect(w.reduce((n, l) => n + [...l].length, 0)).toBeLessThanOrEqual(API_WARNING_TOTAL_LIMIT);
    expect(w[w.length - 1]).toMatch(/^… and \d+ more warnings/);
    expect(w[0]!.endsWith('…')).toBe(true);
  });

  it('honours a shorter maxWarningLength, the API server recommends 120', () => {
    const w = warningsFor([finding(1, 'y'.repeat(300))], settings({ maxWarningLength: 120 }));
    expect([...w[0]!].length).toBe(120);
    expect(clip('ab\u0007c', 10)).toBe('ab c');
  });

  it('writes fields the way the API server does', () => {
    expect(fieldPath('/spec/template/spec/containers/0/image')).toBe(
      'spec.template.spec.containers[0].image',
    );
    expect(fieldPath('/metadata/annotations/example.com~1owner')).toBe(
      'metadata.annotations["example.com/owner"]',
    );
  });
});

describe('mutate: the safe fixes as a JSONPatch', () => {
  const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Operation[];
  const insecure = (): KubeObject =>
    pod(
      { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } } },
      {},
      { labels: { app: 'web' }, annotations: { 'example.com/owner': 'team-a' } },
    );

  it('returns a base64 JSONPatch of exactly the safe fixes', async () => {
    const e = await engineFor(RESTRICTED);
    const req = request(insecure());
    const d = mutate(req, e, settings());
    expect(d.response).toMatchObject({ uid: req.uid, allowed: true, patchType: 'JSONPatch' });
    const ops = decode(d.response.patch!);
    expect(ops).toEqual([
      { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
      { op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } },
    ]);
    // unsafe fixes (runAsNonRoot, drop ALL, read-only root) are not applied at admission
    expect(JSON.stringify(ops)).not.toMatch(/runAsNonRoot|readOnlyRootFilesystem|capabilities/);
  });

  it('is idempotent: the patched object gets no further patch', async () => {
    const e = await engineFor(RESTRICTED);
    const original = insecure();
    const d = mutate(request(original), e, settings());
    const patched = jsonpatch.applyPatch(structuredClone(original), decode(d.response.patch!)).newDocument;
    const again = mutate(request(patched), e, settings());
    expect(again.response).toEqual({ uid: again.response.uid, allowed: true });
  });

  it('never touches fields outside the fixes', async () => {
    const e = await engineFor(RESTRICTED);
    const original = insecure();
    (original.spec as { containers: Record<string, unknown>[] }).containers[0]!.securityContext = {
      runAsUser: 1000,
    };
    const d = mutate(request(original), e, settings());
    const ops = decode(d.response.patch!);
    expect(ops.map((o) => o.path)).toEqual([
      '/spec/containers/0/securityContext/allowPrivilegeEscalation',
      '/spec/securityContext',
    ]);
    const patched = jsonpatch.applyPatch(structuredClone(original), ops).newDocument;
    const strip = (o: KubeObject) => {
      const c = structuredClone(o) as {
        spec: { securityContext?: unknown; containers: { securityContext: Record<string, unknown> }[] };
      };
      delete c.spec.securityContext;
      delete c.spec.containers[0]!.securityContext.allowPrivilegeEscalation;
      return c;
    };
    expect(strip(patched)).toEqual(strip(original));
  });

  it('fixes a workload template too, and leaves a compliant object alone', async () => {
    const e = await engineFor(RESTRICTED);
    const dep: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: insecure().spec as object },
      },
    };
    const ops = decode(mutate(request(dep), e, settings()).response.patch!);
    expect(ops.map((o) => o.path)).toEqual([
      '/spec/template/spec/containers/0/securityContext',
      '/spec/template/spec/securityContext',
    ]);
    expect(mutate(request(cleanPod()), e, settings()).response.patch).toBeUndefined();
  });

  it('mutates CREATE only by default (fixing an UPDATE can touch immutable pod fields)', async () => {
    const e = await engineFor(RESTRICTED);
    const upd = request(insecure(), { operation: 'UPDATE', oldObject: insecure() });
    expect(mutate(upd, e, settings()).skipped).toBe('mutation-operation');
    expect(
      mutate(upd, e, settings({ mutation: { operations: ['CREATE', 'UPDATE'] } })).response.patchType,
    ).toBe('JSONPatch');
  });

  it('respects exemptions and skips like /validate', async () => {
    const e = await engineFor(RESTRICTED);
    expect(mutate(request(insecure(), { namespace: 'kube-system' }), e, settings()).skipped).toBe(
      'exempt-namespace',
    );
    expect(mutate(request(null, { operation: 'DELETE' }), e, settings()).skipped).toBe('operation');
  });
});

describe('parseReview: what a bad request is told', () => {
  const ok = review(request(cleanPod()));
  const bad = (body: unknown) => {
    try {
      parseReview(body);
      return 'accepted';
    } catch (err) {
      expect(err).toBeInstanceOf(BadReviewError);
      return (err as Error).message;
    }
  };
  it('accepts a v1 review', () => expect(parseReview(ok).uid).toBe(ok.request!.uid));
  it('names each problem', () => {
    expect(bad([])).toBe('expected a JSON object (an AdmissionReview)');
    expect(bad({ ...ok, kind: 'Pod' })).toBe('expected kind AdmissionReview, got "Pod"');
    expect(bad({ ...ok, apiVersion: 'admission.k8s.io/v1beta1' })).toContain(
      'expected apiVersion admission.k8s.io/v1, got "admission.k8s.io/v1beta1"',
    );
    expect(bad({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })).toBe(
      'the AdmissionReview has no request',
    );
    expect(bad({ ...ok, request: { ...ok.request, uid: '' } })).toBe('request.uid is missing');
    expect(bad({ ...ok, request: { ...ok.request, operation: 'PATCH' } })).toContain(
      'request.operation must be one of',
    );
    expect(bad({ ...ok, request: { ...ok.request, object: undefined } as AdmissionRequest })).toBe(
      'request.object is required for CREATE',
    );
    expect(bad({ ...ok, request: { ...ok.request, object: 'x' } })).toBe('request.object must be an object');
  });
});

describe('mutate: declarative mutations (the config `mutations:`)', () => {
  const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Operation[];
  const SEED = {
    rules: {
      'require-labels': {
        severity: 'error' as const,
        options: { labels: [{ key: 'env', pattern: 'prod' }] },
      },
    },
    mutations: [{ name: 'env', match: { kinds: ['Pod', 'Deployment'] }, addLabels: { env: 'prod' } }],
  };
  const deployment = (): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: cleanPod().spec },
    },
  });

  it('adds the missing label as a JSONPatch, and /validate admits the patched object', async () => {
    const e = await engineFor(SEED);
    const original = cleanPod();
    const d = mutate(request(original), e, settings());
    expect(d.decision).toBe('mutated');
    expect(d.mutations).toEqual(['env']);
    const ops = decode(d.response.patch!);
    expect(ops).toEqual([{ op: 'add', path: '/metadata/labels', value: { env: 'prod' } }]);
    // the API server applies the patch, then calls /validate with the result
    expect(validate(request(original), e, settings()).response.allowed).toBe(false);
    const patched = jsonpatch.applyPatch(structuredClone(original), ops).newDocument;
    expect(validate(request(patched), e, settings()).response.allowed).toBe(true);
    // reinvocation: the patched object gets no further patch
    const again = request(patched);
    expect(mutate(again, e, settings()).response).toEqual({ uid: again.uid, allowed: true });
  });

  it('never overwrites env: dev, which /validate then denies with require-labels', async () => {
    const e = await engineFor(SEED);
    const dev = cleanPod({ labels: { env: 'dev' } });
    const d = mutate(request(dev), e, settings());
    expect(d.response.patch).toBeUndefined();
    const v = validate(request(dev), e, settings());
    expect(v.response.allowed).toBe(false);
    expect(v.response.status?.message).toContain('[require-labels]');
  });

  it('labels a Deployment and its pod template; kinds not matched are left alone', async () => {
    const e = await engineFor(SEED);
    const d = mutate(request(deployment()), e, settings());
    expect(decode(d.response.patch!)).toEqual([
      { op: 'add', path: '/spec/template/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/metadata/labels', value: { env: 'prod' } },
    ]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    expect(mutate(request(cm), e, settings()).response.patch).toBeUndefined();
  });

  it('matches namespaces by the request namespace when the object omits its own', async () => {
    const e = await engineFor({
      mutations: [{ match: { namespaces: ['prod'] }, addAnnotations: { 'example.com/tier': 'gold' } }],
    });
    const inProd = mutate(request(cleanPod(), { namespace: 'prod' }), e, settings());
    expect(decode(inProd.response.patch!)).toEqual([
      { op: 'add', path: '/metadata/annotations', value: { 'example.com/tier': 'gold' } },
    ]);
    // the namespace the engine filled in for matching is not part of the patch
    expect(mutate(request(cleanPod(), { namespace: 'dev' }), e, settings()).response.patch).toBeUndefined();
  });

  it('the rules fixes are judged on the mutated object: a set value wins over a rule fix', async () => {
    // require-seccomp-profile's safe fix would add RuntimeDefault; the mutation sets Localhost first
    const e = await engineFor({
      presets: ['recommended', 'pss-restricted'],
      mutations: [
        {
          set: {
            path: 'securityContext.seccompProfile',
            value: { type: 'Localhost', localhostProfile: 'p.json' },
            in: 'podSpec' as const,
          },
        },
      ],
    });
    const p = cleanPod();
    delete (p.spec as { securityContext?: unknown }).securityContext;
    const ops = decode(mutate(request(p), e, settings()).response.patch!);
    expect(ops).toEqual([
      {
        op: 'add',
        path: '/spec/securityContext',
        value: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
      },
    ]);
  });
});
